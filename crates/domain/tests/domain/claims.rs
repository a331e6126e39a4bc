//! Cost claims (kostenstaat): submission, the decision proposed for each line, deadlines at
//! their boundary dates, late exceptions, and staff decisions, overrides and reversals.

use chrono::NaiveDate;
use domain::dossier::*;
use domain::testing::Scenario;
use domain::*;

use crate::fixtures::*;

fn one(scenario: Scenario, year: i32, submitted_on: NaiveDate, line: CostLine) -> String {
    outcome_codes(scenario, claim(CLAIM, PAB, year, submitted_on, vec![line]))
        .pop()
        .unwrap()
}

/// A PAB with an amount and an approved agreement in 2018 and 2019 (for the old deadline).
fn pab_in_2018() -> Scenario {
    child_with_started_pab()
        .after(annual(PAB, 2018, "30000.00"))
        .after(annual(PAB, 2019, "30000.00"))
        .by(holder(MOTHER))
        .after(register_agreement(cash_agreement(PAB, d(2018, 1, 1))))
        .by(staff())
        .after(approve(AGREEMENT))
}

#[test]
fn s003_21_a_valid_claim_is_recorded_and_every_line_decided_in_the_same_decision() {
    let (events, scenario) = pab_with_agreement()
        .by(holder(MOTHER))
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 15),
            vec![
                cost_line(1, "1200.00", d(2020, 3, 1), d(2020, 3, 31)),
                cost_line(2, "800.00", d(2020, 1, 1), d(2020, 1, 31)),
            ],
        ))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::CostClaimSubmitted(e)) if e.sequence_no == 1 && e.lines.len() == 2
    ));
    assert_eq!(
        line_outcomes(&events),
        vec![
            (1, "ACCEPTED".into()),
            (2, "OUTSIDE_AGREEMENT_PERIOD".into())
        ]
    );
    let Event::Dossier(DossierEvent::CostLineAccepted(accepted)) = &events[1] else {
        panic!("expected an accepted line")
    };
    assert!(accepted.rules_applied.contains(&applied(
        domain::rule_book::Parameter::CostDeadlineDayOfNextYear,
        2
    )));
    let Event::Dossier(DossierEvent::CostLineRejected(rejected)) = &events[2] else {
        panic!("expected a rejected line")
    };
    assert_eq!(rejected.rule, "S004-18");
    assert_eq!(line_of(&scenario, PAB, 2020).accepted, euro("1200.00"));
}

#[test]
fn whole_claim_problems_refuse_the_command_and_record_nothing() {
    let scenario = pab_with_agreement().by(holder(MOTHER));
    let line = cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31));
    scenario
        .clone()
        .when(claim(CLAIM, PAB, 2023, d(2024, 1, 15), vec![line.clone()]))
        .then_rejected("NO_BUDGET_FOR_YEAR");
    scenario
        .clone()
        .when(claim(CLAIM, PAB, 2020, d(2021, 1, 15), vec![]))
        .then_rejected("EMPTY_COST_CLAIM");
    scenario
        .clone()
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 15),
            vec![line.clone(), line.clone()],
        ))
        .then_rejected("DUPLICATE_COST_LINE");
    scenario
        .clone()
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 15),
            vec![cost_line(1, "100.00", d(2020, 12, 1), d(2021, 1, 31))],
        ))
        .then_rejected("COST_LINE_OUTSIDE_BUDGET_YEAR");
    scenario
        .clone()
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 15),
            vec![cost_line(1, "100.00", d(2020, 3, 31), d(2020, 3, 1))],
        ))
        .then_rejected("COST_LINE_PERIOD_INVALID");
    scenario
        .clone()
        .by(holder(PLUS_PARENT))
        .when(claim(CLAIM, PAB, 2020, d(2021, 1, 15), vec![line.clone()]))
        .then_rejected("NOT_AUTHORISED");
    scenario
        .after(claim(CLAIM, PAB, 2020, d(2021, 1, 15), vec![line.clone()]))
        .when(claim(CLAIM, PAB, 2020, d(2021, 1, 16), vec![line]))
        .then_rejected("DUPLICATE_COST_CLAIM");
}

