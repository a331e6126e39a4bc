//! Every error of the HTTP API, as `application/problem+json` (RFC 9457) with the domain's stable
//! code and rule id. Errors map to HTTP here and nowhere else.

use app::{CommandError, ExecuteError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:dossier:problem:<code>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem (English).
    pub title: String,
    pub status: u16,
    /// What went wrong, for a staff member (Dutch).
    pub detail: String,
    /// The same in English.
    pub detail_en: String,
    /// Stable code, e.g. `PAB_ONLY_FOR_MINORS`.
    pub code: String,
    /// The rule of the domain brief the refusal enforces (`-` when none).
    pub rule: String,
    /// Each parameter the service could not take, as the Dutch government APIs (ZGW) give
    /// them; only on a bad request (400) or unprocessable data (422).
    #[serde(rename = "invalidParams", skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// A parameter the service could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(title = "InvalidParam")]
pub struct InvalidParam {
    /// The query parameter, header or body field (`insz`, `If-Match`, `lines[0].amount`);
    /// [`NON_FIELD_ERRORS`] when the request as a whole is wrong.
    pub name: String,
    /// The stable code of what is wrong with it, e.g. `INVALID_INSZ`.
    pub code: String,
    /// Why, in Dutch (in English with `Accept-Language: en`).
    pub reason: String,
    /// Why, in English.
    pub reason_en: String,
}

/// The name of an invalid parameter that is not one field but the request as a whole (a body
/// that is not JSON, criteria of which one must be given), as in the ZGW APIs.
pub const NON_FIELD_ERRORS: &str = "nonFieldErrors";

/// Why a request did not succeed. Only this module chooses a status: handlers say what went
/// wrong (a constructor below, or an [`Input`] that holds a value the service cannot take).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    rule: String,
    detail_nl: String,
    detail_en: String,
    invalid_params: Vec<InvalidParam>,
}

/// The part of a request that holds what the service cannot take; it, not the code, decides the
/// status. The address, the headers and a body that is not JSON make a bad request (400); the
/// fields of a JSON body that parsed make an unprocessable one (422). So one check answers as
/// its input does: a malformed INSZ is 400 in a search (`?insz=`) and 422 in the body that
/// opens a dossier, and `INVALID_BODY` is 422 for a field but 400 for a body that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A query parameter, or the lack of a required one.
    Query,
    /// A request header (`If-Match`, `Idempotency-Key`).
    Header,
    /// The body as a whole: not JSON, or not readable.
    Body,
    /// A field of a JSON body: unknown, of the wrong type, or a value refused.
    BodyField,
}

