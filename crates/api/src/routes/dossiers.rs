//! Dossiers: open one, run a command against it, read its history.

use std::collections::BTreeMap;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Decider;
use domain::dossier::{
    Dossier, DossierCommand, DossierStream, LineReason, LineStatus, RegisterPerson,
};
use domain::{DossierId, Insz, PersonId};
use event_store::ReadPages;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, Input};
use crate::json::AppJson;
use crate::state::ApiState;

/// Open the dossier of a person with a disability.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDossier {
    /// INSZ / rijksregisternummer (11 digits; dots and dashes allowed).
    pub insz: String,
    /// Birth date, when the INSZ does not encode it (bis numbers).
    pub birth_date: Option<NaiveDate>,
    /// The person's family name, as on the identity document (with `given_names`).
    pub family_name: Option<String>,
    pub given_names: Option<String>,
}

/// What a command recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    pub dossier: Uuid,
    /// The dossier's version after the command (send it back as `If-Match` to be sure nothing
    /// changed in between).
    pub version: Option<u64>,
    /// The ids of the events recorded, in order (empty when nothing changed).
    pub events: Vec<Uuid>,
    /// What the command created, by field: e.g. `{"claim": "…"}` for a cost claim, with the
    /// id the server made when the request left it out.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub created: BTreeMap<String, Uuid>,
    /// What the command decided, for a command on a cost claim: each line's outcome, amount
    /// and, for a line refused or held, its reason code and Dutch text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub decided: Option<serde_json::Value>,
    /// What staff should look at again, though the command was recorded (e.g.
    /// `BIRTH_DATE_DIFFERS_FROM_INSZ`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WarningBody>,
}

/// A warning in an answer: its stable code and the text for staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningBody {
    pub code: &'static str,
    pub message_nl: String,
    /// The persons it is about (e.g. the likely duplicates), each with a link.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<String>,
}

impl WarningBody {
    pub(crate) fn of(warning: &domain::dossier::Warning) -> Self {
        Self {
            code: warning.code(),
            message_nl: warning.message_nl(),
            persons: warning
                .persons()
                .iter()
                .map(|p| format!("/api/persons/{}", p.as_uuid()))
                .collect(),
        }
    }
}

/// What the domain warns about `command`, now recorded on a dossier at `state`.
fn warnings_of(state: &Dossier, command: &DossierCommand) -> Vec<WarningBody> {
    domain::dossier::warnings(command, state)
        .iter()
        .map(WarningBody::of)
        .collect()
}

/// How the lines of the claim a command is about stand after it (`None` for other commands).
fn decided_lines(state: &Dossier, command: &DossierCommand) -> Option<serde_json::Value> {
    let claim = match command {
        DossierCommand::SubmitCostClaim(c) => c.claim,
        DossierCommand::DecideCostLine(c) => c.claim,
        DossierCommand::OverrideCostLineDecision(c) => c.claim,
        _ => return None,
    };
    let claim = state.claims.get(&claim)?;
    let lines: Vec<serde_json::Value> = claim
        .lines
        .values()
        .map(|line| {
            let (outcome, reason) = match line.status {
                LineStatus::Accepted => ("accepted", None),
                LineStatus::Rejected(reason) => ("rejected", Some(reason)),
                LineStatus::Held(reason) => ("held", Some(reason)),
                LineStatus::Undecided => ("undecided", None),
                LineStatus::Voided => ("voided", None),
            };
            serde_json::json!({
                "line": line.line.line,
                "outcome": outcome,
                "amount": line.line.amount.amount().to_string(),
                "amount_nl": line.line.amount.to_dutch(),
                "reason": reason.map(LineReason::code),
                "message_nl": reason.map(LineReason::message_nl),
            })
        })
        .collect();
    Some(serde_json::json!({ "claim": claim.id, "lines": lines }))
}

