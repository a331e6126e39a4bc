//! The HTTP service of Dossier: what staff, inspectors and investigators use.
//!
//! JSON in and out; every error a problem document (RFC 9457) with the domain's stable code and
//! rule id ([`error`]); bearer tokens checked against the access stream; one table of routes,
//! each with its handler and the roles that may use it, from which the router, the permissions
//! and the API document are made ([`routes()`]); `Idempotency-Key` on POST; OpenAPI at
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
mod route_table;
mod routes;
mod state;

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

pub use auth::Principal;
pub use error::{ApiError, Problem};
pub use idempotency::BODY_LIMIT;
pub use route_table::{Access, Kind, Route, routes};
pub use routes::reads::PERSON_ID_KEYS;
pub use routes::service::metrics_handle;
pub use state::ApiState;

/// The whole HTTP API over `state`.
pub fn router(state: ApiState) -> Router {
    let api = route_table::router(routes())
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
        // Answers hold personal data: no browser or proxy keeps a copy (the documentation,
        // merged below, may be cached).
        .route_layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .fallback(|| async { ApiError::not_found("dit adres", "this address").into_response() })
        .with_state(state);
    let docs = utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .external_url_unchecked("/api/openapi.json", openapi::document());
    api.merge(docs)
        .layer(middleware::from_fn(error::problem_language))
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
