//! Work queues: what a team has to do, and who of them is doing it.
//!
//! The items of a queue are read-model rows (an agreement waiting for approval, a held cost
//! line, a proposal waiting for a second person, a signal to triage, a dossier whose retention
//! has ended, a deadline coming up): facts the log already holds. What the log did not hold is
//! who took an item: a staff member *takes* an item and *releases* it, as events of the queue's
//! stream (`work-<queue>`). "Take", not "claim": a claim is a cost claim here.
//!
//! [`QUEUES`] is the one table of which role sees which queue and which role works it; the API
//! and the web application both read it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::coded::coded_enum;
use crate::rejection::{Action, Reason, Rejection};
use crate::{Actor, Context, UserId};

coded_enum! {
    /// A work queue. The code is its name in URLs and its stream's name.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
    pub enum Queue {
        /// Agreements registered and not yet approved or rejected.
        AgreementsToApprove = "agreements-to-approve",
        /// Cost-claim lines held or not yet decided.
        HeldClaimLines = "held-claim-lines",
        /// Weighty decisions proposed by one user, waiting for a second (four-eyes).
        ProposalsToConfirm = "proposals-to-confirm",
        /// Fraud signals no investigator has dismissed or escalated.
        SignalsToTriage = "signals-to-triage",
        /// Closed dossiers whose retention period has ended: their personal data is to be erased.
        ErasureDue = "erasure-due",
        /// Dates the rules set that are coming up: a budget that lapses if not started, a
        /// waardebon that expires, a cost claim to be decided within the payment term.
        Deadlines = "deadlines",
    }
}

impl Queue {
    /// The queue named `code`, as in a URL.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|q| q.code() == code)
    }

    /// Its row of [`QUEUES`].
    pub fn definition(self) -> &'static QueueDefinition {
        QUEUES
            .iter()
            .find(|d| d.queue == self)
            .unwrap_or(&QUEUES[0])
    }
}

/// One queue: its name for people, and the roles that see and work it.
#[derive(Debug, Clone, Copy)]
pub struct QueueDefinition {
    pub queue: Queue,
    /// Its title in Dutch, as the web application shows it.
    pub nl: &'static str,
    pub en: &'static str,
    /// Roles that take and release its items (and see them).
    pub worked_by: &'static [Role],
    /// Roles that see it without working it (inspectors audit every queue).
    pub seen_by: &'static [Role],
}

/// Which role sees and works which queue.
pub const QUEUES: &[QueueDefinition] = &[
    QueueDefinition {
        queue: Queue::AgreementsToApprove,
        nl: "Overeenkomsten goed te keuren",
        en: "Agreements to approve",
        worked_by: &[Role::Staff],
        seen_by: &[Role::Inspector],
    },
    QueueDefinition {
        queue: Queue::HeldClaimLines,
        nl: "Kostenlijnen te beslissen",
        en: "Held cost lines",
        worked_by: &[Role::Staff],
        seen_by: &[Role::Inspector],
    },
    QueueDefinition {
        queue: Queue::ProposalsToConfirm,
        nl: "Voorstellen te bevestigen",
        en: "Proposals to confirm",
        worked_by: &[Role::Staff, Role::Admin],
        seen_by: &[Role::Inspector],
    },
    QueueDefinition {
        queue: Queue::SignalsToTriage,
        nl: "Fraudesignalen te beoordelen",
        en: "Signals to triage",
        worked_by: &[Role::Investigator],
        seen_by: &[Role::Inspector],
    },
    QueueDefinition {
        queue: Queue::ErasureDue,
        nl: "Persoonsgegevens te wissen",
        en: "Personal data due for erasure",
        worked_by: &[Role::Staff],
        seen_by: &[Role::Inspector],
    },
    QueueDefinition {
        queue: Queue::Deadlines,
        nl: "Naderende termijnen",
        en: "Deadlines coming up",
        worked_by: &[Role::Staff],
        seen_by: &[Role::Inspector],
    },
];

/// Which of a queue's items a role is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visible {
    /// The items this role works (a proposal waits for a staff member or an administrator).
    WorkedBy(Role),
    /// Every item: a role that sees the queue without working it.
    All,
}

impl QueueDefinition {
    /// What `role` is shown of this queue, or `None` when the queue is not for it.
    pub fn visible_to(&self, role: Role) -> Option<Visible> {
        if self.worked_by.contains(&role) {
            Some(Visible::WorkedBy(role))
        } else if self.seen_by.contains(&role) {
            Some(Visible::All)
        } else {
            None
        }
    }
}

/// The queues `role` sees, in the table's order.
pub fn queues_for(role: Role) -> impl Iterator<Item = &'static QueueDefinition> {
    QUEUES.iter().filter(move |d| d.visible_to(role).is_some())
}

crate::event::event_enum! {
    /// Events of a work-queue stream.
    WorkEvent {
        WorkItemTaken = 1,
        WorkItemReleased = 1,
    }
}

/// A user took an item of the queue: they are working on it, and colleagues see so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WorkItemTaken {
    /// The queue the item is in.
    pub queue: Queue,
    /// The item's key in its queue (an agreement, a cost line `claim:line`, a proposal, …).
    pub item: String,
    /// Who took it.
    pub taken_by: Actor,
    /// The business date it was taken.
    pub taken_on: NaiveDate,
}

