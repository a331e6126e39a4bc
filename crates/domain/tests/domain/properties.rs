//! Property tests: replaying the stored events of any accepted command sequence gives the same
//! state, and a refused command changes nothing.

use chrono::{Datelike, NaiveDate};
use domain::dossier::*;
use domain::testing::{Command, World};
use domain::*;
use proptest::prelude::*;
use uuid::Uuid;

use crate::fixtures::*;

const DATES: [(i32, u32, u32); 10] = [
    (2016, 3, 31),
    (2016, 4, 1),
    (2020, 3, 1),
    (2020, 3, 13),
    (2020, 3, 14),
    (2020, 6, 30),
    (2020, 7, 1),
    (2020, 9, 30),
    (2020, 10, 1),
    (2028, 6, 15),
];

fn date(index: usize) -> NaiveDate {
    let (y, m, day) = DATES[index % DATES.len()];
    d(y, m, day)
}

fn actor(index: usize) -> Actor {
    [
        staff(),
        staff(),
        holder(MOTHER),
        holder(MOTHER),
        holder(PLUS_PARENT),
        Actor::System,
        organisation(BO),
    ][index % 7]
}

/// Half the sequences start from a registered child, half from a running PAB.
fn initial(pab_running: bool) -> domain::testing::Scenario {
    if pab_running {
        child_with_started_pab()
    } else {
        child_with_mother(child_birth())
    }
}

/// A command from a small pool, with dates drawn from the boundary dates above.
fn command(selector: u8, on: NaiveDate, world: &World) -> Command {
    let agreement = |id, covid: Option<CovidBasis>| {
        register_agreement(RegisterAgreement {
            agreement: id,
            end: covid.map(|_| d(2020, 12, 31)),
            task_description: "assistentie COVID-19".into(),
            covid,
            ..cash_agreement(PAB, on)
        })
    };
    let first_of_month = on.with_day(1).unwrap();
    let combination = |change| {
        DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
            combination: COMBINATION,
            budget: PAB,
            change,
            effective_from: first_of_month,
            signed_by_holder: true,
            signed_by_provider: true,
            reason: None,
        })
    };
    let care = CombinedCare::MfcDayCare {
        day_care: DayCareType::SchoolReplacing,
        half_days_per_month: 6,
    };
    let command = match selector % 20 {
        0 => apply_pab(on),
        1 => grant_pab(on),
        2 => deregistration(on),
        3 => start(PAB, on),
        4 | 16 => agreement(AGREEMENT, None),
        5 | 17 => agreement(AGREEMENT_2, Some(CovidBasis::New)),
        6 | 18 => DossierCommand::ApproveAgreement(ApproveAgreement {
            agreement: AGREEMENT,
        }),
        7 => DossierCommand::TerminateAgreement(TerminateAgreement {
            agreement: AGREEMENT,
            end_date: on,
            reason: "einde".into(),
        }),
        8 | 19 => combination(CombinationChange::Start {
            provider: MFC,
            care,
        }),
        9 => combination(CombinationChange::End),
        10 => DossierCommand::StopBudget(StopBudget {
            budget: PAB,
            reason: StopReason::Voluntary,
            stop_date: on,
            signed_by: Some(MOTHER),
        }),
        11 => DossierCommand::RecordMajority,
        12 => DossierCommand::JoinAssistanceOrganisation(JoinAssistanceOrganisation {
            organisation: BO,
            joined_on: on,
        }),
        13 => assign(FATHER, RepresentativeRole::Parent, on),
        14 => DossierCommand::CorrectBirthDate(CorrectBirthDate {
            corrected: on,
            reason: "akte".into(),
        }),
        _ => match dossier::due_on(on, &world.dossier, &world.rule_book)
            .into_iter()
            .next()
        {
            Some(due) => due,
            None => DossierCommand::RecordMajority,
        },
    };
    Command::Dossier(command)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replaying_the_stored_events_of_any_accepted_sequence_gives_the_same_state(
        pab_running in any::<bool>(),
        steps in proptest::collection::vec((0u8..20, 0usize..10, 0usize..7, 0usize..10), 1..50)
    ) {
        let start = initial(pab_running);
        let mut world = start.world.clone();
        let mut stored = Vec::new();
        for event in &start.history {
            stored.push(event.to_stored().unwrap());
        }
        for (selector, day, who, today) in steps {
            let command = command(selector, date(day), &world);
            let today = date(today).max(date(day));
            match world.decide(&command, today, actor(who)) {
                Ok(events) => {
                    for event in &events {
                        stored.push(event.to_stored().unwrap());
                        world = world.apply(event);
                    }
                }
                Err(rejection) => {
                    // A refused command changes nothing and is refused the same way again.
                    let again = world.decide(&command, today, actor(who));
                    prop_assert_eq!(again.err(), Some(rejection));
                }
            }
        }
        let replayed = stored.into_iter().fold(World::default(), |world, s| {
            let event = upcast(&s.event_type, s.schema_version, s.payload).unwrap();
            world.apply(&event)
        });
        prop_assert_eq!(replayed, world);
    }

    #[test]
    fn a_refused_command_changes_nothing_so_the_accepted_ones_alone_decide_the_same(
        pab_running in any::<bool>(),
        steps in proptest::collection::vec((0u8..20, 0usize..10, 0usize..7, 0usize..10), 1..50)
    ) {
        let start = initial(pab_running);
        let mut world = start.world.clone();
        let mut accepted = Vec::new();
        for (selector, day, who, today) in steps {
            let command = command(selector, date(day), &world);
            let today = date(today).max(date(day));
            if let Ok(events) = world.decide(&command, today, actor(who)) {
                for event in &events {
                    world = world.apply(event);
                }
                accepted.push((command, today, actor(who), events));
            }
        }
        // Without the refused commands in between, every accepted command is decided the same.
        let mut again = start.world;
        for (command, today, actor, events) in accepted {
            let decided = again.decide(&command, today, actor);
            prop_assert_eq!(decided.as_ref().ok(), Some(&events));
            for event in &events {
                again = again.apply(event);
            }
        }
        prop_assert_eq!(again, world);
    }
}

