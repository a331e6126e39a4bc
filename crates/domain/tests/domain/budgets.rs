//! Budgets: PAB application and grant, PVB, start, lapse, stop, conversion, the zorgbudget switch
//! and the waardebon.

use domain::dossier::*;
use domain::rule_book::Parameter;
use domain::*;

use crate::fixtures::*;

fn adult_born(birth: chrono::NaiveDate) -> domain::testing::Scenario {
    world().after(register_person(birth))
}

#[test]
fn s003_02_pab_for_an_adult_is_accepted_before_2016_04_01_and_refused_from_then() {
    let adult = adult_born(d(1990, 1, 1));
    adult
        .clone()
        .when(apply_pab(d(2016, 3, 31)))
        .then_events(vec![dossier_event(PabApplicationSubmitted {
            budget: PAB,
            submitted_on: d(2016, 3, 31),
            age_on_submission: 26,
            urgent: None,
            rules_applied: vec![],
        })]);
    let rejection = adult
        .clone()
        .when(apply_pab(d(2016, 4, 1)))
        .then_rejected("PAB_ONLY_FOR_MINORS");
    assert_eq!(rejection.rule(), "S003-02");
    assert!(rejection.message_nl().contains("01/04/2016"));
    adult
        .when(apply_pab(d(2016, 4, 2)))
        .then_rejected("PAB_ONLY_FOR_MINORS");
}

#[test]
fn s003_02_pab_application_is_refused_from_the_18th_birthday() {
    let person = adult_born(d(2002, 5, 10));
    person
        .clone()
        .when(apply_pab(d(2020, 5, 9)))
        .then_events(vec![dossier_event(PabApplicationSubmitted {
            budget: PAB,
            submitted_on: d(2020, 5, 9),
            age_on_submission: 17,
            urgent: None,
            rules_applied: vec![applied(Parameter::PabApplicantMaxAgeExclusive, 1)],
        })]);
    person
        .clone()
        .when(apply_pab(d(2020, 5, 10)))
        .then_rejected("PAB_ONLY_FOR_MINORS");
    person
        .when(apply_pab(d(2020, 5, 11)))
        .then_rejected("PAB_ONLY_FOR_MINORS");
}

fn urgent(submitted_on: chrono::NaiveDate, attest: &str) -> DossierCommand {
    DossierCommand::SubmitPabApplication(SubmitPabApplication {
        budget: PAB,
        submitted_on,
        urgent: Some(UrgentProcedure {
            specialist_attest_ref: attest.into(),
        }),
    })
}

#[test]
fn s003_20_the_urgent_procedure_is_for_ages_6_to_17_with_a_specialist_attest() {
    let child = adult_born(d(2010, 6, 15));
    let rejection = child
        .clone()
        .when(urgent(d(2016, 6, 14), "attest dr. Peeters"))
        .then_rejected("SPOED_CONDITIONS_NOT_MET");
    assert_eq!(rejection.rule(), "S003-20");
    child
        .clone()
        .after(urgent(d(2016, 6, 15), "attest dr. Peeters"));
    child
        .clone()
        .after(urgent(d(2028, 6, 14), "attest dr. Peeters"));
    child
        .clone()
        .when(urgent(d(2028, 6, 15), "attest dr. Peeters"))
        .then_rejected("PAB_ONLY_FOR_MINORS");
    child
        .when(urgent(d(2020, 1, 1), ""))
        .then_rejected("SPOED_CONDITIONS_NOT_MET");
}

#[test]
fn s003_28_a_pab_grant_sets_the_start_deadline_and_issues_a_two_year_waardebon() {
    child_with_mother(child_birth())
        .after(apply_pab(d(2019, 11, 1)))
        .when(grant_pab(d(2020, 1, 15)))
        .then_events(vec![
            dossier_event(PabGranted {
                budget: PAB,
                granted_on: d(2020, 1, 15),
                annual_amount: euro("30000.00"),
                start_deadline: d(2020, 4, 15),
                rules_applied: vec![applied(Parameter::PabStartDeadlineMonths, 1)],
            }),
            dossier_event(ValueVoucherIssued {
                voucher: WAARDEBON,
                budget: PAB,
                issued_on: d(2020, 1, 15),
                valid_until: d(2022, 1, 15),
                rules_applied: vec![applied(Parameter::ValueVoucherValidityYears, 1)],
            }),
        ]);
}

