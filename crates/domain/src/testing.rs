//! The given/when/then harness: `given(events).when(command).then_events(...)` or
//! `.then_rejected(code)`. Pure, so other crates (and part 2) can test against it too.

use chrono::NaiveDate;

use crate::controls::{self, Controls, ControlsCommand};
use crate::dossier::{self, Dossier, DossierCommand};
use crate::event::{Event, RuleBookEvent};
use crate::four_eyes::Confirmation;
use crate::person_index::{self, PersonIndex, PersonIndexCommand};
use crate::persons::{self, PersonCommand, PersonRecord};
use crate::registry::{self, Registry, RegistryCommand};
use crate::rejection::Rejection;
use crate::rule_book::{self, PublishRuleParameter, RuleBook};
use crate::values::{ProposalId, UserId};
use crate::{Actor, Context, Decider};
use uuid::Uuid;

/// A command for the kinds of stream a scenario runs (access and signals have tests of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    RuleBook(PublishRuleParameter),
    Registry(RegistryCommand),
    Dossier(DossierCommand),
    Controls(ControlsCommand),
    PersonIndex(PersonIndexCommand),
    Person(PersonCommand),
}

impl From<PersonCommand> for Command {
    fn from(command: PersonCommand) -> Self {
        Self::Person(command)
    }
}

impl From<PersonIndexCommand> for Command {
    fn from(command: PersonIndexCommand) -> Self {
        Self::PersonIndex(command)
    }
}

impl From<ControlsCommand> for Command {
    fn from(command: ControlsCommand) -> Self {
        Self::Controls(command)
    }
}

impl From<PublishRuleParameter> for Command {
    fn from(command: PublishRuleParameter) -> Self {
        Self::RuleBook(command)
    }
}

impl From<RegistryCommand> for Command {
    fn from(command: RegistryCommand) -> Self {
        Self::Registry(command)
    }
}

impl From<DossierCommand> for Command {
    fn from(command: DossierCommand) -> Self {
        Self::Dossier(command)
    }
}

/// The state of one rule book, one registry, one dossier, the controls stream, one person's
/// index stream and one person's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    pub rule_book: RuleBook,
    pub registry: Registry,
    pub dossier: Dossier,
    pub controls: Controls,
    pub person_index: PersonIndex,
    pub person: PersonRecord,
}

impl World {
    /// Applies one event to the state of its stream.
    pub fn apply(mut self, event: &Event) -> Self {
        match event {
            Event::RuleBook(RuleBookEvent::RuleParameterPublished(e)) => {
                self.rule_book = rule_book::evolve(self.rule_book, e);
            }
            Event::Registry(e) => self.registry = registry::evolve(self.registry, e),
            Event::Dossier(e) => self.dossier = dossier::evolve(self.dossier, e),
            Event::Controls(e) => self.controls = controls::evolve(self.controls, e),
            Event::PersonIndex(e) => {
                self.person_index = person_index::evolve(self.person_index, e);
            }
            Event::Person(e) => self.person = persons::evolve(self.person, e),
            // Access has its own state and decider (`access::decide`), tested directly; the
            // access log is facts only.
            Event::Access(_)
            | Event::AccessLog(_)
            | Event::SignalTriage(_)
            | Event::Proposals(_)
            | Event::Work(_)
            | Event::Lineage(_) => {}
        }
        self
    }

    /// Decides a command against the state of its stream, a weighty one as confirmed by a
    /// colleague of the actor ([`colleague_of`]): the rules of a decision are tested apart from
    /// the four-eyes rule, which [`Self::decide_with`] tests.
    ///
    /// # Errors
    /// The rejection of the decider.
    pub fn decide(
        &self,
        command: &Command,
        today: NaiveDate,
        actor: Actor,
    ) -> Result<Vec<Event>, Rejection> {
        let confirmation = Confirmation {
            proposal: ProposalId::default(),
            proposed_by: colleague_of(actor),
            proposed_on: today,
        };
        self.decide_with(command, today, actor, Some(confirmation))
    }

    /// Decides a command given directly (`None`) or as the confirmation of a proposal.
    ///
    /// # Errors
    /// The rejection of the decider.
    pub fn decide_with(
        &self,
        command: &Command,
        today: NaiveDate,
        actor: Actor,
        confirmation: Option<Confirmation>,
    ) -> Result<Vec<Event>, Rejection> {
        let ctx =
            Context::new(today, actor, &self.rule_book, &self.registry).confirmed(confirmation);
        Ok(match command {
            Command::RuleBook(c) => {
                rule_book::RuleBookStream::decide_checked(c, &self.rule_book, &ctx)?
                    .into_iter()
                    .map(Event::from)
                    .collect()
            }
            Command::Registry(c) => {
                registry::RegistryStream::decide_checked(c, &self.registry, &ctx)?
                    .into_iter()
                    .map(Event::from)
                    .collect()
            }
            Command::Dossier(c) => dossier::DossierStream::decide_checked(c, &self.dossier, &ctx)?
                .into_iter()
                .map(Event::from)
                .collect(),
            Command::Controls(c) => {
                controls::ControlsStream::decide_checked(c, &self.controls, &ctx)?
                    .into_iter()
                    .map(Event::from)
                    .collect()
            }
            Command::PersonIndex(c) => {
                { person_index::PersonIndexStream::decide_checked(c, &self.person_index, &ctx)? }
                    .into_iter()
                    .map(Event::from)
                    .collect()
            }
            Command::Person(c) => persons::PersonStream::decide_checked(c, &self.person, &ctx)?
                .into_iter()
                .map(Event::from)
                .collect(),
        })
    }
}

