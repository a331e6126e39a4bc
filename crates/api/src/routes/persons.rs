//! Persons: record one (or find them by INSZ), correct them, read them, and the persons of a
//! dossier with their roles.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use domain::Decider;
use domain::access::Showing;
use domain::personal_data::ERASED;
use domain::persons::{Contact, IdentifyPerson, PersonCommand, PersonRecord};
use domain::{Insz, PersonId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, Input};
use crate::json::AppJson;
use crate::routes::dossiers::{WarningBody, parse_dossier};
use crate::routes::reads::answer;
use crate::state::ApiState;

/// Record who a person is (a parent, a guardian, an account holder): with an INSZ, or without
/// one with the birth date and the reason there is none. A person the INSZ already names is
/// found, not recorded twice.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub family_name: String,
    pub given_names: String,
    /// INSZ or BIS number (11 digits; dots and dashes allowed).
    pub insz: Option<String>,
    /// Required without an INSZ, and when the INSZ does not encode it.
    pub birth_date: Option<chrono::NaiveDate>,
    /// Why the person has no INSZ: required without one.
    pub no_insz_reason: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub contact: Contact,
}

/// A person as the answers show one: name, masked or full INSZ as the reader may see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonBody {
    pub person: Uuid,
    /// "An Peeters", or "naam onbekend" for a person a dossier named before person records.
    pub name: String,
    pub family_name: Option<String>,
    pub given_names: Option<String>,
    pub insz: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub no_insz_reason: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub contact: Option<Contact>,
    /// The legal basis when the person's data was erased: every part then reads "gewist".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub erased: Option<domain::persons::ErasureBasis>,
    /// What staff can do next, e.g. complete a person known by id only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// A link to what can be done with a resource.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Action {
    /// A stable name, e.g. `complete_person`.
    pub name: &'static str,
    pub method: &'static str,
    pub href: String,
    /// What it does, in Dutch.
    pub title_nl: &'static str,
}

/// The name shown for a person a dossier named before person records.
pub const NAME_UNKNOWN: &str = "naam onbekend";

impl PersonBody {
    pub(crate) fn of(person: PersonId, record: &PersonRecord) -> Self {
        let person_uuid = person.as_uuid();
        if let Some(basis) = record.erased {
            let erased = || Some(ERASED.to_owned());
            return Self {
                person: person_uuid,
                name: ERASED.to_owned(),
                family_name: erased(),
                given_names: erased(),
                insz: erased(),
                birth_date: None,
                no_insz_reason: None,
                contact: None,
                erased: Some(basis),
                actions: Vec::new(),
            };
        }
        match &record.identity {
            Some(identity) => Self {
                person: person_uuid,
                name: identity.full_name(),
                family_name: Some(identity.family_name.clone()),
                given_names: Some(identity.given_names.clone()),
                insz: identity.insz.as_ref().map(|i| i.expose_digits().to_owned()),
                birth_date: identity.birth_date,
                no_insz_reason: identity.no_insz_reason.clone(),
                contact: Some(identity.contact.clone()),
                erased: None,
                actions: Vec::new(),
            },
            None => Self {
                person: person_uuid,
                name: NAME_UNKNOWN.to_owned(),
                family_name: None,
                given_names: None,
                insz: None,
                birth_date: None,
                no_insz_reason: None,
                contact: None,
                erased: None,
                actions: vec![Action {
                    name: "complete_person",
                    method: "POST",
                    href: format!("/api/persons/{person_uuid}/commands"),
                    title_nl: "Vul de persoon aan (naam en INSZ)",
                }],
            },
        }
    }
}

/// What a person command recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonRecorded {
    pub person: PersonBody,
    /// The INSZ named a person already recorded: nothing new was recorded.
    pub found: bool,
    /// The version of the person's record.
    pub version: Option<u64>,
    pub events: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WarningBody>,
}

async fn recorded(
    state: &ApiState,
    principal: &Principal,
    done: &app::Identified,
    status: StatusCode,
) -> Response {
    let body = PersonRecorded {
        person: PersonBody::of(done.person, &done.record),
        found: done.found,
        version: done.version,
        events: done.event_ids.clone(),
        warnings: done.warnings.iter().map(WarningBody::of).collect(),
    };
    let mut response = answer(state, principal, Showing::DossierPage, body).await;
    *response.status_mut() = status;
    if let Ok(location) = HeaderValue::from_str(&format!("/api/persons/{}", done.person.as_uuid()))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub(crate) fn parse_insz(text: Option<&str>) -> Result<Option<Insz>, ApiError> {
    text.map(|t| {
        Insz::parse(t)
            .map_err(|e| ApiError::invalid_value(Input::BodyField, "insz", "INVALID_INSZ", &e))
    })
    .transpose()
}

#[utoipa::path(post, path = "/api/persons", tag = "persons",
    request_body = NewPerson,
    responses((status = 201, body = PersonRecorded, description = "The person was recorded"),
              (status = 200, body = PersonRecorded, description = "The INSZ named a person already recorded"),
              (status = 422, body = crate::error::Problem, description = "Refused (e.g. NO_INSZ_REASON_REQUIRED)")))]