fn recorded(
    dossier: DossierId,
    version: Option<u64>,
    events: Vec<Uuid>,
    created: BTreeMap<String, Uuid>,
    (state, command): (&Dossier, &DossierCommand),
    status: StatusCode,
    more_warnings: Vec<WarningBody>,
) -> Response {
    let mut warnings = warnings_of(state, command);
    warnings.extend(more_warnings);
    let mut response = (
        status,
        axum::Json(Recorded {
            dossier: dossier.as_uuid(),
            version,
            events,
            created,
            decided: decided_lines(state, command),
            warnings,
        }),
    )
        .into_response();
    if let Some(v) = version
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{v}\""))
    {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

pub(crate) fn parse_dossier(text: &str) -> Result<DossierId, ApiError> {
    DossierId::parse(text)
        .map_err(|_| ApiError::not_found(&format!("dossier {text}"), &format!("dossier {text}")))
}

/// `If-Match: "3"` → the command is decided only if the dossier is still at version 3.
fn if_match(headers: &HeaderMap) -> Result<Option<Option<u64>>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_matches('"')
        .parse::<u64>()
        .map(|v| Some(Some(v)))
        .map_err(|_| {
            ApiError::invalid(
                Input::Header,
                "If-Match",
                "INVALID_IF_MATCH",
                "If-Match bevat een dossierversie tussen aanhalingstekens, bv. \"3\"",
                "If-Match takes a dossier version in quotes, e.g. \"3\"",
            )
        })
}

#[utoipa::path(post, path = "/api/dossiers", tag = "dossiers",
    request_body = OpenDossier,
    responses((status = 201, body = Recorded, description = "The dossier was opened"),
              (status = 422, body = crate::error::Problem, description = "Refused (e.g. DUPLICATE_PERSON)")))]
pub async fn open(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(body): AppJson<OpenDossier>,
) -> Result<Response, ApiError> {
    let insz = Insz::parse(&body.insz)
        .map_err(|e| ApiError::invalid_value(Input::BodyField, "insz", "INVALID_INSZ", &e))?;
    let write = principal.write_context(Uuid::now_v7());
    // A keyed retry names the same dossier and person as the first request.
    let dossier = DossierId::from_uuid(write.new_id("dossier"));
    let person = PersonId::from_uuid(write.new_id("person"));
    let registration = RegisterPerson {
        dossier,
        person,
        insz,
        birth_date: body.birth_date,
    };
    let name = match (&body.family_name, &body.given_names) {
        (Some(family), Some(given)) => Some((family.as_str(), given.as_str())),
        (None, None) => None,
        _ => {
            return Err(ApiError::from(app::CommandError::Rejected(
                domain::Reason::PersonNameInvalid.into(),
            )));
        }
    };
    let (done, identified) = state
        .service
        .open_dossier(
            &registration,
            name,
            principal.actor()?,
            state.today(),
            &write,
        )
        .await?;
    // The person the INSZ already named (a parent now applying) keeps their id.
    let person = done.state.person.as_ref().map_or(person, |p| p.id);
    let created = BTreeMap::from([
        ("dossier".to_owned(), dossier.as_uuid()),
        ("person".to_owned(), person.as_uuid()),
    ]);
    let command = DossierCommand::RegisterPerson(registration);
    let identity_warnings = identified
        .map(|i| i.warnings.iter().map(WarningBody::of).collect())
        .unwrap_or_default();
    let mut response = recorded(
        dossier,
        done.version,
        done.event_ids,
        created,
        (&done.state, &command),
        StatusCode::CREATED,
        identity_warnings,
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/dossiers/{}", dossier.as_uuid())) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(post, path = "/api/dossiers/{dossier}/commands", tag = "dossiers",
    params(("dossier" = Uuid, Path, description = "The dossier"),
           ("If-Match" = Option<String>, Header, description = "The dossier version the command is based on, e.g. \"3\"")),
    request_body = ref("#/components/schemas/DossierCommand"),
    responses((status = 200, body = Recorded, description = "The command's events were recorded"),
              (status = 202, body = super::proposals::ProposalRecorded, description = "A weighty decision, recorded as a proposal for another staff member to confirm"),
              (status = 412, body = crate::error::Problem, description = "The dossier is no longer at the If-Match version"),
              (status = 422, body = crate::error::Problem, description = "Refused by a rule, or an invalid body")))]
