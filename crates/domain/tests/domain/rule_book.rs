//! The rule book as data: publishing a parameter changes decisions from its effective date on,
//! and never decisions already taken.

use domain::dossier::*;
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, Source};
use domain::testing::{World, given};
use domain::*;

use crate::fixtures::*;

fn six_month_deadline_from_2025() -> PublishRuleParameter {
    PublishRuleParameter {
        parameter: Parameter::PabStartDeadlineMonths,
        value: ParameterValue::Months(6),
        valid_from: d(2025, 1, 1),
        valid_to: None,
        source: Source {
            rule: "A-02".into(),
            legal_reference: "hypothetical amendment, for this test".into(),
        },
    }
}

fn granted_on(scenario: domain::testing::Scenario, on: chrono::NaiveDate) -> chrono::NaiveDate {
    let after = scenario.after(grant_pab(on));
    after.world.dossier.budgets[&PAB].start_deadline.unwrap()
}

#[test]
fn a_published_parameter_decides_the_same_command_differently_on_each_side_of_its_date() {
    let applied_for = child_with_mother(child_birth()).after(apply_pab(d(2024, 10, 1)));
    let published = applied_for
        .clone()
        .by(admin())
        .today(d(2024, 11, 1))
        .after(six_month_deadline_from_2025())
        .by(staff())
        .today(d(2025, 6, 1));
    assert_eq!(
        granted_on(published.clone(), d(2024, 12, 31)),
        d(2025, 3, 31)
    );
    assert_eq!(granted_on(published.clone(), d(2025, 1, 1)), d(2025, 7, 1));
    // The version applied is recorded in the decision event.
    let (events, _) = published.when(grant_pab(d(2025, 1, 1))).then_accepted();
    let Event::Dossier(DossierEvent::PabGranted(granted)) = &events[0] else {
        panic!("unexpected {events:?}");
    };
    assert_eq!(
        granted.rules_applied,
        vec![applied(Parameter::PabStartDeadlineMonths, 2)]
    );
}

#[test]
fn a_parameter_published_later_does_not_change_an_earlier_decision() {
    // Granted on 2025-01-10, decided that day under the 3-month rule.
    let decided = child_with_mother(child_birth())
        .after(apply_pab(d(2024, 10, 1)))
        .today(d(2025, 1, 10))
        .after(grant_pab(d(2025, 1, 10)));
    assert_eq!(
        decided.world.dossier.budgets[&PAB].start_deadline,
        Some(d(2025, 4, 10))
    );
    // A retroactive change published afterwards...
    let later = decided
        .by(admin())
        .today(d(2025, 2, 1))
        .after(six_month_deadline_from_2025());
    // ...leaves the replayed decision as it was.
    let replayed = later
        .history
        .iter()
        .fold(World::default(), |world, event| world.apply(event));
    assert_eq!(
        replayed.dossier.budgets[&PAB].start_deadline,
        Some(d(2025, 4, 10))
    );
    assert_eq!(
        replayed
            .rule_book
            .history(Parameter::PabStartDeadlineMonths)
            .len(),
        2
    );
}

#[test]
fn rule_parameters_are_published_by_an_administrator_only() {
    given(testing::seed_rule_book())
        .by(staff())
        .when(six_month_deadline_from_2025())
        .then_rejected("NOT_AUTHORISED");
    let (events, _) = given(testing::seed_rule_book())
        .by(admin())
        .today(d(2024, 11, 1))
        .when(six_month_deadline_from_2025())
        .then_accepted();
    let Event::RuleBook(event::RuleBookEvent::RuleParameterPublished(published)) = &events[0]
    else {
        panic!("unexpected {events:?}");
    };
    assert_eq!(published.version.version, 2);
    assert_eq!(published.version.published_on, d(2024, 11, 1));
    assert!(!published.version.placeholder);
    assert_eq!(published.seed, None);
}

#[test]
fn a_decision_without_a_governing_parameter_is_refused_not_guessed() {
    // The urgent-procedure ages are seeded from 2016-04-01 only.
    world()
        .after(register_person(d(2005, 1, 1)))
        .when(DossierCommand::SubmitPabApplication(SubmitPabApplication {
            budget: PAB,
            submitted_on: d(2015, 1, 1),
            urgent: Some(UrgentProcedure {
                specialist_attest_ref: "attest".into(),
            }),
        }))
        .then_rejected("RULE_PARAMETER_MISSING");
}
