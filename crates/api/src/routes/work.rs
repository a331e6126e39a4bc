//! Work queues over HTTP: which queues a role sees, with their size; one queue's items, due
//! date first, then age; and taking and releasing an item. Which role sees which queue is
//! `domain::work::QUEUES`; the items are `projections::query::work_queue`.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::work::{Queue, QueueDefinition, Visible, WorkCommand};
use projections::query;
use serde::Serialize;
use uuid::Uuid;

use super::reads::{PageParams, Params, answer, page, read_models};
use crate::access_log;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::ApiState;

/// A queue a role sees, with how many items it holds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueSummary {
    /// The queue's code: the `{queue}` of its routes.
    pub queue: &'static str,
    /// Its name, in Dutch.
    pub title: &'static str,
    pub count: u64,
    /// Items past their due date.
    pub overdue: u64,
    /// Whether this role takes and releases its items (inspectors only look).
    pub works_it: bool,
    pub href: String,
}

/// The queue `code`, and what the principal is shown of it.
fn visible(principal: &Principal, code: &str) -> Result<(Queue, Visible), ApiError> {
    let queue = Queue::parse(code).ok_or_else(|| {
        ApiError::not_found(&format!("werklijst {code}"), &format!("work queue {code}"))
    })?;
    let visible = queue
        .definition()
        .visible_to(principal.role)
        .ok_or_else(|| ApiError::forbidden(principal.role.as_str()))?;
    Ok((queue, visible))
}

#[utoipa::path(get, path = "/api/work-queues", tag = "work queues",
    responses((status = 200, body = [QueueSummary], description = "The work queues of the caller's role, each with its size and how many items are overdue")))]
pub async fn list(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, ApiError> {
    let sink = read_models(&state)?;
    let today = state.today();
    let mut summaries = Vec::new();
    for definition in domain::work::queues_for(principal.role) {
        summaries.push(summary(sink, &principal, definition, today).await?);
    }
    Ok(axum::Json(summaries).into_response())
}

async fn summary(
    sink: &dyn projections::ReadModelSink,
    principal: &Principal,
    definition: &QueueDefinition,
    today: chrono::NaiveDate,
) -> Result<QueueSummary, ApiError> {
    let visible = definition
        .visible_to(principal.role)
        .unwrap_or(Visible::All);
    let (count, overdue) = query::work_queue_count(sink, definition.queue, visible, today).await?;
    Ok(QueueSummary {
        queue: definition.queue.code(),
        title: definition.nl,
        count,
        overdue,
        works_it: matches!(visible, Visible::WorkedBy(_)),
        href: format!("/api/work-queues/{}", definition.queue.code()),
    })
}

#[utoipa::path(get, path = "/api/work-queues/{queue}", tag = "work queues",
    params(("queue" = String, Path, description = "The queue: `agreements-to-approve`, `held-claim-lines`, `proposals-to-confirm`, `signals-to-triage`, `erasure-due` or `deadlines`"), PageParams),
    responses((status = 200, body = Object, description = "`{queue, title, checkpoint, count, overdue, rows}`: each row with its item key, dossier, subject, opened_on, age_days, due_on, due_rule, due_why, overdue and who took it; due date first, then the oldest"),
              (status = 403, body = crate::error::Problem, description = "Not a queue of the caller's role"),
              (status = 404, body = crate::error::Problem, description = "No such queue")))]
pub async fn show(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path(code): Path<String>,
    Params(params): Params<PageParams>,
) -> Result<Response, ApiError> {
    let (queue, visible) = visible(&principal, &code)?;
    let page = page(params.limit, params.offset)?;
    let listing =
        query::work_queue(read_models(&state)?, queue, visible, state.today(), page).await?;
    access_log::record(
        &state,
        &principal,
        None,
        &format!("work queue: {}", queue.code()),
    )
    .await?;
    Ok(answer(&state, &principal, domain::access::Showing::List, listing).await)
}

/// What a take or a release recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkItemChanged {
    pub queue: &'static str,
    pub item: String,
    /// The event recorded (none when nothing changed: taken by the caller already, or not
    /// taken).
    pub events: Vec<Uuid>,
}

async fn work_item(
    state: &ApiState,
    principal: &Principal,
    queue: Queue,
    item: String,
    command: WorkCommand,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    let events = state
        .service
        .work_item(&command, principal.actor()?, state.today(), &write)
        .await?;
    Ok(axum::Json(WorkItemChanged {
        queue: queue.code(),
        item,
        events,
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/work-queues/{queue}/items/{item}/take", tag = "work queues",
    params(("queue" = String, Path), ("item" = String, Path, description = "The item's key, as the queue lists it")),
    responses((status = 200, body = WorkItemChanged, description = "Taken: colleagues see who works on it"),
              (status = 403, body = crate::error::Problem, description = "Not a queue the caller's role works"),
              (status = 404, body = crate::error::Problem, description = "No such queue, or the item is not in it (`UNKNOWN_WORK_ITEM`)"),
              (status = 409, body = crate::error::Problem, description = "A colleague took it first (`WORK_ITEM_TAKEN`)")))]
pub async fn take(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path((code, item)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (queue, visible) = visible(&principal, &code)?;
    let present =
        query::work_item_exists(read_models(&state)?, queue, visible, state.today(), &item).await?;
    if !present {
        return Err(ApiError::rejected(domain::Reason::UnknownWorkItem.into()));
    }
    let command = WorkCommand::Take {
        queue,
        item: item.clone(),
    };
    work_item(&state, &principal, queue, item, command).await
}

#[utoipa::path(post, path = "/api/work-queues/{queue}/items/{item}/release", tag = "work queues",
    params(("queue" = String, Path), ("item" = String, Path)),
    responses((status = 200, body = WorkItemChanged, description = "Released: back in the queue for anyone"),
              (status = 403, body = crate::error::Problem, description = "Not a queue the caller's role works"),
              (status = 404, body = crate::error::Problem, description = "No such queue"),
              (status = 409, body = crate::error::Problem, description = "A colleague took it (`WORK_ITEM_NOT_YOURS`)")))]
pub async fn release(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    Path((code, item)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (queue, _) = visible(&principal, &code)?;
    let command = WorkCommand::Release {
        queue,
        item: item.clone(),
    };
    work_item(&state, &principal, queue, item, command).await
}