/// The user who took an item gave it back to the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WorkItemReleased {
    /// The queue the item is in.
    pub queue: Queue,
    /// The item's key in its queue.
    pub item: String,
    /// Who released it: the one who took it.
    pub released_by: Actor,
    /// The business date it was released.
    pub released_on: NaiveDate,
}

/// Commands of a work-queue stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum WorkCommand {
    /// Take an item to work on it.
    Take { queue: Queue, item: String },
    /// Give a taken item back.
    Release { queue: Queue, item: String },
}

/// Who has taken an item, since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub by: Actor,
    pub on: NaiveDate,
}

/// The items of one queue that someone has taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkQueue {
    pub taken: BTreeMap<String, Taken>,
}

/// The prefix of a work-queue stream.
pub const STREAM_PREFIX: &str = "work-";

/// The stream of `queue`'s takes.
pub fn stream_of(queue: Queue) -> String {
    format!("{STREAM_PREFIX}{}", queue.code())
}

/// The queue whose stream is `stream`.
pub fn queue_of(stream: &str) -> Option<Queue> {
    stream.strip_prefix(STREAM_PREFIX).and_then(Queue::parse)
}

/// Longest item key: every key the read models make is far shorter.
const MAX_ITEM_LEN: usize = 120;

fn is_item_key(item: &str) -> bool {
    !item.is_empty()
        && item.len() <= MAX_ITEM_LEN
        && item
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
}

/// The user working a queue, or why they may not.
fn worker(queue: Queue, actor: Actor) -> Result<UserId, Rejection> {
    let refused = || {
        Rejection::from(Reason::NotAuthorised {
            action: Action::new(
                "take or release an item of this work queue",
                "een werkitem van deze werklijst te nemen of vrij te geven",
            ),
        })
    };
    let (user, role) = actor.as_user().ok_or_else(refused)?;
    if queue.definition().worked_by.contains(&role) {
        Ok(user)
    } else {
        Err(refused())
    }
}

/// Decides a take or a release (the application layer sends it to the stream of the queue it
/// names). Taking an item one has taken already, or releasing one that is
/// not taken, changes nothing.
///
/// # Errors
/// `NOT_AUTHORISED` for a role that does not work the queue; `INVALID_INPUT` for a malformed
/// item key; `WORK_ITEM_TAKEN` when a colleague has the item; `WORK_ITEM_NOT_YOURS` when
/// releasing a colleague's item.
pub fn decide(
    command: &WorkCommand,
    state: &WorkQueue,
    ctx: &Context<'_>,
) -> Result<Vec<WorkEvent>, Rejection> {
    let (queue, item) = match command {
        WorkCommand::Take { queue, item } | WorkCommand::Release { queue, item } => (*queue, item),
    };
    let user = worker(queue, ctx.actor)?;
    if !is_item_key(item) {
        return Err(Reason::InvalidInput {
            field: "item",
            problem: "an item key of a work queue",
        }
        .into());
    }
    let holder = state
        .taken
        .get(item)
        .map(|t| t.by.as_user().map(|(u, _)| u));
    match (command, holder) {
        (WorkCommand::Take { .. }, Some(Some(by))) if by == user => Ok(vec![]),
        (WorkCommand::Take { .. }, Some(_)) => Err(Reason::WorkItemTaken.into()),
        (WorkCommand::Take { item, .. }, None) => Ok(vec![
            WorkItemTaken {
                queue,
                item: item.clone(),
                taken_by: ctx.actor,
                taken_on: ctx.today,
            }
            .into(),
        ]),
        (WorkCommand::Release { .. }, None) => Ok(vec![]),
        (WorkCommand::Release { item, .. }, Some(Some(by))) if by == user => Ok(vec![
            WorkItemReleased {
                queue,
                item: item.clone(),
                released_by: ctx.actor,
                released_on: ctx.today,
            }
            .into(),
        ]),
        (WorkCommand::Release { .. }, Some(_)) => Err(Reason::WorkItemNotYours.into()),
    }
}

/// Applies one fact to a work queue.
pub fn evolve(mut state: WorkQueue, event: &WorkEvent) -> WorkQueue {
    match event {
        WorkEvent::WorkItemTaken(e) => {
            state.taken.insert(
                e.item.clone(),
                Taken {
                    by: e.taken_by,
                    on: e.taken_on,
                },
            );
        }
        WorkEvent::WorkItemReleased(e) => {
            state.taken.remove(&e.item);
        }
    }
    state
}

/// The stream kind of work queues: one stream per queue.
#[derive(Debug, Clone, Copy)]
pub struct WorkStream;

impl crate::Decider for WorkStream {
    type Id = Queue;
    type Command = WorkCommand;
    type Event = WorkEvent;
    type State = WorkQueue;
    const KIND: &'static str = "work";

    fn stream(queue: &Queue) -> String {
        stream_of(*queue)
    }

    fn decide(
        command: &WorkCommand,
        state: &WorkQueue,
        ctx: &Context<'_>,
    ) -> Result<Vec<WorkEvent>, Rejection> {
        decide(command, state, ctx)
    }

    fn reason(command: &WorkCommand) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn evolve(state: WorkQueue, event: &WorkEvent) -> WorkQueue {
        evolve(state, event)
    }
}
