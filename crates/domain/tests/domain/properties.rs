//! Property tests: replaying the stored events of any accepted command sequence gives the same
//! state, and a refused command changes nothing.

use chrono::{Datelike, NaiveDate};
use domain::dossier::*;
use domain::testing::{Command, World};
use domain::*;
use proptest::prelude::*;

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
