//! The questions the HTTP API asks of the read models, answered as JSON rows keyed by column
//! name (decimals as strings, dates and times ISO 8601), each with the position in the log the
//! read model has reached, so a client sees how current the answer is.
//!
//! Every filter here is on a declared column and every value a parameter (see [`Query`]); the
//! work queues are [`work_queue`].

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use domain::access::Role;
use domain::work::{Queue, Visible};

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::as_of::DossierView;
use crate::read::agreements::AGREEMENTS;
use crate::read::audit::AUDIT_TRAIL;
use crate::read::budgets::{
    BUDGET_MONTH_REDUCTIONS, BUDGET_YEAR_CATEGORIES, BUDGET_YEARS, budget_year_row,
};
use crate::read::claim_lines::CLAIM_LINES;
use crate::read::controls::{CONTROL_CASES, CONTROL_FINDINGS};
use crate::read::covid::{COVID_OVERRUN, COVID_OVERRUN_TOTALS};
use crate::read::dossiers::DOSSIERS;
use crate::read::signals::SIGNALS;
use crate::read::work::{WORK_ITEMS, WORK_TAKES};
use crate::rows::{Table, Value};
use crate::select::{Direction, Query};
use crate::sink::{ReadModelSink, SinkError};

/// One row: column name → value.
pub type Row = Map<String, Json>;

/// The most rows one answer holds.
pub const MAX_LIMIT: u64 = 10_000;

/// Which page of a long list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u64,
    pub offset: u64,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: 1000,
            offset: 0,
        }
    }
}

/// Rows of one read model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    /// The log position the read model had reached when read (`null`: nothing applied yet);
    /// the rows reflect at least every event up to it.
    pub checkpoint: Option<u64>,
    /// Rows in the whole list, every page (only for a list read a page at a time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    pub rows: Vec<Row>,
}

/// A dossier's budget years with their categories and monthly reductions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetListing {
    pub checkpoint: Option<u64>,
    pub years: Vec<Row>,
    pub categories: Vec<Row>,
    pub month_reductions: Vec<Row>,
}

/// Control cases with their findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlListing {
    pub checkpoint: Option<u64>,
    pub cases: Vec<Row>,
    pub findings: Vec<Row>,
}

/// The COVID-19 overrun per dossier and budget year, and the totals per year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CovidListing {
    pub checkpoint: Option<u64>,
    /// Rows (dossier and year) in the whole list, every page.
    pub count: u64,
    pub rows: Vec<Row>,
    pub totals: Vec<Row>,
}

/// A cell as JSON: decimals as strings (exact), dates `YYYY-MM-DD`, times RFC 3339 in UTC.
pub fn cell_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Text(s) => Json::String(s.clone()),
        Value::Integer(i) => Json::from(*i),
        Value::Decimal(d) => Json::String(d.to_string()),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Value::Timestamp(t) => Json::String(t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Value::Boolean(b) => Json::Bool(*b),
    }
}

/// A row of `table` as a JSON object keyed by column name.
pub fn row_json(table: &Table, values: &[Value]) -> Row {
    table
        .columns
        .iter()
        .zip(values)
        .map(|(c, v)| (c.name.to_owned(), cell_json(v)))
        .collect()
}

/// The projection that owns `table`.
fn projection_of(table: &Table) -> Option<&'static str> {
    static OWNERS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    OWNERS
        .get_or_init(|| {
            crate::read::all()
                .iter()
                .flat_map(|p| p.tables().iter().map(|t| (t.name, p.name())))
                .collect()
        })
        .iter()
        .find(|(t, _)| *t == table.name)
        .map(|(_, p)| *p)
}

/// The position `table`'s projection has reached.
async fn checkpoint_of(sink: &dyn ReadModelSink, table: &Table) -> Result<Option<u64>, SinkError> {
    let Some(projection) = projection_of(table) else {
        return Ok(None);
    };
    Ok(sink
        .checkpoint(projection)
        .await?
        .and_then(|c| c.position)
        .map(|p| p.0))
}

async fn rows(
    sink: &dyn ReadModelSink,
    table: &'static Table,
    query: &Query,
) -> Result<Vec<Row>, SinkError> {
    Ok(sink
        .select(table, query)
        .await?
        .iter()
        .map(|r| row_json(table, r))
        .collect())
}

/// The rows of one table with its checkpoint, read first: the rows are at least that current.
async fn listing(
    sink: &dyn ReadModelSink,
    table: &'static Table,
    query: &Query,
) -> Result<Listing, SinkError> {
    let checkpoint = checkpoint_of(sink, table).await?;
    Ok(Listing {
        checkpoint,
        count: None,
        rows: rows(sink, table, query).await?,
    })
}