// ---------------------------------------------------------------------------------------------
// Money (part 2)

const SUBMITTED: [(i32, u32, u32); 4] = [(2020, 7, 1), (2021, 1, 10), (2021, 3, 2), (2021, 4, 2)];

fn money_id(index: u8) -> Uuid {
    Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_2000_0000 + u128::from(index % 3))
}

/// One generated line: category, month, amount in euro (negative for a credit note), invoice.
type LineSpec = (u8, u32, i32, u8);

fn money_line(n: u32, (category, month, amount, invoice): LineSpec) -> CostLine {
    let month = month % 12 + 1;
    let from = d(2020, month, 1);
    let to = from.with_day(28).unwrap();
    let base = cost_line(n, &format!("{amount}.00"), from, to);
    let invoice_no = format!("F-{invoice}");
    match category % 4 {
        0 => CostLine { invoice_no, ..base },
        1 => CostLine {
            invoice_no,
            ..covid_line(
                n,
                &format!("{amount}.00"),
                from.max(d(2020, 3, 14)),
                to.max(d(2020, 3, 14)),
            )
        },
        2 => CostLine {
            invoice_no,
            agreement: None,
            category: CostCategory::Other,
            ..base
        },
        _ => CostLine {
            invoice_no,
            category: CostCategory::Severance,
            ..base
        },
    }
}

