//! Reads: dossier search and the read models of one dossier or of all (budgets, agreements,
//! claim lines, controls, signals, audit trail, COVID-19 overrun), the work queues, and a
//! dossier as of a moment or replayed event by event.
//!
//! Read-model answers carry `checkpoint`, the log position the read model had reached. Reads
//! by inspectors and investigators are recorded in the access log before the data is sent. An
//! INSZ in a search is never logged.

use axum::Extension;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{Showing, shown_to};
use domain::{DossierId, Insz};
use event_store::ReadPages;
use projections::ReadModelSink;
use projections::as_of::AsOf;
use projections::query::{self, MAX_LIMIT, Page};
use projections::replay::{Until, replay};
use serde::Deserialize;
use serde_json::json;

use crate::access_log;
use crate::auth::Principal;
use crate::error::{ApiError, Input, NON_FIELD_ERRORS};
use crate::json::AppJson;
use crate::routes::dossiers::parse_dossier;
use crate::state::ApiState;

/// Query parameters, refused as a problem document (400 `INVALID_QUERY`) when they do not parse.
#[derive(Debug, Clone)]
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::undecodable(
                Input::Query,
                "INVALID_QUERY",
                &rejection.body_text(),
            )),
        }
    }
}

pub(crate) fn read_models(state: &ApiState) -> Result<&dyn ReadModelSink, ApiError> {
    state
        .read_models
        .as_deref()
        .ok_or_else(ApiError::read_models_unavailable)
}

/// The dossier of the path, when the log holds it (404 otherwise: the log, not a read model
/// that may lag, says whether a dossier exists).
async fn existing_dossier(state: &ApiState, text: &str) -> Result<DossierId, ApiError> {
    let dossier = parse_dossier(text)?;
    let first = state
        .service
        .store()
        .read_stream(&app::models::dossier_stream(dossier), 0, 1)
        .await
        .map_err(app::CommandError::from)?;
    if first.is_empty() {
        return Err(ApiError::not_found(
            &format!("dossier {}", dossier.as_uuid()),
            &format!("dossier {}", dossier.as_uuid()),
        ));
    }
    Ok(dossier)
}

pub(crate) fn page(limit: Option<u64>, offset: Option<u64>) -> Result<Page, ApiError> {
    page_up_to(limit, offset, Page::default().limit, MAX_LIMIT)
}

fn page_up_to(
    limit: Option<u64>,
    offset: Option<u64>,
    default: u64,
    max: u64,
) -> Result<Page, ApiError> {
    page_within(Input::Query, limit, offset, default, max)
}

/// A page of at most `max` rows, `limit` and `offset` read from `input`.
fn page_within(
    input: Input,
    limit: Option<u64>,
    offset: Option<u64>,
    default: u64,
    max: u64,
) -> Result<Page, ApiError> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(ApiError::invalid(
            input,
            "limit",
            "INVALID_LIMIT",
            format!("limit ligt tussen 1 en {max}"),
            format!("limit must be between 1 and {max}"),
        ));
    }
    Ok(Page {
        limit,
        offset: offset.unwrap_or(0),
    })
}

/// The JSON answer of a read: a name beside every person id (`representative` →
/// `representative_name`; [`PERSON_ID_KEYS`]), and its personal data as the principal may see
/// it here (the one rule: `domain::access::sees_full_insz`).
pub(crate) async fn answer(
    state: &ApiState,
    principal: &Principal,
    showing: Showing,
    value: impl serde::Serialize,
) -> Response {
    match serde_json::to_value(value) {
        Ok(mut value) => match name_persons(state, &mut value).await {
            Ok(()) => axum::Json(shown_to(principal.role, showing, value)).into_response(),
            Err(e) => e.into_response(),
        },
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The keys whose values are person ids, in answers and in event payloads.
pub const PERSON_ID_KEYS: &[&str] = &[
    "person",
    "representative",
    "holder",
    "account_holder",
    "signed_by",
];

/// Puts `<key>_name` beside every person id in `value` that has no name beside it yet: the
/// person's name from their record, or "naam onbekend" for a person a dossier named by id
/// before person records.
async fn name_persons(state: &ApiState, value: &mut serde_json::Value) -> Result<(), ApiError> {
    let mut ids = std::collections::BTreeSet::new();
    collect_person_ids(value, &mut ids);
    let mut names = std::collections::BTreeMap::new();
    for id in ids {
        let (record, _) = state.service.person(id).await?;
        let name = record.identity.map_or_else(
            || crate::routes::persons::NAME_UNKNOWN.to_owned(),
            |identity| identity.full_name(),
        );
        names.insert(id.as_uuid().to_string(), name);
    }
    insert_names(value, &names);
    Ok(())
}

fn person_ids_of(object: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    PERSON_ID_KEYS
        .iter()
        .filter(|key| !object.contains_key(&format!("{key}_name")))
        .filter_map(|key| {
            let id = object.get(*key)?.as_str()?;
            domain::PersonId::parse(id).ok()?;
            Some(((*key).to_owned(), id.to_owned()))
        })
        .collect()
}

fn collect_person_ids(
    value: &serde_json::Value,
    ids: &mut std::collections::BTreeSet<domain::PersonId>,
) {
    match value {
        serde_json::Value::Object(object) => {
            for (_, id) in person_ids_of(object) {
                if let Ok(id) = domain::PersonId::parse(&id) {
                    ids.insert(id);
                }
            }
            object.values().for_each(|v| collect_person_ids(v, ids));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_person_ids(v, ids)),
        _ => {}
    }
}

fn insert_names(value: &mut serde_json::Value, names: &std::collections::BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, id) in person_ids_of(object) {
                if let Some(name) = names.get(&id) {
                    object.insert(format!("{key}_name"), name.clone().into());
                }
            }
            object.values_mut().for_each(|v| insert_names(v, names));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| insert_names(v, names)),
        _ => {}
    }
}

