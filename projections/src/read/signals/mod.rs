//! Fraud and misuse signals for inspectors (brief §6), each with a deterministic id, the rule,
//! the dossier, a Dutch explanation, an amount where one applies and the ids of the events that
//! raised it.
//!
//! Signals are evaluated on recorded facts: an accepted line is accepted whether a decider, a
//! staff override or an import of history accepted it. Rule parameters come from the rule book,
//! looked up on the service date as known when the event was recorded.
//!
//! A signal's id is a hash of the rule, the dossier and the signal's *subject* (the claim line,
//! agreement or budget year it is about: the ids of the events that recorded that subject), not
//! of every piece of evidence, so the id survives a rebuild and new evidence on the same
//! subject; a dismissal recorded against the id stays attached.
//!
//! ## Investigators' decisions
//! Dismissals and escalations are events of the signals stream ([`SIGNALS_STREAM`],
//! `domain::signals`: `RiskSignalDismissed`, `RiskSignalEscalated`), decoded with the domain's
//! types; the acting investigator is the event's metadata actor. A decision about a signal not
//! (yet) raised is kept and shown once it is raised.

mod duplicates;
mod rules;

use crate::rows::Row;
use std::collections::{BTreeMap, HashMap};

use domain::Euro;
use event_store::RecordedEvent;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::budgets::{Affected, affected, affected_budget_lines};
use super::fold::{DossierReadModel, Folded, decode};
use super::{col, euro};
use crate::rows::ColumnType::{Decimal, Integer, Text, Timestamp};
use crate::{RowChanges, Table, Value};
use domain::dossier::{ClaimLine, CostClaim, Dossier, DossierEvent};
use domain::{BudgetId, ClaimId};

pub use rules::Evidence;

/// The stream of investigators' decisions about signals.
pub use domain::signals::STREAM as SIGNALS_STREAM;

pub static SIGNALS: Table = Table {
    name: "signals",
    doc: "Fraud and misuse signals (brief §6) with evidence and the investigators' triage. To triage: triage = 'open'.",
    columns: &[
        col("signal", Text, "deterministic signal id"),
        col("rule", Text, "signal rule, e.g. F8"),
        col("dossier", Text, "dossier number"),
        col(
            "subject",
            Text,
            "what the signal is about (claim line, agreement, budget year)",
        ),
        col("explanation", Text, "plain-language explanation (Dutch)"),
        col("amount", Decimal, "amount concerned, where one applies"),
        col(
            "evidence",
            Text,
            "ids of the events that raised it, comma-separated",
        ),
        col(
            "raised_at",
            Timestamp,
            "recorded-at of the event that first raised it",
        ),
        col("raised_position", Integer, "log position of that event"),
        col("triage", Text, "open, dismissed or escalated"),
        col("triage_reason", Text, "the investigator's reason"),
        col("triage_by", Text, "the investigator"),
    ],
    primary_key: &["signal"],
    indexes: &[&["dossier"], &["triage"], &["rule"]],
};

/// One raised signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub id: String,
    pub rule: &'static str,
    pub dossier: String,
    pub subject: String,
    pub explanation: String,
    pub amount: Option<Euro>,
    pub evidence: Vec<Uuid>,
}

impl Signal {
    /// A signal about `subject`; its id is derived from rule, dossier and subject.
    pub fn new(
        rule: &'static str,
        dossier: &str,
        subject: String,
        explanation: String,
        amount: Option<Euro>,
        mut evidence: Vec<Uuid>,
    ) -> Self {
        evidence.sort_unstable();
        evidence.dedup();
        Self {
            id: signal_id(rule, dossier, &subject),
            rule,
            dossier: dossier.to_owned(),
            subject,
            explanation,
            amount,
            evidence,
        }
    }
}

/// The deterministic id of a signal: SHA-256 of rule, dossier and subject, 32 hex digits.
pub fn signal_id(rule: &str, dossier: &str, subject: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule, dossier, subject] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(&hasher.finalize()[..16])
}

/// An investigator's decision about a signal.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Triage {
    status: &'static str,
    reason: String,
    by: String,
}

/// The signals of one dossier, by what they are about, so an event re-evaluates only what it
/// can change.
#[derive(Debug, Default)]
struct DossierSignals {
    dossier: BTreeMap<String, Signal>,
    lines: HashMap<(ClaimId, u32), BTreeMap<String, Signal>>,
    years: HashMap<(BudgetId, i32), BTreeMap<String, Signal>>,
}

impl DossierSignals {
    fn all(&self) -> impl Iterator<Item = &Signal> {
        self.dossier
            .values()
            .chain(self.lines.values().flat_map(BTreeMap::values))
            .chain(self.years.values().flat_map(BTreeMap::values))
    }
}

