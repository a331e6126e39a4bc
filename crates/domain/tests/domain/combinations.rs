//! PAB combinations (combinatieformulier).

use chrono::NaiveDate;
use domain::dossier::*;
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, Source};
use domain::testing::Scenario;
use domain::*;

use crate::fixtures::*;

fn form(change: CombinationChange, from: NaiveDate) -> DossierCommand {
    DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
        combination: COMBINATION,
        budget: PAB,
        change,
        effective_from: from,
        signed_by_holder: true,
        signed_by_provider: true,
        reason: None,
    })
}

fn day_care(day_care: DayCareType, half_days_per_month: u32) -> CombinedCare {
    CombinedCare::MfcDayCare {
        day_care,
        half_days_per_month,
    }
}

fn start_with(care: CombinedCare, from: NaiveDate) -> DossierCommand {
    form(
        CombinationChange::Start {
            provider: MFC,
            care,
        },
        from,
    )
}

fn running_pab() -> Scenario {
    child_with_started_pab().by(holder(MOTHER))
}

fn rate(value: &str, from: NaiveDate) -> PublishRuleParameter {
    PublishRuleParameter {
        parameter: Parameter::PabReductionPerHalfDaySchoolSupplementary,
        value: ParameterValue::Euro(euro(value)),
        valid_from: from,
        valid_to: None,
        source: Source {
            rule: "A-09".into(),
            legal_reference: domain::rule_book::NOT_PUBLIC.into(),
        },
    }
}

#[test]
fn s003_15_a_combination_takes_effect_on_the_first_of_a_month() {
    let care = day_care(DayCareType::SchoolSupplementary, 8);
    let rejection = running_pab()
        .when(start_with(care, d(2020, 3, 2)))
        .then_rejected("COMBINATION_CHANGE_MUST_BE_FULL_CALENDAR_MONTH");
    assert_eq!(rejection.rule(), "S003-15");
    running_pab()
        .when(start_with(care, d(2020, 2, 29)))
        .then_rejected("COMBINATION_CHANGE_MUST_BE_FULL_CALENDAR_MONTH");
    running_pab().after(start_with(care, d(2020, 3, 1)));
}

#[test]
fn s003_13_mfc_day_care_reduces_the_pab_by_half_days_times_the_rate() {
    let scenario = running_pab()
        .by(admin())
        .today(d(2019, 12, 1))
        .after(rate("12.35", d(2020, 1, 1)))
        .by(holder(MOTHER))
        .today(d(2026, 1, 1));
    scenario
        .when(start_with(
            day_care(DayCareType::SchoolSupplementary, 7),
            d(2020, 3, 1),
        ))
        .then_events(vec![dossier_event(PabCombinationStarted {
            combination: COMBINATION,
            budget: PAB,
            provider: MFC,
            care: day_care(DayCareType::SchoolSupplementary, 7),
            effective_from: d(2020, 3, 1),
            monthly_reduction: euro("86.45"),
            rate_per_half_day: Some(euro("12.35")),
            reason: None,
            rules_applied: vec![applied(
                Parameter::PabReductionPerHalfDaySchoolSupplementary,
                2,
            )],
        })]);
}

#[test]
fn s003_10_only_school_supplementary_or_school_replacing_day_care_is_combinable() {
    let rejection = running_pab()
        .when(start_with(day_care(DayCareType::Other, 4), d(2020, 3, 1)))
        .then_rejected("ONLY_SCHOOL_RELATED_DAYCARE_COMBINABLE");
    assert_eq!(rejection.rule(), "S003-10");
    running_pab().after(start_with(
        day_care(DayCareType::SchoolReplacing, 4),
        d(2020, 3, 1),
    ));
    running_pab().after(start_with(
        day_care(DayCareType::SchoolSupplementary, 4),
        d(2020, 3, 1),
    ));
}

#[test]
fn s003_14_the_day_care_comes_from_a_recognised_mfc() {
    running_pab()
        .when(form(
            CombinationChange::Start {
                provider: VZA,
                care: day_care(DayCareType::SchoolReplacing, 4),
            },
            d(2020, 3, 1),
        ))
        .then_rejected("NOT_AN_MFC");
    running_pab()
        .when(start_with(
            day_care(DayCareType::SchoolReplacing, 0),
            d(2020, 3, 1),
        ))
        .then_rejected("HALF_DAYS_REQUIRED");
}

#[test]
fn s003_08_mobile_or_ambulant_guidance_is_not_combinable() {
    let rejection = running_pab()
        .when(start_with(
            CombinedCare::MobileOrAmbulantGuidance,
            d(2020, 3, 1),
        ))
        .then_rejected("PAB_COMBINATION_NOT_ALLOWED");
    assert_eq!(rejection.rule(), "S003-08");
}

#[test]
fn a08_a_residential_stay_in_an_mfc_is_not_combinable() {
    running_pab()
        .when(start_with(CombinedCare::MfcResidential, d(2020, 3, 1)))
        .then_rejected("PAB_MFC_RESIDENTIAL_NOT_ALLOWED");
}