/// The most dossiers one search answers.
const SEARCH_MAX_LIMIT: u64 = 100;

/// What to search dossiers by in the address: a name or a dossier number. (An INSZ is
/// searched with a POST, [`SearchBody`]: it never goes in an address or a proxy's log.)
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Refused with `INSZ_NOT_IN_ADDRESS`: search by INSZ with `POST /api/dossiers/search`.
    pub insz: Option<String>,
    /// Part of the dossier number, ignoring case.
    pub number: Option<String>,
    /// Words of the person's name (given names and family name) in any order, each possibly
    /// part of a word; case and accents ignored.
    pub name: Option<String>,
    /// At most this many dossiers (default 20, at most 100).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// What to search dossiers by, in the body; every criterion given must match.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    /// INSZ / rijksregisternummer, exactly (dots and dashes allowed).
    #[schema(example = "85.07.30-033.28")]
    pub insz: Option<String>,
    /// Part of the dossier number, ignoring case.
    pub number: Option<String>,
    /// Words of the person's name (given names and family name) in any order, each possibly
    /// part of a word; case and accents ignored.
    pub name: Option<String>,
    /// At most this many dossiers (default 20, at most 100).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[utoipa::path(get, path = "/api/dossiers", tag = "reads", params(SearchParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): the dossiers found"),
              (status = 400, body = crate::error::Problem, description = "No criterion, or an INSZ in the address (INSZ_NOT_IN_ADDRESS)")))]
pub async fn search(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Params(params): Params<SearchParams>,
) -> Result<Response, ApiError> {
    if params.insz.is_some() {
        return Err(ApiError::invalid(
            Input::Query,
            "insz",
            "INSZ_NOT_IN_ADDRESS",
            "zoek op INSZ met POST /api/dossiers/search: een INSZ hoort niet in een adres, \
             dat browsers en proxy's bewaren",
            "search by INSZ with POST /api/dossiers/search: an INSZ does not belong in an \
             address, which browsers and proxies keep",
        ));
    }
    let body = SearchBody {
        insz: None,
        number: params.number,
        name: params.name,
        limit: params.limit,
        offset: params.offset,
    };
    find_dossiers(&state, &principal, body, Input::Query).await
}

#[utoipa::path(post, path = "/api/dossiers/search", tag = "reads", request_body = SearchBody,
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): the dossiers found"),
              (status = 422, body = crate::error::Problem, description = "No criterion, or a bad INSZ")))]
pub async fn search_in_body(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(body): AppJson<SearchBody>,
) -> Result<Response, ApiError> {
    find_dossiers(&state, &principal, body, Input::BodyField).await
}

