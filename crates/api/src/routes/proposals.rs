//! Four-eyes over HTTP: a weighty decision sent to its usual route answers 202 with the
//! proposal recorded; another user confirms, refuses or (the proposer) withdraws it here.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::ProposalId;
use domain::four_eyes::{Proposal, ProposalStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::json::AppJson;
use crate::state::ApiState;

/// A weighty decision recorded as a proposal: it takes effect once another user confirms it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalRecorded {
    pub proposal: Uuid,
    /// The stream the proposal is about (`dossier-…`, `registry-organisations`, …): the
    /// `{target}` of the proposal routes.
    pub target: String,
    /// The decision, in Dutch.
    pub decision: String,
    /// The events the decision would cause now, each `{"type", "payload"}`.
    #[schema(value_type = Vec<Object>)]
    pub preview: Vec<serde_json::Value>,
    /// What to do next, in Dutch.
    pub next: String,
}

/// The answer to a weighty decision: 202 with the proposal and where to find it.
pub fn proposed(recorded: &app::Proposed) -> Response {
    let body = ProposalRecorded {
        proposal: recorded.proposal.as_uuid(),
        target: recorded.target.clone(),
        decision: recorded.decision.nl.to_owned(),
        preview: recorded.preview.clone(),
        next: format!(
            "Voorstel vastgelegd: een andere {} bevestigt of weigert het.",
            role_nl(recorded.decision.confirmed_by)
        ),
    };
    let mut response = (StatusCode::ACCEPTED, axum::Json(body)).into_response();
    let location = format!("/api/proposals/{}", recorded.target);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn role_nl(role: domain::access::Role) -> &'static str {
    match role {
        domain::access::Role::Staff => "medewerker",
        domain::access::Role::Admin => "beheerder",
        domain::access::Role::Inspector => "inspecteur",
        domain::access::Role::Investigator => "fraudeonderzoeker",
    }
}

/// One proposal about a target, and where it stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalBody {
    pub proposal: Uuid,
    /// The decision, in Dutch.
    pub decision: String,
    /// The command proposed, as its JSON.
    #[schema(value_type = Object)]
    pub command: serde_json::Value,
    pub proposed_by: String,
    pub proposed_on: NaiveDate,
    /// `open`, `confirmed`, `refused` or `withdrawn`.
    pub status: &'static str,
    /// Who confirmed or refused it.
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// The events the decision would cause when proposed.
    #[schema(value_type = Vec<Object>)]
    pub preview: Vec<serde_json::Value>,
}

impl ProposalBody {
    fn of(proposal: &Proposal) -> Self {
        let (status, decided_by, decided_on) = match proposal.status {
            ProposalStatus::Open => ("open", None, None),
            ProposalStatus::Confirmed { by, on } => ("confirmed", Some(by.id_text()), Some(on)),
            ProposalStatus::Refused { by, on } => ("refused", Some(by.id_text()), Some(on)),
            ProposalStatus::Withdrawn { on } => ("withdrawn", None, Some(on)),
        };
        Self {
            proposal: proposal.id.as_uuid(),
            decision: proposal
                .decision()
                .map_or_else(|| proposal.kind.clone(), |d| d.nl.to_owned()),
            command: proposal.command.clone(),
            proposed_by: proposal.proposed_by.id_text(),
            proposed_on: proposal.proposed_on,
            status,
            decided_by,
            decided_on,
            preview: proposal.preview.clone(),
        }
    }
}

fn parse_proposal(text: &str) -> Result<ProposalId, ApiError> {
    ProposalId::parse(text)
        .map_err(|_| ApiError::not_found(&format!("voorstel {text}"), &format!("proposal {text}")))
}

fn parse_target(text: &str) -> Result<String, ApiError> {
    app::ProposalTarget::parse(text)
        .map(|t| t.stream())
        .ok_or_else(|| ApiError::not_found(&format!("doel {text}"), &format!("target {text}")))
}