/// A money command from a small pool; `with_staff_judgement` adds overrides and decisions of held
/// lines, which may take the budget line beyond what the rules alone allow.
fn money_command(
    selector: u8,
    id: u8,
    amount: i32,
    lines: &[LineSpec],
    with_staff_judgement: bool,
) -> (Command, NaiveDate, Actor) {
    let submitted = {
        let (y, m, day) = SUBMITTED[usize::from(id) % SUBMITTED.len()];
        d(y, m, day)
    };
    let positive = euro(&format!("{}.00", amount.unsigned_abs().max(1)));
    let choice = selector % if with_staff_judgement { 12 } else { 10 };
    let command = match choice {
        0 | 1 => claim(
            ClaimId::from_uuid(money_id(id)),
            PAB,
            2020,
            submitted,
            lines
                .iter()
                .enumerate()
                .map(|(n, spec)| money_line(u32::try_from(n).unwrap() + 1, *spec))
                .collect(),
        ),
        2 => DossierCommand::OrderPayment(OrderPayment {
            payment: PaymentId::from_uuid(money_id(id)),
            budget: PAB,
            year: 2020,
        }),
        3 => DossierCommand::GrantCovidOverrunAllowance(GrantCovidOverrunAllowance {
            budget: PAB,
            year: 2020,
        }),
        4 => DossierCommand::DecideRecovery(DecideRecovery {
            recovery: RecoveryId::from_uuid(money_id(id)),
            budget: PAB,
            year: Some(2020),
            amount: positive,
            reasons: vec![RecoveryReason::IneligibleCost],
            evidence: vec!["factuur".into()],
            legal_basis: "P-12".into(),
        }),
        5 => DossierCommand::RecordRecoveryRepayment(RecordRecoveryRepayment {
            recovery: RecoveryId::from_uuid(money_id(id)),
            amount: positive,
            paid_on: d(2021, 5, 1),
        }),
        6 => DossierCommand::CloseBudgetYear(CloseBudgetYear {
            budget: PAB,
            year: 2020,
            recovery: RecoveryId::from_uuid(money_id(id.wrapping_add(1))),
        }),
        7 => DossierCommand::PayAdvance(PayAdvance { budget: PAB }),
        8 => DossierCommand::RaiseCovidOverrunAllowance(RaiseCovidOverrunAllowance {
            budget: PAB,
            year: 2020,
        }),
        9 => DossierCommand::WriteOffRecovery(WriteOffRecovery {
            recovery: RecoveryId::from_uuid(money_id(id)),
            reason: "onvoldoende verhaalbaar".into(),
        }),
        10 => DossierCommand::OverrideCostLineDecision(OverrideCostLineDecision {
            claim: ClaimId::from_uuid(money_id(id)),
            line: u32::try_from(amount.rem_euclid(3)).unwrap() + 1,
            outcome: if amount % 2 == 0 {
                LineOutcome::Accepted
            } else {
                LineOutcome::Rejected {
                    reason: LineReason::IneligibleCost,
                }
            },
            reason: "correctie".into(),
        }),
        _ => DossierCommand::DecideCostLine(DecideCostLine {
            claim: ClaimId::from_uuid(money_id(id)),
            line: u32::try_from(amount.rem_euclid(3)).unwrap() + 1,
            outcome: LineOutcome::Accepted,
            reason: "binnen de algemene termijn".into(),
        }),
    };
    let today = match choice {
        3 => d(2020, 8, 1),
        8 => d(2020, 10, 1),
        _ => d(2021, 6, 1),
    };
    let actor = if choice == 3 || choice == 8 {
        Actor::System
    } else {
        staff()
    };
    (Command::Dossier(command), today, actor)
}

fn money_steps() -> impl Strategy<Value = Vec<(u8, u8, i32, Vec<LineSpec>)>> {
    proptest::collection::vec(
        (
            0u8..24,
            0u8..6,
            -1500i32..12000,
            proptest::collection::vec((0u8..4, 0u32..12, -800i32..9000, 0u8..6), 1..4),
        ),
        1..30,
    )
}

