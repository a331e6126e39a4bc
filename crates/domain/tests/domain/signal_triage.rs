//! Investigators dismiss or escalate fraud signals, with a reason.

use domain::signals::{
    Decision, SignalTriage, SignalTriageCommand, SignalTriageEvent, SignalsStream, evolve,
};
use domain::*;

use crate::fixtures::*;

const SIGNAL: &str = "0123456789abcdef0123456789abcdef";

fn decide(
    command: &SignalTriageCommand,
    state: &SignalTriage,
    actor: Actor,
) -> Result<Vec<SignalTriageEvent>, Rejection> {
    decide_as::<SignalsStream>(command, state, actor)
}

fn investigator() -> Actor {
    Actor::Investigator { user: STAFF_USER }
}

fn dismiss(reason: &str) -> SignalTriageCommand {
    SignalTriageCommand::Dismiss {
        signal: SIGNAL.into(),
        reason: reason.into(),
    }
}

#[test]
fn an_investigator_dismisses_and_later_escalates_a_signal_with_reasons() {
    let events = decide(
        &dismiss("credit note explains the overrun"),
        &SignalTriage::default(),
        investigator(),
    )
    .unwrap();
    let state = events.iter().fold(SignalTriage::default(), evolve);
    assert_eq!(state.decision(SIGNAL), Some(Decision::Dismissed));
    assert!(
        decide(&dismiss("again"), &state, investigator())
            .unwrap()
            .is_empty(),
        "the same decision twice changes nothing"
    );
    let escalate = SignalTriageCommand::Escalate {
        signal: SIGNAL.into(),
        reason: "new invoices found".into(),
    };
    let state = decide(&escalate, &state, investigator())
        .unwrap()
        .iter()
        .fold(state, evolve);
    assert_eq!(state.decision(SIGNAL), Some(Decision::Escalated));
}

#[test]
fn only_investigators_triage_and_always_with_a_reason_and_a_real_signal_id() {
    let none = SignalTriage::default();
    assert_eq!(
        decide(&dismiss("x"), &none, staff()).unwrap_err().code(),
        "NOT_AUTHORISED"
    );
    assert_eq!(
        decide(&dismiss("x"), &none, admin()).unwrap_err().code(),
        "NOT_AUTHORISED"
    );
    assert_eq!(
        decide(&dismiss("  "), &none, investigator())
            .unwrap_err()
            .code(),
        "REASON_REQUIRED"
    );
    let bogus = SignalTriageCommand::Escalate {
        signal: "F19".into(),
        reason: "x".into(),
    };
    assert_eq!(
        decide(&bogus, &none, investigator()).unwrap_err().code(),
        "INVALID_INPUT"
    );
}

#[test]
fn an_investigator_changes_no_dossier() {
    world()
        .by(Actor::Investigator { user: STAFF_USER })
        .when(register_person(d(2012, 5, 17)))
        .then_rejected("NOT_AUTHORISED");
}
