//! The COVID-19 increase, payments with credit notes and deductions, the advance, year close with
//! the overrun letter and recoveries, and the final settlement.

use chrono::NaiveDate;
use domain::dossier::*;
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, Source};
use domain::testing::Scenario;
use domain::*;
use rust_decimal_macros::dec;

use crate::fixtures::*;

fn grant(year: i32) -> DossierCommand {
    DossierCommand::GrantCovidOverrunAllowance(GrantCovidOverrunAllowance { budget: PAB, year })
}

fn raise(year: i32) -> DossierCommand {
    DossierCommand::RaiseCovidOverrunAllowance(RaiseCovidOverrunAllowance { budget: PAB, year })
}

fn order(payment: PaymentId, year: i32) -> DossierCommand {
    DossierCommand::OrderPayment(OrderPayment {
        payment,
        budget: PAB,
        year,
    })
}

fn granted(events: &[Event]) -> &CovidOverrunAllowanceGranted {
    match &events[0] {
        Event::Dossier(DossierEvent::CovidOverrunAllowanceGranted(e)) => e,
        other => panic!("expected a grant, got {other:?}"),
    }
}

#[test]
fn c02_the_covid_increase_only_after_an_approved_covid_agreement() {
    pab_with_agreement()
        .when(grant(2020))
        .then_rejected("NO_APPROVED_COVID_AGREEMENT");
    let registered = pab_with_agreement()
        .by(holder(MOTHER))
        .after(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            start: d(2020, 3, 14),
            end: Some(d(2020, 12, 31)),
            task_description: "extra assistentie COVID-19".into(),
            covid: Some(CovidBasis::New),
            ..cash_agreement(PAB, d(2020, 3, 14))
        }))
        .by(staff());
    registered
        .clone()
        .when(grant(2020))
        .then_rejected("NO_APPROVED_COVID_AGREEMENT");
    let approved = registered.today(d(2020, 4, 1)).after(approve(AGREEMENT_2));
    let world = &approved.world;
    // Due for the daily job once a COVID-19 regime is known (the 8.5 % from 2020-04-23).
    assert!(due_on(d(2020, 4, 22), &world.dossier, &world.rule_book).is_empty());
    assert_eq!(
        due_on(d(2020, 4, 23), &world.dossier, &world.rule_book),
        vec![grant(2020)]
    );
}

#[test]
fn s004_14_c01_the_cap_follows_the_regime_known_and_is_raised_automatically() {
    let scenario = pab_with_covid_agreement().by(Actor::System);
    // 2020-04-23: the base date, and the day the 8.5 % regime became known.
    scenario
        .clone()
        .today(d(2020, 4, 22))
        .when(grant(2020))
        .then_rejected("RULE_PARAMETER_MISSING");
    let (events, first) = scenario
        .today(d(2020, 4, 23))
        .when(grant(2020))
        .then_accepted();
    let e = granted(&events);
    assert_eq!(e.cap_percent, dec!(8.5));
    // The base date 2020-04-23 itself was only published with the 25.5 % regime: before that the
    // base is the budget in force on the decision date, here the same day.
    assert_eq!(e.base_date, d(2020, 4, 23));
    assert_eq!(e.base_budget, euro("30000.00"));
    assert_eq!(e.cap, euro("2550.00"));
    assert_eq!(e.trigger_agreement, AGREEMENT_2);
    first
        .clone()
        .today(d(2020, 6, 30))
        .when(raise(2020))
        .then_rejected("NOTHING_DUE");
    let world = &first.world;
    assert!(due_on(d(2020, 6, 30), &world.dossier, &world.rule_book).is_empty());
    assert_eq!(
        due_on(d(2020, 7, 1), &world.dossier, &world.rule_book),
        vec![raise(2020)]
    );
    let raised = first.today(d(2020, 7, 1)).after(raise(2020));
    assert_eq!(line_of(&raised, PAB, 2020).covid_increase, euro("5100.00"));
    let (events, raised) = raised
        .today(d(2020, 9, 30))
        .when(raise(2020))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::CovidOverrunAllowanceRaised(e))
            if e.previous_percent == dec!(17) && e.cap_percent == dec!(25.5) && e.cap == euro("7650.00")
    ));
    let line = line_of(&raised, PAB, 2020);
    assert_eq!(line.covid_cap_percent, Some(dec!(25.5)));
    assert_eq!(line.total, euro("37650.00"));
    // A grant decided after the base date was published records it as such.
    let late = pab_with_covid_agreement()
        .today(d(2020, 10, 1))
        .when(grant(2020))
        .then_accepted()
        .0;
    assert_eq!(granted(&late).base_date, d(2020, 4, 23));
    assert!(
        granted(&late)
            .rules_applied
            .contains(&applied(Parameter::CovidOverrunBaseDate, 1))
    );
    raised
        .clone()
        .when(grant(2020))
        .then_rejected("COVID_ALLOWANCE_ALREADY_GRANTED");
}

