//! The HTTP service of Dossier: what staff, inspectors and investigators use.
//!
//! JSON in and out; every error a problem document (RFC 9457) with the domain's stable code and
//! rule id ([`error`]); bearer tokens checked against the access stream and one table of which
//! role may use which route ([`auth::PERMISSIONS`]); `Idempotency-Key` on POST; OpenAPI at
//! `/api/openapi.json` and Swagger UI at `/api/docs` (assets vendored); `/health` and `/metrics`.
//! Handlers hold no rule: they parse, call the application layer, and shape the answer.
//!
//! Architecture invariant: depends on the application layer and the domain's types; never on a
//! store adapter (the store is chosen by the binary).

mod access_log;
pub mod auth;
pub mod error;
mod idempotency;
mod json;
pub mod openapi;
mod routes;
mod state;

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use auth::{PERMISSIONS, PUBLIC, Permission, Principal};
pub use error::{ApiError, Problem};
pub use idempotency::BODY_LIMIT;
pub use routes::service::metrics_handle;
pub use state::ApiState;

use routes::{admin, dossiers, service, signals};

/// The whole HTTP API over `state`.
pub fn router(state: ApiState) -> Router {
    let api = Router::new()
        .route("/health", get(service::health))
        .route("/metrics", get(service::metrics))
        .route("/api/dossiers", post(dossiers::open))
        .route("/api/dossiers/{dossier}/commands", post(dossiers::command))
        .route("/api/dossiers/{dossier}/events", get(dossiers::history))
        .route("/api/rule-book", get(admin::rule_book))
        .route("/api/rule-book/parameters", post(admin::publish_rule))
        .route("/api/registry/commands", post(admin::registry_command))
        .route("/api/log/verify", get(admin::verify))
        .route("/api/access-log", get(access_log::list))
        .route("/api/me", get(admin::me))
        .route("/api/signals/{signal}/dismiss", post(signals::dismiss))
        .route("/api/signals/{signal}/escalate", post(signals::escalate))
        .route("/api/users", post(admin::add_user))
        .route("/api/tokens/{token}/revoke", post(admin::revoke_token))
        // Layers run outside-in: count and time, authorise, then replay idempotent retries.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::idempotent,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authorize,
        ))
        .route_layer(middleware::from_fn(record_metrics))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .fallback(|| async { ApiError::not_found("this address").into_response() })
        .with_state(state);
    let docs = utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .external_url_unchecked("/api/openapi.json", openapi::document());
    api.merge(docs)
}

/// Counts requests and their duration per route and status, for `/metrics`.
async fn record_metrics(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("dossier_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("dossier_http_request_duration_seconds", "method" => method, "route" => route).record(started.elapsed().as_secs_f64());
    response
}