fn budget_line_of(world: &World) -> Option<BudgetLine> {
    budget_line(&world.dossier, PAB, 2020, &world.rule_book, d(2026, 1, 1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replaying_the_money_events_gives_the_same_balances_and_a_refusal_changes_nothing(
        steps in money_steps()
    ) {
        let start = pab_with_covid_agreement();
        let mut world = start.world.clone();
        let mut stored: Vec<_> = start.history.iter().map(|e| e.to_stored().unwrap()).collect();
        let mut accepted = Vec::new();
        for (selector, id, amount, lines) in steps {
            let (command, today, actor) = money_command(selector, id, amount, &lines, true);
            match world.decide(&command, today, actor) {
                Ok(events) => {
                    for event in &events {
                        stored.push(event.to_stored().unwrap());
                        world = world.apply(event);
                    }
                    accepted.push((command, today, actor, events));
                }
                Err(rejection) => {
                    let before = world.clone();
                    let again = world.decide(&command, today, actor);
                    prop_assert_eq!(again.err(), Some(rejection));
                    prop_assert_eq!(&before, &world);
                }
            }
        }
        let replayed = stored.into_iter().fold(World::default(), |world, s| {
            let event = upcast(&s.event_type, s.schema_version, s.payload).unwrap();
            world.apply(&event)
        });
        prop_assert_eq!(budget_line_of(&replayed), budget_line_of(&world));
        prop_assert_eq!(&replayed, &world);
        // Without the refused commands in between, every accepted one is decided the same.
        let mut again = start.world;
        for (command, today, actor, events) in accepted {
            let decided = again.decide(&command, today, actor);
            prop_assert_eq!(decided.as_ref().ok(), Some(&events));
            for event in &events {
                again = again.apply(event);
            }
        }
        prop_assert_eq!(again, world);
    }

    #[test]
    fn paid_and_recovered_never_exceed_what_the_rules_allow(steps in money_steps()) {
        let mut world = pab_with_covid_agreement().world;
        for (selector, id, amount, lines) in steps {
            let (command, today, actor) = money_command(selector, id, amount, &lines, false);
            if let Ok(events) = world.decide(&command, today, actor) {
                for event in &events {
                    world = world.apply(event);
                }
            }
            let line = budget_line_of(&world).unwrap();
            // The rules alone never accept beyond the total of the budget line, never pay beyond
            // what they accepted, and never pay a line twice.
            prop_assert!(line.accepted <= line.total, "{line:?}");
            let unpaid_credit_notes: Euro = world
                .dossier
                .claims
                .values()
                .flat_map(|c| c.lines.values())
                .filter(|l| l.status == LineStatus::Accepted && l.paid.is_none())
                .map(|l| l.line.amount)
                .filter(|a| a.is_negative())
                .sum();
            prop_assert!(line.paid <= line.accepted - unpaid_credit_notes, "{line:?}");
            prop_assert_eq!(line.unduly_paid, Euro::ZERO);
            prop_assert_eq!(line.unexplained_overrun, Euro::ZERO);
            prop_assert!(line.other_costs <= line.other_costs_limit.unwrap());
            for payment in world.dossier.payments.values() {
                let gross: Euro = payment.lines.iter().map(|l| l.amount).sum();
                prop_assert!(payment.deductions <= gross);
                prop_assert_eq!(payment.net, gross - payment.deductions);
                prop_assert!(!payment.net.is_negative());
            }
            for recovery in world.dossier.recoveries.values() {
                prop_assert!(
                    recovery.offset + recovery.repaid + recovery.written_off <= recovery.amount
                );
            }
            let paid_lines: usize = world
                .dossier
                .payments
                .values()
                .map(|p| p.lines.len())
                .sum();
            let lines_marked_paid = world
                .dossier
                .claims
                .values()
                .flat_map(|c| c.lines.values())
                .filter(|l| l.paid.is_some())
                .count();
            prop_assert_eq!(paid_lines, lines_marked_paid);
        }
    }
}