#[test]
fn d04_costs_of_2018_until_2019_03_01() {
    let line = cost_line(1, "100.00", d(2018, 5, 1), d(2018, 5, 31));
    assert_eq!(
        one(pab_in_2018(), 2018, d(2019, 2, 28), line.clone()),
        "ACCEPTED"
    );
    assert_eq!(
        one(pab_in_2018(), 2018, d(2019, 3, 1), line.clone()),
        "ACCEPTED"
    );
    assert_eq!(
        one(pab_in_2018(), 2018, d(2019, 3, 2), line),
        "COST_DEADLINE_PASSED"
    );
    let line = cost_line(1, "100.00", d(2019, 5, 1), d(2019, 5, 31));
    assert_eq!(
        one(pab_in_2018(), 2019, d(2020, 3, 1), line.clone()),
        "ACCEPTED"
    );
    assert_eq!(
        one(pab_in_2018(), 2019, d(2020, 3, 2), line),
        "COST_DEADLINE_PASSED"
    );
}

#[test]
fn d01_costs_of_2020_until_2021_04_01_and_of_2021_until_2022_04_01() {
    let line = cost_line(1, "100.00", d(2020, 5, 1), d(2020, 5, 31));
    for (on, expected) in [
        (d(2021, 3, 31), "ACCEPTED"),
        (d(2021, 4, 1), "ACCEPTED"),
        (d(2021, 4, 2), "COST_DEADLINE_PASSED"),
    ] {
        assert_eq!(one(pab_with_agreement(), 2020, on, line.clone()), expected);
    }
    let line = cost_line(1, "100.00", d(2021, 5, 1), d(2021, 5, 31));
    assert_eq!(
        one(pab_with_agreement(), 2021, d(2022, 4, 1), line.clone()),
        "ACCEPTED"
    );
    let rejection_rule = pab_with_agreement()
        .when(claim(CLAIM, PAB, 2021, d(2022, 4, 2), vec![line]))
        .then_accepted()
        .0
        .into_iter()
        .find_map(|e| match e {
            Event::Dossier(DossierEvent::CostLineRejected(r)) => Some(r.rule),
            _ => None,
        });
    assert_eq!(rejection_rule.as_deref(), Some("D-01"));
}

#[test]
fn d04_then_d01_a_2020_claim_decided_in_2020_meets_the_deadline_known_then() {
    // D-01 (1 April) was published on 1 January 2021; during 2020 the deadline known for 2020
    // costs was D-04's 1 March. A claim decided in 2020 records D-04, one decided after the
    // publication D-01: what was known on the decision date decides.
    let line = cost_line(1, "100.00", d(2020, 5, 1), d(2020, 5, 31));
    let deadline_rule = |today: NaiveDate, submitted_on: NaiveDate| {
        let events = pab_with_agreement()
            .by(holder(MOTHER))
            .today(today)
            .when(claim(CLAIM, PAB, 2020, submitted_on, vec![line.clone()]))
            .then_accepted()
            .0;
        assert_eq!(line_outcomes(&events), vec![(1, "ACCEPTED".into())]);
        events
            .iter()
            .find_map(|e| match e {
                Event::Dossier(DossierEvent::CostLineAccepted(a)) => a
                    .rules_applied
                    .iter()
                    .find(|r| {
                        r.parameter == domain::rule_book::Parameter::CostDeadlineDayOfNextYear
                    })
                    .map(|r| r.version),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(deadline_rule(d(2020, 6, 15), d(2020, 6, 15)), 1, "D-04");
    assert_eq!(deadline_rule(d(2021, 3, 15), d(2021, 3, 15)), 2, "D-01");
}

#[test]
fn c1_covid_costs_after_2021_03_01_are_held_until_the_general_deadline() {
    let line = covid_line(1, "500.00", d(2020, 4, 1), d(2020, 4, 30));
    for (on, expected) in [
        (d(2021, 3, 1), "ACCEPTED"),
        (d(2021, 3, 2), "HELD:COVID_DEADLINE_CONFLICT"),
        (d(2021, 4, 1), "HELD:COVID_DEADLINE_CONFLICT"),
        (d(2021, 4, 2), "COST_DEADLINE_PASSED"),
    ] {
        assert_eq!(
            one(pab_with_covid_agreement(), 2020, on, line.clone()),
            expected,
            "submitted on {on}"
        );
    }
    // A regular line in the same late claim is not held.
    let both = outcome_codes(
        pab_with_covid_agreement(),
        claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 3, 2),
            vec![line, cost_line(2, "100.00", d(2020, 5, 1), d(2020, 5, 31))],
        ),
    );
    assert_eq!(both, vec!["HELD:COVID_DEADLINE_CONFLICT", "ACCEPTED"]);
}

fn late(reason: LateExceptionReason) -> Option<LateException> {
    Some(LateException {
        reason,
        motivation: "factuur arbeidsongevallenverzekering kwam in mei".into(),
        evidence_ref: "brief verzekeraar".into(),
    })
}

fn late_claim(
    year: i32,
    on: NaiveDate,
    exception: Option<LateException>,
    line: CostLine,
) -> DossierCommand {
    DossierCommand::SubmitCostClaim(SubmitCostClaim {
        claim: CLAIM,
        budget: PAB,
        budget_year: year,
        submitted_on: on,
        channel: ClaimChannel::Paper,
        late_exception: exception,
        lines: vec![line],
    })
}

#[test]
fn d02_a_late_claim_with_an_accepted_reason_until_two_years_later() {
    let line = cost_line(1, "100.00", d(2020, 5, 1), d(2020, 5, 31));
    let dispute = late(LateExceptionReason::ContractDispute);
    let (events, _) = pab_with_agreement()
        .when(late_claim(
            2020,
            d(2022, 4, 1),
            dispute.clone(),
            line.clone(),
        ))
        .then_accepted();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Dossier(DossierEvent::CostLineAccepted(a)) if a.late_exception_applied
    )));
    for (on, exception) in [
        (d(2022, 4, 2), dispute),
        (d(2021, 6, 1), late(LateExceptionReason::Other)),
        (
            d(2021, 6, 1),
            Some(LateException {
                evidence_ref: String::new(),
                ..late(LateExceptionReason::ContractDispute).unwrap()
            }),
        ),
    ] {
        assert_eq!(
            outcome_codes(
                pab_with_agreement(),
                late_claim(2020, on, exception, line.clone())
            ),
            vec!["LATE_EXCEPTION_NOT_ALLOWED"]
        );
    }
}