/// One `page` of the rows of `query`, with the checkpoint and how many rows the whole list
/// holds.
async fn page_of(
    sink: &dyn ReadModelSink,
    table: &'static Table,
    query: Query,
    page: Page,
) -> Result<Listing, SinkError> {
    let checkpoint = checkpoint_of(sink, table).await?;
    let count = sink.count(table, &query).await?;
    Ok(Listing {
        checkpoint,
        count: Some(count),
        rows: rows(sink, table, &paged(query, page)).await?,
    })
}

fn paged(query: Query, page: Page) -> Query {
    query.page(page.limit.min(MAX_LIMIT), page.offset)
}

fn of_dossier(dossier: &str) -> Query {
    Query::all().eq("dossier", dossier)
}

/// What to search dossiers by; every criterion given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The INSZ, 11 digits, exactly.
    pub insz: Option<String>,
    /// Part of the dossier number, ignoring case.
    pub number: Option<String>,
    /// Words of the person's name (given names and family name), in any order, each possibly
    /// a part of a word; case and accents ignored: "peeters karo" finds Karolien Peeters.
    pub name: Option<String>,
}

/// Dossiers matching `search`.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn search_dossiers(
    sink: &dyn ReadModelSink,
    search: &Search,
    page: Page,
) -> Result<Listing, SinkError> {
    let mut query = Query::all();
    if let Some(insz) = &search.insz {
        query = query.eq("insz", insz.as_str());
    }
    if let Some(number) = &search.number {
        query = query.contains("dossier", number);
    }
    if let Some(name) = &search.name {
        for word in crate::read::dossiers::search_key(name).split_whitespace() {
            query = query.contains("name_key", word);
        }
    }
    page_of(sink, &DOSSIERS, query, page).await
}

/// The dossier's search row (person, budgets and their status, events, last change).
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn dossier(sink: &dyn ReadModelSink, dossier: &str) -> Result<Listing, SinkError> {
    listing(sink, &DOSSIERS, &of_dossier(dossier)).await
}

/// A dossier's budget years, their categories and the monthly combination reductions.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn budgets_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
) -> Result<BudgetListing, SinkError> {
    let checkpoint = checkpoint_of(sink, &BUDGET_YEARS).await?;
    Ok(BudgetListing {
        checkpoint,
        years: rows(sink, &BUDGET_YEARS, &of_dossier(dossier)).await?,
        categories: rows(sink, &BUDGET_YEAR_CATEGORIES, &of_dossier(dossier)).await?,
        month_reductions: rows(sink, &BUDGET_MONTH_REDUCTIONS, &of_dossier(dossier)).await?,
    })
}

/// Budget years of every dossier, optionally of one year only.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn budget_years(
    sink: &dyn ReadModelSink,
    year: Option<i64>,
    page: Page,
) -> Result<Listing, SinkError> {
    let mut query = Query::all();
    if let Some(year) = year {
        query = query.eq("year", year);
    }
    page_of(sink, &BUDGET_YEARS, query, page).await
}

/// A dossier's agreements with their state and, for IDOs, the COVID-19 freeze.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn agreements_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
) -> Result<Listing, SinkError> {
    listing(sink, &AGREEMENTS, &of_dossier(dossier)).await
}

/// A dossier's cost-claim lines with their decisions.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn claim_lines_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
) -> Result<Listing, SinkError> {
    listing(sink, &CLAIM_LINES, &of_dossier(dossier)).await
}

/// A dossier's control cases and their findings.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn controls_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
) -> Result<ControlListing, SinkError> {
    let checkpoint = checkpoint_of(sink, &CONTROL_CASES).await?;
    Ok(ControlListing {
        checkpoint,
        cases: rows(sink, &CONTROL_CASES, &of_dossier(dossier)).await?,
        findings: rows(sink, &CONTROL_FINDINGS, &of_dossier(dossier)).await?,
    })
}

/// A dossier's fraud signals with their triage.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn signals_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
) -> Result<Listing, SinkError> {
    listing(
        sink,
        &SIGNALS,
        &of_dossier(dossier).order_by("raised_position", Direction::Ascending),
    )
    .await
}

/// Signals of every dossier, optionally of one rule and/or one triage state.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn signals(
    sink: &dyn ReadModelSink,
    rule: Option<&str>,
    triage: Option<&str>,
    page: Page,
) -> Result<Listing, SinkError> {
    let mut query = Query::all();
    if let Some(rule) = rule {
        query = query.eq("rule", rule);
    }
    if let Some(triage) = triage {
        query = query.eq("triage", triage);
    }
    let query = query.order_by("raised_position", Direction::Ascending);
    page_of(sink, &SIGNALS, query, page).await
}

/// Who did what in a dossier, in log order.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn audit_of_dossier(
    sink: &dyn ReadModelSink,
    dossier: &str,
    page: Page,
) -> Result<Listing, SinkError> {
    page_of(sink, &AUDIT_TRAIL, of_dossier(dossier), page).await
}