#[test]
fn s004_12_for_a_pvb_the_base_includes_the_management_costs() {
    let pvb = adult_with_started_pvb()
        .after(annual(PVB, 2020, "40000.00"))
        .by(holder(CHILD))
        .after(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            budget: PVB,
            start: d(2020, 3, 14),
            end: Some(d(2020, 12, 31)),
            task_description: "thuiszorg COVID-19".into(),
            covid: Some(CovidBasis::New),
            ..cash_agreement(PVB, d(2020, 3, 14))
        }))
        .by(staff())
        .after(approve(AGREEMENT_2));
    let command = DossierCommand::GrantCovidOverrunAllowance(GrantCovidOverrunAllowance {
        budget: PVB,
        year: 2020,
    });
    // The seed's management-costs percentage is a labelled placeholder of 0 %.
    let (events, _) = pvb.clone().when(command.clone()).then_accepted();
    assert_eq!(granted(&events).management_costs, Euro::ZERO);
    assert_eq!(granted(&events).cap, euro("10200.00"));
    let published = pvb
        .by(admin())
        .today(d(2026, 1, 2))
        .after(PublishRuleParameter {
            parameter: Parameter::CovidPvbManagementCostsPercent,
            value: ParameterValue::Percent(dec!(10)),
            valid_from: d(2020, 3, 14),
            valid_to: None,
            source: Source {
                rule: "S004-12".into(),
                legal_reference: "test value".into(),
            },
        })
        .by(staff());
    let (events, _) = published.when(command).then_accepted();
    assert_eq!(granted(&events).management_costs, euro("4000.00"));
    assert_eq!(granted(&events).cap, euro("11220.00"));
}

/// The PAB of 30 000 with the COVID-19 increase at 25.5 % (7 650).
fn with_increase() -> Scenario {
    pab_with_covid_agreement()
        .today(d(2020, 10, 1))
        .after(grant(2020))
        .today(d(2026, 1, 1))
}

#[test]
fn s004_15_s004_19_the_increase_is_on_top_and_only_for_covid_costs() {
    let codes = outcome_codes(
        with_increase(),
        claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 2, 1),
            vec![
                cost_line(1, "29000.00", d(2020, 2, 1), d(2020, 11, 30)),
                cost_line(2, "2000.00", d(2020, 12, 1), d(2020, 12, 31)),
                covid_line(3, "8650.00", d(2020, 4, 1), d(2020, 12, 31)),
                covid_line(4, "0.01", d(2020, 12, 31), d(2020, 12, 31)),
            ],
        ),
    );
    assert_eq!(
        codes,
        vec![
            "ACCEPTED",
            "COVID_INCREASE_RESERVED",
            "ACCEPTED",
            "BUDGET_EXHAUSTED"
        ]
    );
}