fn redeem(on: chrono::NaiveDate, redemption: VoucherRedemption) -> DossierCommand {
    DossierCommand::RedeemValueVoucher(RedeemValueVoucher {
        voucher: WAARDEBON,
        redemption,
        redeemed_on: on,
    })
}

#[test]
fn s003_28_the_waardebon_is_not_exchangeable_for_money_and_valid_two_years() {
    let scenario = child_with_started_pab().by(holder(MOTHER));
    let talk = VoucherRedemption::ExploratoryTalk { organisation: BO };
    let rejection = scenario
        .clone()
        .when(redeem(d(2020, 3, 1), VoucherRedemption::CashPayment))
        .then_rejected("VOUCHER_NOT_EXCHANGEABLE_FOR_MONEY");
    assert_eq!(rejection.rule(), "S003-28");
    scenario.clone().after(redeem(d(2022, 1, 15), talk.clone()));
    scenario
        .clone()
        .when(redeem(d(2022, 1, 16), talk.clone()))
        .then_rejected("VOUCHER_EXPIRED");
    scenario
        .clone()
        .when(redeem(
            d(2020, 3, 1),
            VoucherRedemption::ExploratoryTalk {
                organisation: UNLICENSED,
            },
        ))
        .then_rejected("NOT_A_LICENSED_BO");
    scenario
        .after(redeem(d(2020, 3, 1), talk.clone()))
        .when(redeem(d(2020, 3, 2), talk))
        .then_rejected("VOUCHER_ALREADY_USED");
}

#[test]
fn s003_28_the_daily_job_expires_the_waardebon_the_day_after_its_validity() {
    let scenario = child_with_started_pab();
    let expire = DossierCommand::ExpireValueVoucher(ExpireValueVoucher { voucher: WAARDEBON });
    let state = &scenario.world.dossier;
    let book = &scenario.world.rule_book;
    assert!(!dossier::due_on(d(2022, 1, 15), state, book).contains(&expire));
    assert!(dossier::due_on(d(2022, 1, 16), state, book).contains(&expire));
    scenario
        .clone()
        .today(d(2022, 1, 15))
        .when(expire.clone())
        .then_rejected("NOTHING_DUE");
    let after = scenario
        .today(d(2022, 1, 16))
        .when(expire.clone())
        .then_events(vec![dossier_event(ValueVoucherExpired {
            voucher: WAARDEBON,
            expired_on: d(2022, 1, 16),
        })]);
    assert!(
        !dossier::due_on(d(2022, 1, 16), &after.world.dossier, &after.world.rule_book)
            .contains(&expire)
    );
    after.when(expire).then_rejected("NOTHING_DUE");
}

#[test]
fn a02_a_pab_starts_by_its_deadline_and_lapses_the_day_after() {
    let granted = child_with_mother(child_birth())
        .after(apply_pab(d(2019, 11, 1)))
        .after(grant_pab(d(2020, 1, 15)))
        .after(deregistration(d(2020, 1, 20)));
    granted.clone().after(start(PAB, d(2020, 4, 15)));
    let rejection = granted
        .clone()
        .when(start(PAB, d(2020, 4, 16)))
        .then_rejected("START_DEADLINE_PASSED");
    assert!(rejection.message_nl().contains("15/04/2020"));
    let lapse = DossierCommand::LapseBudget(LapseBudget { budget: PAB });
    let book = &granted.world.rule_book;
    assert!(!dossier::due_on(d(2020, 4, 15), &granted.world.dossier, book).contains(&lapse));
    assert!(dossier::due_on(d(2020, 4, 16), &granted.world.dossier, book).contains(&lapse));
    granted
        .clone()
        .today(d(2020, 4, 15))
        .when(lapse.clone())
        .then_rejected("NOTHING_DUE");
    granted
        .today(d(2020, 4, 16))
        .when(lapse)
        .then_events(vec![dossier_event(BudgetAvailabilityLapsed {
            budget: PAB,
            start_deadline: d(2020, 4, 15),
            lapsed_on: d(2020, 4, 16),
        })]);
}

#[test]
fn s003_09_a_pab_starts_only_after_the_home_guidance_deregistration_attest() {
    let granted = child_with_mother(child_birth())
        .after(apply_pab(d(2019, 11, 1)))
        .after(grant_pab(d(2020, 1, 15)));
    let rejection = granted
        .clone()
        .when(start(PAB, d(2020, 2, 1)))
        .then_rejected("PAB_START_REQUIRES_DEREGISTRATION_ATTEST");
    assert_eq!(rejection.rule(), "S003-09");
    granted
        .clone()
        .after(deregistration(d(2020, 2, 2)))
        .when(start(PAB, d(2020, 2, 1)))
        .then_rejected("PAB_START_REQUIRES_DEREGISTRATION_ATTEST");
    granted
        .after(deregistration(d(2020, 2, 1)))
        .when(start(PAB, d(2020, 2, 1)))
        .then_events(vec![dossier_event(BudgetStarted {
            budget: PAB,
            start_date: d(2020, 2, 1),
        })]);
}