#[test]
fn d02_the_allowed_reasons_depend_on_the_year() {
    let line = cost_line(1, "100.00", d(2022, 5, 1), d(2022, 5, 31));
    assert_eq!(
        outcome_codes(
            pab_with_agreement(),
            late_claim(
                2022,
                d(2023, 5, 1),
                late(LateExceptionReason::ContractDispute),
                line.clone()
            )
        ),
        vec!["LATE_EXCEPTION_NOT_ALLOWED"]
    );
    assert_eq!(
        outcome_codes(
            pab_with_agreement(),
            late_claim(
                2022,
                d(2023, 5, 1),
                late(LateExceptionReason::FullTimeAdmissionWholeMarch),
                line
            )
        ),
        vec!["ACCEPTED"]
    );
}

#[test]
fn s004_08_no_extra_charges_for_service_dates_in_the_freeze() {
    let extra = |from: NaiveDate, to: NaiveDate| CostLine {
        provider: Provider::Organisation { organisation: VZA },
        nature: CostNature::ExtraCharges,
        ..cost_line(1, "250.00", from, to)
    };
    for (from, to, expected) in [
        (d(2020, 3, 13), d(2020, 3, 13), "ACCEPTED"),
        (
            d(2020, 3, 14),
            d(2020, 3, 14),
            "NO_EXTRA_CHARGES_DURING_COVID_FREEZE",
        ),
        (
            d(2020, 3, 1),
            d(2020, 3, 31),
            "NO_EXTRA_CHARGES_DURING_COVID_FREEZE",
        ),
        (
            d(2020, 9, 30),
            d(2020, 9, 30),
            "NO_EXTRA_CHARGES_DURING_COVID_FREEZE",
        ),
        (d(2020, 10, 1), d(2020, 10, 1), "ACCEPTED"),
    ] {
        assert_eq!(
            one(pab_with_agreement(), 2020, d(2021, 1, 10), extra(from, to)),
            expected,
            "service {from}..{to}"
        );
    }
}