#[test]
fn k03_credit_notes_are_netted_and_p05_paid_within_thirty_days() {
    let scenario = pab_with_agreement().after(claim(
        CLAIM,
        PAB,
        2020,
        d(2020, 4, 5),
        vec![
            cost_line(1, "2500.00", d(2020, 3, 1), d(2020, 3, 31)),
            CostLine {
                invoice_no: "CN-1".into(),
                ..cost_line(2, "-1000.00", d(2020, 3, 1), d(2020, 3, 31))
            },
        ],
    ));
    let (events, paid) = scenario
        .today(d(2020, 4, 10))
        .when(order(PAYMENT, 2020))
        .then_accepted();
    let Event::Dossier(DossierEvent::PaymentOrdered(order_event)) = &events[0] else {
        panic!("expected a payment order")
    };
    assert_eq!(order_event.costs, euro("2500.00"));
    assert_eq!(order_event.credit_notes, euro("-1000.00"));
    assert_eq!(order_event.net, euro("1500.00"));
    assert_eq!(order_event.due_by, d(2020, 5, 10));
    assert_eq!(events.len(), 1);
    paid.clone()
        .when(order(PAYMENT_2, 2020))
        .then_rejected("NOTHING_DUE");
    paid.clone()
        .when(order(PAYMENT, 2020))
        .then_rejected("DUPLICATE_PAYMENT");
    let executed = paid.after(DossierCommand::ExecutePayment(ExecutePayment {
        payment: PAYMENT,
        executed_on: d(2020, 4, 15),
    }));
    executed
        .clone()
        .when(DossierCommand::ExecutePayment(ExecutePayment {
            payment: PAYMENT,
            executed_on: d(2020, 4, 16),
        }))
        .then_rejected("PAYMENT_ALREADY_EXECUTED");
    assert_eq!(line_of(&executed, PAB, 2020).paid, euro("1500.00"));
}

fn recovery(id: RecoveryId, amount: &str) -> DossierCommand {
    DossierCommand::DecideRecovery(DecideRecovery {
        recovery: id,
        budget: PAB,
        year: Some(2020),
        amount: euro(amount),
        reasons: vec![RecoveryReason::IneligibleCost],
        evidence: vec!["factuur F-9".into()],
        legal_basis: "P-12".into(),
    })
}

#[test]
fn k03_amounts_owed_are_deducted_from_the_next_payments_never_beyond_the_decision() {
    let scenario = pab_with_agreement()
        .after(recovery(RECOVERY, "1000.00"))
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2020, 4, 5),
            vec![cost_line(1, "600.00", d(2020, 3, 1), d(2020, 3, 31))],
        ));
    let (events, scenario) = scenario.when(order(PAYMENT, 2020)).then_accepted();
    assert_eq!(
        events[1],
        dossier_event(RecoveryOffset {
            recovery: RECOVERY,
            payment: PAYMENT,
            amount: euro("600.00"),
        })
    );
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::PaymentOrdered(p)) if p.net == Euro::ZERO && p.deductions == euro("600.00")
    ));
    let (events, scenario) = scenario
        .after(claim(
            CLAIM_2,
            PAB,
            2020,
            d(2020, 5, 5),
            vec![cost_line(2, "900.00", d(2020, 4, 1), d(2020, 4, 30))],
        ))
        .when(order(PAYMENT_2, 2020))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::PaymentOrdered(p)) if p.net == euro("500.00") && p.deductions == euro("400.00")
    ));
    let recovered = &scenario.world.dossier.recoveries[&RECOVERY];
    assert_eq!(recovered.offset, euro("1000.00"));
    assert_eq!(recovered.outstanding(), Euro::ZERO);
    scenario
        .when(DossierCommand::RecordRecoveryRepayment(
            RecordRecoveryRepayment {
                recovery: RECOVERY,
                amount: euro("0.01"),
                paid_on: d(2020, 6, 1),
            },
        ))
        .then_rejected("RECOVERY_EXCEEDS_OUTSTANDING");
}

