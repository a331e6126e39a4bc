//! The JSON body extractor of the API: every way a body can be wrong becomes a problem document
//! (malformed JSON 400, wrong content type 415, unknown fields or wrong types 422, too large 413).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Input, NON_FIELD_ERRORS};

/// A JSON body, refused as a problem document when it does not parse. (Named as in axum's
/// examples, so it is not taken for `axum::body::Body`.)
#[derive(Debug, Clone)]
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(problem(&rejection)),
        }
    }
}

fn problem(rejection: &JsonRejection) -> ApiError {
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            ApiError::undecodable(Input::BodyField, "INVALID_BODY", &text)
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::invalid(
            Input::Body,
            NON_FIELD_ERRORS,
            "MALFORMED_JSON",
            "dit is geen geldige JSON",
            text,
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::json_required(),
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(),
        _ => ApiError::invalid(
            Input::Body,
            NON_FIELD_ERRORS,
            "INVALID_BODY",
            "de inhoud van de aanvraag kon niet gelezen worden",
            text,
        ),
    }
}
