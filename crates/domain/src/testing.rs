//! The given/when/then harness: `given(events).when(command).then_events(...)` or
//! `.then_rejected(code)`. Pure, so other crates (and part 2) can test against it too.

use chrono::NaiveDate;

use crate::controls::{self, Controls, ControlsCommand};
use crate::dossier::{self, Dossier, DossierCommand};
use crate::event::{Event, RuleBookEvent};
use crate::person_index::{self, PersonIndex, PersonIndexCommand};
use crate::persons::{self, PersonCommand, PersonRecord};
use crate::registry::{self, Registry, RegistryCommand};
use crate::rejection::Rejection;
use crate::rule_book::{self, PublishRuleParameter, RuleBook};
use crate::{Actor, Context, Decider};

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
            Event::Access(_) | Event::AccessLog(_) | Event::SignalTriage(_) | Event::Lineage(_) => {
            }
        }
        self
    }

    /// Decides a command against the state of its stream.
    ///
    /// # Errors
    /// The rejection of the decider.
    pub fn decide(
        &self,
        command: &Command,
        today: NaiveDate,
        actor: Actor,
    ) -> Result<Vec<Event>, Rejection> {
        let ctx = Context {
            today,
            actor,
            rule_book: &self.rule_book,
            registry: &self.registry,
        };
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
    }
}

/// Past events, plus the date and actor of the next command (default: 2026-01-01, system).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub world: World,
    /// Every event given or accepted so far, in order.
    pub history: Vec<Event>,
    today: NaiveDate,
    actor: Actor,
}

impl Scenario {
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
    pub fn when(self, command: impl Into<Command>) -> Outcome {
        let command = command.into();
        let result = self.world.decide(&command, self.today, self.actor);
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
