//! Investigators' triage of fraud signals (brief §6: "keep a signal-fired stream … so that an
//! audit can show why a case was or was not pursued").
//!
//! Signals are raised by the read side from recorded facts, each with a deterministic id (32
//! hexadecimal digits). An investigator dismisses or escalates one, with a reason, as an event in
//! the signals stream; the decision is keyed by the signal's id, so it survives a rebuild of the
//! read models and is shown again when the signal is raised anew.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Actor;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};

crate::event::event_enum! {
    /// Events of the signals stream.
    SignalTriageEvent {
        RiskSignalDismissed = 1,
        RiskSignalEscalated = 1,
    }
}

/// An investigator judged a signal not worth pursuing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RiskSignalDismissed {
    /// The signal's id, as the signals read model shows it.
    pub signal: String,
    /// Why it is dismissed.
    pub reason: String,
}

/// An investigator sent a signal on for investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RiskSignalEscalated {
    /// The signal's id, as the signals read model shows it.
    pub signal: String,
    /// Why it is escalated.
    pub reason: String,
}

/// Commands of the signals stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalTriageCommand {
    Dismiss { signal: String, reason: String },
    Escalate { signal: String, reason: String },
}

/// The latest decision about each signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Dismissed,
    Escalated,
}

/// State of the signals stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignalTriage {
    decisions: BTreeMap<String, Decision>,
}

impl SignalTriage {
    pub fn decision(&self, signal: &str) -> Option<Decision> {
        self.decisions.get(signal).copied()
    }
}

fn is_signal_id(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Decides a triage command: investigators only, always with a reason; the same decision again
/// changes nothing.
///
/// # Errors
/// `NOT_AUTHORISED`, `REASON_REQUIRED`, `INVALID_INPUT` (not a signal id).
pub fn decide(
    command: &SignalTriageCommand,
    state: &SignalTriage,
    actor: Actor,
) -> Result<Vec<SignalTriageEvent>, Rejection> {
    if !matches!(actor, Actor::Investigator { .. }) {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "dismiss or escalate a fraud signal",
                "een fraudesignaal af te wijzen of door te zetten",
            ),
        }
        .into());
    }
    let (signal, reason, decision) = match command {
        SignalTriageCommand::Dismiss { signal, reason } => (signal, reason, Decision::Dismissed),
        SignalTriageCommand::Escalate { signal, reason } => (signal, reason, Decision::Escalated),
    };
    if !is_signal_id(signal) {
        return Err(Reason::InvalidInput {
            field: "signal",
            problem: "a signal id of 32 hexadecimal digits",
        }
        .into());
    }
    if state.decision(signal) == Some(decision) {
        return Ok(vec![]);
    }
    let (signal, reason) = (signal.clone(), reason.clone());
    Ok(vec![match decision {
        Decision::Dismissed => RiskSignalDismissed { signal, reason }.into(),
        Decision::Escalated => RiskSignalEscalated { signal, reason }.into(),
    }])
}

/// The name of the one signals stream.
pub const STREAM: &str = "signals";

/// The stream of investigators' decisions about fraud signals (the read side honours it).
#[derive(Debug, Clone, Copy)]
pub struct SignalsStream;

impl crate::Decider for SignalsStream {
    type Id = ();
    type Command = SignalTriageCommand;
    type Event = SignalTriageEvent;
    type State = SignalTriage;
    const KIND: &'static str = "signals";

    fn stream((): &()) -> String {
        STREAM.to_owned()
    }

    fn decide(
        command: &SignalTriageCommand,
        state: &SignalTriage,
        ctx: &crate::Context<'_>,
    ) -> Result<Vec<SignalTriageEvent>, Rejection> {
        decide(command, state, ctx.actor)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn evolve(state: SignalTriage, event: &SignalTriageEvent) -> SignalTriage {
        evolve(state, event)
    }
}

/// Applies one fact to the signals stream.
pub fn evolve(mut state: SignalTriage, event: &SignalTriageEvent) -> SignalTriage {
    match event {
        SignalTriageEvent::RiskSignalDismissed(e) => {
            state
                .decisions
                .insert(e.signal.clone(), Decision::Dismissed);
        }
        SignalTriageEvent::RiskSignalEscalated(e) => {
            state
                .decisions
                .insert(e.signal.clone(), Decision::Escalated);
        }
    }
    state
}
