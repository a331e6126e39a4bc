//! `dossier replay`: a dossier's events in order, with who/when/why and the state after each.

use std::sync::Arc;

use anyhow::Context;
use app::StreamModel;
use app::models::DossierModel;
use chrono::{DateTime, Utc};
use domain::dossier::{AgreementStatus, BudgetKind, Dossier, LineStatus};
use event_store::{EventStore, Position, RecordedEvent};
use projections::as_of::read_whole_stream;
use projections::read::budgets::budget_lines;
use serde_json::{Value, json};

use crate::UsageError;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The dossier number (UUID), with or without the `dossier-` prefix.
    pub dossier: String,
    /// Stop after this log position, or after this recorded time (RFC 3339).
    #[arg(long, value_name = "POSITION|TIME")]
    pub until: Option<String>,
    /// One JSON object per event instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Where a replay stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    Position(Position),
    Time(DateTime<Utc>),
}

impl Until {
    /// # Errors
    /// A [`UsageError`] for text that is neither a position nor an RFC 3339 time.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        if let Ok(position) = text.parse::<u64>() {
            return Ok(Self::Position(Position(position)));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Self::Time(t.with_timezone(&Utc)))
            .map_err(|_| {
                UsageError(format!(
                    "--until {text:?} is neither a log position nor an RFC 3339 time"
                ))
                .into()
            })
    }

    fn includes(self, event: &RecordedEvent) -> bool {
        match self {
            Self::Position(p) => event.position <= p,
            Self::Time(t) => event.recorded_at <= t,
        }
    }
}

/// A payload as shown to an investigator: INSZ numbers masked (they never leave the read
/// models and the log in full).
fn masked(mut payload: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "insz" {
                        if let Value::String(s) = value {
                            let shown: String = s.chars().take(6).collect();
                            *s = format!("{shown}*****");
                        }
                    } else {
                        walk(value);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut payload);
    payload
}

/// The dossier's state as an investigator reads it.
pub fn state_summary(
    state: &Dossier,
    rule_book: &domain::RuleBook,
    known_on: chrono::NaiveDate,
) -> Value {
    let budgets: Vec<Value> = state
        .budgets
        .values()
        .map(|b| {
            json!({
                "budget": b.id.to_string(),
                "kind": match b.kind { BudgetKind::Pab => "PAB", BudgetKind::Pvb => "PVB" },
                "status": format!("{:?}", b.status),
                "started_on": b.started_on,
                "ended_on": b.ended_on,
            })
        })
        .collect();
    let count = |status: AgreementStatus| {
        state
            .agreements
            .values()
            .filter(|a| a.status == status)
            .count()
    };
    let lines = state.claims.values().flat_map(|c| c.lines.values());
    let (mut accepted, mut rejected, mut held) = (0, 0, 0);
    for line in lines {
        match line.status {
            LineStatus::Accepted => accepted += 1,
            LineStatus::Rejected(_) => rejected += 1,
            LineStatus::Held(_) | LineStatus::Undecided => held += 1,
        }
    }
    let years: Vec<Value> = budget_lines(state, rule_book, known_on)
        .iter()
        .map(|l| {
            json!({
                "budget": l.budget.to_string(),
                "year": l.year,
                "total": l.total.amount().to_string(),
                "accepted": l.accepted.amount().to_string(),
                "remaining": l.remaining.amount().to_string(),
                "overrun": l.overrun.amount().to_string(),
            })
        })
        .collect();
    json!({
        "deceased_on": state.person.as_ref().and_then(|p| p.date_of_death),
        "budgets": budgets,
        "agreements": {
            "registered": count(AgreementStatus::Pending),
            "approved": count(AgreementStatus::Approved),
            "rejected": count(AgreementStatus::Rejected),
            "terminated": count(AgreementStatus::Terminated),
        },
        "cost_lines": { "accepted": accepted, "rejected": rejected, "held": held },
        "budget_years": years,
    })
}

