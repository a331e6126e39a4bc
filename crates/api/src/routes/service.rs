//! Health and metrics: public, for load balancers and Prometheus; neither shows personal data.

use std::sync::OnceLock;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::Serialize;

use crate::state::ApiState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    /// Where the log lives (without secrets).
    pub store: String,
}

#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<ApiState>) -> Response {
    axum::Json(Health {
        status: "ok",
        store: state.service.store().describe(),
    })
    .into_response()
}

/// The process's metrics recorder, installed once.
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests in one process): keep ours as the
        // handle either way; metrics then go to whichever was first.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics() -> Response {
    metrics_handle().render().into_response()
}