#[test]
fn a_recovery_states_its_reasons_evidence_and_legal_basis() {
    let scenario = pab_with_agreement();
    scenario
        .clone()
        .when(DossierCommand::DecideRecovery(DecideRecovery {
            evidence: vec![],
            ..match recovery(RECOVERY, "10.00") {
                DossierCommand::DecideRecovery(r) => r,
                _ => unreachable!(),
            }
        }))
        .then_rejected("RECOVERY_EVIDENCE_REQUIRED");
    scenario
        .clone()
        .by(Actor::System)
        .when(recovery(RECOVERY, "10.00"))
        .then_rejected("NOT_AUTHORISED");
    let repaid =
        scenario
            .after(recovery(RECOVERY, "10.00"))
            .after(DossierCommand::RecordRecoveryRepayment(
                RecordRecoveryRepayment {
                    recovery: RECOVERY,
                    amount: euro("10.00"),
                    paid_on: d(2021, 2, 1),
                },
            ));
    assert_eq!(line_of(&repaid, PAB, 2020).recovered, euro("10.00"));
}

#[test]
fn what_cannot_be_recovered_is_written_off_with_a_reason_and_never_deducted() {
    let scenario = pab_with_agreement()
        .after(recovery(RECOVERY, "300.00"))
        .after(DossierCommand::RecordRecoveryRepayment(
            RecordRecoveryRepayment {
                recovery: RECOVERY,
                amount: euro("100.00"),
                paid_on: d(2021, 2, 1),
            },
        ));
    let write_off = |reason: &str| {
        DossierCommand::WriteOffRecovery(WriteOffRecovery {
            recovery: RECOVERY,
            reason: reason.into(),
        })
    };
    scenario
        .clone()
        .when(write_off(""))
        .then_rejected("REASON_REQUIRED");
    let (events, written_off) = scenario
        .when(write_off("erfgenamen verwierpen de nalatenschap"))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::RecoveryWrittenOff(w)) if w.amount == euro("200.00")
    ));
    written_off
        .clone()
        .when(write_off("nogmaals"))
        .then_rejected("NOTHING_DUE");
    let (events, _) = written_off
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![cost_line(1, "100.00", d(2020, 3, 1), d(2020, 3, 31))],
        ))
        .when(order(PAYMENT, 2020))
        .then_accepted();
    assert_eq!(events.len(), 1, "no deduction after the write-off");
}

fn pay_advance(budget: BudgetId) -> DossierCommand {
    DossierCommand::PayAdvance(PayAdvance { budget })
}

fn advance_of(events: &[Event]) -> &AdvancePaid {
    match &events[0] {
        Event::Dossier(DossierEvent::AdvancePaid(e)) => e,
        other => panic!("expected an advance, got {other:?}"),
    }
}

#[test]
fn p04_the_pvb_advance_is_a_quarter_of_the_cash_part_after_the_first_cash_agreement() {
    let scenario = adult_with_started_pvb();
    scenario
        .clone()
        .when(pay_advance(PVB))
        .then_rejected("ADVANCE_NOT_DUE");
    let declared = scenario
        .by(holder(CHILD))
        .after(DossierCommand::DeclareCashPart(DeclareCashPart {
            budget: PVB,
            amount: euro("60000.00"),
            declared_on: d(2019, 6, 15),
        }))
        .after(register_agreement(cash_agreement(PVB, d(2019, 7, 1))))
        .by(staff());
    pab_with_agreement()
        .by(holder(MOTHER))
        .when(DossierCommand::DeclareCashPart(DeclareCashPart {
            budget: PAB,
            amount: euro("60000.00"),
            declared_on: d(2020, 2, 1),
        }))
        .then_rejected("CASH_PART_ONLY_FOR_PVB");
    let rejection = declared
        .clone()
        .when(pay_advance(PVB))
        .then_rejected("ADVANCE_NOT_DUE");
    assert_eq!(rejection.rule(), "P-04");
    let (events, paid) = declared
        .after(approve(AGREEMENT))
        .when(pay_advance(PVB))
        .then_accepted();
    assert_eq!(advance_of(&events).amount, euro("15000.00"));
    assert_eq!(advance_of(&events).basis, AdvanceBasis::CashPart);
    paid.when(pay_advance(PVB))
        .then_rejected("ADVANCE_ALREADY_PAID");
}