fn keyed(signals: Vec<Signal>) -> BTreeMap<String, Signal> {
    signals.into_iter().map(|s| (s.id.clone(), s)).collect()
}

/// The claim whose line decisions changed.
fn decided_claim(event: &DossierEvent) -> Option<ClaimId> {
    use DossierEvent as E;
    match event {
        E::CostLineAccepted(e) => Some(e.claim),
        E::CostLineRejected(e) => Some(e.claim),
        E::CostLineHeld(e) => Some(e.claim),
        E::CostLineDecidedByStaff(e) => Some(e.claim),
        E::CostLineDecisionOverridden(e) => Some(e.claim),
        E::CostClaimVoided(e) => Some(e.claim),
        _ => None,
    }
}

/// The claim lines whose signals an event can change: the lines of a claim for a claim event,
/// none for facts no line rule reads, every line otherwise (an agreement, a death, the end of
/// a budget change what every line means).
fn lines_in_scope<'a>(
    event: &DossierEvent,
    state: &'a Dossier,
) -> Vec<(&'a CostClaim, &'a ClaimLine)> {
    use DossierEvent as E;
    let of_claim = |claim: &ClaimId| -> Vec<(&'a CostClaim, &'a ClaimLine)> {
        state
            .claims
            .get(claim)
            .map(|c| c.lines.values().map(|l| (c, l)).collect())
            .unwrap_or_default()
    };
    match event {
        E::CostClaimSubmitted(e) => of_claim(&e.claim),
        other if decided_claim(other).is_some() => decided_claim(other)
            .map(|c| of_claim(&c))
            .unwrap_or_default(),
        E::PaymentOrdered(_)
        | E::PaymentExecuted(_)
        | E::AnnualBudgetAmountSet(_)
        | E::CovidOverrunAllowanceGranted(_)
        | E::CovidOverrunAllowanceRaised(_)
        | E::AdvancePaid(_)
        | E::CashPartDeclared(_)
        | E::ExtraSeveranceAllowanceGranted(_)
        | E::BudgetYearClosed(_)
        | E::RecoveryDecided(_)
        | E::RecoveryOffset(_)
        | E::RecoveryRepaid(_)
        | E::RecoveryWrittenOff(_)
        | E::ControlCaseOpened(_)
        | E::EvidenceRequested(_)
        | E::EvidenceReceived(_)
        | E::InspectionVisitHeld(_)
        | E::ControlConcluded(_)
        | E::AssistanceRecorded(_)
        | E::AssistanceOrganisationJoined(_)
        | E::PabCombinationStarted(_)
        | E::PabCombinationChanged(_)
        | E::PabCombinationEnded(_) => Vec::new(),
        _ => state
            .claims
            .values()
            .flat_map(|c| c.lines.values().map(move |l| (c, l)))
            .collect(),
    }
}

/// The budget years whose signals an event can change: those whose figures it changes, and
/// every year for an agreement event (F1 counts only costs on COVID-19 agreements).
fn year_scope(event: &DossierEvent, state: &Dossier) -> Affected {
    use DossierEvent as E;
    match event {
        E::AgreementRegistered(_)
        | E::AgreementApproved(_)
        | E::AgreementRejected(_)
        | E::AgreementAmended(_)
        | E::AgreementNoticeGiven(_)
        | E::AgreementTerminated(_)
        | E::AgreementVoided(_) => Affected::All,
        other => affected(other, state),
    }
}

/// When a signal was first raised.
#[derive(Debug, Clone, Copy)]
struct Raised {
    at: chrono::DateTime<chrono::Utc>,
    position: i64,
}

/// Read model: fraud and misuse signals.
#[derive(Debug, Default)]
pub struct Signals {
    evidence: HashMap<String, Evidence>,
    /// The per-dossier signals currently raised, by dossier.
    raised: HashMap<String, DossierSignals>,
    duplicates: duplicates::DuplicateInvoices,
    first_raised: HashMap<String, Raised>,
    triage: HashMap<String, Triage>,
}

impl Signals {
    fn row(&self, signal: &Signal) -> Row {
        let raised = self.first_raised.get(&signal.id);
        let triage = self.triage.get(&signal.id);
        let evidence: Vec<String> = signal.evidence.iter().map(Uuid::to_string).collect();
        Row::of(&SIGNALS)
            .set("signal", signal.id.as_str())
            .set("rule", signal.rule)
            .set("dossier", signal.dossier.as_str())
            .set("subject", signal.subject.as_str())
            .set("explanation", signal.explanation.as_str())
            .set("amount", signal.amount.map(euro).unwrap_or(Value::Null))
            .set("evidence", evidence.join(","))
            .set("raised_at", raised.map(|r| r.at))
            .set("raised_position", raised.map(|r| r.position))
            .set("triage", triage.map_or("open", |t| t.status))
            .set("triage_reason", triage.map(|t| t.reason.clone()))
            .set("triage_by", triage.map(|t| t.by.clone()))
    }

