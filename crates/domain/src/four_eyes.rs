//! Two people for every weighty decision (maker and checker). A weighty decision is first
//! recorded as a proposal; a different user confirms it (and only then is it decided, again, on
//! the stream as it stands) or refuses it with a reason. [`WEIGHTY_DECISIONS`] is the one table
//! of which commands these are and who may propose and confirm them; `docs/rules.md` lists it,
//! generated from it.
//!
//! The rule is kept where every command is decided, [`crate::Decider::decide_checked`]: a person
//! who gives a weighty command without a confirmation is refused (`PROPOSAL_REQUIRED`), and a
//! confirmation by the proposer is refused (`FOUR_EYES_SAME_USER`), whichever entry point it
//! came through. The daily job and a migration decide nothing a person chose, so they are not
//! held to it; a shipped rule-book seed file is applied at start as a migration, without a
//! decision (it is reviewed as code).
//!
//! Proposals live in a stream beside their target, `proposals-<target stream>`: a dossier's
//! proposals are sealed with the dossier's key and erased with it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Role;
use crate::command_reasons;
use crate::rejection::{Action, Reason, Rejection};
use crate::values::{ProposalId, UserId};
use crate::{Actor, Context};

/// One kind of weighty decision: a command of a kind of stream, who proposes it, who confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightyDecision {
    /// The kind of stream ([`crate::Decider::KIND`]).
    pub kind: &'static str,
    /// The command as its JSON names it.
    pub command: &'static str,
    /// The decision in Dutch, for the queue of proposals.
    pub nl: &'static str,
    /// The decision in English, for the documentation.
    pub en: &'static str,
    /// The role that proposes it.
    pub proposed_by: Role,
    /// The role of the other user who confirms it.
    pub confirmed_by: Role,
}

const fn staff(
    kind: &'static str,
    command: &'static str,
    nl: &'static str,
    en: &'static str,
) -> WeightyDecision {
    WeightyDecision {
        kind,
        command,
        nl,
        en,
        proposed_by: Role::Staff,
        confirmed_by: Role::Staff,
    }
}

const fn admin(
    kind: &'static str,
    command: &'static str,
    nl: &'static str,
    en: &'static str,
) -> WeightyDecision {
    WeightyDecision {
        kind,
        command,
        nl,
        en,
        proposed_by: Role::Admin,
        confirmed_by: Role::Admin,
    }
}

/// Every weighty decision. Lessons of comparable systems (controls bypassed to get payments
/// out) say these need a second person built in, not added by convention.
pub const WEIGHTY_DECISIONS: &[WeightyDecision] = &[
    staff(
        "dossier",
        "approve_agreement",
        "overeenkomst goedkeuren",
        "approve an agreement",
    ),
    staff(
        "dossier",
        "override_cost_line_decision",
        "beslissing over een kostenlijn herzien",
        "override a line decision",
    ),
    staff(
        "dossier",
        "decide_recovery",
        "terugvordering beslissen",
        "decide a recovery",
    ),
    staff(
        "dossier",
        "write_off_recovery",
        "terugvordering afschrijven",
        "write a recovery off",
    ),
    staff(
        "dossier",
        "issue_final_settlement",
        "eindafrekening uitreiken",
        "issue a final settlement",
    ),
    staff(
        "dossier",
        "grant_covid_overrun_allowance",
        "COVID-19-verhoging toekennen",
        "grant a COVID-19 allowance by hand",
    ),
    staff(
        "dossier",
        "raise_covid_overrun_allowance",
        "COVID-19-verhoging optrekken",
        "raise a COVID-19 allowance by hand",
    ),
    staff(
        "dossier",
        "correct_insz",
        "INSZ verbeteren",
        "correct an INSZ",
    ),
    staff(
        "dossier",
        "erase_dossier_data",
        "persoonsgegevens van een dossier wissen",
        "erase a dossier's personal data",
    ),
    staff(
        "person",
        "correct_insz",
        "INSZ van een persoon verbeteren",
        "correct a person's INSZ",
    ),
    staff(
        "person",
        "erase",
        "persoonsgegevens wissen",
        "erase a person's data",
    ),
    admin(
        "registry",
        "license",
        "organisatie vergunnen",
        "license an organisation",
    ),
    admin(
        "registry",
        "withdraw",
        "vergunning intrekken",
        "withdraw an organisation's licence",
    ),
    admin(
        "rule-book",
        PUBLISH_RULE_PARAMETER,
        "regelparameter publiceren",
        "publish a rule parameter",
    ),
    admin(
        "access",
        "AddUser",
        "gebruiker een rol geven",
        "give a user a role",
    ),
];

