//! The HTTP service of Dossier: what staff, inspectors and investigators use.
//!
//! JSON in and out; every error a problem document (RFC 9457) with the domain's stable code and
//! rule id ([`error`]); bearer tokens checked against the access stream and one table of which
//! role may use which route ([`auth::PERMISSIONS`]); `Idempotency-Key` on POST; OpenAPI at
//! `/api/openapi.json` and Swagger UI at `/api/docs` (assets vendored); `/health` and `/metrics`.
//! Handlers hold no rule: they parse, call the application layer, and shape the answer. Reads
//! come from the read models (`projections`, through the `ReadModelSink` the binary opens) or,
//! for as-of and replay, from the log folded by `projections`.
//!
//! Architecture invariant: depends on the application layer, the domain's types and the read
//! side (`projections`); never on a store adapter (the store is chosen by the binary).

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

use routes::{admin, dossiers, reads, service, signals};

/// The whole HTTP API over `state`.
pub fn router(state: ApiState) -> Router {
    let api = Router::new()
        .route("/health", get(service::health))
        .route("/metrics", get(service::metrics))
        .route("/api/dossiers", post(dossiers::open).get(reads::search))
        .route("/api/dossiers/{dossier}", get(reads::summary))
        .route("/api/dossiers/{dossier}/commands", post(dossiers::command))
        .route("/api/dossiers/{dossier}/events", get(dossiers::history))
        .route("/api/dossiers/{dossier}/budgets", get(reads::budgets))
        .route("/api/dossiers/{dossier}/agreements", get(reads::agreements))
        .route("/api/dossiers/{dossier}/claims", get(reads::claims))
        .route("/api/dossiers/{dossier}/controls", get(reads::controls))
        .route(
            "/api/dossiers/{dossier}/signals",
            get(reads::dossier_signals),
        )
        .route("/api/dossiers/{dossier}/audit", get(reads::dossier_audit))
        .route("/api/dossiers/{dossier}/as-of", get(reads::as_of))
        .route("/api/dossiers/{dossier}/replay", get(reads::replay_dossier))
        .route("/api/budgets", get(reads::all_budgets))
        .route("/api/covid-overrun", get(reads::covid_overrun))
        .route("/api/signals", get(reads::all_signals))
        .route("/api/audit", get(reads::audit))
        .route(
            "/api/work-queues/agreements-to-approve",
            get(reads::agreements_to_approve),
        )
        .route(
            "/api/work-queues/held-claim-lines",
            get(reads::held_claim_lines),
        )
        .route(
            "/api/work-queues/signals-to-triage",
            get(reads::signals_to_triage),
        )
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
