//! History migrated from a system before Dossier: recorded as it happened, by the migration
//! actor only, into an opened dossier, never a registration.

use domain::dossier::*;
use domain::event::Event;
use domain::testing::{Scenario, given, seed_rule_book};
use domain::*;

use crate::fixtures::*;

/// A fee for low-threshold help the old system recorded: today's rules refuse it (S000-08).
fn charged_info_session() -> DossierEvent {
    AssistanceRecorded {
        organisation: BO,
        threshold: AssistanceThreshold::LowThreshold,
        description: "infosessie persoonsvolgend budget".into(),
        fee: euro("75.00"),
        provided_on: d(2019, 1, 21),
    }
    .into()
}

fn migrate(facts: Vec<DossierEvent>) -> DossierCommand {
    DossierCommand::MigrateHistory(MigrateHistory {
        source: "dossiersysteem bijstandsorganisatie".into(),
        facts,
    })
}

fn opened() -> Scenario {
    child_with_started_pab()
}

#[test]
fn the_migration_actor_records_the_facts_as_they_happened() {
    let scenario = opened()
        .by(Actor::Migration)
        .when(migrate(vec![charged_info_session()]))
        .then_events(vec![Event::Dossier(charged_info_session())]);
    assert_eq!(scenario.world.dossier.assistance.len(), 1);
    assert_eq!(scenario.world.dossier.assistance[0].fee, euro("75.00"));
}

#[test]
fn no_one_else_may_migrate() {
    for actor in [
        staff(),
        Actor::System,
        Actor::Admin {
            user: UserId::from_uuid(uuid::Uuid::from_u128(7)),
        },
        organisation(BO),
    ] {
        opened()
            .by(actor)
            .when(migrate(vec![charged_info_session()]))
            .then_rejected("NOT_AUTHORISED");
    }
}

#[test]
fn the_migration_actor_decides_nothing_else() {
    opened()
        .by(Actor::Migration)
        .when(DossierCommand::CorrectBirthDate(CorrectBirthDate {
            corrected: chrono::NaiveDate::from_ymd_opt(2010, 6, 16).unwrap(),
            reason: "geboorteakte".into(),
        }))
        .then_rejected("NOT_AUTHORISED");
}

#[test]
fn a_migration_needs_an_opened_dossier_a_source_and_a_fact_and_never_registers() {
    given(seed_rule_book())
        .by(Actor::Migration)
        .when(migrate(vec![charged_info_session()]))
        .then_rejected("DOSSIER_NOT_OPENED");
    opened()
        .by(Actor::Migration)
        .when(migrate(vec![]))
        .then_rejected("MIGRATION_EMPTY");
    opened()
        .by(Actor::Migration)
        .when(DossierCommand::MigrateHistory(MigrateHistory {
            source: "  ".into(),
            facts: vec![charged_info_session()],
        }))
        .then_rejected("REASON_REQUIRED");
    let registration = PersonRegistered {
        dossier: DOSSIER,
        person: MOTHER,
        insz: Some(insz_born(d(1985, 3, 2))),
        birth_date: Some(d(1985, 3, 2)),
        birth_date_from_insz: true,
    };
    opened()
        .by(Actor::Migration)
        .when(migrate(vec![charged_info_session(), registration.into()]))
        .then_rejected("MIGRATION_CANNOT_REGISTER");
    let recorded = opened().world.dossier.person.unwrap().insz;
    let correction = InszCorrected {
        previous_insz: Some(recorded),
        corrected_insz: Some(insz_born(d(1985, 3, 2))),
        reason: "uit het vorige systeem".into(),
    };
    opened()
        .by(Actor::Migration)
        .when(migrate(vec![correction.into()]))
        .then_rejected("MIGRATION_CANNOT_REGISTER");
}