/// The row of `command` of a stream of `kind`, if it is a weighty decision.
pub fn decision_of(kind: &str, command: &str) -> Option<&'static WeightyDecision> {
    WEIGHTY_DECISIONS
        .iter()
        .find(|d| d.kind == kind && d.command == command)
}

/// The row of `command` (as its JSON names it) of a stream of `kind`, if it is weighty.
pub fn decision_for(kind: &str, command: &impl Serialize) -> Option<&'static WeightyDecision> {
    let value = serde_json::to_value(command).ok()?;
    decision_in(kind, &value)
}

/// [`decision_for`] of a command already as JSON.
pub fn decision_in(kind: &str, command: &Value) -> Option<&'static WeightyDecision> {
    // The rule book has one command, whose JSON is the parameter itself, without a name.
    if kind == <crate::rule_book::RuleBookStream as crate::Decider>::KIND {
        return decision_of(kind, PUBLISH_RULE_PARAMETER);
    }
    let (name, _) = command_reasons::name_and_fields(command)?;
    decision_of(kind, name)
}

/// The name of the rule book's one command in the table.
pub const PUBLISH_RULE_PARAMETER: &str = "publish_rule_parameter";

/// What the decider is told when a command is given as the confirmation of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    pub proposal: ProposalId,
    /// Who proposed it.
    pub proposed_by: Actor,
    /// The business date of the proposal.
    pub proposed_on: NaiveDate,
}

/// The user who decides as a person, with their role ([`Actor::as_user`]).
fn deciding_user(actor: Actor) -> Option<(UserId, Role)> {
    actor.as_user()
}

/// The four-eyes rule for a weighty `decision` the rules accepted: a person gives it only as the
/// confirmation of another user's proposal.
///
/// # Errors
/// `PROPOSAL_REQUIRED` without a confirmation; as [`confirmable_by`] with one.
pub fn check(decision: &WeightyDecision, ctx: &Context<'_>) -> Result<(), Rejection> {
    if deciding_user(ctx.actor).is_none() {
        return Ok(());
    }
    match ctx.confirmation {
        None => Err(Reason::ProposalRequired.into()),
        Some(confirmation) => confirmable_by(decision, confirmation.proposed_by, ctx.actor),
    }
}

/// Whether `actor` may confirm (or refuse) a proposal of `decision` that `proposed_by` made.
///
/// # Errors
/// `FOUR_EYES_SAME_USER` for the proposer; `NOT_AUTHORISED` for a role that does not confirm it.
pub fn confirmable_by(
    decision: &WeightyDecision,
    proposed_by: Actor,
    actor: Actor,
) -> Result<(), Rejection> {
    let Some((user, role)) = deciding_user(actor) else {
        return Err(not_authorised(decision));
    };
    if deciding_user(proposed_by).is_some_and(|(proposer, _)| proposer == user) {
        return Err(Reason::FourEyesSameUser.into());
    }
    if role != decision.confirmed_by {
        return Err(not_authorised(decision));
    }
    Ok(())
}

