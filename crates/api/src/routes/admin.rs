//! The rule book, the organisation registry, users and tokens, and log verification.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Decider;
use domain::TokenId;
use domain::access::AccessStream;
use domain::access::Role;
use domain::registry::{RegistryCommand, RegistryStream};
use domain::rule_book::{PublishRuleParameter, RuleBookStream};
use event_store::ReadPages;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, Input};
use crate::json::AppJson;
use crate::state::ApiState;

#[utoipa::path(get, path = "/api/rule-book", tag = "rule book",
    responses((status = 200, description = "Every published version of every rule parameter, in publication order", body = Object)))]
pub async fn rule_book(State(state): State<ApiState>) -> Result<Response, ApiError> {
    let stream = app::models::rule_book_stream();
    let events = state
        .service
        .store()
        .whole_stream(&stream)
        .read_to_end()
        .await
        .map_err(app::CommandError::from)?;
    let versions: Vec<serde_json::Value> = events
        .iter()
        .map(|e| serde_json::from_slice(&e.payload))
        .collect::<Result<_, _>>()
        .map_err(ApiError::internal)?;
    Ok(axum::Json(versions).into_response())
}

#[utoipa::path(post, path = "/api/rule-book/parameters", tag = "rule book",
    request_body = ref("#/components/schemas/PublishRuleParameter"),
    responses((status = 202, body = super::proposals::ProposalRecorded, description = "Proposed: published once another administrator confirms it"),
              (status = 422, body = crate::error::Problem)))]
pub async fn publish_rule(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(command): AppJson<PublishRuleParameter>,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    let proposal = state
        .service
        .propose::<RuleBookStream>(&(), &command, principal.actor()?, state.today(), &write)
        .await?;
    Ok(super::proposals::proposed(&proposal))
}

#[utoipa::path(post, path = "/api/registry/commands", tag = "organisations",
    request_body = ref("#/components/schemas/RegistryCommand"),
    responses((status = 200, description = "Recorded"),
              (status = 202, body = super::proposals::ProposalRecorded, description = "A licence or its withdrawal, proposed for another administrator to confirm"),
              (status = 422, body = crate::error::Problem)))]
pub async fn registry_command(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(command): AppJson<RegistryCommand>,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    if RegistryStream::weighty(&command).is_some() {
        let proposal = state
            .service
            .propose::<RegistryStream>(&(), &command, principal.actor()?, state.today(), &write)
            .await?;
        return Ok(super::proposals::proposed(&proposal));
    }
    state
        .service
        .registry_command(&command, principal.actor()?, state.today(), &write)
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// The caller as the service knows them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: Uuid,
    pub name: String,
    pub role: String,
}

#[utoipa::path(get, path = "/api/me", tag = "users",
    responses((status = 200, body = Me)))]
pub async fn me(Extension(principal): Extension<Principal>) -> Response {
    axum::Json(Me {
        user: principal.user.as_uuid(),
        name: principal.name,
        role: principal.role.as_str().to_owned(),
    })
    .into_response()
}

/// A new user.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    /// `staff`, `inspector`, `investigator` or `admin`.
    pub role: String,
}

/// A token, shown once: store the secret now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub user: Uuid,
    pub token: Uuid,
    /// The bearer secret. It is not stored and cannot be shown again.
    pub secret: String,
}

#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUser,
    responses((status = 202, body = super::proposals::ProposalRecorded, description = "Proposed: the user is added once another administrator confirms it; their first token is shown to the administrator who confirms it"),
              (status = 422, body = crate::error::Problem)))]
pub async fn add_user(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(body): AppJson<NewUser>,
) -> Result<Response, ApiError> {
    let role = Role::parse(&body.role).map_err(|e| {
        ApiError::invalid(
            Input::BodyField,
            "role",
            "INVALID_ROLE",
            "de rol is staff, inspector, investigator of admin",
            e,
        )
    })?;
    let write = principal.write_context(Uuid::now_v7());
    let add = domain::access::AccessCommand::AddUser {
        user: domain::UserId::from_uuid(write.new_id("user")),
        name: body.name,
        role,
    };
    let proposal = state
        .service
        .propose::<AccessStream>(&(), &add, principal.actor()?, state.today(), &write)
        .await?;
    Ok(super::proposals::proposed(&proposal))
}

/// Why a token is revoked.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/tokens/{token}/revoke", tag = "users",
    params(("token" = Uuid, Path)), request_body = Revocation,
    responses((status = 204, description = "Revoked"), (status = 422, body = crate::error::Problem)))]
pub async fn revoke_token(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(token): Path<String>,
    AppJson(body): AppJson<Revocation>,
) -> Result<Response, ApiError> {
    let token = TokenId::parse(&token)
        .map_err(|_| ApiError::not_found(&format!("token {token}"), &format!("token {token}")))?;
    let write = principal.write_context(Uuid::now_v7());
    state
        .service
        .revoke_token(token, &body.reason, principal.actor()?, &write)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The log verified: counts, the last position and the digest `dossier verify` prints.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verified {
    pub events: u64,
    pub streams: usize,
    pub last_position: Option<u64>,
    pub digest: String,
}

#[utoipa::path(get, path = "/api/log/verify", tag = "audit",
    responses((status = 200, body = Verified, description = "Every hash chain holds"),
              (status = 409, body = crate::error::Problem, description = "The log fails verification: the first broken event is named")))]
pub async fn verify(State(state): State<ApiState>) -> Result<Response, ApiError> {
    use event_store::verify::{VerifyError, verify_store};
    match verify_store(state.service.store().as_ref(), None, |_| {}).await {
        Ok(report) => Ok(axum::Json(Verified {
            events: report.events,
            streams: report.heads.len(),
            last_position: report.last_position.map(|p| p.0),
            digest: report.digest(),
        })
        .into_response()),
        Err(VerifyError::Failed(failure)) => Err(ApiError::log_tampered(failure)),
        Err(VerifyError::Store(e)) => Err(app::CommandError::from(e).into()),
    }
}