#[test]
fn p03_a_pvb_starts_within_four_months() {
    let available = world()
        .after(register_person(d(1990, 3, 10)))
        .after(designate(CHILD, d(2019, 1, 1)))
        .after(account(
            CHILD,
            AccountHolderRelation::BudgetHolder,
            d(2019, 1, 1),
        ))
        .after(make_pvb_available(d(2019, 6, 1)));
    available.clone().after(start(PVB, d(2019, 10, 1)));
    available
        .when(start(PVB, d(2019, 10, 2)))
        .then_rejected("START_DEADLINE_PASSED");
}

#[test]
fn e04_a_pvb_is_made_available_from_the_18th_birthday() {
    let person = world().after(register_person(d(2002, 5, 10)));
    let rejection = person
        .clone()
        .when(make_pvb_available(d(2020, 5, 9)))
        .then_rejected("PVB_TBS_BEFORE_MAJORITY");
    assert!(rejection.message_nl().contains("10/05/2020"));
    person
        .when(make_pvb_available(d(2020, 5, 10)))
        .then_events(vec![dossier_event(PvbMadeAvailable {
            budget: PVB,
            letter_date: d(2020, 5, 10),
            annual_amount: euro("41000.00"),
            route: PvbRoute::PriorityGroup,
            start_deadline: d(2020, 9, 10),
            rules_applied: vec![
                applied(Parameter::PvbMinimumAgeAtAvailability, 1),
                applied(Parameter::PvbStartDeadlineMonths, 1),
            ],
        })]);
}

fn stop(reason: StopReason, on: chrono::NaiveDate, signed_by: Option<PersonId>) -> DossierCommand {
    DossierCommand::StopBudget(StopBudget {
        budget: PAB,
        reason,
        stop_date: on,
        signed_by,
    })
}

#[test]
fn s003_07_a_pab_stops_voluntarily_by_a_signed_letter_of_the_holder() {
    let running = child_with_started_pab().by(holder(MOTHER));
    let rejection = running
        .clone()
        .when(stop(
            StopReason::Voluntary,
            d(2021, 1, 31),
            Some(PLUS_PARENT),
        ))
        .then_rejected("STOP_REQUEST_NOT_SIGNED_BY_HOLDER");
    assert_eq!(rejection.rule(), "E-01");
    running
        .clone()
        .when(stop(StopReason::Voluntary, d(2021, 1, 31), None))
        .then_rejected("STOP_REQUEST_NOT_SIGNED_BY_HOLDER");
    let stopped = running
        .when(stop(StopReason::Voluntary, d(2021, 1, 31), Some(MOTHER)))
        .then_events(vec![dossier_event(BudgetStopped {
            budget: PAB,
            reason: StopReason::Voluntary,
            stop_date: d(2021, 1, 31),
            signed_by: Some(MOTHER),
        })]);
    stopped
        .when(stop(StopReason::Voluntary, d(2021, 2, 1), Some(MOTHER)))
        .then_rejected("BUDGET_NOT_ACTIVE");
}

#[test]
fn s003_07_a_pab_stops_because_of_death_on_the_date_of_death() {
    let running = child_with_started_pab().by(staff());
    let rejection = running
        .clone()
        .when(stop(StopReason::Death, d(2021, 3, 5), None))
        .then_rejected("DEATH_NOT_RECORDED");
    assert_eq!(rejection.rule(), "S003-07");
    let died = running.after(DossierCommand::RecordDeath(RecordDeath {
        date_of_death: d(2021, 3, 5),
        certificate_ref: "overlijdensakte 2021/77".into(),
    }));
    died.clone()
        .when(stop(StopReason::Death, d(2021, 3, 6), None))
        .then_rejected("DEATH_NOT_RECORDED");
    died.after(stop(StopReason::Death, d(2021, 3, 5), None));
}

#[test]
fn s003_07_a_pab_is_stopped_for_fraud_by_vaph_only() {
    let running = child_with_started_pab();
    running
        .clone()
        .by(holder(MOTHER))
        .when(stop(StopReason::Fraud, d(2021, 3, 5), None))
        .then_rejected("NOT_AUTHORISED");
    running
        .by(staff())
        .after(stop(StopReason::Fraud, d(2021, 3, 5), None));
}