impl Input {
    /// The status, and how the Dutch detail begins.
    fn status(self) -> (StatusCode, &'static str) {
        match self {
            Self::Query | Self::Header | Self::Body => {
                (StatusCode::BAD_REQUEST, "Ongeldige aanvraag")
            }
            Self::BodyField => (StatusCode::UNPROCESSABLE_ENTITY, "Ongeldige gegevens"),
        }
    }
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        detail_nl: impl Into<String>,
        detail_en: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            rule: "-".into(),
            detail_nl: detail_nl.into(),
            detail_en: detail_en.into(),
            invalid_params: Vec::new(),
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Meld u aan met een geldig token (Authorization: Bearer …).",
            "Present a valid token (Authorization: Bearer …).",
        )
    }

    pub fn forbidden(role: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!("Uw rol ({role}) mag dit niet doen."),
            format!("Your role ({role}) may not do this."),
        )
    }

    /// Nothing is at `what` (in Dutch and in English: "dossier 0197…", "this address").
    pub fn not_found(what_nl: &str, what_en: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Niet gevonden: {what_nl}."),
            format!("Not found: {what_en}."),
        )
    }

    /// The parameter `name` of `input` holds what the service cannot take, as the details say
    /// in Dutch and English ([`NON_FIELD_ERRORS`] for the request as a whole).
    pub fn invalid(
        input: Input,
        name: impl Into<String>,
        code: &'static str,
        detail_nl: impl std::fmt::Display,
        detail_en: impl Into<String>,
    ) -> Self {
        let (status, nl) = input.status();
        let (reason, detail_en) = (detail_nl.to_string(), detail_en.into());
        Self::new(status, code, format!("{nl}: {reason}"), detail_en.clone())
            .with_param(name, code, reason, detail_en)
    }

    /// `input` did not deserialise: serde's English message, and its gist in Dutch (the field
    /// and what is wrong with it).
    pub fn undecodable(input: Input, code: &'static str, serde_message: &str) -> Self {
        let (what, name) = serde_in_dutch(serde_message);
        let name = name.unwrap_or_else(|| NON_FIELD_ERRORS.to_owned());
        Self::invalid(input, name, code, what, serde_message)
    }

    /// The parameter `name` of `input` holds a value that is not one of the domain's (an INSZ,
    /// an IBAN, …), with the domain's Dutch and English messages.
    pub fn invalid_value(
        input: Input,
        name: &str,
        code: &'static str,
        error: &domain::ParseError,
    ) -> Self {
        let (status, _) = input.status();
        let (nl, en) = (error.message_nl(), error.to_string());
        Self::new(status, code, nl.clone(), en.clone()).with_param(name, code, nl, en)
    }

    fn with_param(
        mut self,
        name: impl Into<String>,
        code: &'static str,
        reason: String,
        reason_en: String,
    ) -> Self {
        self.invalid_params.push(InvalidParam {
            name: name.into(),
            code: code.to_owned(),
            reason,
            reason_en,
        });
        self
    }

    pub fn json_required() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "JSON_REQUIRED",
            "Stuur de gegevens als JSON (Content-Type: application/json).",
            "Send the body as JSON (Content-Type: application/json).",
        )
    }

    pub fn body_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
            "De aanvraag is te groot.",
            "The request body is too large.",
        )
    }

    /// The `Idempotency-Key` came first with another body: this body is refused.
    pub fn idempotency_key_reused() -> Self {
        Self::invalid(
            Input::BodyField,
            "Idempotency-Key",
            "IDEMPOTENCY_KEY_REUSED",
            "deze Idempotency-Key werd al voor een andere aanvraag gebruikt",
            "this Idempotency-Key was used for another request",
        )
    }

    /// The log fails verification at `failure`.
    pub fn log_tampered(failure: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "LOG_TAMPERED",
            format!("Het logboek is niet intact: {failure}"),
            format!("The log fails verification: {failure}"),
        )
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Er ging iets mis aan onze kant; er werd niets geregistreerd.",
            "Something went wrong on our side; nothing was recorded.",
        )
    }
}

