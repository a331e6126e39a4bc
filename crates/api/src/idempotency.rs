//! `Idempotency-Key` on POST: a retried request gets the first response, and its command is not
//! run a second time. Kept in memory for the life of the process (bounded); a retry after a
//! restart is decided again, and then meets the domain's own refusals of a duplicate (client-
//! chosen ids, one registration per person).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::UserId;
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::ApiState;

/// Largest body accepted by the API; larger ones are refused before any work.
pub const BODY_LIMIT: usize = 64 * 1024;
const REMEMBERED: usize = 10_000;

#[derive(Debug, Clone)]
struct Stored {
    request_sha256: [u8; 32],
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

type Slot = Arc<tokio::sync::Mutex<Option<Stored>>>;
/// Whose key: the same key from two users is two keys.
type Key = (UserId, String);

/// The slots, and their keys oldest first (to forget the oldest when full).
#[derive(Debug, Default)]
struct Slots {
    by_key: HashMap<Key, Slot>,
    order: VecDeque<Key>,
}

/// The first response to each (user, key), bounded.
#[derive(Debug, Default)]
pub struct Responses {
    slots: Mutex<Slots>,
}

impl Responses {
    fn slot(&self, key: Key) -> Slot {
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = slots.by_key.get(&key) {
            return slot.clone();
        }
        if slots.order.len() >= REMEMBERED
            && let Some(oldest) = slots.order.pop_front()
        {
            slots.by_key.remove(&oldest);
        }
        let slot = Slot::default();
        slots.by_key.insert(key.clone(), slot.clone());
        slots.order.push_back(key);
        slot
    }
}

fn replay(stored: &Stored) -> Response {
    let mut response = (stored.status, stored.body.clone()).into_response();
    if let Some(ct) = &stored.content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, ct.clone());
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// The idempotency layer: runs after authorisation, on POST requests with a key.
pub async fn idempotent(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (Some(key), Some(principal)) = (key, request.extensions().get::<Principal>().cloned())
    else {
        return next.run(request).await;
    };
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    if key.is_empty() || key.len() > 200 {
        return ApiError::bad_request(
            "INVALID_IDEMPOTENCY_KEY",
            "an Idempotency-Key has 1 to 200 characters",
        )
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
            "De aanvraag is te groot.",
            "The request body is too large.",
        )
        .into_response();
    };
    let request_sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let slot = state.idempotency.slot((principal.user, key));
    // Held while the first request runs: a retry arriving meanwhile waits for its answer.
    let mut stored = slot.lock().await;
    if let Some(first) = stored.as_ref() {
        return if first.request_sha256 == request_sha256 {
            replay(first)
        } else {
            ApiError::unprocessable(
                "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was used for another request",
            )
            .into_response()
        };
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if response.status().is_server_error() {
        return response; // not remembered: a retry may succeed
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::internal("response body could not be read").into_response();
    };
    let first = Stored {
        request_sha256,
        status: parts.status,
        content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
        body: body.clone(),
    };
    *stored = Some(first);
    Response::from_parts(parts, Body::from(body))
}
