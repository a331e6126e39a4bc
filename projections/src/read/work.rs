//! The work queues' items and who took them (`domain::work`).
//!
//! After each dossier event the dossier's open items are worked out from its state (an agreement
//! pending, a held line, a budget not started, a waardebon unused, a claim to decide, a closed
//! dossier) and compared with those it had: only what changed is written. A proposal is an
//! item from `DecisionProposed` until it is confirmed, refused or withdrawn; takes come from the
//! work-queue streams. The signals queue reads the `signals` table, which the signals read
//! model owns.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::access::Role;
use domain::dossier::{
    AgreementStatus, BudgetKind, BudgetStatus, Dossier, LineStatus, VoucherStatus, retention,
};
use domain::event::Event;
use domain::four_eyes::{self, ProposalEvent};
use domain::rule_book::{Parameter, ParameterValue};
use domain::values::dutch_date as date_nl;
use domain::work::{self, Queue, WorkEvent};
use domain::{Actor, Context, RuleBook};
use event_store::RecordedEvent;

use super::col;
use super::fold::{DOSSIER_STREAM_PREFIX, DossierReadModel, Folded, decode, known_on};
use crate::rows::ColumnType::{Date, Text};
use crate::rows::{Row, Value};
use crate::{RowChanges, Table};

pub static WORK_ITEMS: Table = Table {
    name: "work_items",
    doc: "Every open item of the work queues the log's facts make (all but the signals, which \
          the signals table holds), with the date the rules set for it.",
    columns: &[
        col(
            "queue",
            Text,
            "work queue (agreements-to-approve, held-claim-lines, …)",
        ),
        col("item", Text, "the item's key in its queue"),
        col("dossier", Text, "dossier number, for an item of a dossier"),
        col("role", Text, "the role that works it (staff or admin)"),
        col("subject", Text, "what is to be done, in Dutch"),
        col("opened_on", Date, "the business date it entered the queue"),
        col("due_on", Date, "the date the rules set for it, if any"),
        col("due_rule", Text, "the rule that sets that date"),
        col("due_why", Text, "what the date means, in Dutch"),
    ],
    primary_key: &["queue", "item"],
    indexes: &[&["queue", "role"]],
};

pub static WORK_TAKES: Table = Table {
    name: "work_takes",
    doc: "Who has taken which item of a work queue, since when.",
    columns: &[
        col("queue", Text, "work queue"),
        col("item", Text, "the item's key in its queue"),
        col("taken_by", Text, "the user who took it"),
        col("taken_role", Text, "the role they took it in"),
        col("taken_on", Date, "the business date they took it"),
    ],
    primary_key: &["queue", "item"],
    indexes: &[],
};

/// A date the rules set for an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub on: NaiveDate,
    /// The rule's number in the brief (`P-05`, `A-02`, …).
    pub rule: &'static str,
    /// What the date means, in Dutch.
    pub why: String,
}

/// What an open item is, apart from when it entered its queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub role: Role,
    pub subject: String,
    /// When the item began, where the facts say (a claim's submission); otherwise the day of
    /// the event that opened it.
    pub began_on: Option<NaiveDate>,
    pub due: Option<Due>,
}

type Key = (Queue, String);