/// The one search of dossiers behind both routes; `input` is where the criteria came from.
async fn find_dossiers(
    state: &ApiState,
    principal: &Principal,
    criteria: SearchBody,
    input: Input,
) -> Result<Response, ApiError> {
    let insz = criteria
        .insz
        .as_deref()
        .map(|text| {
            Insz::parse(text)
                .map_err(|e| ApiError::invalid_value(input, "insz", "INVALID_INSZ", &e))
        })
        .transpose()?;
    let number = criteria.number.filter(|n| !n.trim().is_empty());
    // A name without a letter to compare (only spaces or accents) is no criterion: it would
    // find every dossier.
    let name = criteria
        .name
        .filter(|n| !projections::read::dossiers::search_key(n).is_empty());
    if insz.is_none() && number.is_none() && name.is_none() {
        return Err(ApiError::invalid(
            input,
            NON_FIELD_ERRORS,
            "SEARCH_CRITERION_REQUIRED",
            "geef insz, name of number",
            "give insz, name or number",
        ));
    }
    let search = query::Search {
        insz: insz.map(|i| i.expose_digits().to_owned()),
        number: number.map(|n| n.trim().to_owned()),
        name: name.map(|n| n.trim().to_owned()),
    };
    // A search finds a few dossiers, and each found is an access-log entry for inspectors and
    // investigators: pages are short.
    let page = page_within(input, criteria.limit, criteria.offset, 20, SEARCH_MAX_LIMIT)?;
    let found = query::search_dossiers(read_models(state)?, &search, page).await?;
    for row in &found.rows {
        let dossier = row["dossier"]
            .as_str()
            .and_then(|d| DossierId::parse(d).ok());
        access_log::record(state, principal, dossier, "dossier search").await?;
    }
    Ok(answer(state, principal, Showing::List, found).await)
}

/// A dossier's summary row: person, budgets and their status, events, last change.
#[utoipa::path(get, path = "/api/dossiers/{dossier}", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, summary}` (summary null while the read model catches up)"),
              (status = 404, body = crate::error::Problem)))]
pub async fn summary(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    let dossier = existing_dossier(&state, &dossier).await?;
    let listing = query::dossier(read_models(&state)?, &dossier.as_uuid().to_string()).await?;
    access_log::record(&state, &principal, Some(dossier), "dossier summary").await?;
    Ok(answer(
        &state,
        &principal,
        Showing::DossierPage,
        json!({
            "checkpoint": listing.checkpoint,
            "summary": listing.rows.into_iter().next(),
        }),
    )
    .await)
}

/// Which part of one dossier's read models a route shows.
#[derive(Debug, Clone, Copy)]
enum Section {
    Budgets,
    Agreements,
    Claims,
    Controls,
    Signals,
    Audit,
}

impl Section {
    /// The view named in the access log.
    fn view(self) -> &'static str {
        match self {
            Self::Budgets => "dossier budgets",
            Self::Agreements => "dossier agreements",
            Self::Claims => "dossier claim lines",
            Self::Controls => "dossier controls",
            Self::Signals => "dossier signals",
            Self::Audit => "dossier audit trail",
        }
    }
}

/// A page of a long list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// At most this many rows (default 1000, at most 10000).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

async fn dossier_section(
    state: &ApiState,
    principal: &Principal,
    dossier: &str,
    section: Section,
    page: Page,
) -> Result<Response, ApiError> {
    let dossier = existing_dossier(state, dossier).await?;
    let sink = read_models(state)?;
    let id = dossier.as_uuid().to_string();
    let body = match section {
        Section::Budgets => json!(query::budgets_of_dossier(sink, &id).await?),
        Section::Agreements => json!(query::agreements_of_dossier(sink, &id).await?),
        Section::Claims => json!(query::claim_lines_of_dossier(sink, &id).await?),
        Section::Controls => json!(query::controls_of_dossier(sink, &id).await?),
        Section::Signals => json!(query::signals_of_dossier(sink, &id).await?),
        Section::Audit => json!(query::audit_of_dossier(sink, &id, page).await?),
    };
    access_log::record(state, principal, Some(dossier), section.view()).await?;
    Ok(answer(state, principal, Showing::DossierPage, body).await)
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/budgets", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, years, categories, month_reductions}`: the figures of each budget year (domain budget line)"),
              (status = 404, body = crate::error::Problem)))]
pub async fn budgets(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    dossier_section(
        &state,
        &principal,
        &dossier,
        Section::Budgets,
        Page::default(),
    )
    .await
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/agreements", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, rows}`: agreements with their state and IDO freeze"),
              (status = 404, body = crate::error::Problem)))]
pub async fn agreements(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    dossier_section(
        &state,
        &principal,
        &dossier,
        Section::Agreements,
        Page::default(),
    )
    .await
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/claims", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, rows}`: every cost-claim line with its decision"),
              (status = 404, body = crate::error::Problem)))]
pub async fn claims(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    dossier_section(
        &state,
        &principal,
        &dossier,
        Section::Claims,
        Page::default(),
    )
    .await
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/controls", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, cases, findings}`"),
              (status = 404, body = crate::error::Problem)))]
