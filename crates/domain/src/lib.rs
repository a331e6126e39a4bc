//! The regulation as code: the pure domain of Dossier, VAPH's case-management system for personal
//! budgets (PAB and PVB). For every command a decider says which events happen or why the command
//! is refused, following the rules numbered in the domain brief (S000-xx, S003-xx, S004-xx and the
//! public-source rules A-, C-, D-, E-, P-). Rule parameters (caps, windows, deadlines, rates) are
//! effective-dated data in the rule book, never literals in a decider.
//!
//! **Architecture Invariant:** this crate must never depend on I/O, the event store, a database,
//! tokio, a clock or randomness. Today's date and the acting user come in a [`Context`]; ids are
//! generated outside and passed in commands. Serialised events are a compatibility boundary: a
//! stored event is never edited, a new schema version comes with an upcaster ([`event::upcast`]).
//!
//! Every kind of stream that decides implements [`Decider`] (command, event, state, `decide`,
//! `evolve`, stream name); [`event::STREAM_KINDS`] lists every kind of stream and the events it
//! holds, the one list the [`Event`] enum, its dispatch, the upcaster and `docs/events.md` come
//! from. The dossier stream ([`dossier`]) holds nearly everything about one person with a
//! disability; the others are the rule book ([`rule_book`]), the organisation registry
//! ([`registry`]), the control samples ([`controls`]), the persons a dossier names ([`persons`])
//! and the index that finds them ([`person_index`]), users
//! and tokens and the access log ([`access`]), and the triage of fraud signals ([`signals`]).
//!
//! The money side (part 2) lives in the dossier stream too: cost claims and their line
//! decisions, the COVID-19 increase, the advance, payments, deductions, year close, recoveries and
//! the final settlement. [`dossier::budget_line()`] computes every figure of a budget year from
//! the dossier state, with the same functions the deciders use.

pub mod access;
mod coded;
pub mod command_reasons;
pub mod controls;
pub mod decider;
pub mod dossier;
pub mod event;
pub mod examples;
pub mod four_eyes;
pub mod labels;
pub mod lineage;
pub mod person_index;
pub mod personal_data;
pub mod persons;
pub mod registry;
pub mod rejection;
pub mod rule_book;
pub mod signals;
pub mod testing;
pub mod values;
pub mod work;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use decider::Decider;
pub use event::{Event, UpcastError, upcast};
pub use rejection::{Reason, Rejection};
pub use rule_book::RuleBook;
pub use values::{
    AgreementId, BudgetId, ClaimId, CombinationId, ControlId, DossierId, EnterpriseNumber, Euro,
    Iban, Insz, OrganisationId, ParseError, PaymentId, PersonId, ProposalId, RecoveryId, ReportId,
    SampleId, TokenId, UserId, VoucherId,
};

/// Who issues a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Actor {
    /// A VAPH staff member (team Budgetbesteding).
    Staff { user: UserId },
    /// A VAPH administrator: may publish rule parameters.
    Admin { user: UserId },
    /// The budgethouder or their legal representative (e.g. via mijnvaph).
    Holder { person: PersonId },
    /// An organisation acting for itself: a VZA, an MFC, a bijstandsorganisatie.
    Organisation { organisation: OrganisationId },
    /// The daily job (`dossier tick --today DATE`), issuing date-driven commands.
    System,
    /// A fraud investigator: triages fraud signals; never changes a dossier.
    Investigator { user: UserId },
    /// History taken over from a system before Dossier (`app::Service::migrate`): the only
    /// actor that may record migrated facts, and only that.
    Migration,
}

impl Actor {
    /// Staff, administrators and the system act for VAPH.
    pub fn is_agency(self) -> bool {
        matches!(self, Self::Staff { .. } | Self::Admin { .. } | Self::System)
    }

    /// The actor's kind as the event metadata records it (`actor_role`).
    pub const fn kind_code(self) -> &'static str {
        match self {
            Self::Staff { .. } => "staff",
            Self::Admin { .. } => "admin",
            Self::Holder { .. } => "holder",
            Self::Organisation { .. } => "organisation",
            Self::System => "system",
            Self::Investigator { .. } => "investigator",
            Self::Migration => "migration",
        }
    }

    /// The user who acts as a person (staff, an administrator, an investigator), with the role
    /// they act in; `None` for the daily job, a migration, a holder or an organisation.
    pub fn as_user(self) -> Option<(UserId, access::Role)> {
        match self {
            Self::Staff { user } => Some((user, access::Role::Staff)),
            Self::Admin { user } => Some((user, access::Role::Admin)),
            Self::Investigator { user } => Some((user, access::Role::Investigator)),
            Self::Holder { .. } | Self::Organisation { .. } | Self::System | Self::Migration => {
                None
            }
        }
    }

    /// Who acted, as the event metadata records it (`actor_id`): the id of the user, person or
    /// organisation, or the kind for the system and migration.
    pub fn id_text(self) -> String {
        match self {
            Self::Staff { user } | Self::Admin { user } | Self::Investigator { user } => {
                user.to_string()
            }
            Self::Holder { person } => person.to_string(),
            Self::Organisation { organisation } => organisation.to_string(),
            Self::System | Self::Migration => self.kind_code().to_owned(),
        }
    }
}

/// What a decider knows besides the command and the stream's state: today's date, the actor, and
/// the state of the rule-book and registry streams (loaded by the application layer).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The business date of the decision; also the "known on" date for rule-book lookups.
    pub today: NaiveDate,
    pub actor: Actor,
    pub rule_book: &'a RuleBook,
    pub registry: &'a registry::Registry,
    /// Set when the command is given as the confirmation of a proposal ([`four_eyes`]).
    pub confirmation: Option<four_eyes::Confirmation>,
}

impl<'a> Context<'a> {
    pub fn new(
        today: NaiveDate,
        actor: Actor,
        rule_book: &'a RuleBook,
        registry: &'a registry::Registry,
    ) -> Self {
        Self {
            today,
            actor,
            rule_book,
            registry,
            confirmation: None,
        }
    }

    /// The same context for a command given as the confirmation `confirmation` (none: given
    /// directly).
    #[must_use]
    pub fn confirmed(self, confirmation: Option<four_eyes::Confirmation>) -> Self {
        Self {
            confirmation,
            ..self
        }
    }
}
