//! Investigators' triage of fraud signals.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::signals::SignalTriageCommand;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::json::AppJson;
use crate::state::ApiState;

/// Why a signal is dismissed or escalated.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub reason: String,
}

async fn triage(
    state: &ApiState,
    principal: &Principal,
    command: SignalTriageCommand,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    state
        .service
        .triage_signal(&command, principal.actor()?, &write)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/api/signals/{signal}/dismiss", tag = "signals",
    params(("signal" = String, Path, description = "The signal's id (32 hexadecimal digits)")),
    request_body = Triage,
    responses((status = 204, description = "Dismissed"), (status = 422, body = crate::error::Problem)))]
pub async fn dismiss(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(signal): Path<String>,
    AppJson(body): AppJson<Triage>,
) -> Result<Response, ApiError> {
    triage(
        &state,
        &principal,
        SignalTriageCommand::Dismiss {
            signal,
            reason: body.reason,
        },
    )
    .await
}

#[utoipa::path(post, path = "/api/signals/{signal}/escalate", tag = "signals",
    params(("signal" = String, Path, description = "The signal's id (32 hexadecimal digits)")),
    request_body = Triage,
    responses((status = 204, description = "Escalated"), (status = 422, body = crate::error::Problem)))]
pub async fn escalate(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(signal): Path<String>,
    AppJson(body): AppJson<Triage>,
) -> Result<Response, ApiError> {
    triage(
        &state,
        &principal,
        SignalTriageCommand::Escalate {
            signal,
            reason: body.reason,
        },
    )
    .await
}