fn not_authorised(_decision: &WeightyDecision) -> Rejection {
    Reason::NotAuthorised {
        action: Action::new(
            "confirm or refuse this proposal",
            "dit voorstel te bevestigen of te weigeren",
        ),
    }
    .into()
}

/// A confirmation decides again on the target as it stands. When the target changed since the
/// proposal, it goes ahead only if the decision comes out as the proposer saw it.
///
/// # Errors
/// `PROPOSAL_STALE`.
pub fn still_as_proposed(
    proposal: &Proposal,
    version_now: Option<u64>,
    events_now: &[Value],
) -> Result<(), Rejection> {
    if version_now == proposal.target_version || events_now == proposal.preview.as_slice() {
        Ok(())
    } else {
        Err(Reason::ProposalStale.into())
    }
}

/// The prefix of a proposals stream: `proposals-<target stream>`.
pub const STREAM_PREFIX: &str = "proposals-";

/// The stream of the proposals about the stream `target`.
pub fn stream_of(target: &str) -> String {
    format!("{STREAM_PREFIX}{target}")
}

/// The target stream of a proposals stream.
pub fn target_of(stream: &str) -> Option<&str> {
    stream.strip_prefix(STREAM_PREFIX)
}

crate::event::event_enum! {
    /// Events of a proposals stream.
    ProposalEvent {
        DecisionProposed = 1,
        ProposalConfirmed = 1,
        ProposalRefused = 1,
        ProposalWithdrawn = 1,
    }
}

/// A weighty decision was proposed, for a second user to confirm. The proposer is the actor in
/// the metadata and in `proposed_by`; the command's reason is the metadata's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DecisionProposed {
    /// The proposal's id, which the confirmation, refusal or withdrawal names.
    pub proposal: ProposalId,
    /// The kind of the target stream (`dossier`, `person`, `registry`, `rule-book`, `access`).
    pub kind: String,
    /// The command proposed, as its JSON (personal data in a dossier's or person's proposal).
    pub command: Value,
    /// Who proposed it.
    pub proposed_by: Actor,
    /// The business date of the proposal.
    pub proposed_on: NaiveDate,
    /// The target's version the proposal was decided on (`None`: the stream was empty).
    pub target_version: Option<u64>,
    /// The events the command would cause then, each `{"type", "payload"}`: what the checker
    /// confirms, and what a confirmation after a change must still come to.
    pub preview: Vec<Value>,
}

/// A second user confirmed a proposal; its events follow in the target stream, their metadata
/// naming both users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalConfirmed {
    /// The proposal confirmed.
    pub proposal: ProposalId,
    /// Who confirmed it: another user than the proposer.
    pub confirmed_by: Actor,
    /// The business date of the confirmation: the date of the decision.
    pub confirmed_on: NaiveDate,
    /// The target's version after the decision.
    pub target_version: Option<u64>,
}

/// A second user refused a proposal (the reason is the metadata's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalRefused {
    /// The proposal refused: nothing of it is decided.
    pub proposal: ProposalId,
    /// Who refused it: another user than the proposer.
    pub refused_by: Actor,
    /// The business date of the refusal.
    pub refused_on: NaiveDate,
}

/// The proposer took their proposal back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalWithdrawn {
    /// The proposal withdrawn: nothing of it is decided.
    pub proposal: ProposalId,
    /// The business date of the withdrawal.
    pub withdrawn_on: NaiveDate,
}

/// Commands of a proposals stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ProposalCommand {
    /// Record a weighty decision as a proposal. The application layer decides `command` on the
    /// target first and gives the version and the events it would cause.
    Propose {
        proposal: ProposalId,
        kind: String,
        /// The command proposed, as its JSON.
        proposed: Value,
        target_version: Option<u64>,
        preview: Vec<Value>,
    },
    /// Confirm another user's proposal (recorded after its events in the target).
    ConfirmProposal {
        proposal: ProposalId,
        target_version: Option<u64>,
    },
    /// Refuse another user's proposal, saying why.
    RefuseProposal {
        proposal: ProposalId,
        reason: String,
    },
    /// Take one's own proposal back.
    WithdrawProposal {
        proposal: ProposalId,
        #[serde(default)]
        reason: Option<String>,
    },
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    Open,
    Confirmed { by: Actor, on: NaiveDate },
    Refused { by: Actor, on: NaiveDate },
    Withdrawn { on: NaiveDate },
}