#[test]
fn s004_10_s004_13_a_covid_line_needs_a_covid_agreement_and_dates_in_the_window() {
    let scenario = pab_with_covid_agreement();
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2021, 1, 10),
            CostLine {
                agreement: Some(AGREEMENT),
                ..covid_line(1, "100.00", d(2020, 4, 1), d(2020, 4, 30))
            }
        ),
        "COVID_LINE_WITHOUT_COVID_AGREEMENT"
    );
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2021, 1, 10),
            CostLine {
                agreement: None,
                ..covid_line(1, "100.00", d(2020, 4, 1), d(2020, 4, 30))
            }
        ),
        "COVID_LINE_WITHOUT_COVID_AGREEMENT"
    );
    for (from, to, expected) in [
        (d(2020, 3, 13), d(2020, 3, 14), "COVID_LINE_OUTSIDE_WINDOW"),
        (d(2020, 3, 14), d(2020, 3, 14), "ACCEPTED"),
        (d(2020, 12, 31), d(2020, 12, 31), "ACCEPTED"),
    ] {
        assert_eq!(
            one(
                scenario.clone(),
                2020,
                d(2021, 1, 10),
                covid_line(1, "100.00", from, to)
            ),
            expected,
            "service {from}..{to}"
        );
    }
}

#[test]
fn c03_under_the_extended_window_covid_costs_run_to_2021_06_30() {
    let scenario = pab_with_agreement()
        .by(holder(MOTHER))
        .after(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            start: d(2021, 1, 1),
            end: Some(d(2021, 6, 30)),
            task_description: "extra assistentie COVID-19".into(),
            covid: Some(CovidBasis::New),
            ..cash_agreement(PAB, d(2021, 1, 1))
        }))
        .by(staff())
        .after(approve(AGREEMENT_2));
    let submit = |line| {
        outcome_codes(
            scenario.clone(),
            claim(CLAIM, PAB, 2021, d(2022, 1, 10), vec![line]),
        )
    };
    assert_eq!(
        submit(covid_line(1, "100.00", d(2021, 6, 30), d(2021, 6, 30))),
        vec!["ACCEPTED"]
    );
    assert_eq!(
        submit(covid_line(1, "100.00", d(2021, 7, 1), d(2021, 7, 1))),
        vec!["COVID_LINE_OUTSIDE_WINDOW"]
    );
}

#[test]
fn s004_05_c2_a_covid_line_of_2021_01_01_depends_on_the_window_known_when_decided() {
    // The COVID agreement of the fixtures ends 2020-12-31 (the seed window).
    let line = covid_line(1, "100.00", d(2021, 1, 1), d(2021, 1, 1));
    let decided_on = |today: NaiveDate| {
        outcome_codes(
            pab_with_covid_agreement().today(today),
            claim(CLAIM, PAB, 2021, d(2021, 2, 1), vec![line.clone()]),
        )
    };
    // Before the FAQ of 2021-04-30 the window ends 2020-12-31.
    assert_eq!(
        decided_on(d(2021, 4, 29)),
        vec!["COVID_LINE_OUTSIDE_WINDOW"]
    );
    // After it the window runs on, but this agreement ended on 2020-12-31.
    assert_eq!(decided_on(d(2021, 4, 30)), vec!["OUTSIDE_AGREEMENT_PERIOD"]);
}

#[test]
fn s004_18_no_valid_agreement_or_outside_its_period() {
    let scenario = pab_with_agreement();
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2021, 1, 10),
            CostLine {
                agreement: None,
                ..cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))
            }
        ),
        "NO_VALID_AGREEMENT"
    );
    let pending = scenario
        .clone()
        .by(holder(MOTHER))
        .after(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            ..cash_agreement(PAB, d(2020, 2, 1))
        }));
    assert_eq!(
        one(
            pending,
            2020,
            d(2021, 1, 10),
            CostLine {
                agreement: Some(AGREEMENT_2),
                ..cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))
            }
        ),
        "NO_VALID_AGREEMENT"
    );
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2021, 1, 10),
            cost_line(1, "100.00", d(2020, 1, 31), d(2020, 2, 1))
        ),
        "OUTSIDE_AGREEMENT_PERIOD"
    );
    assert_eq!(
        one(
            scenario,
            2020,
            d(2021, 1, 10),
            cost_line(1, "100.00", d(2020, 2, 1), d(2020, 2, 1))
        ),
        "ACCEPTED"
    );
}

