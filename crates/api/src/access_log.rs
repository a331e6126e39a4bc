//! The access log: reads of personal data by inspectors and investigators are recorded, before
//! the data leaves, so an inspector can later see who looked at whose data and when.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use domain::DossierId;
use domain::access::{DataAccessed, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::ApiState;

/// Records a read by an inspector or investigator (staff and administrators work in the
/// dossiers every day; their reads are not logged, their changes are events anyway).
///
/// # Errors
/// When the entry cannot be recorded: then the data is not served.
pub async fn record(
    state: &ApiState,
    principal: &Principal,
    dossier: Option<DossierId>,
    view: &str,
) -> Result<(), ApiError> {
    if !matches!(principal.role, Role::Inspector | Role::Investigator) {
        return Ok(());
    }
    let access = DataAccessed {
        dossier,
        reader: principal.user.to_string(),
        role: principal.role.as_str().to_owned(),
        view: view.to_owned(),
        channel: "http".to_owned(),
    };
    state
        .service
        .record_access(
            access,
            state.today(),
            &principal.write_context(Uuid::now_v7()),
        )
        .await?;
    Ok(())
}

/// Which month to show, and optionally only one dossier or one reader.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccessLogQuery {
    /// Any day of the month to show (default: this month).
    pub month: Option<NaiveDate>,
    pub dossier: Option<Uuid>,
    pub reader: Option<String>,
}

/// One read of personal data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccessEntry {
    pub recorded_at: DateTime<Utc>,
    pub dossier: Option<Uuid>,
    pub reader: String,
    pub role: String,
    pub view: String,
    pub channel: String,
}

#[utoipa::path(get, path = "/api/access-log", tag = "audit", params(AccessLogQuery),
    responses((status = 200, body = [AccessEntry], description = "Who read whose data, oldest first")))]
pub async fn list(
    State(state): State<ApiState>,
    Query(query): Query<AccessLogQuery>,
) -> Result<Response, ApiError> {
    let month = query.month.unwrap_or_else(|| state.today());
    let entries: Vec<AccessEntry> = state
        .service
        .access_log(month)
        .await?
        .into_iter()
        .filter(|e| {
            query
                .dossier
                .is_none_or(|d| e.access.dossier.map(|x| x.as_uuid()) == Some(d))
        })
        .filter(|e| query.reader.as_deref().is_none_or(|r| e.access.reader == r))
        .map(|e| AccessEntry {
            recorded_at: e.recorded_at,
            dossier: e.access.dossier.map(|d| d.as_uuid()),
            reader: e.access.reader,
            role: e.access.role,
            view: e.access.view,
            channel: e.access.channel,
        })
        .collect();
    Ok(axum::Json(entries).into_response())
}