pub async fn controls(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    dossier_section(
        &state,
        &principal,
        &dossier,
        Section::Controls,
        Page::default(),
    )
    .await
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/signals", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier")),
    responses((status = 200, body = Object, description = "`{checkpoint, rows}`: fraud signals with their triage"),
              (status = 404, body = crate::error::Problem)))]
pub async fn dossier_signals(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
) -> Result<Response, ApiError> {
    dossier_section(
        &state,
        &principal,
        &dossier,
        Section::Signals,
        Page::default(),
    )
    .await
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/audit", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier"), PageParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): who did what in the dossier, when and why, in log order"),
              (status = 404, body = crate::error::Problem)))]
pub async fn dossier_audit(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
    Params(params): Params<PageParams>,
) -> Result<Response, ApiError> {
    let page = page(params.limit, params.offset)?;
    dossier_section(&state, &principal, &dossier, Section::Audit, page).await
}

/// The cut-offs of an as-of read; at least one.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOfParams {
    /// Only events recorded at or before this instant (RFC 3339, e.g. `2026-01-15T12:00:00Z`).
    pub as_known_at: Option<String>,
    /// Only facts in effect on this day (`YYYY-MM-DD`); rule parameters as of this day.
    pub effective_on: Option<String>,
}

fn parse_as_of(params: &AsOfParams) -> Result<AsOf, ApiError> {
    let known_at = params
        .as_known_at
        .as_deref()
        .map(|text| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    ApiError::invalid(Input::Query, "as_known_at", "INVALID_TIME",
                        format!("as_known_at {text:?} is geen tijdstip volgens RFC 3339, bv. 2026-01-15T12:00:00Z"),
                        format!("as_known_at {text:?} is not an RFC 3339 time, e.g. 2026-01-15T12:00:00Z"),
                    )
                })
        })
        .transpose()?;
    let effective_on = params
        .effective_on
        .as_deref()
        .map(|text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ApiError::invalid(
                    Input::Query,
                    "effective_on",
                    "INVALID_DATE",
                    format!("effective_on {text:?} is geen datum JJJJ-MM-DD"),
                    format!("effective_on {text:?} is not a date YYYY-MM-DD"),
                )
            })
        })
        .transpose()?;
    if known_at.is_none() && effective_on.is_none() {
        return Err(ApiError::invalid(
            Input::Query,
            NON_FIELD_ERRORS,
            "AS_OF_REQUIRED",
            "geef as_known_at, effective_on of beide",
            "give as_known_at, effective_on or both",
        ));
    }
    Ok(AsOf {
        known_at,
        effective_on,
    })
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/as-of", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier"), AsOfParams),
    responses((status = 200, body = Object, description = "`{dossier, as_known_at, effective_on, events, last_position, budget_years, signals}` folded from the log"),
              (status = 400, body = crate::error::Problem, description = "A bad time or date, or neither given"),
              (status = 404, body = crate::error::Problem)))]
pub async fn as_of(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
    Params(params): Params<AsOfParams>,
) -> Result<Response, ApiError> {
    let as_of = parse_as_of(&params)?;
    let dossier = existing_dossier(&state, &dossier).await?;
    let view = projections::as_of::dossier_as_of(
        state.service.store().as_ref(),
        &dossier.as_uuid().to_string(),
        as_of,
    )
    .await
    .map_err(app::CommandError::from)?;
    let mut body = query::as_of_json(&view);
    body["as_known_at"] = json!(as_of.known_at);
    body["effective_on"] = json!(as_of.effective_on);
    access_log::record(&state, &principal, Some(dossier), "dossier as of").await?;
    Ok(answer(&state, &principal, Showing::DossierPage, body).await)
}

/// Where a replay stops.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReplayParams {
    /// A log position, or an RFC 3339 time: events after it are left out.
    pub until: Option<String>,
}

#[utoipa::path(get, path = "/api/dossiers/{dossier}/replay", tag = "reads",
    params(("dossier" = Uuid, Path, description = "The dossier"), ReplayParams),
    responses((status = 200, body = Object, description = "`{dossier, events}`: each event with who/when/why, its payload (the INSZ in full for staff and investigators, masked for others) and `state_after`"),
              (status = 400, body = crate::error::Problem, description = "until is neither a position nor a time"),
              (status = 404, body = crate::error::Problem)))]