fn convert(
    plan_submitted_on: chrono::NaiveDate,
    converted_on: chrono::NaiveDate,
) -> DossierCommand {
    DossierCommand::ConvertPabToPvbNaJeugdhulp(ConvertPabToPvbNaJeugdhulp {
        pab: PAB,
        pvb: PVB,
        converted_on,
        plan_submitted_on,
        toewijzing_ref: "toewijzing 2031/5".into(),
        annual_amount: euro("27500.00"),
    })
}

#[test]
fn e04_pab_converts_to_pvb_na_jeugdhulp_when_the_plan_came_before_the_22nd_birthday() {
    // The child is born 2010-06-15: 22 on 2032-06-15.
    let running = child_with_started_pab();
    let rejection = running
        .clone()
        .when(convert(d(2032, 6, 15), d(2032, 9, 1)))
        .then_rejected("PVB_NA_JEUGDHULP_DEADLINE_MISSED");
    assert!(rejection.message_nl().contains("15/06/2032"));
    running
        .clone()
        .when(convert(d(2027, 1, 1), d(2028, 6, 14)))
        .then_rejected("PVB_TBS_BEFORE_MAJORITY");
    let converted = running.after(convert(d(2032, 6, 14), d(2032, 9, 1)));
    let state = &converted.world.dossier;
    assert_eq!(state.budgets[&PAB].status, BudgetStatus::ConvertedToPvb);
    assert_eq!(state.budgets[&PVB].status, BudgetStatus::Started);
}

#[test]
fn e07_the_voluntary_switch_to_the_zorgbudget_closed_after_2022_12_31() {
    let running = child_with_started_pab().by(holder(MOTHER));
    let switch = |on| {
        DossierCommand::SwitchToZorgbudget(SwitchToZorgbudget {
            budget: PAB,
            switch_date: on,
        })
    };
    running.clone().after(switch(d(2022, 12, 30)));
    running
        .clone()
        .when(switch(d(2022, 12, 31)))
        .then_events(vec![dossier_event(VoluntarySwitchToZorgbudgetRecorded {
            budget: PAB,
            switch_date: d(2022, 12, 31),
            zorgcontinuity_lost: true,
            terugvalbasis_until: None,
            rules_applied: vec![applied(Parameter::BobSwitchLastDate, 1)],
        })]);
    let rejection = running
        .clone()
        .when(switch(d(2023, 1, 1)))
        .then_rejected("BOB_SWITCH_CLOSED");
    assert!(rejection.message_nl().contains("31/12/2022"));
    running
        .when(switch(d(2023, 1, 2)))
        .then_rejected("BOB_SWITCH_CLOSED");
}

#[test]
fn e07_a_pvb_holder_switching_to_the_zorgbudget_keeps_a_terugvalbasis_of_two_years() {
    adult_with_started_pvb()
        .when(DossierCommand::SwitchToZorgbudget(SwitchToZorgbudget {
            budget: PVB,
            switch_date: d(2021, 3, 1),
        }))
        .then_events(vec![dossier_event(VoluntarySwitchToZorgbudgetRecorded {
            budget: PVB,
            switch_date: d(2021, 3, 1),
            zorgcontinuity_lost: false,
            terugvalbasis_until: Some(d(2023, 3, 1)),
            rules_applied: vec![
                applied(Parameter::BobSwitchLastDate, 1),
                applied(Parameter::BobSwitchTerugvalbasisYears, 1),
            ],
        })]);
}

#[test]
fn annual_amounts_are_set_per_budget_year_with_a_reason() {
    let running = child_with_started_pab();
    let set = |amount: &str, reason: &str| {
        DossierCommand::SetAnnualAmount(SetAnnualAmount {
            budget: PAB,
            year: 2021,
            amount: euro(amount),
            reason: reason.into(),
        })
    };
    running
        .clone()
        .when(set("0", "indexatie"))
        .then_rejected("AMOUNT_MUST_BE_POSITIVE");
    running
        .clone()
        .when(set("30600.00", ""))
        .then_rejected("REASON_REQUIRED");
    let after = running.after(set("30600.00", "indexatie 1 januari"));
    let amounts = &after.world.dossier.budgets[&PAB].annual_amounts;
    assert_eq!(amounts[&2020], euro("30000.00"));
    assert_eq!(amounts[&2021], euro("30600.00"));
}
