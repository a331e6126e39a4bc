//! A dossier's events replayed in order, each with who/when/why and the dossier's state after
//! it: the one implementation behind `dossier replay` and the HTTP replay route.
//!
//! Payloads are as stored: each caller masks them as its reader may see them
//! (`domain::access::shown_to`). The state is the domain's own fold and the budget figures the
//! domain's `budget_line`, with the rule book as recorded by each event.

use chrono::{DateTime, NaiveDate, Utc};
use domain::dossier::{AgreementStatus, BudgetKind, Dossier, LineStatus};
use event_store::{Position, RecordedEvent};
use serde_json::{Value, json};

use crate::read::budgets::budget_lines;
use crate::read::fold::decode;

/// Where a replay stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// After this log position.
    Position(Position),
    /// After the last event recorded at or before this time.
    Time(DateTime<Utc>),
}

/// Why a replay could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("{0:?} is neither a log position nor an RFC 3339 time")]
    BadUntil(String),
    #[error("event {0} cannot be read")]
    Unreadable(uuid::Uuid),
}

impl Until {
    /// A log position (digits) or an RFC 3339 time.
    ///
    /// # Errors
    /// [`ReplayError::BadUntil`] for anything else.
    pub fn parse(text: &str) -> Result<Self, ReplayError> {
        if let Ok(position) = text.parse::<u64>() {
            return Ok(Self::Position(Position(position)));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Self::Time(t.with_timezone(&Utc)))
            .map_err(|_| ReplayError::BadUntil(text.to_owned()))
    }

    pub fn includes(self, event: &RecordedEvent) -> bool {
        match self {
            Self::Position(p) => event.position <= p,
            Self::Time(t) => event.recorded_at <= t,
        }
    }
}

/// The dossier's state as an investigator reads it.
pub fn state_summary(state: &Dossier, rule_book: &domain::RuleBook, known_on: NaiveDate) -> Value {
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
            LineStatus::Voided => {}
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

/// One replayed event: the event with who/when/why, its payload as stored (the caller shows it
/// as the reader may see it: `domain::access::shown_to`), and the state after it
/// (`state_after`), as one JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub stream_version: u64,
    pub position: Position,
    pub recorded_at: DateTime<Utc>,
    pub event_type: String,
    pub actor_id: String,
    pub actor_role: String,
    pub reason: Option<String>,
    /// For a weighty decision: who proposed it, in which role, on which day (the actor above
    /// confirmed it).
    pub proposed: Option<event_store::Proposed>,
    /// The whole step as JSON (the fields above included).
    pub json: Value,
}

impl Step {
    /// The state after the event (`state_after` of [`Step::json`]).
    pub fn state_after(&self) -> &Value {
        &self.json["state_after"]
    }
}

/// Replays `events` (one dossier stream, in order) up to `until`, with the rule book as
/// recorded by each event (`rule_book_events`: the rule-book stream).
///
/// # Errors
/// [`ReplayError::Unreadable`] for an event of the stream that is not a dossier event.
pub fn replay(
    rule_book_events: &[RecordedEvent],
    events: &[RecordedEvent],
    until: Option<Until>,
) -> Result<Vec<Step>, ReplayError> {
    let mut steps = Vec::new();
    let mut state = Dossier::default();
    let mut rule_book = domain::RuleBook::default();
    let mut rules = rule_book_events.iter().peekable();
    for event in events
        .iter()
        .filter(|e| until.is_none_or(|u| u.includes(e)))
    {
        // The rule book as recorded by the time of this event.
        while let Some(rule) = rules.next_if(|r| r.position <= event.position) {
            if let Some(domain::Event::RuleBook(
                domain::event::RuleBookEvent::RuleParameterPublished(published),
            )) = decode(rule)
            {
                rule_book = domain::rule_book::evolve(rule_book, &published);
            }
        }
        let Some(domain::Event::Dossier(decoded)) = decode(event) else {
            return Err(ReplayError::Unreadable(event.event_id));
        };
        state = domain::dossier::evolve(state, &decoded);
        let metadata = event.metadata().ok();
        let summary = state_summary(&state, &rule_book, event.recorded_at.date_naive());
        let actor = metadata.as_ref().map_or("?", |m| m.actor_id.as_str());
        let role = metadata.as_ref().map_or("?", |m| m.actor_role.as_str());
        let reason = metadata.as_ref().and_then(|m| m.reason.clone());
        let proposed = metadata.as_ref().and_then(|m| m.proposed.clone());
        let payload = serde_json::from_slice(&event.payload).unwrap_or(Value::Null);
        let json = json!({
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
            "proposed": proposed.as_ref().map(|p| json!({
                "proposal": p.proposal_id,
                "proposed_by": p.actor_id,
                "proposed_role": p.actor_role,
                "proposed_on": p.proposed_on,
            })),
            "payload": payload,
            "state_after": summary,
        });
        steps.push(Step {
            stream_version: event.stream_version,
            position: event.position,
            recorded_at: event.recorded_at,
            event_type: event.event_type.clone(),
            actor_id: actor.to_owned(),
            actor_role: role.to_owned(),
            reason,
            proposed,
            json,
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_is_a_position_or_a_time() {
        assert_eq!(Until::parse("42"), Ok(Until::Position(Position(42))));
        assert!(matches!(
            Until::parse("2020-01-01T00:00:00Z"),
            Ok(Until::Time(_))
        ));
        assert_eq!(
            Until::parse("gisteren"),
            Err(ReplayError::BadUntil("gisteren".into()))
        );
    }
}
