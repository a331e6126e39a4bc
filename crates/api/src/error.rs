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
}

/// Why a request did not succeed. Only this module chooses a status: handlers say what went
/// wrong (a constructor below, or an [`Input`] that holds a value the service cannot take).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    rule: String,
    detail_nl: String,
    detail_en: String,
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

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Niet gevonden: {what}."),
            format!("Not found: {what}."),
        )
    }

    /// `input` holds what the service cannot take, as `detail_en` says (the Dutch detail
    /// quotes it).
    pub fn invalid(input: Input, code: &'static str, detail_en: impl Into<String>) -> Self {
        let (status, nl) = input.status();
        let detail_en = detail_en.into();
        Self::new(status, code, format!("{nl}: {detail_en}"), detail_en)
    }

    /// `input` holds a value that is not one of the domain's (an INSZ, an IBAN, …), with the
    /// domain's Dutch and English messages.
    pub fn invalid_value(input: Input, code: &'static str, error: &domain::ParseError) -> Self {
        let (status, _) = input.status();
        Self::new(status, code, error.message_nl(), error.to_string())
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
            "IDEMPOTENCY_KEY_REUSED",
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

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        match e {
            // Nothing but a registration is decided in a dossier never opened: the dossier
            // is not there.
            ExecuteError::Rejected(r) if matches!(r.reason(), domain::Reason::DossierNotOpened) => {
                Self::not_found("dossier")
            }
            ExecuteError::Rejected(r) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: r.code(),
                rule: r.rule().to_owned(),
                detail_nl: r.message_nl().to_owned(),
                detail_en: r.message_en().to_owned(),
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
        };
        let mut response = (self.status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