/// One proposal as its stream knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: ProposalId,
    pub kind: String,
    pub command: Value,
    pub proposed_by: Actor,
    pub proposed_on: NaiveDate,
    pub target_version: Option<u64>,
    pub preview: Vec<Value>,
    pub status: ProposalStatus,
}

impl Proposal {
    /// The weighty decision it proposes (`None` only for a stored proposal of a command the
    /// table no longer lists).
    pub fn decision(&self) -> Option<&'static WeightyDecision> {
        decision_in(&self.kind, &self.command)
    }

    /// What a confirmation tells the target's decider.
    pub fn confirmation(&self) -> Confirmation {
        Confirmation {
            proposal: self.id,
            proposed_by: self.proposed_by,
            proposed_on: self.proposed_on,
        }
    }
}

/// The proposals about one target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposals {
    pub by_id: BTreeMap<ProposalId, Proposal>,
}

impl Proposals {
    pub fn get(&self, id: ProposalId) -> Option<&Proposal> {
        self.by_id.get(&id)
    }

    pub fn open(&self) -> impl Iterator<Item = &Proposal> {
        self.by_id
            .values()
            .filter(|p| p.status == ProposalStatus::Open)
    }

    /// The open proposal `id`, or why a decision on it is refused.
    ///
    /// # Errors
    /// `UNKNOWN_PROPOSAL`, `PROPOSAL_CLOSED`.
    pub fn open_one(&self, id: ProposalId) -> Result<&Proposal, Rejection> {
        let proposal = self.get(id).ok_or(Reason::UnknownProposal)?;
        if proposal.status != ProposalStatus::Open {
            return Err(Reason::ProposalClosed.into());
        }
        Ok(proposal)
    }
}

/// The stream kind of proposals: one stream per target stream.
#[derive(Debug, Clone, Copy)]
pub struct ProposalsStream;

impl crate::Decider for ProposalsStream {
    /// The target stream's name.
    type Id = String;
    type Command = ProposalCommand;
    type Event = ProposalEvent;
    type State = Proposals;
    const KIND: &'static str = "proposals";

    fn stream(target: &String) -> String {
        stream_of(target)
    }

    fn decide(
        command: &ProposalCommand,
        state: &Proposals,
        ctx: &Context<'_>,
    ) -> Result<Vec<ProposalEvent>, Rejection> {
        decide(command, state, ctx)
    }

    /// A proposal carries the reason its command states (and is refused without one the
    /// command needs); the decisions on it, as the table of reasons says.
    fn reason(command: &ProposalCommand) -> Result<Option<String>, Rejection> {
        match command {
            ProposalCommand::Propose { kind, proposed, .. } => {
                command_reasons::stated_in(kind, proposed)
            }
            other => command_reasons::stated(Self::KIND, other),
        }
    }

    fn evolve(state: Proposals, event: &ProposalEvent) -> Proposals {
        evolve(state, event)
    }
}