/// What one user did (every stream), in log order.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn audit_of_actor(
    sink: &dyn ReadModelSink,
    actor: &str,
    page: Page,
) -> Result<Listing, SinkError> {
    page_of(sink, &AUDIT_TRAIL, Query::all().eq("actor_id", actor), page).await
}

/// The COVID-19 overrun per dossier and budget year, with the totals per year; optionally of
/// one year and/or one dossier (the totals are over every dossier).
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn covid_overrun(
    sink: &dyn ReadModelSink,
    year: Option<i64>,
    dossier: Option<&str>,
    page: Page,
) -> Result<CovidListing, SinkError> {
    let mut query = Query::all();
    let mut totals = Query::all();
    if let Some(year) = year {
        query = query.eq("year", year);
        totals = totals.eq("year", year);
    }
    if let Some(dossier) = dossier {
        query = query.eq("dossier", dossier);
    }
    let checkpoint = checkpoint_of(sink, &COVID_OVERRUN).await?;
    Ok(CovidListing {
        checkpoint,
        count: sink.count(&COVID_OVERRUN, &query).await?,
        rows: rows(sink, &COVID_OVERRUN, &paged(query, page)).await?,
        totals: rows(sink, &COVID_OVERRUN_TOTALS, &totals).await?,
    })
}

/// One item of a work queue, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// Its key in the queue: what a take or a release names.
    pub item: String,
    pub dossier: Option<String>,
    /// The role that works it.
    pub role: String,
    /// What is to be done, in Dutch.
    pub subject: String,
    /// The business date it entered the queue.
    pub opened_on: NaiveDate,
    /// Days since then (as of the day asked).
    pub age_days: i64,
    /// The date the rules set for it, the rule, and what the date means.
    pub due_on: Option<NaiveDate>,
    pub due_rule: Option<String>,
    pub due_why: Option<String>,
    /// Its due date has passed.
    pub overdue: bool,
    /// Who took it (a user id), in which role, since when; `None` when nobody has.
    pub taken_by: Option<String>,
    pub taken_role: Option<String>,
    pub taken_on: Option<NaiveDate>,
}

/// One page of a work queue, with the size of the whole queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkQueueListing {
    pub queue: Queue,
    /// The queue's name, in Dutch.
    pub title: &'static str,
    pub checkpoint: Option<u64>,
    /// Items in the queue (every page).
    pub count: u64,
    /// Of those, items past their due date.
    pub overdue: u64,
    /// Due date first (the earliest on top), then age (the oldest on top).
    pub rows: Vec<WorkItem>,
}

/// The read that selects a queue's items for what a role is shown of it, as of `today`.
fn work_query(queue: Queue, visible: Visible, today: NaiveDate) -> (&'static Table, Query) {
    if queue == Queue::SignalsToTriage {
        return (
            &SIGNALS,
            Query::all()
                .eq("triage", "open")
                .order_by("raised_position", Direction::Ascending),
        );
    }
    let mut query = Query::all().eq("queue", queue.code());
    if let Visible::WorkedBy(role) = visible {
        query = query.eq("role", role.as_str());
    }
    if queue == Queue::ErasureDue {
        // Only once the retention period has ended.
        query = query.at_most("due_on", today);
    }
    let query = query
        .order_by("due_on", Direction::Ascending)
        .order_by("opened_on", Direction::Ascending);
    (&WORK_ITEMS, query)
}

/// How many items a queue holds for what a role is shown of it, and how many are overdue.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn work_queue_count(
    sink: &dyn ReadModelSink,
    queue: Queue,
    visible: Visible,
    today: NaiveDate,
) -> Result<(u64, u64), SinkError> {
    let (table, query) = work_query(queue, visible, today);
    let count = sink.count(table, &query).await?;
    let overdue = if table.name == WORK_ITEMS.name {
        let yesterday = today.pred_opt().unwrap_or(today);
        sink.count(table, &query.at_most("due_on", yesterday))
            .await?
    } else {
        0
    };
    Ok((count, overdue))
}