#[test]
fn s003_17_s003_18_go_boarding_school_and_toah_combine_without_reduction() {
    for care in [
        CombinedCare::GoBoardingSchool,
        CombinedCare::TemporaryHomeEducation,
    ] {
        let (events, _) = running_pab()
            .when(start_with(care, d(2020, 9, 1)))
            .then_accepted();
        let Event::Dossier(DossierEvent::PabCombinationStarted(started)) = &events[0] else {
            panic!("unexpected {events:?}");
        };
        assert_eq!(started.monthly_reduction, Euro::ZERO);
        assert_eq!(started.rate_per_half_day, None);
    }
}

#[test]
fn a07_the_form_is_filled_in_by_holder_and_mfc() {
    let DossierCommand::SubmitCombinationForm(command) =
        start_with(day_care(DayCareType::SchoolReplacing, 4), d(2020, 3, 1))
    else {
        unreachable!()
    };
    running_pab()
        .when(DossierCommand::SubmitCombinationForm(
            SubmitCombinationForm {
                signed_by_provider: false,
                ..command
            },
        ))
        .then_rejected("COMBINATION_FORM_NOT_SIGNED");
}

#[test]
fn s003_15_every_change_and_end_is_a_new_form_for_a_later_month() {
    let started = running_pab().after(start_with(
        day_care(DayCareType::SchoolReplacing, 4),
        d(2020, 3, 1),
    ));
    let change = form(
        CombinationChange::Change {
            care: day_care(DayCareType::SchoolReplacing, 6),
        },
        d(2020, 3, 1),
    );
    started
        .clone()
        .when(change)
        .then_rejected("COMBINATION_DATE_BEFORE_CURRENT");
    let changed = started.after(form(
        CombinationChange::Change {
            care: day_care(DayCareType::SchoolReplacing, 6),
        },
        d(2020, 4, 1),
    ));
    assert_eq!(
        changed.world.dossier.combinations[&COMBINATION].monthly_reduction,
        euro("60.00")
    );
    let ended = changed
        .when(form(CombinationChange::End, d(2020, 7, 1)))
        .then_events(vec![dossier_event(PabCombinationEnded {
            combination: COMBINATION,
            effective_from: d(2020, 7, 1),
            reason: None,
        })]);
    ended
        .when(form(CombinationChange::End, d(2020, 8, 1)))
        .then_rejected("COMBINATION_NOT_ACTIVE");
}

/// The same form decided on each side of a published rate change: the rate governs by the
/// month the combination takes effect.
#[test]
fn a09_a_published_rate_change_applies_from_its_effective_month_only() {
    let published = running_pab()
        .by(admin())
        .today(d(2020, 11, 15))
        .after(rate("15.00", d(2021, 1, 1)))
        .by(holder(MOTHER))
        .today(d(2020, 11, 20));
    let care = day_care(DayCareType::SchoolSupplementary, 10);
    let reduction = |scenario: Scenario, from| {
        let after = scenario.after(start_with(care, from));
        after.world.dossier.combinations[&COMBINATION].monthly_reduction
    };
    // Seed placeholder 10.00 up to December 2020, the new 15.00 from January 2021.
    assert_eq!(reduction(published.clone(), d(2020, 12, 1)), euro("100.00"));
    assert_eq!(reduction(published.clone(), d(2021, 1, 1)), euro("150.00"));
    // Known only from its publication date: a decision taken before it sees the old rate.
    let before_publication = running_pab().today(d(2020, 11, 14));
    assert_eq!(reduction(before_publication, d(2021, 1, 1)), euro("100.00"));
}

#[test]
fn a09_the_daily_job_recalculates_a_running_combination_when_a_new_rate_takes_effect() {
    let running = running_pab()
        .today(d(2020, 11, 1))
        .after(start_with(
            day_care(DayCareType::SchoolSupplementary, 10),
            d(2020, 11, 1),
        ))
        .by(admin())
        .today(d(2020, 11, 15))
        .after(rate("15.00", d(2021, 1, 1)))
        .by(Actor::System);
    let book = &running.world.rule_book;
    let dossier = &running.world.dossier;
    assert!(dossier::due_on(d(2020, 12, 31), dossier, book).is_empty());
    let due = dossier::due_on(d(2021, 1, 1), dossier, book);
    let expected =
        DossierCommand::RecalculateCombinationReduction(RecalculateCombinationReduction {
            combination: COMBINATION,
            from: d(2021, 1, 1),
        });
    assert_eq!(due, vec![expected.clone()]);
    let after = running
        .today(d(2021, 1, 1))
        .when(expected.clone())
        .then_events(vec![dossier_event(PabCombinationChanged {
            combination: COMBINATION,
            care: day_care(DayCareType::SchoolSupplementary, 10),
            effective_from: d(2021, 1, 1),
            monthly_reduction: euro("150.00"),
            rate_per_half_day: Some(euro("15.00")),
            reason: Some("rate parameter took effect".into()),
            rules_applied: vec![applied(
                Parameter::PabReductionPerHalfDaySchoolSupplementary,
                2,
            )],
        })]);
    assert!(
        dossier::due_on(d(2021, 1, 1), &after.world.dossier, &after.world.rule_book).is_empty()
    );
    after.when(expected).then_rejected("NOTHING_DUE");
}