/// Another user of the same role as `actor` (the actor itself when it is no user): who
/// proposed what `actor` confirms in a scenario.
pub fn colleague_of(actor: Actor) -> Actor {
    let other = |user: UserId| UserId::from_uuid(Uuid::from_u128(user.as_uuid().as_u128() ^ 1));
    match actor {
        Actor::Staff { user } => Actor::Staff { user: other(user) },
        Actor::Admin { user } => Actor::Admin { user: other(user) },
        Actor::Investigator { user } => Actor::Investigator { user: other(user) },
        other => other,
    }
}

/// The events of the seed rule book (`seed/rulebook-v1.json`).
///
/// # Panics
/// If the seed is broken, which a unit test of the rule book catches first.
pub fn seed_rule_book() -> Vec<Event> {
    rule_book::seed_events()
        .expect("the rule-book seed is valid")
        .into_iter()
        .map(Event::from)
        .collect()
}

/// Starts a scenario from past events.
pub fn given(events: impl IntoIterator<Item = Event>) -> Scenario {
    let history: Vec<Event> = events.into_iter().collect();
    let world = history
        .iter()
        .fold(World::default(), |world, event| world.apply(event));
    Scenario {
        world,
        history,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        actor: Actor::System,
        confirmation: Given::ByColleague,
    }
}

/// How a scenario's next command is given, for the four-eyes rule.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// As the confirmation of a colleague's proposal (the default).
    ByColleague,
    /// Directly, without a proposal.
    Directly,
    /// As the confirmation of a proposal this actor made.
    ProposedBy(Actor),
}

/// Past events, plus the date and actor of the next command (default: 2026-01-01, system).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub world: World,
    /// Every event given or accepted so far, in order.
    pub history: Vec<Event>,
    today: NaiveDate,
    actor: Actor,
    confirmation: Given,
}

impl Scenario {
    /// The next command is given directly, not as the confirmation of a proposal.
    #[must_use]
    pub fn directly(mut self) -> Self {
        self.confirmation = Given::Directly;
        self
    }

    /// The next command is given as the confirmation of a proposal that `proposer` made.
    #[must_use]
    pub fn proposed_by(mut self, proposer: Actor) -> Self {
        self.confirmation = Given::ProposedBy(proposer);
        self
    }

    #[must_use]
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
    }

    #[must_use]
    pub fn by(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    /// Decides the command, asserts it is accepted and applies its events: a step of the "given"
    /// part, or on its own an assertion that the command is accepted.
    ///
    /// # Panics
    /// When the command is refused.
    #[track_caller]
    pub fn after(self, command: impl Into<Command>) -> Self {
        self.when(command).then_accepted().1
    }

    /// Decides the command.
    pub fn when(mut self, command: impl Into<Command>) -> Outcome {
        let command = command.into();
        let given = std::mem::replace(&mut self.confirmation, Given::ByColleague);
        let result = match given {
            Given::ByColleague => self.world.decide(&command, self.today, self.actor),
            Given::Directly => self
                .world
                .decide_with(&command, self.today, self.actor, None),
            Given::ProposedBy(proposer) => self.world.decide_with(
                &command,
                self.today,
                self.actor,
                Some(Confirmation {
                    proposal: ProposalId::default(),
                    proposed_by: proposer,
                    proposed_on: self.today,
                }),
            ),
        };
        Outcome {
            scenario: self,
            command,
            result,
        }
    }
}

/// The decision of a command, to check.
#[derive(Debug)]
pub struct Outcome {
    scenario: Scenario,
    command: Command,
    result: Result<Vec<Event>, Rejection>,
}

impl Outcome {
    /// Asserts exactly these events; returns the scenario with them applied.
    ///
    /// # Panics
    /// When the command was refused or produced other events.
    #[track_caller]
    pub fn then_events(self, expected: Vec<Event>) -> Scenario {
        let events = self.then_accepted();
        assert_eq!(events.0, expected, "unexpected events");
        events.1
    }

    /// Asserts that the command was accepted; returns its events and the scenario after them.
    ///
    /// # Panics
    /// When the command was refused.
    #[track_caller]
    pub fn then_accepted(self) -> (Vec<Event>, Scenario) {
        match self.result {
            Ok(events) => {
                let mut scenario = self.scenario;
                scenario.world = events
                    .iter()
                    .fold(scenario.world, |world, event| world.apply(event));
                scenario.history.extend(events.iter().cloned());
                (events, scenario)
            }
            Err(rejection) => panic!(
                "expected {:?} to be accepted, it was refused: {rejection}",
                self.command
            ),
        }
    }

    /// Asserts a refusal with this code; returns the rejection to check further.
    ///
    /// # Panics
    /// When the command was accepted or refused with another code.
    #[track_caller]
    pub fn then_rejected(self, code: &str) -> Rejection {
        match self.result {
            Ok(events) => panic!(
                "expected {:?} to be refused with {code}, it produced {events:?}",
                self.command
            ),
            Err(rejection) => {
                assert_eq!(
                    rejection.code(),
                    code,
                    "refused for another reason: {rejection}"
                );
                assert!(!rejection.message_nl().is_empty());
                rejection
            }
        }
    }
}