    /// Writes the difference between the signals raised before and now.
    fn publish(
        &mut self,
        before: &BTreeMap<String, Signal>,
        now: &BTreeMap<String, Signal>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        for (id, signal) in now {
            if before.get(id) == Some(signal) {
                continue;
            }
            self.first_raised.entry(id.clone()).or_insert(Raised {
                at: event.recorded_at,
                position: i64::try_from(event.position.0).unwrap_or(i64::MAX),
            });
            changes.upsert(self.row(signal));
        }
        for id in before.keys().filter(|id| !now.contains_key(*id)) {
            // The facts changed (e.g. a line was rejected after all): the signal no longer holds.
            self.first_raised.remove(id);
            changes.delete(&SIGNALS, vec![id.as_str().into()]);
        }
    }

    fn apply_triage(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        use domain::Event::SignalTriage;
        use domain::signals::SignalTriageEvent as T;
        // An event this code cannot read is reported by `decode` and changes nothing.
        let (status, signal, reason) = match decode(event) {
            Some(SignalTriage(T::RiskSignalDismissed(e))) => ("dismissed", e.signal, e.reason),
            Some(SignalTriage(T::RiskSignalEscalated(e))) => ("escalated", e.signal, e.reason),
            _ => return,
        };
        let by = event.metadata().map(|m| m.actor_id).unwrap_or_default();
        let current = self
            .raised
            .values()
            .find_map(|signals| signals.all().find(|s| s.id == signal))
            .or_else(|| self.duplicates.signal(&signal))
            .cloned();
        self.triage.insert(signal, Triage { status, reason, by });
        if let Some(current) = current {
            changes.upsert(self.row(&current));
        }
    }

    /// The signals currently raised for a dossier (per-dossier rules and duplicates).
    pub fn of_dossier(&self, dossier: &str) -> Vec<Signal> {
        let mut all: Vec<Signal> = self
            .raised
            .get(dossier)
            .map(|s| s.all().cloned().collect())
            .unwrap_or_default();
        all.extend(self.duplicates.of_dossier(dossier));
        all
    }
}

impl DossierReadModel for Signals {
    const NAME: &'static str = "signals";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&SIGNALS];

    fn on_other_event(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        if event.stream.as_str() == SIGNALS_STREAM {
            self.apply_triage(event, changes);
        }
    }

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        // Signals judge recorded facts with every rule version the log holds so far: a
        // parameter published after the fact (the COVID-19 window was) still governs its
        // service dates.
        let known_on = chrono::NaiveDate::MAX;
        let dossier = folded.dossier.to_owned();
        let mut diffs = Vec::new();
        {
            let evidence = self.evidence.entry(dossier.clone()).or_default();
            evidence.record(event.event_id, folded.event, folded.state);
            let evidence: &Evidence = evidence;
            let input = rules::Input {
                dossier: &dossier,
                state: folded.state,
                rule_book: folded.rule_book,
                evidence,
                known_on,
            };
            let raised = self.raised.entry(dossier.clone()).or_default();
            let now = keyed(rules::evaluate_dossier(&input));
            if now != raised.dossier {
                let before = std::mem::replace(&mut raised.dossier, now.clone());
                diffs.push((before, now));
            }
            for (claim, line) in lines_in_scope(folded.event, folded.state) {
                let now = keyed(rules::evaluate_line(&input, claim, line));
                let key = (claim.id, line.line.line);
                let before = if now.is_empty() {
                    raised.lines.remove(&key)
                } else {
                    raised.lines.insert(key, now.clone())
                }
                .unwrap_or_default();
                if before != now {
                    diffs.push((before, now));
                }
            }
            let years = year_scope(folded.event, folded.state);
            for line in affected_budget_lines(folded.state, folded.rule_book, known_on, years) {
                let now = keyed(rules::evaluate_year(&input, &line));
                let key = (line.budget, line.year);
                let before = if now.is_empty() {
                    raised.years.remove(&key)
                } else {
                    raised.years.insert(key, now.clone())
                }
                .unwrap_or_default();
                if before != now {
                    diffs.push((before, now));
                }
            }
            if let Some(claim) = decided_claim(folded.event) {
                diffs.push(
                    self.duplicates
                        .update(&dossier, claim, folded.state, evidence),
                );
            }
        }
        for (before, now) in diffs {
            self.publish(&before, &now, event, changes);
        }
    }
}
