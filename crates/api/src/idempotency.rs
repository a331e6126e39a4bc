//! `Idempotency-Key` on POST: a retried request gets the first response, and its command is not
//! run a second time. Two layers: first responses are kept in memory (bounded), which also makes
//! a retry arriving while the first request runs wait for its answer; and the events of a keyed
//! request carry a correlation id derived from the user, the key and the request, so a retry the
//! memory no longer holds (after a restart) is recognised in the stream and answered with what
//! the first request recorded (`app::WriteContext::keyed_correlation_id`). After a restart the
//! same key with a different body is taken as a new request, as memory of the body is gone.

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
use crate::error::{ApiError, Input};
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
        return ApiError::invalid(
            Input::Header,
            "Idempotency-Key",
            "INVALID_IDEMPOTENCY_KEY",
            "een Idempotency-Key telt 1 tot 200 tekens",
            "an Idempotency-Key has 1 to 200 characters",
        )
        .into_response();
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return ApiError::body_too_large().into_response();
    };
    let request_sha256: [u8; 32] = {
        // The route is part of the request: the same body to another address is another request.
        let mut hasher = Sha256::new();
        hasher.update(parts.uri.path().as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
        hasher.finalize().into()
    };
    // The events this request records carry a correlation id derived from it: a retry that
    // this memory no longer holds (after a restart) is answered from the log itself.
    if let Some(p) = parts.extensions.get_mut::<Principal>() {
        p.keyed_correlation = Some(app::WriteContext::keyed_correlation_id(
            &principal.user.to_string(),
            &key,
            &request_sha256,
        ));
    }
    let slot = state.idempotency.slot((principal.user, key));
    // Held while the first request runs: a retry arriving meanwhile waits for its answer.
    let mut stored = slot.lock().await;
    if let Some(first) = stored.as_ref() {
        return if first.request_sha256 == request_sha256 {
            replay(first)
        } else {
            ApiError::idempotency_key_reused().into_response()
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