/// The status of a refusal: a proposal that is not there is not found; one decided already, or
/// overtaken by a change of its target, conflicts with the state; every other refusal is a rule
/// the request does not meet.
fn rejection_status(reason: &domain::Reason) -> StatusCode {
    use domain::Reason;
    match reason {
        Reason::UnknownProposal | Reason::UnknownWorkItem => StatusCode::NOT_FOUND,
        Reason::ProposalClosed
        | Reason::ProposalStale
        | Reason::WorkItemTaken
        | Reason::WorkItemNotYours => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl ApiError {
    /// A refusal of the rules, answered as a command's would be.
    pub fn rejected(rejection: domain::Rejection) -> Self {
        ExecuteError::Rejected(rejection).into()
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        match e {
            // Nothing but a registration is decided in a dossier never opened: the dossier
            // is not there.
            ExecuteError::Rejected(r) if matches!(r.reason(), domain::Reason::DossierNotOpened) => {
                Self::not_found("dossier", "dossier")
            }
            ExecuteError::Rejected(r) => Self {
                status: rejection_status(r.reason()),
                code: r.code(),
                rule: r.rule().to_owned(),
                detail_nl: r.message_nl().to_owned(),
                detail_en: r.message_en().to_owned(),
                invalid_params: Vec::new(),
            },
            ExecuteError::StaleVersion { actual, .. } => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "STALE_VERSION",
                format!(
                    "Het dossier werd intussen gewijzigd (nu versie {}); herlaad het en probeer opnieuw.",
                    version_text(actual)
                ),
                format!(
                    "The dossier changed meanwhile (now version {}); reload it and try again.",
                    version_text(actual)
                ),
            ),
            ExecuteError::Contended { .. } => Self::new(
                StatusCode::CONFLICT,
                "CONFLICT",
                "Het dossier wordt op dit moment door anderen gewijzigd; probeer het zo dadelijk opnieuw.",
                "Others are changing this dossier right now; try again in a moment.",
            ),
            ExecuteError::Store(event_store::StoreError::Unavailable(detail)) => {
                tracing::error!(%detail, "event store unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "UNAVAILABLE",
                    "De gegevensopslag is tijdelijk niet bereikbaar; er werd niets geregistreerd.",
                    "The event store is unavailable; nothing was recorded.",
                )
            }
            other => Self::internal(other),
        }
    }
}

impl From<projections::SinkError> for ApiError {
    fn from(e: projections::SinkError) -> Self {
        match e {
            projections::SinkError::Unavailable(detail) => {
                tracing::error!(%detail, "read models unavailable");
                Self::read_models_unavailable()
            }
            other => Self::internal(other),
        }
    }
}

impl ApiError {
    /// The read-model database is away (or this service was started without one).
    pub fn read_models_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "READ_MODELS_UNAVAILABLE",
            "De overzichten zijn tijdelijk niet beschikbaar; probeer het zo dadelijk opnieuw.",
            "The read models are unavailable; try again in a moment.",
        )
    }
}

/// The gist of a serde message in Dutch: what is wrong (an unknown or missing field, a value of
/// the wrong kind) and where, the names of fields and values kept as they are; and the field it
/// is about, when the message names one.
fn serde_in_dutch(message: &str) -> (String, Option<String>) {
    let quoted = |after: &str| {
        message
            .split(after)
            .nth(1)
            .and_then(|rest| rest.split('`').nth(1))
            .map(str::to_owned)
    };
    let unknown = quoted("unknown field");
    let missing = quoted("missing field");
    let what = if let Some(field) = &unknown {
        format!("onbekend veld `{field}`")
    } else if let Some(field) = &missing {
        format!("het veld `{field}` ontbreekt")
    } else if let Some(value) = quoted("unknown variant") {
        format!("onbekende keuze `{value}`")
    } else if message.contains("invalid type") {
        "een waarde van het verkeerde soort".to_owned()
    } else if message.contains("EOF while parsing") {
        "de tekst houdt te vroeg op".to_owned()
    } else if message.contains("expected") && !message.contains("invalid value") {
        "geen geldige JSON".to_owned()
    } else {
        "een ongeldige waarde".to_owned()
    };
    // axum prefixes its own words; serde_path_to_error then puts the path first
    // (`lines[0].amount: invalid type: …`).
    let detail = message
        .split_once("target type: ")
        .or_else(|| message.split_once("query string: "))
        .map_or(message, |(_, rest)| rest);
    let path = detail
        .split_once(": ")
        .map(|(path, _)| path)
        .filter(|path| !path.is_empty() && !path.contains([' ', '`']));
    // An unknown or missing field is named beneath its path (`lines[0]` + `amount`).
    let field = unknown.or(missing);
    let name = match (path, field) {
        (Some(path), Some(field)) if !path.ends_with(&field) => Some(format!("{path}.{field}")),
        (Some(path), _) => Some(path.to_owned()),
        (None, field) => field,
    };
    let what = match path {
        Some(path) => format!("{what} (in `{path}`)"),
        None => what,
    };
    (what, name)
}