/// A child whose PAB was granted on `granted_on` and started a week later.
fn pab_granted_on(granted_on: NaiveDate) -> Scenario {
    child_with_mother(child_birth())
        .after(apply_pab(granted_on - chrono::Days::new(30)))
        .after(grant_pab(granted_on))
        .after(deregistration(granted_on))
        .after(start(PAB, granted_on + chrono::Days::new(7)))
}

#[test]
fn a04_c3_the_pab_advance_is_five_twelfths_or_a_quarter_by_grant_date() {
    for (granted_on, numerator, denominator, amount) in [
        (d(2020, 1, 15), 5, 12, "12500.00"),
        (d(2024, 1, 18), 5, 12, "12500.00"),
        (d(2024, 1, 19), 1, 4, "7500.00"),
    ] {
        let scenario = pab_granted_on(granted_on);
        let (events, _) = scenario.when(pay_advance(PAB)).then_accepted();
        let advance = advance_of(&events);
        assert_eq!(
            (advance.numerator, advance.denominator, advance.amount),
            (numerator, denominator, euro(amount)),
            "granted on {granted_on}"
        );
    }
    child_with_mother(child_birth())
        .after(apply_pab(d(2019, 11, 1)))
        .after(grant_pab(d(2020, 1, 15)))
        .when(pay_advance(PAB))
        .then_rejected("ADVANCE_NOT_DUE");
}

fn close(year: i32, recovery: RecoveryId) -> DossierCommand {
    DossierCommand::CloseBudgetYear(CloseBudgetYear {
        budget: PAB,
        year,
        recovery,
    })
}

#[test]
fn p06_year_close_sends_the_overrun_letter_and_the_advance_never_covers_an_overrun() {
    let scenario = pab_with_agreement()
        .after(pay_advance(PAB))
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![
                cost_line(1, "30000.00", d(2020, 2, 1), d(2020, 11, 30)),
                cost_line(2, "1200.00", d(2020, 12, 1), d(2020, 12, 31)),
            ],
        ))
        .after(order(PAYMENT, 2020));
    scenario
        .clone()
        .today(d(2020, 12, 31))
        .when(close(2020, RECOVERY))
        .then_rejected("BUDGET_YEAR_NOT_ENDED");
    let (events, closed) = scenario
        .today(d(2021, 1, 1))
        .when(close(2020, RECOVERY))
        .then_accepted();
    assert_eq!(events.len(), 2);
    assert!(matches!(
        &events[1],
        Event::Dossier(DossierEvent::OverrunTopUpRequested(e)) if e.amount == euro("1200.00") && e.lines.len() == 1
    ));
    let line = line_of(&closed, PAB, 2020);
    assert_eq!(line.paid, euro("30000.00"));
    assert_eq!(line.advance, euro("12500.00"));
    assert_eq!(line.overrun, Euro::ZERO);
    closed
        .when(close(2020, RECOVERY_2))
        .then_rejected("BUDGET_YEAR_ALREADY_CLOSED");
}