/// The holder died on 2020-06-10; the PAB stopped that day.
fn after_death() -> Scenario {
    pab_with_agreement()
        .after(DossierCommand::RecordDeath(RecordDeath {
            date_of_death: d(2020, 6, 10),
            certificate_ref: "overlijdensakte".into(),
        }))
        .after(DossierCommand::StopBudget(StopBudget {
            budget: PAB,
            reason: StopReason::Death,
            stop_date: d(2020, 6, 10),
            signed_by: None,
        }))
}

fn severance(n: u32, amount: &str) -> CostLine {
    CostLine {
        category: CostCategory::Severance,
        ..cost_line(n, amount, d(2020, 6, 11), d(2020, 7, 10))
    }
}

#[test]
fn e02_nothing_after_death_except_severance_and_closing_costs() {
    let scenario = after_death();
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2020, 9, 1),
            cost_line(1, "100.00", d(2020, 6, 10), d(2020, 6, 10))
        ),
        "ACCEPTED"
    );
    assert_eq!(
        one(
            scenario.clone(),
            2020,
            d(2020, 9, 1),
            cost_line(1, "100.00", d(2020, 6, 10), d(2020, 6, 11))
        ),
        "AFTER_BUDGET_END"
    );
    let closing = CostLine {
        agreement: None,
        category: CostCategory::Closing,
        provider: Provider::Other {
            name: "Bank".into(),
        },
        ..cost_line(2, "35.00", d(2020, 7, 1), d(2020, 7, 1))
    };
    assert_eq!(
        outcome_codes(
            scenario,
            claim(
                CLAIM,
                PAB,
                2020,
                d(2020, 9, 1),
                vec![severance(1, "7500.00"), closing]
            )
        ),
        vec!["ACCEPTED", "ACCEPTED"]
    );
}

#[test]
fn e02_severance_at_most_a_quarter_unless_vaph_grants_a_further_quarter() {
    let (events, scenario) = after_death()
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2020, 9, 1),
            vec![severance(1, "7000.00"), severance(2, "500.01")],
        ))
        .then_accepted();
    assert_eq!(
        line_outcomes(&events),
        vec![(1, "ACCEPTED".into()), (2, "SEVERANCE_CAP_EXCEEDED".into())]
    );
    let grant = |reason: &str| {
        DossierCommand::GrantExtraSeverance(GrantExtraSeverance {
            budget: PAB,
            year: 2020,
            reason: reason.into(),
        })
    };
    after_death()
        .when(grant("opzegtermijn langer"))
        .then_rejected("SEVERANCE_CAP_NOT_REACHED");
    let (events, scenario) = scenario
        .when(grant("opzegtermijn van twee assistenten"))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::ExtraSeveranceAllowanceGranted(e)) if e.amount == euro("7500.00")
    ));
    scenario
        .clone()
        .when(grant("nog eens"))
        .then_rejected("EXTRA_SEVERANCE_ALREADY_GRANTED");
    assert_eq!(
        outcome_codes(
            scenario,
            claim(
                CLAIM_2,
                PAB,
                2020,
                d(2020, 9, 2),
                vec![severance(3, "500.01")]
            )
        ),
        vec!["ACCEPTED"]
    );
}

#[test]
fn p06_lines_beyond_the_annual_budget_are_rejected_as_budget_exhausted() {
    let codes = outcome_codes(
        pab_with_agreement(),
        claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![
                cost_line(1, "29000.00", d(2020, 3, 1), d(2020, 11, 30)),
                cost_line(2, "1000.00", d(2020, 12, 1), d(2020, 12, 15)),
                cost_line(3, "0.01", d(2020, 12, 16), d(2020, 12, 31)),
            ],
        ),
    );
    assert_eq!(codes, vec!["ACCEPTED", "ACCEPTED", "BUDGET_EXHAUSTED"]);
}

#[test]
fn s003_05_pab_other_costs_at_most_five_percent_of_the_annual_budget() {
    let other = |n, amount| CostLine {
        agreement: None,
        category: CostCategory::Other,
        provider: Provider::Other {
            name: format!("Cinema {n}"),
        },
        ..cost_line(n, amount, d(2020, 5, 1), d(2020, 5, 1))
    };
    let codes = outcome_codes(
        pab_with_agreement(),
        claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![other(1, "1000.00"), other(2, "500.00"), other(3, "0.01")],
        ),
    );
    assert_eq!(
        codes,
        vec!["ACCEPTED", "ACCEPTED", "PAB_OTHER_COSTS_OVER_5PCT"]
    );
}