/// The open items of one dossier, by queue and key.
pub fn dossier_items(
    state: &Dossier,
    rule_book: &RuleBook,
    known_on: NaiveDate,
) -> BTreeMap<Key, Item> {
    let mut items = BTreeMap::new();
    if state.erased_on.is_some() {
        return items;
    }
    // A closed dossier has nothing left to do but, once its retention period ends, the erasure
    // of the person it is of (their record with it).
    if let Some(closed) = retention::closed_on(state) {
        if let (Some((_, person)), Some(due)) =
            (state.subject, retention_end(state, rule_book, known_on))
        {
            items.insert(
                (Queue::ErasureDue, person.to_string()),
                Item {
                    role: Role::Staff,
                    subject: format!(
                        "Persoonsgegevens wissen: dossier afgesloten op {}",
                        date_nl(closed)
                    ),
                    began_on: Some(due.on),
                    due: Some(due),
                },
            );
        }
        return items;
    }
    for agreement in state.agreements.values() {
        if agreement.status == AgreementStatus::Pending {
            items.insert(
                (Queue::AgreementsToApprove, agreement.id.to_string()),
                Item {
                    role: Role::Staff,
                    subject: format!(
                        "Overeenkomst {} vanaf {} goedkeuren of afwijzen",
                        agreement.kind.label_nl(),
                        date_nl(agreement.start)
                    ),
                    began_on: None,
                    due: None,
                },
            );
        }
    }
    for claim in state.claims.values() {
        let open: Vec<_> = claim
            .lines
            .values()
            .filter(|l| matches!(l.status, LineStatus::Held(_) | LineStatus::Undecided))
            .collect();
        if open.is_empty() {
            continue;
        }
        let due = payment_term(rule_book, claim.submitted_on, known_on);
        let name = format!("Kostenstaat {} nr. {}", claim.year, claim.sequence_no);
        for line in &open {
            let state = match line.status {
                LineStatus::Held(reason) => format!("aangehouden ({})", reason.code()),
                _ => "nog niet beslist".to_owned(),
            };
            items.insert(
                (
                    Queue::HeldClaimLines,
                    format!("{}:{}", claim.id, line.line.line),
                ),
                Item {
                    role: Role::Staff,
                    subject: format!("{name}, lijn {}: {state}", line.line.line),
                    began_on: Some(claim.submitted_on),
                    due: due.clone(),
                },
            );
        }
        if let Some(due) = due {
            items.insert(
                (Queue::Deadlines, format!("claim:{}", claim.id)),
                Item {
                    role: Role::Staff,
                    subject: format!("{name} beslissen ({} open lijnen)", open.len()),
                    began_on: Some(claim.submitted_on),
                    due: Some(due),
                },
            );
        }
    }
    for budget in state.budgets.values() {
        if let (BudgetStatus::Available, Some(deadline)) = (budget.status, budget.start_deadline) {
            let (name, rule) = match budget.kind {
                BudgetKind::Pab => ("PAB", "A-02"),
                BudgetKind::Pvb => ("PVB", "P-03"),
            };
            items.insert(
                (Queue::Deadlines, format!("budget-start:{}", budget.id)),
                Item {
                    role: Role::Staff,
                    subject: format!("{name} starten"),
                    began_on: budget.available_on,
                    due: Some(Due {
                        on: deadline,
                        rule,
                        why: format!(
                            "Wordt het {name} niet gestart tegen deze dag, dan vervalt het."
                        ),
                    }),
                },
            );
        }
    }
    for voucher in state.vouchers.values() {
        if voucher.status == VoucherStatus::Issued {
            items.insert(
                (Queue::Deadlines, format!("voucher:{}", voucher.id)),
                Item {
                    role: Role::Staff,
                    subject: "Waardebon verkennend gesprek gebruiken".to_owned(),
                    began_on: Some(voucher.issued_on),
                    due: Some(Due {
                        on: voucher.valid_until,
                        rule: "S003-28",
                        why: "De waardebon is tot en met deze dag geldig.".to_owned(),
                    }),
                },
            );
        }
    }
    items
}

/// When a closed dossier's retention period ends (D-03), the rule book as known on `known_on`.
fn retention_end(state: &Dossier, rule_book: &RuleBook, known_on: NaiveDate) -> Option<Due> {
    let registry = domain::registry::Registry::default();
    let ctx = Context::new(known_on, Actor::System, rule_book, &registry);
    let (until, _) = retention::retention_until(state, &ctx).ok()?;
    Some(Due {
        on: until,
        rule: "D-03",
        why: "De bewaartermijn na de afsluiting van het dossier loopt tot deze dag.".to_owned(),
    })
}

/// The day a claim submitted on `submitted_on` is to be paid by (P-05).
fn payment_term(rule_book: &RuleBook, submitted_on: NaiveDate, known_on: NaiveDate) -> Option<Due> {
    let version = rule_book.version(Parameter::PaymentTermDays, submitted_on, known_on)?;
    let ParameterValue::Days(days) = version.value else {
        return None;
    };
    Some(Due {
        on: submitted_on + chrono::Days::new(u64::from(days)),
        rule: "P-05",
        why: format!("Aanvaarde kosten worden binnen {days} dagen na ontvangst betaald."),
    })
}

/// Read model: the work queues' items and takes.
#[derive(Debug, Default)]
pub struct WorkQueues {
    /// The open items of each dossier, with the day each entered its queue.
    open: HashMap<String, BTreeMap<Key, (Item, NaiveDate)>>,
}