pub async fn replay_dossier(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(dossier): Path<String>,
    Params(params): Params<ReplayParams>,
) -> Result<Response, ApiError> {
    let until = params
        .until
        .as_deref()
        .map(|text| {
            Until::parse(text).map_err(|e| {
                ApiError::invalid(
                    Input::Query,
                    "until",
                    "INVALID_UNTIL",
                    "until is een positie in het dossier (een getal) of een datum JJJJ-MM-DD",
                    e.to_string(),
                )
            })
        })
        .transpose()?;
    let dossier = existing_dossier(&state, &dossier).await?;
    let store = state.service.store();
    let rule_book = store
        .whole_stream(&app::models::rule_book_stream())
        .read_to_end()
        .await
        .map_err(app::CommandError::from)?;
    let events = store
        .whole_stream(&app::models::dossier_stream(dossier))
        .read_to_end()
        .await
        .map_err(app::CommandError::from)?;
    let steps = replay(&rule_book, &events, until).map_err(ApiError::internal)?;
    access_log::record(&state, &principal, Some(dossier), "replay").await?;
    let events: Vec<_> = steps.into_iter().map(|s| s.json).collect();
    Ok(answer(
        &state,
        &principal,
        Showing::DossierPage,
        json!({
            "dossier": dossier.as_uuid(),
            "events": events,
        }),
    )
    .await)
}

/// One budget year, optionally.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearParams {
    /// Budget year, e.g. 2026.
    pub year: Option<i64>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[utoipa::path(get, path = "/api/budgets", tag = "reads", params(YearParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): budget years of every dossier")))]
pub async fn all_budgets(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Params(params): Params<YearParams>,
) -> Result<Response, ApiError> {
    let page = page(params.limit, params.offset)?;
    let listing = query::budget_years(read_models(&state)?, params.year, page).await?;
    access_log::record(&state, &principal, None, "budget years").await?;
    Ok(answer(&state, &principal, Showing::List, listing).await)
}

#[utoipa::path(get, path = "/api/covid-overrun", tag = "reads", params(YearParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows, totals}` (count: rows in the whole list, every page): COVID-19 overrun per dossier and budget year, and totals per year")))]
pub async fn covid_overrun(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Params(params): Params<YearParams>,
) -> Result<Response, ApiError> {
    let page = page(params.limit, params.offset)?;
    let listing = query::covid_overrun(read_models(&state)?, params.year, None, page).await?;
    access_log::record(&state, &principal, None, "covid overrun").await?;
    Ok(answer(&state, &principal, Showing::List, listing).await)
}

/// Which signals.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SignalParams {
    /// Signal rule, e.g. `F8`.
    pub rule: Option<String>,
    /// `open`, `dismissed` or `escalated`.
    pub triage: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[utoipa::path(get, path = "/api/signals", tag = "reads", params(SignalParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): signals, oldest first"),
              (status = 400, body = crate::error::Problem, description = "An unknown triage state")))]
pub async fn all_signals(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Params(params): Params<SignalParams>,
) -> Result<Response, ApiError> {
    if let Some(triage) = params.triage.as_deref()
        && !matches!(triage, "open" | "dismissed" | "escalated")
    {
        return Err(ApiError::invalid(
            Input::Query,
            "triage",
            "INVALID_TRIAGE",
            format!("triage {triage:?} is niet open, dismissed of escalated"),
            format!("triage {triage:?} is not open, dismissed or escalated"),
        ));
    }
    let page = page(params.limit, params.offset)?;
    let listing = query::signals(
        read_models(&state)?,
        params.rule.as_deref(),
        params.triage.as_deref(),
        page,
    )
    .await?;
    access_log::record(&state, &principal, None, "signals").await?;
    Ok(answer(&state, &principal, Showing::List, listing).await)
}

/// Whose actions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// The user id (as in events' `actor_id`), or `system`.
    pub actor: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Object, description = "`{checkpoint, count, rows}` (count: rows in the whole list, every page): what one user did, in log order"),
              (status = 400, body = crate::error::Problem, description = "No actor given")))]
pub async fn audit(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Params(params): Params<AuditParams>,
) -> Result<Response, ApiError> {
    let Some(actor) = params.actor.filter(|a| !a.trim().is_empty()) else {
        return Err(ApiError::invalid(
            Input::Query,
            "actor",
            "ACTOR_REQUIRED",
            "geef actor",
            "give actor",
        ));
    };
    let page = page(params.limit, params.offset)?;
    let listing = query::audit_of_actor(read_models(&state)?, actor.trim(), page).await?;
    access_log::record(&state, &principal, None, "audit trail by actor").await?;
    Ok(answer(&state, &principal, Showing::List, listing).await)
}