/// One page of a work queue as of `today`: its items, due date first, then age, each with who
/// took it.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn work_queue(
    sink: &dyn ReadModelSink,
    queue: Queue,
    visible: Visible,
    today: NaiveDate,
    page: Page,
) -> Result<WorkQueueListing, SinkError> {
    let (table, query) = work_query(queue, visible, today);
    let checkpoint = checkpoint_of(sink, table).await?;
    let (count, overdue) = work_queue_count(sink, queue, visible, today).await?;
    let takes: HashMap<String, Row> =
        rows(sink, &WORK_TAKES, &Query::all().eq("queue", queue.code()))
            .await?
            .into_iter()
            .filter_map(|take| Some((take.get("item")?.as_str()?.to_owned(), take)))
            .collect();
    let text = |row: &Row, column: &str| row.get(column).and_then(Json::as_str).map(str::to_owned);
    let date = |row: &Row, column: &str| {
        row.get(column)
            .and_then(Json::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
    };
    let items = rows(sink, table, &paged(query, page))
        .await?
        .iter()
        .map(|row| {
            let is_signal = table.name == SIGNALS.name;
            let item = text(row, if is_signal { "signal" } else { "item" }).unwrap_or_default();
            let opened_on =
                date(row, if is_signal { "raised_at" } else { "opened_on" }).unwrap_or(today);
            let subject = if is_signal {
                format!(
                    "{}: {}",
                    text(row, "rule").unwrap_or_default(),
                    text(row, "explanation").unwrap_or_default()
                )
            } else {
                text(row, "subject").unwrap_or_default()
            };
            let due_on = date(row, "due_on");
            let take = takes.get(&item);
            WorkItem {
                dossier: text(row, "dossier"),
                role: if is_signal {
                    Role::Investigator.as_str().to_owned()
                } else {
                    text(row, "role").unwrap_or_default()
                },
                subject,
                opened_on,
                age_days: (today - opened_on).num_days().max(0),
                due_on,
                due_rule: text(row, "due_rule"),
                due_why: text(row, "due_why"),
                overdue: due_on.is_some_and(|d| d < today),
                taken_by: take.and_then(|t| text(t, "taken_by")),
                taken_role: take.and_then(|t| text(t, "taken_role")),
                taken_on: take.and_then(|t| date(t, "taken_on")),
                item,
            }
        })
        .collect();
    Ok(WorkQueueListing {
        queue,
        title: queue.definition().nl,
        checkpoint,
        count,
        overdue,
        rows: items,
    })
}

/// Whether `item` is in `queue` (for what a role is shown of it) as of `today`: only an item
/// in its queue can be taken.
///
/// # Errors
/// When the read-model database cannot be used.
pub async fn work_item_exists(
    sink: &dyn ReadModelSink,
    queue: Queue,
    visible: Visible,
    today: NaiveDate,
    item: &str,
) -> Result<bool, SinkError> {
    let (table, query) = work_query(queue, visible, today);
    let key = if table.name == SIGNALS.name {
        "signal"
    } else {
        "item"
    };
    Ok(sink.count(table, &query.eq(key, item)).await? > 0)
}

/// A dossier as of a moment, shaped as the read models are: its budget years as rows of
/// `budget_years` and its signals as rows of `signals` (without raising time and triage, which
/// belong to the log as a whole), plus the position of the last event included.
pub fn as_of_json(view: &DossierView) -> Json {
    let years: Vec<Row> = view
        .budget_lines
        .iter()
        .map(|line| {
            let regime = view
                .covid_regimes
                .get(&view.dossier, line.budget, line.year);
            row_json(
                &BUDGET_YEARS,
                budget_year_row(&view.dossier, line, regime).values(),
            )
        })
        .collect();
    let signals: Vec<Json> = view
        .signals
        .iter()
        .map(|s| {
            serde_json::json!({
                "signal": s.id,
                "rule": s.rule,
                "dossier": s.dossier,
                "subject": s.subject,
                "explanation": s.explanation,
                "amount": s.amount.map(|a| a.amount().to_string()),
                "evidence": s.evidence.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
            })
        })
        .collect();
    serde_json::json!({
        "dossier": view.dossier,
        "events": view.events,
        "last_position": view.last_position.map(|p| p.0),
        "budget_years": years,
        "signals": signals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_queried_here_has_an_owning_projection() {
        for table in [
            &DOSSIERS,
            &BUDGET_YEARS,
            &BUDGET_YEAR_CATEGORIES,
            &BUDGET_MONTH_REDUCTIONS,
            &AGREEMENTS,
            &CLAIM_LINES,
            &CONTROL_CASES,
            &CONTROL_FINDINGS,
            &SIGNALS,
            &AUDIT_TRAIL,
            &COVID_OVERRUN,
            &COVID_OVERRUN_TOTALS,
            &WORK_ITEMS,
            &WORK_TAKES,
        ] {
            assert!(projection_of(table).is_some(), "{}", table.name);
        }
        assert_eq!(projection_of(&BUDGET_MONTH_REDUCTIONS), Some("budgets"));
    }

    #[test]
    fn cells_become_json_with_exact_decimals_and_iso_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(
            cell_json(&Value::Decimal("12.50".parse().unwrap())),
            "12.50"
        );
        assert_eq!(cell_json(&Value::Date(d)), "2026-01-05");
        assert_eq!(cell_json(&Value::Integer(7)), 7);
        assert_eq!(cell_json(&Value::Null), Json::Null);
    }
}