#[test]
fn s004_15_an_overrun_not_explained_by_covid_costs_is_recovered_at_year_close() {
    // Staff accept a regular line beyond the budget; it is paid; at close it is recovered. The
    // COVID-19 costs within the increase explain their part of the overrun.
    let scenario = with_increase()
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![
                cost_line(1, "30000.00", d(2020, 2, 1), d(2020, 11, 30)),
                covid_line(2, "5000.00", d(2020, 4, 1), d(2020, 12, 31)),
                cost_line(3, "800.00", d(2020, 12, 1), d(2020, 12, 31)),
            ],
        ))
        .after(DossierCommand::OverrideCostLineDecision(
            OverrideCostLineDecision {
                claim: CLAIM,
                line: 3,
                outcome: LineOutcome::Accepted,
                reason: "aanvaard na telefonisch overleg".into(),
            },
        ))
        .after(order(PAYMENT, 2020));
    let line = line_of(&scenario, PAB, 2020);
    assert_eq!(line.overrun, euro("5800.00"));
    assert_eq!(line.covid_attributable, euro("5000.00"));
    assert_eq!(line.unexplained_overrun, euro("800.00"));
    let (events, closed) = scenario.when(close(2020, RECOVERY)).then_accepted();
    let Some(Event::Dossier(DossierEvent::RecoveryDecided(decided))) = events.last() else {
        panic!("expected a recovery")
    };
    assert_eq!(decided.amount, euro("800.00"));
    assert_eq!(decided.reasons, vec![RecoveryReason::NonCovidOverrun]);
    assert!(!decided.evidence.is_empty());
    // The recovery is offset against the next payment (K-03).
    let (events, _) = closed
        .after(claim(
            CLAIM_2,
            PAB,
            2021,
            d(2021, 3, 1),
            vec![cost_line(4, "1000.00", d(2021, 1, 1), d(2021, 1, 31))],
        ))
        .when(DossierCommand::OrderPayment(OrderPayment {
            payment: PAYMENT_2,
            budget: PAB,
            year: 2021,
        }))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::PaymentOrdered(p)) if p.net == euro("200.00")
    ));
}

#[test]
fn a_line_reversed_after_payment_is_recovered_at_year_close() {
    let scenario = pab_with_agreement()
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![cost_line(1, "400.00", d(2020, 3, 1), d(2020, 3, 31))],
        ))
        .after(order(PAYMENT, 2020))
        .after(DossierCommand::OverrideCostLineDecision(
            OverrideCostLineDecision {
                claim: CLAIM,
                line: 1,
                outcome: LineOutcome::Rejected {
                    reason: LineReason::IneligibleCost,
                },
                reason: "geen prestatie geleverd".into(),
            },
        ));
    assert_eq!(line_of(&scenario, PAB, 2020).unduly_paid, euro("400.00"));
    let (events, _) = scenario.when(close(2020, RECOVERY)).then_accepted();
    assert!(matches!(
        events.last(),
        Some(Event::Dossier(DossierEvent::RecoveryDecided(r)))
            if r.amount == euro("400.00") && r.reasons == vec![RecoveryReason::IneligibleCost]
    ));
}

fn stopped() -> Scenario {
    pab_with_agreement()
        .after(pay_advance(PAB))
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2020, 7, 1),
            vec![cost_line(1, "3000.00", d(2020, 3, 1), d(2020, 5, 31))],
        ))
        .by(holder(MOTHER))
        .after(DossierCommand::StopBudget(StopBudget {
            budget: PAB,
            reason: StopReason::Voluntary,
            stop_date: d(2020, 6, 30),
            signed_by: Some(MOTHER),
        }))
        .by(staff())
}

fn issue(recovery: RecoveryId) -> DossierCommand {
    DossierCommand::IssueFinalSettlement(IssueFinalSettlement {
        budget: PAB,
        recovery,
    })
}

