//! Who is calling, and may they: bearer tokens checked against the access stream, and the one
//! table of which roles may use which route.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::access::Role;
use domain::{Actor, UserId};

use crate::error::ApiError;
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
        }
    }
}

/// Who may use a route. Routes not listed are public: only those in [`PUBLIC`].
#[derive(Debug, Clone)]
pub struct Permission {
    pub method: Method,
    pub path: &'static str,
    pub roles: &'static [Role],
}

const EVERYONE: &[Role] = &[
    Role::Staff,
    Role::Inspector,
    Role::Investigator,
    Role::Admin,
];
const WRITERS: &[Role] = &[Role::Staff, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];
const INVESTIGATORS: &[Role] = &[Role::Investigator];
const AUDITORS: &[Role] = &[Role::Inspector, Role::Investigator, Role::Admin];
/// Fraud signals, as-of and replay: for those who look into dossiers, not those who work them.
const OVERSIGHT: &[Role] = &[Role::Inspector, Role::Investigator];

/// The routes anyone may use: health, metrics and the API description (a test checks that every
/// other documented route has a row in [`PERMISSIONS`]).
pub const PUBLIC: &[(&str, &str)] = &[("GET", "/health"), ("GET", "/metrics")];

/// The one table of permissions: the authorisation layer reads it, and a test walks every row
/// with every role.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        method: Method::POST,
        path: "/api/dossiers",
        roles: WRITERS,
    },
    Permission {
        method: Method::POST,
        path: "/api/dossiers/{dossier}/commands",
        roles: WRITERS,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/events",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/budgets",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/agreements",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/claims",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/controls",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/audit",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/signals",
        roles: OVERSIGHT,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/as-of",
        roles: OVERSIGHT,
    },
    Permission {
        method: Method::GET,
        path: "/api/dossiers/{dossier}/replay",
        roles: OVERSIGHT,
    },
    Permission {
        method: Method::GET,
        path: "/api/budgets",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/covid-overrun",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/signals",
        roles: OVERSIGHT,
    },
    Permission {
        method: Method::GET,
        path: "/api/audit",
        roles: AUDITORS,
    },
    Permission {
        method: Method::GET,
        path: "/api/work-queues/agreements-to-approve",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/work-queues/held-claim-lines",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/work-queues/signals-to-triage",
        roles: OVERSIGHT,
    },
    Permission {
        method: Method::GET,
        path: "/api/rule-book",
        roles: EVERYONE,
    },
    Permission {
        method: Method::POST,
        path: "/api/rule-book/parameters",
        roles: ADMINS,
    },
    Permission {
        method: Method::POST,
        path: "/api/registry/commands",
        roles: ADMINS,
    },
    Permission {
        method: Method::GET,
        path: "/api/log/verify",
        roles: AUDITORS,
    },
    Permission {
        method: Method::GET,
        path: "/api/me",
        roles: EVERYONE,
    },
    Permission {
        method: Method::GET,
        path: "/api/access-log",
        roles: &[Role::Inspector, Role::Admin],
    },
    Permission {
        method: Method::POST,
        path: "/api/signals/{signal}/dismiss",
        roles: INVESTIGATORS,
    },
    Permission {
        method: Method::POST,
        path: "/api/signals/{signal}/escalate",
        roles: INVESTIGATORS,
    },
    Permission {
        method: Method::POST,
        path: "/api/users",
        roles: ADMINS,
    },
    Permission {
        method: Method::POST,
        path: "/api/tokens/{token}/revoke",
        roles: ADMINS,
    },
];

fn permission(method: &Method, path: &str) -> Option<&'static Permission> {
    PERMISSIONS
        .iter()
        .find(|p| p.method == method && p.path == path)
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
    let Some(permission) = path.and_then(|p| permission(request.method(), &p)) else {
        return next.run(request).await;
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
    if !permission.roles.contains(&principal.role) {
        return ApiError::forbidden(principal.role.as_str()).into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}