pub async fn identify(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(body): AppJson<NewPerson>,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    let command = IdentifyPerson {
        // A keyed retry names the same person as the first request.
        person: PersonId::from_uuid(write.new_id("person")),
        family_name: body.family_name,
        given_names: body.given_names,
        insz: parse_insz(body.insz.as_deref())?,
        birth_date: body.birth_date,
        no_insz_reason: body.no_insz_reason,
        contact: body.contact,
    };
    let done = state
        .service
        .identify_person(&command, principal.actor()?, state.today(), &write)
        .await?;
    let status = if done.found {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(recorded(&state, &principal, &done, status).await)
}

pub(crate) fn parse_person(text: &str) -> Result<PersonId, ApiError> {
    PersonId::parse(text)
        .map_err(|_| ApiError::not_found(&format!("persoon {text}"), &format!("person {text}")))
}

#[utoipa::path(post, path = "/api/persons/{person}/commands", tag = "persons",
    params(("person" = Uuid, Path, description = "The person")),
    request_body = ref("#/components/schemas/PersonCommand"),
    responses((status = 200, body = PersonRecorded, description = "The command's events were recorded"),
              (status = 422, body = crate::error::Problem, description = "Refused by a rule, or an invalid body")))]
pub async fn command(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(person): Path<String>,
    AppJson(command): AppJson<PersonCommand>,
) -> Result<Response, ApiError> {
    let person = parse_person(&person)?;
    let write = principal.write_context(Uuid::now_v7());
    if domain::persons::PersonStream::weighty(&command).is_some() {
        let proposal = state
            .service
            .propose_person_command(person, &command, principal.actor()?, state.today(), &write)
            .await?;
        return Ok(super::proposals::proposed(&proposal));
    }
    let done = state
        .service
        .person_command(person, &command, principal.actor()?, state.today(), &write)
        .await?;
    Ok(recorded(&state, &principal, &done, StatusCode::OK).await)
}

#[utoipa::path(get, path = "/api/persons/{person}", tag = "persons",
    params(("person" = Uuid, Path, description = "The person")),
    responses((status = 200, body = PersonBody, description = "The person"),
              (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(person): Path<String>,
) -> Result<Response, ApiError> {
    let person = parse_person(&person)?;
    let (record, version) = state.service.person(person).await?;
    if version.is_none() {
        return Err(ApiError::not_found(
            &format!("persoon {}", person.as_uuid()),
            &format!("person {}", person.as_uuid()),
        ));
    }
    Ok(answer(
        &state,
        &principal,
        Showing::List,
        PersonBody::of(person, &record),
    )
    .await)
}

/// A person of a dossier, with the roles the dossier gives them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DossierPerson {
    #[serde(flatten)]
    pub person: PersonBody,
    /// Stable codes: `subject`, `representative`, `former_representative`, `budget_holder`,
    /// `account_holder`.
    pub roles: Vec<&'static str>,
    /// The roles in Dutch: "ouder · wettelijk vertegenwoordiger · budgethouder".
    pub roles_nl: String,
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/persons", tag = "persons",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = [DossierPerson], description = "Every person the dossier names, the person with a disability first"),
              (status = 404, body = crate::error::Problem)))]
pub async fn of_dossier(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    let dossier = parse_dossier(&dossier)?;
    let (current, version) = state.service.dossier(dossier).await?;
    if version.is_none() {
        return Err(ApiError::not_found(
            &format!("dossier {}", dossier.as_uuid()),
            &format!("dossier {}", dossier.as_uuid()),
        ));
    }
    let mut persons = Vec::new();
    for (person, roles) in current.persons() {
        let (record, _) = state.service.person(person).await?;
        let mut body = PersonBody::of(person, &record);
        // Before person records, a dossier recorded its own person's name itself.
        if record.identity.is_none()
            && let Some(name) = current
                .person
                .as_ref()
                .filter(|p| p.id == person)
                .and_then(|p| p.name.as_ref())
        {
            body.name = format!("{} {}", name.given_names, name.family_name);
            body.family_name = Some(name.family_name.clone());
            body.given_names = Some(name.given_names.clone());
        }
        persons.push(DossierPerson {
            person: body,
            roles: roles.iter().map(|r| r.code()).collect(),
            roles_nl: domain::dossier::roles_nl(&roles),
        });
    }
    crate::access_log::record(&state, &principal, Some(dossier), "dossier persons").await?;
    Ok(answer(&state, &principal, Showing::DossierPage, persons).await)
}

#[utoipa::path(get, path = "/api/persons/{person}/subject-access", tag = "persons",
    params(("person" = Uuid, Path, description = "The person")),
    responses((status = 200, content_type = "text/plain", body = String, description = "Everything the log holds about the person (AVG art. 15), as a document in Dutch they can read"),
              (status = 404, body = crate::error::Problem)))]
pub async fn subject_access(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(person): Path<String>,
) -> Result<Response, ApiError> {
    let person = parse_person(&person)?;
    let access = state.service.subject_access(person).await?;
    if access.record_events.is_empty() && access.dossiers.is_empty() {
        return Err(ApiError::not_found(
            &format!("persoon {}", person.as_uuid()),
            &format!("person {}", person.as_uuid()),
        ));
    }
    crate::access_log::record(&state, &principal, None, "subject access export").await?;
    let mut response = Response::new(access.to_text_nl(state.today()).into());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"inzage-{}.txt\"",
        person.as_uuid()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