fn text_summary(summary: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(budgets) = summary["budgets"].as_array() {
        for b in budgets {
            parts.push(format!(
                "{} {}",
                b["kind"].as_str().unwrap_or(""),
                b["status"].as_str().unwrap_or("")
            ));
        }
    }
    let a = &summary["agreements"];
    parts.push(format!(
        "overeenkomsten: {} geregistreerd, {} goedgekeurd, {} geweigerd, {} beëindigd",
        a["registered"], a["approved"], a["rejected"], a["terminated"]
    ));
    let l = &summary["cost_lines"];
    parts.push(format!(
        "kostenlijnen: {} aanvaard, {} geweigerd, {} in behandeling",
        l["accepted"], l["rejected"], l["held"]
    ));
    if let Some(years) = summary["budget_years"].as_array() {
        for y in years {
            parts.push(format!(
                "{}: aanvaard {}, resterend {}, overschrijding {}",
                y["year"],
                y["accepted"].as_str().unwrap_or(""),
                y["remaining"].as_str().unwrap_or(""),
                y["overrun"].as_str().unwrap_or("")
            ));
        }
    }
    parts.join("; ")
}

pub async fn run(store: Arc<dyn EventStore>, args: &ReplayArgs) -> anyhow::Result<()> {
    let id = args
        .dossier
        .strip_prefix(projections::read::fold::DOSSIER_STREAM_PREFIX)
        .unwrap_or(&args.dossier);
    let uuid = uuid::Uuid::parse_str(id)
        .map_err(|_| UsageError(format!("{:?} is not a dossier number", args.dossier)))?;
    let until = args.until.as_deref().map(Until::parse).transpose()?;
    let stream = app::models::dossier_stream(domain::DossierId::from_uuid(uuid));
    let (rule_events, events) = futures::future::try_join(
        read_whole_stream(store.as_ref(), &app::models::rule_book_stream()),
        read_whole_stream(store.as_ref(), &stream),
    )
    .await
    .context("cannot read the dossier")?;
    if events.is_empty() {
        return Err(UsageError(format!("dossier {uuid} has no events")).into());
    }
    crate::cli_access::record(
        store.clone(),
        Some(domain::DossierId::from_uuid(uuid)),
        "replay",
    )
    .await?;
    let mut state = Dossier::default();
    let mut rule_book = domain::RuleBook::default();
    let mut rules = rule_events.iter().peekable();
    for event in events
        .iter()
        .filter(|e| until.is_none_or(|u| u.includes(e)))
    {
        // The rule book as recorded by the time of this event.
        while let Some(rule) = rules.next_if(|r| r.position <= event.position) {
            if let Ok(published) = app::models::RuleBookModel::decode(rule) {
                rule_book = app::models::RuleBookModel::evolve(rule_book, &published);
            }
        }
        let decoded = DossierModel::decode(event)
            .map_err(|e| anyhow::anyhow!("event {} cannot be read: {e}", event.event_id))?;
        state = DossierModel::evolve(state, &decoded);
        let metadata = event.metadata().ok();
        let summary = state_summary(&state, &rule_book, event.recorded_at.date_naive());
        let actor = metadata.as_ref().map_or("?", |m| m.actor_id.as_str());
        let role = metadata.as_ref().map_or("?", |m| m.actor_role.as_str());
        let reason = metadata.as_ref().and_then(|m| m.reason.clone());
        if args.json {
            let payload = serde_json::from_slice(&event.payload).unwrap_or(Value::Null);
            println!(
                "{}",
                json!({
                    "stream_version": event.stream_version,
                    "position": event.position.0,
                    "event_id": event.event_id,
                    "event_type": event.event_type,
                    "recorded_at": event.recorded_at,
                    "actor_id": actor,
                    "actor_role": role,
                    "correlation_id": metadata.as_ref().map(|m| m.correlation_id),
                    "causation_id": metadata.as_ref().and_then(|m| m.causation_id),
                    "reason": reason,
                    "payload": masked(payload),
                    "state_after": summary,
                })
            );
        } else {
            println!(
                "#{} positie {} {} {} ({}) {}{}",
                event.stream_version,
                event.position.0,
                event.recorded_at.format("%d/%m/%Y %H:%M:%S UTC"),
                actor,
                role,
                event.event_type,
                reason.map(|r| format!(" — reden: {r}")).unwrap_or_default()
            );
            println!("    toestand: {}", text_summary(&summary));
        }
    }
    Ok(())
}