fn item_row(key: &Key, dossier: Option<&str>, item: &Item, opened_on: NaiveDate) -> Row {
    let (queue, id) = key;
    Row::of(&WORK_ITEMS)
        .set("queue", queue.code())
        .set("item", id.as_str())
        .set("dossier", dossier)
        .set("role", item.role.as_str())
        .set("subject", item.subject.as_str())
        .set("opened_on", opened_on)
        .set("due_on", item.due.as_ref().map(|d| d.on))
        .set("due_rule", item.due.as_ref().map(|d| d.rule))
        .set("due_why", item.due.as_ref().map(|d| d.why.as_str()))
}

fn item_key((queue, id): &Key) -> Vec<Value> {
    vec![queue.code().into(), id.as_str().into()]
}

impl WorkQueues {
    fn on_proposal(event: &ProposalEvent, stream: &str, changes: &mut RowChanges) {
        let key = |proposal: &domain::ProposalId| {
            vec![
                Queue::ProposalsToConfirm.code().into(),
                proposal.to_string().into(),
            ]
        };
        match event {
            ProposalEvent::DecisionProposed(e) => {
                let Some(decision) = four_eyes::decision_in(&e.kind, &e.command) else {
                    return;
                };
                let dossier = four_eyes::target_of(stream)
                    .and_then(|t| t.strip_prefix(DOSSIER_STREAM_PREFIX));
                let item = Item {
                    role: decision.confirmed_by,
                    subject: format!("{} (voorgesteld door een collega)", decision.nl),
                    began_on: None,
                    due: None,
                };
                changes.upsert(item_row(
                    &(Queue::ProposalsToConfirm, e.proposal.to_string()),
                    dossier,
                    &item,
                    e.proposed_on,
                ));
            }
            ProposalEvent::ProposalConfirmed(e) => {
                changes.delete(&WORK_ITEMS, key(&e.proposal));
            }
            ProposalEvent::ProposalRefused(e) => changes.delete(&WORK_ITEMS, key(&e.proposal)),
            ProposalEvent::ProposalWithdrawn(e) => changes.delete(&WORK_ITEMS, key(&e.proposal)),
        }
    }

    fn on_work(event: &WorkEvent, changes: &mut RowChanges) {
        match event {
            WorkEvent::WorkItemTaken(e) => {
                let (user, role) = e
                    .taken_by
                    .as_user()
                    .map_or((e.taken_by.id_text(), ""), |(u, r)| {
                        (u.to_string(), r.as_str())
                    });
                changes.upsert(
                    Row::of(&WORK_TAKES)
                        .set("queue", e.queue.code())
                        .set("item", e.item.as_str())
                        .set("taken_by", user)
                        .set("taken_role", role)
                        .set("taken_on", e.taken_on),
                );
            }
            WorkEvent::WorkItemReleased(e) => changes.delete(
                &WORK_TAKES,
                vec![e.queue.code().into(), e.item.as_str().into()],
            ),
        }
    }
}

impl DossierReadModel for WorkQueues {
    const NAME: &'static str = "work_queues";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&WORK_ITEMS, &WORK_TAKES];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let today = known_on(event);
        let now = dossier_items(folded.state, folded.rule_book, today);
        let before = self.open.remove(folded.dossier).unwrap_or_default();
        let mut kept = BTreeMap::new();
        for (key, item) in now {
            let opened_on = match before.get(&key) {
                Some((old, opened_on)) if *old == item => {
                    kept.insert(key, (item, *opened_on));
                    continue;
                }
                Some((_, opened_on)) => *opened_on,
                None => item.began_on.unwrap_or(today),
            };
            changes.upsert(item_row(&key, Some(folded.dossier), &item, opened_on));
            kept.insert(key, (item, opened_on));
        }
        for key in before.keys().filter(|k| !kept.contains_key(*k)) {
            changes.delete(&WORK_ITEMS, item_key(key));
        }
        if !kept.is_empty() {
            self.open.insert(folded.dossier.to_owned(), kept);
        }
    }

    fn on_other_event(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        let stream = event.stream.as_str();
        if !stream.starts_with(four_eyes::STREAM_PREFIX) && work::queue_of(stream).is_none() {
            return;
        }
        match decode(event) {
            Some(Event::Proposals(e)) => Self::on_proposal(&e, stream, changes),
            Some(Event::Work(e)) => Self::on_work(&e, changes),
            _ => {}
        }
    }
}