#[test]
fn duplicate_invoice_within_the_dossier_is_rejected() {
    let (events, scenario) = pab_with_agreement()
        .when(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![
                cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31)),
                CostLine {
                    line: 2,
                    ..cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))
                },
            ],
        ))
        .then_accepted();
    assert_eq!(
        line_outcomes(&events),
        vec![(1, "ACCEPTED".into()), (2, "DUPLICATE_INVOICE".into())]
    );
    assert_eq!(
        outcome_codes(
            scenario,
            claim(
                CLAIM_2,
                PAB,
                2020,
                d(2021, 1, 11),
                vec![CostLine {
                    provider: Provider::Other {
                        name: " an assistent ".into()
                    },
                    ..cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))
                }]
            )
        ),
        vec!["DUPLICATE_INVOICE"]
    );
}

#[test]
fn an_invoice_is_paid_once_whatever_the_budget_year() {
    let scenario = pab_with_agreement().after(claim(
        CLAIM,
        PAB,
        2020,
        d(2021, 1, 10),
        vec![cost_line(1, "100.00", d(2020, 12, 1), d(2020, 12, 31))],
    ));
    assert_eq!(
        outcome_codes(
            scenario,
            claim(
                CLAIM_2,
                PAB,
                2021,
                d(2021, 2, 10),
                vec![cost_line(1, "100.00", d(2021, 1, 1), d(2021, 1, 31))]
            )
        ),
        vec!["DUPLICATE_INVOICE"]
    );
}

#[test]
fn d02_a_bijstandsorganisatie_submits_a_claim_for_a_member() {
    let command = DossierCommand::SubmitCostClaim(SubmitCostClaim {
        claim: CLAIM,
        budget: PAB,
        budget_year: 2020,
        submitted_on: d(2021, 1, 10),
        channel: ClaimChannel::AssistanceOrganisation,
        late_exception: None,
        lines: vec![cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))],
    });
    pab_with_agreement()
        .by(organisation(BO))
        .when(command.clone())
        .then_rejected("NOT_AUTHORISED");
    let (events, _) = pab_with_agreement()
        .by(holder(MOTHER))
        .after(DossierCommand::JoinAssistanceOrganisation(
            JoinAssistanceOrganisation {
                organisation: BO,
                joined_on: d(2020, 2, 1),
            },
        ))
        .by(organisation(BO))
        .when(command)
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::CostClaimSubmitted(c)) if c.submitted_by == organisation(BO)
    ));
}

#[test]
fn p12_living_costs_are_not_paid_with_a_pvb() {
    let scenario = adult_with_started_pvb()
        .after(annual(PVB, 2020, "41000.00"))
        .by(holder(CHILD))
        .after(register_agreement(cash_agreement(PVB, d(2019, 7, 1))))
        .by(staff())
        .after(approve(AGREEMENT));
    let living = CostLine {
        nature: CostNature::LivingCosts,
        ..cost_line(1, "600.00", d(2020, 3, 1), d(2020, 3, 31))
    };
    let codes = outcome_codes(
        scenario.clone(),
        claim(CLAIM, PVB, 2020, d(2021, 1, 10), vec![living]),
    );
    assert_eq!(codes, vec!["LIVING_COSTS_NOT_ELIGIBLE"]);
    let rule = scenario
        .when(claim(
            CLAIM,
            PVB,
            2020,
            d(2021, 1, 10),
            vec![CostLine {
                nature: CostNature::LivingCosts,
                ..cost_line(1, "600.00", d(2020, 3, 1), d(2020, 3, 31))
            }],
        ))
        .then_accepted()
        .0
        .into_iter()
        .find_map(|e| match e {
            Event::Dossier(DossierEvent::CostLineRejected(r)) => Some(r.rule),
            _ => None,
        });
    assert_eq!(rule.as_deref(), Some("P-12"));
}

#[test]
fn s003_17_s003_18_toah_and_go_boarding_school_costs_are_not_paid_with_a_pab() {
    for (nature, code) in [
        (
            CostNature::TemporaryHomeEducation,
            "TOAH_NOT_PAYABLE_WITH_PAB",
        ),
        (
            CostNature::GoBoardingSchool,
            "GO_INTERNAAT_COSTS_NOT_PAYABLE",
        ),
    ] {
        assert_eq!(
            one(
                pab_with_agreement(),
                2020,
                d(2021, 1, 10),
                CostLine {
                    nature,
                    ..cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))
                }
            ),
            code
        );
    }
}