#[test]
fn e01_e03_provisional_then_definitive_settlement_recovers_the_advance() {
    let draft = DossierCommand::DraftFinalSettlement(DraftFinalSettlement { budget: PAB });
    pab_with_agreement()
        .when(draft.clone())
        .then_rejected("BUDGET_NOT_ENDED");
    stopped()
        .when(issue(RECOVERY))
        .then_rejected("PROVISIONAL_SETTLEMENT_REQUIRED");
    let (events, provisional) = stopped().today(d(2020, 8, 1)).when(draft).then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::ProvisionalFinalSettlementIssued(p))
            if p.evidence_until == d(2020, 8, 31) && p.advance_outstanding == euro("12500.00")
                && p.accepted_unpaid == euro("3000.00")
    ));
    provisional
        .clone()
        .today(d(2020, 8, 31))
        .when(issue(RECOVERY))
        .then_rejected("SETTLEMENT_EVIDENCE_PERIOD_RUNNING");
    let (events, settled) = provisional
        .today(d(2020, 9, 1))
        .when(issue(RECOVERY))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::FinalSettlementIssued(f))
            if f.balance == euro("-9500.00") && f.advance_recovery == Some(RECOVERY)
    ));
    assert!(matches!(
        &events[1],
        Event::Dossier(DossierEvent::RecoveryDecided(r))
            if r.amount == euro("12500.00") && r.reasons == vec![RecoveryReason::AdvanceAtStop]
    ));
    settled
        .clone()
        .when(issue(RECOVERY_2))
        .then_rejected("FINAL_SETTLEMENT_ALREADY_ISSUED");
    // The unpaid costs are paid by withholding them from the advance to recover.
    let (events, after) = settled.when(order(PAYMENT, 2020)).then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::PaymentOrdered(p)) if p.net == Euro::ZERO && p.deductions == euro("3000.00")
    ));
    assert_eq!(
        after.world.dossier.recoveries[&RECOVERY].outstanding(),
        euro("9500.00")
    );
}

#[test]
fn the_budget_line_shows_every_figure_from_the_same_rules() {
    let scenario = with_increase()
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![
                cost_line(1, "1000.00", d(2020, 2, 1), d(2020, 2, 29)),
                covid_line(2, "300.00", d(2020, 4, 1), d(2020, 4, 30)),
                CostLine {
                    agreement: None,
                    category: CostCategory::Other,
                    provider: Provider::Other {
                        name: "Cinema".into(),
                    },
                    ..cost_line(3, "40.00", d(2020, 5, 1), d(2020, 5, 1))
                },
                CostLine {
                    nature: CostNature::TemporaryHomeEducation,
                    ..cost_line(4, "99.00", d(2020, 5, 1), d(2020, 5, 1))
                },
            ],
        ))
        .after(order(PAYMENT, 2020));
    let line = line_of(&scenario, PAB, 2020);
    assert_eq!(line.annual_budget, euro("30000.00"));
    assert_eq!(line.reductions, Euro::ZERO);
    assert_eq!(line.covid_increase, euro("7650.00"));
    assert_eq!(line.total, euro("37650.00"));
    assert_eq!(line.accepted, euro("1340.00"));
    assert_eq!(line.accepted_covid, euro("300.00"));
    assert_eq!(line.rejected, euro("99.00"));
    assert_eq!(line.other_costs, euro("40.00"));
    assert_eq!(line.other_costs_limit, Some(euro("1500.00")));
    assert_eq!(line.paid, euro("1340.00"));
    assert_eq!(line.remaining, euro("36310.00"));
    assert_eq!(
        line.by_category[&CostCategory::Direct].rejected,
        euro("99.00")
    );
}

#[test]
fn s003_13_combination_reductions_lower_the_net_annual_budget() {
    let scenario = pab_with_agreement().after(DossierCommand::SubmitCombinationForm(
        SubmitCombinationForm {
            combination: COMBINATION,
            budget: PAB,
            change: CombinationChange::Start {
                provider: MFC,
                care: CombinedCare::MfcDayCare {
                    day_care: DayCareType::SchoolReplacing,
                    half_days_per_month: 6,
                },
            },
            effective_from: d(2020, 10, 1),
            signed_by_holder: true,
            signed_by_provider: true,
            reason: None,
        },
    ));
    let line = line_of(&scenario, PAB, 2020);
    // 6 half-days × € 10 (placeholder rate) × October..December.
    assert_eq!(line.reductions, euro("180.00"));
    assert_eq!(line.net_annual, euro("29820.00"));
}