#[utoipa::path(get, path = "/api/proposals/{target}", tag = "four-eyes",
    params(("target" = String, Path, description = "The stream the proposals are about, e.g. `dossier-…`")),
    responses((status = 200, body = [ProposalBody], description = "Every proposal about the target, in the order of their ids"),
              (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(target): Path<String>,
) -> Result<Response, ApiError> {
    let target = parse_target(&target)?;
    let proposals = state.service.proposals(&target).await?;
    let bodies: Vec<ProposalBody> = proposals.by_id.values().map(ProposalBody::of).collect();
    // A proposed command may carry an INSZ (a correction): shown as in any list, masked.
    Ok(super::reads::answer(&state, &principal, domain::access::Showing::List, bodies).await)
}

/// What a confirmation recorded in the target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Confirmed {
    pub proposal: Uuid,
    pub target: String,
    /// The target's version after the decision.
    pub version: Option<u64>,
    /// The target's events recorded.
    pub events: Vec<Uuid>,
    /// For a user added: their first token, shown once (hand it over now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<super::admin::IssuedToken>,
}

#[utoipa::path(post, path = "/api/proposals/{target}/{proposal}/confirm", tag = "four-eyes",
    params(("target" = String, Path, description = "The stream the proposal is about"),
           ("proposal" = Uuid, Path, description = "The proposal")),
    responses((status = 200, body = Confirmed, description = "Decided again on the target as it stands, and recorded"),
              (status = 404, body = crate::error::Problem, description = "No such proposal"),
              (status = 409, body = crate::error::Problem, description = "Decided already (`PROPOSAL_CLOSED`), or the target changed so the decision would differ (`PROPOSAL_STALE`)"),
              (status = 422, body = crate::error::Problem, description = "Refused: `FOUR_EYES_SAME_USER`, or the rules refuse it now")))]
pub async fn confirm(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path((target, proposal)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (target, proposal) = (parse_target(&target)?, parse_proposal(&proposal)?);
    let write = principal.write_context(Uuid::now_v7());
    let done = state
        .service
        .confirm_proposal(&target, proposal, principal.actor()?, state.today(), &write)
        .await?;
    Ok(axum::Json(Confirmed {
        proposal: done.proposal.as_uuid(),
        target: done.target,
        version: done.target_version,
        events: done.event_ids,
        issued: done.issued.map(|issued| super::admin::IssuedToken {
            user: issued.user.as_uuid(),
            token: issued.token.as_uuid(),
            secret: issued.secret,
        }),
    })
    .into_response())
}

/// Why a proposal is refused or withdrawn.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalReason {
    #[serde(default)]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/proposals/{target}/{proposal}/refuse", tag = "four-eyes",
    params(("target" = String, Path), ("proposal" = Uuid, Path)), request_body = ProposalReason,
    responses((status = 204, description = "Refused: nothing of it is decided"),
              (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem, description = "Decided already"),
              (status = 422, body = crate::error::Problem, description = "`FOUR_EYES_SAME_USER`, `REASON_REQUIRED`")))]
pub async fn refuse(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path((target, proposal)): Path<(String, String)>,
    AppJson(body): AppJson<ProposalReason>,
) -> Result<Response, ApiError> {
    let (target, proposal) = (parse_target(&target)?, parse_proposal(&proposal)?);
    let write = principal.write_context(Uuid::now_v7());
    state
        .service
        .refuse_proposal(
            &target,
            proposal,
            body.reason.as_deref().unwrap_or_default(),
            principal.actor()?,
            state.today(),
            &write,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/api/proposals/{target}/{proposal}/withdraw", tag = "four-eyes",
    params(("target" = String, Path), ("proposal" = Uuid, Path)), request_body = ProposalReason,
    responses((status = 204, description = "Withdrawn by its proposer"),
              (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem, description = "Decided already"),
              (status = 422, body = crate::error::Problem, description = "Another user's proposal")))]
pub async fn withdraw(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path((target, proposal)): Path<(String, String)>,
    AppJson(body): AppJson<ProposalReason>,
) -> Result<Response, ApiError> {
    let (target, proposal) = (parse_target(&target)?, parse_proposal(&proposal)?);
    let write = principal.write_context(Uuid::now_v7());
    state
        .service
        .withdraw_proposal(
            &target,
            proposal,
            body.reason,
            principal.actor()?,
            state.today(),
            &write,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