fn decide(outcome: LineOutcome, reason: &str) -> DossierCommand {
    DossierCommand::DecideCostLine(DecideCostLine {
        claim: CLAIM,
        line: 1,
        outcome,
        reason: reason.into(),
    })
}

fn override_to(outcome: LineOutcome, reason: &str) -> DossierCommand {
    DossierCommand::OverrideCostLineDecision(OverrideCostLineDecision {
        claim: CLAIM,
        line: 1,
        outcome,
        reason: reason.into(),
    })
}

#[test]
fn a_held_line_is_decided_by_a_staff_member_with_a_reason() {
    let held = pab_with_covid_agreement().after(claim(
        CLAIM,
        PAB,
        2020,
        d(2021, 3, 15),
        vec![covid_line(1, "500.00", d(2020, 4, 1), d(2020, 4, 30))],
    ));
    held.clone()
        .when(decide(LineOutcome::Accepted, " "))
        .then_rejected("REASON_REQUIRED");
    held.clone()
        .by(Actor::System)
        .when(decide(LineOutcome::Accepted, "binnen algemene termijn"))
        .then_rejected("NOT_AUTHORISED");
    held.clone()
        .by(holder(MOTHER))
        .when(decide(LineOutcome::Accepted, "binnen algemene termijn"))
        .then_rejected("NOT_AUTHORISED");
    held.clone()
        .when(override_to(LineOutcome::Accepted, "x"))
        .then_rejected("COST_LINE_NOT_DECIDED");
    let decided = held
        .today(d(2021, 4, 20))
        .when(decide(
            LineOutcome::Accepted,
            "conflict C1: binnen de algemene termijn van 1 april",
        ))
        .then_events(vec![dossier_event(CostLineDecidedByStaff {
            claim: CLAIM,
            line: 1,
            outcome: LineOutcome::Accepted,
            reason: "conflict C1: binnen de algemene termijn van 1 april".into(),
            decided_by: staff(),
            decided_on: d(2021, 4, 20),
        })]);
    decided
        .clone()
        .when(decide(LineOutcome::Accepted, "nogmaals"))
        .then_rejected("COST_LINE_NOT_HELD");
    assert_eq!(line_of(&decided, PAB, 2020).accepted_covid, euro("500.00"));
}

#[test]
fn a_decision_is_overridden_and_reversed_later_and_nothing_is_edited() {
    let scenario = pab_with_agreement().after(claim(
        CLAIM,
        PAB,
        2020,
        d(2021, 1, 10),
        vec![cost_line(1, "400.00", d(2020, 3, 1), d(2020, 3, 31))],
    ));
    let rejected = LineOutcome::Rejected {
        reason: LineReason::IneligibleCost,
    };
    scenario
        .clone()
        .when(override_to(LineOutcome::Accepted, "opnieuw"))
        .then_rejected("DECISION_UNCHANGED");
    let overridden = scenario
        .when(override_to(
            rejected,
            "prestatie niet geleverd volgens controle",
        ))
        .then_accepted()
        .1;
    assert_eq!(line_of(&overridden, PAB, 2020).accepted, Euro::ZERO);
    assert_eq!(line_of(&overridden, PAB, 2020).rejected, euro("400.00"));
    let (events, reversed) = overridden
        .when(override_to(
            LineOutcome::Accepted,
            "bewijs van prestatie alsnog ontvangen",
        ))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::CostLineDecisionOverridden(e)) if e.previous == rejected
    ));
    assert_eq!(line_of(&reversed, PAB, 2020).accepted, euro("400.00"));
    let decisions = reversed
        .history
        .iter()
        .filter(|e| e.event_type().starts_with("CostLine"))
        .count();
    assert_eq!(
        decisions, 3,
        "the proposal and both overrides stay in the stream"
    );
}

fn void_claim(claim: ClaimId, reason: &str) -> DossierCommand {
    DossierCommand::VoidCostClaim(VoidCostClaim {
        claim,
        reason: reason.into(),
    })
}