pub async fn command(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
    headers: HeaderMap,
    AppJson(mut command): AppJson<DossierCommand>,
) -> Result<Response, ApiError> {
    let dossier = parse_dossier(&dossier)?;
    if matches!(command, DossierCommand::RegisterPerson(_)) {
        return Err(ApiError::invalid(
            Input::BodyField,
            "command",
            "USE_OPEN_DOSSIER",
            "een persoon wordt geregistreerd door een dossier te openen: POST /api/dossiers",
            "a person is registered by opening a dossier: POST /api/dossiers",
        ));
    }
    let if_match = if_match(&headers)?;
    let write = principal.write_context(Uuid::now_v7());
    // What the command creates gets an id here unless the client gave one: for a keyed request
    // derived from its key, so a retry, even after a restart, names the same claim.
    let created: BTreeMap<String, Uuid> = command
        .fill_created_id(|field| write.new_id(field))
        .map(|(field, id)| (field.to_owned(), id))
        .into_iter()
        .collect();
    // A weighty decision (domain::four_eyes) is recorded as a proposal for a second user.
    if DossierStream::weighty(&command).is_some() {
        let proposal = state
            .service
            .propose::<DossierStream>(
                &dossier,
                &command,
                principal.actor()?,
                state.today(),
                &write,
            )
            .await?;
        return Ok(super::proposals::proposed(&proposal));
    }
    // A dossier never opened: the domain refuses the command as DOSSIER_NOT_OPENED, which
    // answers 404 (error.rs).
    let done = state
        .service
        .dossier_command(
            dossier,
            &command,
            principal.actor()?,
            state.today(),
            &write,
            if_match,
        )
        .await?;
    Ok(recorded(
        dossier,
        done.version,
        done.event_ids,
        created,
        (&done.state, &command),
        StatusCode::OK,
        Vec::new(),
    ))
}

/// One event of a dossier's history, with who did it, when and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryEvent {
    pub position: u64,
    pub version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub recorded_at: DateTime<Utc>,
    pub actor_id: String,
    pub actor_role: String,
    pub correlation_id: Uuid,
    pub reason: Option<String>,
    /// For a weighty decision: who proposed it and when; the actor above confirmed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed: Option<ProposedBy>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// Who proposed a weighty decision that another user confirmed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProposedBy {
    pub proposal: Uuid,
    pub actor_id: String,
    pub actor_role: String,
    pub proposed_on: NaiveDate,
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/events", tag = "dossiers",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = [HistoryEvent], description = "Every event of the dossier, in order"),
              (status = 404, body = crate::error::Problem)))]
pub async fn history(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    let dossier = parse_dossier(&dossier)?;
    let stream = app::models::dossier_stream(dossier);
    let mut events = Vec::new();
    let store = state.service.store();
    let mut pages = store.whole_stream(&stream);
    while let Some(page) = pages.next_page().await.map_err(app::CommandError::from)? {
        for e in &page {
            let meta = e.metadata().map_err(ApiError::internal)?;
            events.push(HistoryEvent {
                position: e.position.0,
                version: e.stream_version,
                event_id: e.event_id,
                event_type: e.event_type.clone(),
                schema_version: e.schema_version,
                recorded_at: e.recorded_at,
                actor_id: meta.actor_id,
                actor_role: meta.actor_role,
                correlation_id: meta.correlation_id,
                reason: meta.reason,
                proposed: meta.proposed.map(|p| ProposedBy {
                    proposal: p.proposal_id,
                    actor_id: p.actor_id,
                    actor_role: p.actor_role,
                    proposed_on: p.proposed_on,
                }),
                payload: serde_json::from_slice(&e.payload).map_err(ApiError::internal)?,
            });
        }
    }
    if events.is_empty() {
        return Err(ApiError::not_found(
            &format!("dossier {}", dossier.as_uuid()),
            &format!("dossier {}", dossier.as_uuid()),
        ));
    }
    crate::access_log::record(&state, &principal, Some(dossier), "dossier history").await?;
    Ok(crate::routes::reads::answer(
        &state,
        &principal,
        domain::access::Showing::DossierPage,
        events,
    )
    .await)
}
