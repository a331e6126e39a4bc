//! Who is calling, and may they: bearer tokens checked against the access stream, and the roles
//! the route table (`routes/mod.rs`) gives each route.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::access::Role;
use domain::{Actor, UserId};

use crate::error::ApiError;
use crate::route_table::{self, Access};
use crate::state::ApiState;

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user: UserId,
    pub name: String,
    pub role: Role,
    /// Set for a request with an `Idempotency-Key`: the correlation id its events carry, the
    /// same for every retry of it (see `app::WriteContext::keyed_correlation_id`).
    pub keyed_correlation: Option<uuid::Uuid>,
}

impl Principal {
    /// The domain actor for commands: staff and administrators act for VAPH, investigators
    /// triage signals (the domain refuses them anything else); inspectors never write, and
    /// this refuses them again rather than letting them act as someone they are not.
    ///
    /// # Errors
    /// `FORBIDDEN` for an inspector or investigator.
    pub fn actor(&self) -> Result<Actor, ApiError> {
        match self.role {
            Role::Admin => Ok(Actor::Admin { user: self.user }),
            Role::Staff => Ok(Actor::Staff { user: self.user }),
            Role::Investigator => Ok(Actor::Investigator { user: self.user }),
            Role::Inspector => Err(ApiError::forbidden(self.role.as_str())),
        }
    }

    /// The metadata every event of this request carries.
    pub fn write_context(&self, correlation_id: uuid::Uuid) -> app::WriteContext {
        app::WriteContext {
            actor_id: self.user.to_string(),
            actor_role: self.role.as_str().to_owned(),
            correlation_id: self.keyed_correlation.unwrap_or(correlation_id),
            causation_id: None,
            reason: None,
            confirmation: None,
        }
    }
}

/// The principal whose token the request presents.
///
/// # Errors
/// `UNAUTHENTICATED` for a missing, malformed, unknown or revoked token.
pub async fn authenticate(
    state: &ApiState,
    authorization: Option<&str>,
) -> Result<Principal, ApiError> {
    let secret = authorization
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(ApiError::unauthenticated)?;
    let access = state.service.access().await?;
    let user = access
        .user_for_secret(&app::secret_sha256(secret))
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Principal {
        user: user.id,
        name: user.name.clone(),
        role: user.role,
        keyed_correlation: None,
    })
}

/// The authorisation layer: runs after routing, so it knows the route's pattern.
pub async fn authorize(
    State(state): State<ApiState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    // Unmatched: the fallback answers 404. (Swagger UI and its document are merged outside
    // these layers.)
    let Some(path) = path else {
        return next.run(request).await;
    };
    // axum answers HEAD with the GET handler, so HEAD is guarded as the GET is.
    let method = if request.method() == Method::HEAD {
        Method::GET
    } else {
        request.method().clone()
    };
    // Fail closed: a route the router knows but the table does not admits no one.
    let roles = match route_table::find(&method, &path).map(|r| r.access) {
        Some(Access::Public) => return next.run(request).await,
        Some(Access::Roles(roles)) => roles,
        None => return ApiError::not_found("dit adres", "this address").into_response(),
    };
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let principal = match authenticate(&state, authorization.as_deref()).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if !roles.contains(&principal.role) {
        return ApiError::forbidden(principal.role.as_str()).into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}
