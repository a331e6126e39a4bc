//! One shape for every kind of stream that decides: a command and the stream's state go in,
//! events or a refusal come out; events fold into the state. The application layer has one
//! executor for every [`Decider`]; the list of stream kinds (and of the events each may hold) is
//! [`crate::event::STREAM_KINDS`].

use crate::event::Event;
use crate::{Context, Rejection};

/// A kind of stream with its commands, events and state, in the spirit of fmodel's `Decider` and
/// cqrs-es's `Aggregate`. Implementations are unit types named after the stream
/// (`dossier::DossierStream`, `registry::RegistryStream`, …).
pub trait Decider {
    /// What names one stream of this kind: a [`crate::DossierId`] for a dossier, `()` for a kind
    /// with a single stream.
    type Id;
    /// What may be asked of the stream.
    type Command;
    /// What the stream records; one variant of [`Event`].
    type Event: Clone + Into<Event> + TryFrom<Event, Error = Event>;
    /// What the stream's events add up to.
    type State: Clone + Default;

    /// The kind in words, for messages about a stream of it (`"dossier"`, `"registry"`).
    const KIND: &'static str;

    /// The name of the stream `id` names.
    fn stream(id: &Self::Id) -> String;

    /// Which events `command` causes in a stream whose events folded into `state`, or why it is
    /// refused. Pure: the date, the actor and the other streams' states come in `ctx`.
    ///
    /// # Errors
    /// The refusal, with its stable code and rule.
    fn decide(
        command: &Self::Command,
        state: &Self::State,
        ctx: &Context<'_>,
    ) -> Result<Vec<Self::Event>, Rejection>;

    /// [`Self::decide`], then the reason, then four-eyes: a command the rules accept is still
    /// refused with `REASON_REQUIRED` when [`crate::command_reasons`] requires a reason it does
    /// not state, and with `PROPOSAL_REQUIRED` or `FOUR_EYES_SAME_USER` when it is a weighty
    /// decision ([`Self::weighty`]) a person gives without another user's proposal. The one way
    /// the service and the tests decide.
    ///
    /// # Errors
    /// The refusal of the rules, `REASON_REQUIRED`, `PROPOSAL_REQUIRED`, `FOUR_EYES_SAME_USER`.
    fn decide_checked(
        command: &Self::Command,
        state: &Self::State,
        ctx: &Context<'_>,
    ) -> Result<Vec<Self::Event>, Rejection> {
        let events = Self::decide_as_proposed(command, state, ctx)?;
        // A command that changes nothing (a retried erasure) decides nothing to confirm.
        if let Some(decision) = Self::weighty(command).filter(|_| !events.is_empty()) {
            crate::four_eyes::check(decision, ctx)?;
        }
        Ok(events)
    }

    /// [`Self::decide`] and the reason, as [`Self::decide_checked`] but without the four-eyes
    /// rule: what a proposal of a weighty decision would cause, shown to the one who confirms it.
    ///
    /// # Errors
    /// The refusal of the rules, or `REASON_REQUIRED`.
    fn decide_as_proposed(
        command: &Self::Command,
        state: &Self::State,
        ctx: &Context<'_>,
    ) -> Result<Vec<Self::Event>, Rejection> {
        let events = Self::decide(command, state, ctx)?;
        Self::reason(command)?;
        Ok(events)
    }

    /// The weighty decision `command` is, as the table [`crate::four_eyes`] lists it: a person
    /// gives it only as the confirmation of another user's proposal. None for the kinds no
    /// weighty decision is given to.
    fn weighty(_command: &Self::Command) -> Option<&'static crate::four_eyes::WeightyDecision> {
        None
    }

    /// The reason `command` states, which the metadata of its events carries: for the kinds
    /// people give commands to, as the table [`crate::command_reasons`] says; none for the
    /// kinds only the service writes.
    ///
    /// # Errors
    /// `REASON_REQUIRED`, as [`crate::command_reasons::stated`].
    fn reason(_command: &Self::Command) -> Result<Option<String>, Rejection> {
        Ok(None)
    }

    /// Applies one fact. Never refuses: facts have happened.
    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;

    /// The state after `events`, from the initial state.
    fn fold<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self::State
    where
        Self::Event: 'a,
    {
        events
            .into_iter()
            .fold(Self::State::default(), |state, event| {
                Self::evolve(state, event)
            })
    }
}