fn void_agreement(agreement: AgreementId, reason: &str) -> DossierCommand {
    DossierCommand::VoidAgreement(VoidAgreement {
        agreement,
        reason: reason.into(),
    })
}

#[test]
fn a_claim_entered_in_the_wrong_dossier_is_voided_with_a_reason_and_counts_for_nothing() {
    let submitted = pab_with_agreement().after(claim(
        CLAIM,
        PAB,
        2020,
        d(2021, 1, 10),
        vec![cost_line(1, "400.00", d(2020, 3, 1), d(2020, 3, 31))],
    ));
    assert_eq!(line_of(&submitted, PAB, 2020).accepted, euro("400.00"));
    submitted
        .clone()
        .when(void_claim(CLAIM, " "))
        .then_rejected("REASON_REQUIRED");
    submitted
        .clone()
        .when(void_claim(CLAIM_2, "verkeerd dossier"))
        .then_rejected("UNKNOWN_COST_CLAIM");
    submitted
        .clone()
        .by(holder(MOTHER))
        .when(void_claim(CLAIM, "verkeerd dossier"))
        .then_rejected("NOT_AUTHORISED");
    let (events, voided) = submitted
        .when(void_claim(CLAIM, "ingediend in het dossier van de broer"))
        .then_accepted();
    assert!(matches!(
        &events[..],
        [Event::Dossier(DossierEvent::CostClaimVoided(v))] if v.claim == CLAIM && v.voided_on == d(2026, 1, 1)
    ));
    let line = line_of(&voided, PAB, 2020);
    assert_eq!(
        line.accepted,
        Euro::ZERO,
        "a voided claim counts for nothing"
    );
    assert_eq!(line.held, Euro::ZERO);
    voided
        .clone()
        .when(void_claim(CLAIM, "nog eens"))
        .then_rejected("CLAIM_VOIDED");
    voided
        .clone()
        .when(DossierCommand::OverrideCostLineDecision(
            OverrideCostLineDecision {
                claim: CLAIM,
                line: 1,
                outcome: LineOutcome::Accepted,
                reason: "toch".into(),
            },
        ))
        .then_rejected("CLAIM_VOIDED");
    // Nothing is left to pay, and the agreement it cited can now be voided as well.
    voided
        .clone()
        .when(DossierCommand::OrderPayment(OrderPayment {
            payment: PAYMENT,
            budget: PAB,
            year: 2020,
        }))
        .then_rejected("NOTHING_DUE");
    voided
        .when(void_agreement(
            AGREEMENT,
            "overeenkomst hoort bij het andere dossier",
        ))
        .then_accepted();
}

#[test]
fn a_claim_or_agreement_on_which_money_moved_is_not_voided() {
    let paid = pab_with_agreement()
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![cost_line(1, "400.00", d(2020, 3, 1), d(2020, 3, 31))],
        ))
        .after(DossierCommand::OrderPayment(OrderPayment {
            payment: PAYMENT,
            budget: PAB,
            year: 2020,
        }));
    paid.clone()
        .when(void_claim(CLAIM, "verkeerd dossier"))
        .then_rejected("VOID_AFTER_PAYMENT");
    paid.when(void_agreement(AGREEMENT, "verkeerd dossier"))
        .then_rejected("AGREEMENT_IN_USE");
}

#[test]
fn an_agreement_entered_in_the_wrong_dossier_is_voided_and_no_longer_runs() {
    let scenario = pab_with_agreement();
    assert!(scenario.world.dossier.agreements[&AGREEMENT].is_running_on(d(2020, 6, 1)));
    let (_, voided) = scenario
        .when(void_agreement(AGREEMENT, "dubbel ingevoerd"))
        .then_accepted();
    let agreement = &voided.world.dossier.agreements[&AGREEMENT];
    assert_eq!(agreement.status, AgreementStatus::Voided);
    assert!(!agreement.is_running_on(d(2020, 6, 1)));
    voided
        .clone()
        .when(void_agreement(AGREEMENT, "nog eens"))
        .then_rejected("AGREEMENT_VOIDED");
    // A cost under it is no longer covered.
    let outcomes = outcomes(
        voided,
        claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![cost_line(1, "400.00", d(2020, 3, 1), d(2020, 3, 31))],
        ),
    );
    assert_eq!(outcomes, vec![(1, "NO_VALID_AGREEMENT".to_owned())]);
}