fn version_text(version: Option<u64>) -> String {
    version.map_or_else(|| "geen".to_owned(), |v| v.to_string())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            kind: format!("urn:dossier:problem:{}", self.code.to_lowercase()),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail_nl,
            detail_en: self.detail_en,
            code: self.code.to_owned(),
            rule: self.rule,
            invalid_params: self.invalid_params,
        };
        let mut response = (self.status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

/// Problem documents speak Dutch; a client whose `Accept-Language` prefers English gets
/// `detail` in English (`detail_en` is always there). Outermost layer, so it covers the
/// problems of every layer within.
pub(crate) async fn problem_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let english = prefers_english(request.headers());
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes() == b"application/problem+json");
    if !english || !is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let rewritten = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|mut problem| {
            let english = problem.get("detail_en")?.clone();
            problem["detail"] = english;
            let params = problem
                .get_mut("invalidParams")
                .and_then(|p| p.as_array_mut());
            for param in params.into_iter().flatten() {
                if let Some(english) = param.get("reason_en").cloned() {
                    param["reason"] = english;
                }
            }
            serde_json::to_vec(&problem).ok()
        })
        .unwrap_or_else(|| bytes.to_vec());
    let mut parts = parts;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(rewritten))
}

/// Whether the highest-weighted language of `Accept-Language` is English (`en`, `en-GB`, …);
/// Dutch otherwise, and when the header is absent or unreadable.
fn prefers_english(headers: &axum::http::HeaderMap) -> bool {
    let Some(accepted) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut best: Option<(f32, &str)> = None;
    for item in accepted.split(',') {
        let mut pieces = item.split(';');
        let tag = pieces.next().unwrap_or_default().trim();
        let weight = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if !tag.is_empty() && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, tag));
        }
    }
    best.is_some_and(|(weight, tag)| {
        weight > 0.0
            && tag
                .split('-')
                .next()
                .is_some_and(|primary| primary.eq_ignore_ascii_case("en"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(header: &str) -> bool {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, header.parse().unwrap());
        prefers_english(&headers)
    }

    #[test]
    fn english_only_when_it_weighs_most() {
        assert!(english("en"));
        assert!(english("en-GB,en;q=0.9"));
        assert!(english("nl;q=0.5, en;q=0.8"));
        assert!(!english("nl-BE,nl;q=0.9,en;q=0.8"));
        assert!(!english("fr, en;q=0.9"));
        assert!(!english("en;q=0"));
        assert!(!prefers_english(&axum::http::HeaderMap::new()));
    }

    #[test]
    fn serde_messages_have_their_gist_in_dutch() {
        let data = "Failed to deserialize the JSON body into the target type: lines[0].amount: \
                    invalid type: integer `5`, expected a string at line 1 column 42";
        assert_eq!(
            serde_in_dutch(data),
            (
                "een waarde van het verkeerde soort (in `lines[0].amount`)".to_owned(),
                Some("lines[0].amount".to_owned())
            )
        );
        let unknown = "Failed to deserialize the JSON body into the target type: unknown field \
                       `colour`, expected one of `insz`, `name` at line 1 column 9";
        assert_eq!(
            serde_in_dutch(unknown),
            (
                "onbekend veld `colour`".to_owned(),
                Some("colour".to_owned())
            )
        );
        let missing = "Failed to deserialize query string: missing field `actor`";
        assert_eq!(
            serde_in_dutch(missing),
            (
                "het veld `actor` ontbreekt".to_owned(),
                Some("actor".to_owned())
            )
        );
        let nested = "Failed to deserialize the JSON body into the target type: lines[0]: \
                      missing field `amount` at line 1 column 20";
        assert_eq!(serde_in_dutch(nested).1.as_deref(), Some("lines[0].amount"));
        let variant = "Failed to deserialize the JSON body into the target type: command: unknown \
                       variant `fly`, expected one of `register_person`";
        assert_eq!(
            serde_in_dutch(variant),
            (
                "onbekende keuze `fly` (in `command`)".to_owned(),
                Some("command".to_owned())
            )
        );
        let syntax = "Failed to parse the request body as JSON: expected value at line 1";
        assert_eq!(serde_in_dutch(syntax).1, None);
    }
}