fn decide(
    command: &ProposalCommand,
    state: &Proposals,
    ctx: &Context<'_>,
) -> Result<Vec<ProposalEvent>, Rejection> {
    match command {
        ProposalCommand::Propose {
            proposal,
            kind,
            proposed,
            target_version,
            preview,
        } => {
            let decision = decision_in(kind, proposed).ok_or(Reason::NotAWeightyDecision)?;
            if deciding_user(ctx.actor).map(|(_, role)| role) != Some(decision.proposed_by) {
                return Err(Reason::NotAuthorised {
                    action: Action::new("propose this decision", "dit besluit voor te stellen"),
                }
                .into());
            }
            if state.get(*proposal).is_some() {
                return Err(Reason::ProposalIdTaken.into());
            }
            Ok(vec![
                DecisionProposed {
                    proposal: *proposal,
                    kind: kind.clone(),
                    command: proposed.clone(),
                    proposed_by: ctx.actor,
                    proposed_on: ctx.today,
                    target_version: *target_version,
                    preview: preview.clone(),
                }
                .into(),
            ])
        }
        ProposalCommand::ConfirmProposal {
            proposal,
            target_version,
        } => {
            let open = state.open_one(*proposal)?;
            confirmable(open, ctx.actor)?;
            Ok(vec![
                ProposalConfirmed {
                    proposal: *proposal,
                    confirmed_by: ctx.actor,
                    confirmed_on: ctx.today,
                    target_version: *target_version,
                }
                .into(),
            ])
        }
        ProposalCommand::RefuseProposal { proposal, .. } => {
            let open = state.open_one(*proposal)?;
            confirmable(open, ctx.actor)?;
            Ok(vec![
                ProposalRefused {
                    proposal: *proposal,
                    refused_by: ctx.actor,
                    refused_on: ctx.today,
                }
                .into(),
            ])
        }
        ProposalCommand::WithdrawProposal { proposal, .. } => {
            let open = state.open_one(*proposal)?;
            let mine = deciding_user(ctx.actor)
                .zip(deciding_user(open.proposed_by))
                .is_some_and(|((me, _), (proposer, _))| me == proposer);
            if !mine {
                return Err(Reason::NotAuthorised {
                    action: Action::new(
                        "withdraw another user's proposal",
                        "het voorstel van een ander in te trekken",
                    ),
                }
                .into());
            }
            Ok(vec![
                ProposalWithdrawn {
                    proposal: *proposal,
                    withdrawn_on: ctx.today,
                }
                .into(),
            ])
        }
    }
}

/// Whether `actor` may decide on the open proposal: another user of the confirming role.
///
/// # Errors
/// As [`confirmable_by`]; `NOT_A_WEIGHTY_DECISION` for a command the table no longer lists.
pub fn confirmable(proposal: &Proposal, actor: Actor) -> Result<(), Rejection> {
    let decision = proposal.decision().ok_or(Reason::NotAWeightyDecision)?;
    confirmable_by(decision, proposal.proposed_by, actor)
}

/// Applies one fact to a proposals stream.
pub fn evolve(mut state: Proposals, event: &ProposalEvent) -> Proposals {
    match event {
        ProposalEvent::DecisionProposed(e) => {
            state.by_id.insert(
                e.proposal,
                Proposal {
                    id: e.proposal,
                    kind: e.kind.clone(),
                    command: e.command.clone(),
                    proposed_by: e.proposed_by,
                    proposed_on: e.proposed_on,
                    target_version: e.target_version,
                    preview: e.preview.clone(),
                    status: ProposalStatus::Open,
                },
            );
        }
        ProposalEvent::ProposalConfirmed(e) => set_status(
            &mut state,
            e.proposal,
            ProposalStatus::Confirmed {
                by: e.confirmed_by,
                on: e.confirmed_on,
            },
        ),
        ProposalEvent::ProposalRefused(e) => set_status(
            &mut state,
            e.proposal,
            ProposalStatus::Refused {
                by: e.refused_by,
                on: e.refused_on,
            },
        ),
        ProposalEvent::ProposalWithdrawn(e) => set_status(
            &mut state,
            e.proposal,
            ProposalStatus::Withdrawn { on: e.withdrawn_on },
        ),
    }
    state
}

fn set_status(state: &mut Proposals, id: ProposalId, status: ProposalStatus) {
    if let Some(proposal) = state.by_id.get_mut(&id) {
        proposal.status = status;
    }
}
