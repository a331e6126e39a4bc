//! The domain's commands through the service: rule book seeding, decisions against the stored
//! rule book, the daily job.

use std::sync::Arc;

use app::{ExecuteError, SeedOutcome, Service, WriteContext};
use chrono::NaiveDate;
use domain::dossier::{DossierCommand, DossierStream, RegisterPerson, SubmitPabApplication};
use domain::{BudgetId, DossierId, Insz, PersonId};
use event_store::{EventStore, MemoryStore, Position};
use uuid::Uuid;

use crate::staff;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A valid INSZ for someone born on `birth` (serial 001).
fn insz_born(birth: NaiveDate) -> Insz {
    domain::examples::insz(birth, 1)
}

async fn service() -> (Arc<dyn EventStore>, Service) {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let service = Service::new(store.clone(), 100);
    service.ensure_rule_book(d(2026, 1, 1)).await.unwrap();
    (store, service)
}

async fn open_dossier(service: &Service, birth: NaiveDate) -> DossierId {
    let dossier = DossierId::from_uuid(Uuid::now_v7());
    let (actor, write) = staff();
    let register = DossierCommand::RegisterPerson(RegisterPerson {
        dossier,
        person: PersonId::from_uuid(Uuid::now_v7()),
        insz: insz_born(birth),
        birth_date: None,
    });
    service
        .dossier_command(dossier, &register, actor, d(2026, 1, 1), &write, Some(None))
        .await
        .unwrap();
    dossier
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rule_book_is_seeded_once_even_by_concurrent_starts() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let a = Service::new(store.clone(), 10);
    let b = Service::new(store.clone(), 10);
    let (ra, rb) = tokio::join!(
        a.ensure_rule_book(d(2026, 1, 1)),
        b.ensure_rule_book(d(2026, 1, 1))
    );
    let outcomes = [ra.unwrap(), rb.unwrap()];
    let seeded: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o, SeedOutcome::Seeded { .. }))
        .collect();
    assert_eq!(seeded.len(), 1, "{outcomes:?}");
    let SeedOutcome::Seeded { versions } = seeded[0] else {
        unreachable!()
    };
    let recorded = store.read_all(Position::START, 10_000).await.unwrap();
    assert_eq!(recorded.len(), *versions);
    // The seed is reviewed as code: applied as a migration, its file named, no person's decision.
    for event in &recorded {
        let meta: event_store::EventMetadata = serde_json::from_slice(&event.metadata).unwrap();
        assert_eq!(meta.actor_role, "migration");
        assert!(meta.proposed.is_none());
        assert_eq!(
            meta.reason.as_deref(),
            Some("rule-book seed rulebook-v1 applied at start on 2026-01-01")
        );
    }
    assert_eq!(
        a.ensure_rule_book(d(2026, 1, 2)).await.unwrap(),
        SeedOutcome::AlreadyPresent
    );
}

#[tokio::test]
async fn a_refused_command_writes_nothing_and_says_why() {
    let (store, service) = service().await;
    let dossier = open_dossier(&service, d(1990, 5, 17)).await;
    let before = store.read_all(Position::START, 10_000).await.unwrap().len();
    let (actor, write) = staff();
    let apply = DossierCommand::SubmitPabApplication(SubmitPabApplication {
        budget: BudgetId::from_uuid(Uuid::now_v7()),
        submitted_on: d(2020, 1, 6),
        urgent: None,
    });
    match service
        .dossier_command(dossier, &apply, actor, d(2020, 1, 6), &write, None)
        .await
    {
        Err(ExecuteError::Rejected(r)) => {
            assert_eq!((r.code(), r.rule()), ("PAB_ONLY_FOR_MINORS", "S003-02"));
            assert!(
                r.message_nl().contains("minderjarigen"),
                "{}",
                r.message_nl()
            );
        }
        other => panic!("an adult's PAB application must be refused, got {other:?}"),
    }
    assert_eq!(
        store.read_all(Position::START, 10_000).await.unwrap().len(),
        before
    );
}

#[tokio::test]
async fn accepted_commands_carry_the_actor_in_their_metadata() {
    let (store, service) = service().await;
    let dossier = open_dossier(&service, d(2012, 5, 17)).await;
    let events = store
        .read_stream(&app::models::dossier_stream(dossier), 0, 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "PersonRegistered");
    let meta = events[0].metadata().unwrap();
    assert_eq!(meta.actor_role, "staff");
    assert_eq!(service.dossier_ids().await.unwrap(), vec![dossier]);
}

#[tokio::test]
async fn the_daily_job_records_an_18th_birthday_once_per_date() {
    let (store, service) = service().await;
    let birthday = d(2008, 3, 14);
    let dossier = open_dossier(&service, birthday).await;
    let _other = open_dossier(&service, d(2015, 1, 1)).await;

    let day_before = service.tick(d(2026, 3, 13), |_, _| {}).await.unwrap();
    assert_eq!((day_before.dossiers, day_before.commands), (2, 0));

    let mut progress = Vec::new();
    let on_the_day = service
        .tick(d(2026, 3, 14), |done, total| progress.push((done, total)))
        .await
        .unwrap();
    assert_eq!(on_the_day.commands, 1);
    assert!(on_the_day.refused.is_empty(), "{:?}", on_the_day.refused);
    assert_eq!(progress.last(), Some(&(2, 2)));
    let (state, _) = service.dossier(dossier).await.unwrap();
    assert!(state.majority_recorded);
    let events = store
        .read_stream(&app::models::dossier_stream(dossier), 0, 10)
        .await
        .unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.metadata().unwrap().actor_role, "system");

    let again = service.tick(d(2026, 3, 14), |_, _| {}).await.unwrap();
    assert_eq!(
        again.commands, 0,
        "a second run on the same date finds nothing due"
    );
}

#[tokio::test]
async fn the_same_person_cannot_be_registered_in_two_dossiers() {
    let (store, service) = service().await;
    let birth = d(2011, 2, 3);
    let first = open_dossier(&service, birth).await;

    let second = DossierId::from_uuid(Uuid::now_v7());
    let (actor, write) = staff();
    let again = DossierCommand::RegisterPerson(RegisterPerson {
        dossier: second,
        person: PersonId::from_uuid(Uuid::now_v7()),
        insz: insz_born(birth),
        birth_date: None,
    });
    match service
        .dossier_command(second, &again, actor, d(2026, 1, 1), &write, Some(None))
        .await
    {
        Err(ExecuteError::Rejected(r)) => {
            assert_eq!(r.code(), "DUPLICATE_PERSON");
            assert!(
                r.message_nl().contains(&first.to_string()),
                "{}",
                r.message_nl()
            );
        }
        other => panic!("a second registration must be refused, got {other:?}"),
    }
    let second_stream = app::models::dossier_stream(second);
    assert!(
        store
            .read_stream(&second_stream, 0, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // The index streams are named without the INSZ.
    let digits = insz_born(birth).expose_digits().to_owned();
    let all = store.read_all(Position::START, 10_000).await.unwrap();
    let index: Vec<_> = all
        .iter()
        .filter(|e| e.stream.as_str().starts_with("person-"))
        .collect();
    assert!(!index.is_empty());
    assert!(all.iter().all(|e| !e.stream.as_str().contains(&digits)));
    assert!(all.iter().any(|e| e.event_type == "PersonIndexKeyCreated"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_loser_of_a_race_for_one_dossier_leaves_its_person_free() {
    let (_, service) = service().await;
    let service = Arc::new(service);
    let dossier = DossierId::from_uuid(Uuid::now_v7());
    let births = [d(2010, 4, 1), d(2010, 4, 2)];
    let attempts: Vec<_> = births
        .iter()
        .map(|birth| {
            let (service, birth) = (service.clone(), *birth);
            tokio::spawn(async move {
                let (actor, write) = staff();
                let register = DossierCommand::RegisterPerson(RegisterPerson {
                    dossier,
                    person: PersonId::from_uuid(Uuid::now_v7()),
                    insz: insz_born(birth),
                    birth_date: None,
                });
                (
                    birth,
                    service
                        .dossier_command(dossier, &register, actor, d(2026, 1, 1), &write, None)
                        .await,
                )
            })
        })
        .collect();
    let mut losers = Vec::new();
    for attempt in futures::future::join_all(attempts).await {
        let (birth, result) = attempt.unwrap();
        if let Err(e) = result {
            assert!(
                matches!(&e, ExecuteError::Rejected(r) if r.code() == "DUPLICATE_PERSON"),
                "{e:?}"
            );
            losers.push(birth);
        }
    }
    assert_eq!(losers.len(), 1, "one dossier holds one person");
    // Whether the loser was stopped before claiming or released its claim, its person is free.
    open_dossier(&service, losers[0]).await;
}

/// An adult's dossier with a PVB made available in 2024 (so a budget year 2024).
async fn pvb_dossier(service: &Service, birth: NaiveDate) -> DossierId {
    let dossier = open_dossier(service, birth).await;
    let (actor, write) = staff();
    let available = DossierCommand::MakePvbAvailable(domain::dossier::MakePvbAvailable {
        budget: BudgetId::from_uuid(Uuid::now_v7()),
        letter_date: d(2024, 2, 1),
        annual_amount: domain::Euro::parse("30000").unwrap(),
        route: domain::dossier::PvbRoute::PriorityGroup,
    });
    service
        .dossier_command(dossier, &available, actor, d(2024, 2, 1), &write, None)
        .await
        .unwrap();
    dossier
}

#[tokio::test]
async fn k01_a_drawn_sample_opens_a_control_case_in_each_selected_dossier_and_replays() {
    let (store, service) = service().await;
    let mut with_budget = Vec::new();
    for serial in 0..5 {
        with_budget.push(pvb_dossier(&service, d(1980 + serial, 3, 9)).await);
    }
    let without_budget = open_dossier(&service, d(1975, 6, 1)).await;
    let (actor, write) = staff();
    let drawn = service
        .draw_control_sample(
            2024,
            domain::dossier::ControlKind::Standard,
            2,
            actor,
            d(2025, 3, 1),
            &write,
        )
        .await
        .unwrap();
    assert_eq!(drawn.population, 5, "only dossiers with a budget in 2024");
    assert!(drawn.refused.is_empty(), "{:?}", drawn.refused);
    let selected: Vec<DossierId> = drawn.opened.iter().map(|(d, _)| *d).collect();
    assert_eq!(
        selected,
        domain::controls::select(drawn.seed, &with_budget, 2),
        "the selection replays from the seed and the population"
    );
    assert!(!selected.contains(&without_budget));
    for (dossier, control) in &drawn.opened {
        let (state, _) = service.dossier(*dossier).await.unwrap();
        let case = &state.controls[control];
        assert_eq!(
            (case.opened.period_from, case.opened.period_to),
            (d(2024, 1, 1), d(2024, 12, 31))
        );
    }
    let controls = store
        .read_stream(&app::models::controls_stream(), 0, 10)
        .await
        .unwrap();
    assert_eq!(controls.len(), 1);
    assert_eq!(controls[0].event_type, "ControlSampleDrawn");

    // Too large a sample is refused with the rule, and writes nothing.
    let before = store.read_all(Position::START, 10_000).await.unwrap().len();
    let (actor, write) = staff();
    let too_many = service
        .draw_control_sample(
            2024,
            domain::dossier::ControlKind::Standard,
            6,
            actor,
            d(2025, 3, 1),
            &write,
        )
        .await;
    match too_many {
        Err(ExecuteError::Rejected(r)) => assert_eq!(r.code(), "SAMPLE_SIZE_INVALID"),
        other => panic!("a sample larger than the population is refused, got {other:?}"),
    }
    assert_eq!(
        store.read_all(Position::START, 10_000).await.unwrap().len(),
        before
    );
}

#[tokio::test]
async fn a_keyed_retry_of_a_draw_draws_the_same_sample_and_opens_nothing_twice() {
    let (store, service) = service().await;
    for serial in 0..4 {
        pvb_dossier(&service, d(1980 + serial, 3, 9)).await;
    }
    let (actor, mut write) = staff();
    write.correlation_id = WriteContext::keyed_correlation_id("staff-1", "draw-1", &[7; 32]);
    let kind = domain::dossier::ControlKind::Sufficiency;
    let first = service
        .draw_control_sample(2024, kind, 3, actor, d(2025, 3, 1), &write)
        .await
        .unwrap();
    let events = store.read_all(Position::START, 10_000).await.unwrap().len();
    let again = service
        .draw_control_sample(2024, kind, 3, actor, d(2025, 3, 1), &write)
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(
        store.read_all(Position::START, 10_000).await.unwrap().len(),
        events
    );
}

#[tokio::test]
async fn migrated_history_enters_only_through_the_migration_path_as_the_migration_actor() {
    use domain::dossier::{AssistanceRecorded, AssistanceThreshold, DossierEvent, MigrateHistory};
    let (store, service) = service().await;
    let dossier = open_dossier(&service, d(1980, 5, 1)).await;
    let stream = app::models::dossier_stream(dossier);
    let before = store.read_stream(&stream, 0, 100).await.unwrap().len();
    let fact = DossierEvent::from(AssistanceRecorded {
        organisation: domain::OrganisationId::from_uuid(Uuid::from_u128(0x40)),
        threshold: AssistanceThreshold::LowThreshold,
        description: "infosessie (uit het vorige systeem)".into(),
        fee: domain::examples::cents(7_500),
        provided_on: d(2019, 1, 21),
    });

    let (actor, write) = staff();
    let by_staff = DossierCommand::MigrateHistory(MigrateHistory {
        source: "vorig systeem".into(),
        facts: vec![fact.clone()],
    });
    let refused = service
        .dossier_command(dossier, &by_staff, actor, d(2026, 1, 5), &write, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ExecuteError::Rejected(r) if r.code() == "NOT_AUTHORISED"),
        "{refused:?}"
    );
    assert_eq!(
        store.read_stream(&stream, 0, 100).await.unwrap().len(),
        before
    );

    service
        .migrate(
            dossier,
            "het dossiersysteem van de bijstandsorganisatie",
            vec![fact],
            d(2026, 1, 5),
            Uuid::now_v7(),
        )
        .await
        .unwrap();
    let events = store.read_stream(&stream, 0, 100).await.unwrap();
    assert_eq!(events.len(), before + 1);
    let migrated = events.last().unwrap();
    assert_eq!(migrated.event_type, "BoAssistanceRecorded");
    let meta = migrated.metadata().unwrap();
    assert_eq!(
        (meta.actor_id.as_str(), meta.actor_role.as_str()),
        ("migration", "migration")
    );
    assert_eq!(
        meta.reason.as_deref(),
        Some("het dossiersysteem van de bijstandsorganisatie")
    );
    let (state, _) = service.dossier(dossier).await.unwrap();
    assert_eq!(state.assistance.len(), 1);
}

#[tokio::test]
async fn a_voided_dossier_frees_its_persons_insz_for_the_right_dossier() {
    use domain::dossier::VoidDossier;
    let (_store, service) = service().await;
    let birth = d(2014, 2, 3);
    let mistaken = open_dossier(&service, birth).await;
    let register_again = |dossier| {
        DossierCommand::RegisterPerson(RegisterPerson {
            dossier,
            person: PersonId::from_uuid(Uuid::now_v7()),
            insz: insz_born(birth),
            birth_date: None,
        })
    };
    let right = DossierId::from_uuid(Uuid::now_v7());
    let (actor, write) = staff();
    let refused = service
        .dossier_command(
            right,
            &register_again(right),
            actor,
            d(2026, 1, 2),
            &write,
            Some(None),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ExecuteError::Rejected(r) if r.code() == "DUPLICATE_PERSON"),
        "{refused:?}"
    );

    let void = DossierCommand::VoidDossier(VoidDossier {
        reason: "geopend voor de verkeerde persoon".into(),
    });
    let (actor, write) = staff();
    let voided = service
        .dossier_command(mistaken, &void, actor, d(2026, 1, 3), &write, None)
        .await
        .unwrap();
    assert_eq!(voided.state.voided_on, Some(d(2026, 1, 3)));

    let (actor, write) = staff();
    service
        .dossier_command(
            right,
            &register_again(right),
            actor,
            d(2026, 1, 4),
            &write,
            Some(None),
        )
        .await
        .expect("the INSZ is free once the mistaken dossier is voided");
    let (kept, _) = service.dossier(mistaken).await.unwrap();
    assert!(kept.person.is_some(), "the voided dossier's history stays");
}

#[tokio::test]
async fn a_corrected_insz_re_keys_the_person_index() {
    use domain::dossier::CorrectInsz;
    let (_store, service) = service().await;
    let (mistyped, other, right) = (d(2013, 4, 5), d(2013, 4, 6), d(2013, 5, 4));
    let dossier = open_dossier(&service, mistyped).await;
    let _holds_other = open_dossier(&service, other).await;
    let correct = |to: NaiveDate| {
        DossierCommand::CorrectInsz(CorrectInsz {
            corrected: insz_born(to),
            reason: "rijksregister nagekeken".into(),
        })
    };
    let taken = crate::by_two::<DossierStream>(&service, &dossier, &correct(other), d(2026, 2, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&taken, ExecuteError::Rejected(r) if r.code() == "DUPLICATE_PERSON"),
        "{taken:?}"
    );
    crate::by_two::<DossierStream>(&service, &dossier, &correct(right), d(2026, 2, 1))
        .await
        .unwrap();
    let (done, _) = service.dossier(dossier).await.unwrap();
    assert_eq!(done.person.unwrap().insz, insz_born(right));

    let register = |insz| {
        let new = DossierId::from_uuid(Uuid::now_v7());
        (
            new,
            DossierCommand::RegisterPerson(RegisterPerson {
                dossier: new,
                person: PersonId::from_uuid(Uuid::now_v7()),
                insz,
                birth_date: None,
            }),
        )
    };
    let (freed, command) = register(insz_born(mistyped));
    let (actor, write) = staff();
    service
        .dossier_command(freed, &command, actor, d(2026, 2, 2), &write, Some(None))
        .await
        .expect("the mistyped INSZ is free again");
    let (held, command) = register(insz_born(right));
    let (actor, write) = staff();
    let refused = service
        .dossier_command(held, &command, actor, d(2026, 2, 2), &write, Some(None))
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ExecuteError::Rejected(r) if r.code() == "DUPLICATE_PERSON"),
        "the corrected INSZ is held by the corrected dossier: {refused:?}"
    );
}

#[test]
fn a_requests_next_step_has_a_correlation_of_its_own_and_a_keyed_one_keeps_it_on_retry() {
    let (_, mut write) = staff();
    write.correlation_id = WriteContext::keyed_correlation_id("staff-1", "open-1", &[3; 32]);
    let step = write.next_step("release person-index claim");
    assert_ne!(step.correlation_id, write.correlation_id);
    assert_eq!(step.causation_id, Some(write.correlation_id));
    assert_eq!(
        step.correlation_id.get_version_num(),
        5,
        "still a keyed request"
    );
    assert_eq!(
        step.correlation_id,
        write.next_step("release person-index claim").correlation_id,
        "a retry of the request names the same step"
    );
    let (_, unkeyed) = staff();
    assert_eq!(unkeyed.next_step("x").correlation_id.get_version_num(), 7);
}

/// Completing a person a dossier named by id with an INSZ that is another person's is refused
/// and writes nothing; identifying by that INSZ without naming an id finds that person.
#[tokio::test]
async fn completing_a_person_with_another_persons_insz_is_refused_and_writes_nothing() {
    use domain::persons::{Contact, IdentifyPerson, PersonCommand};
    let (store, service) = service().await;
    let identify = |person: PersonId| IdentifyPerson {
        person,
        family_name: "Peeters".into(),
        given_names: "An".into(),
        insz: Some(insz_born(d(1984, 2, 29))),
        birth_date: None,
        no_insz_reason: None,
        contact: Contact::default(),
    };
    let (actor, write) = staff();
    let mother = PersonId::from_uuid(Uuid::now_v7());
    let first = service
        .identify_person(&identify(mother), actor, d(2026, 1, 2), &write)
        .await
        .unwrap();
    assert!(!first.found);
    let (actor, write) = staff();
    let again = service
        .identify_person(
            &identify(PersonId::from_uuid(Uuid::now_v7())),
            actor,
            d(2026, 1, 2),
            &write,
        )
        .await
        .unwrap();
    assert!(again.found, "the INSZ finds her");
    assert_eq!(again.person, mother);

    let before = store.read_all(Position::START, 10_000).await.unwrap().len();
    let bare = PersonId::from_uuid(Uuid::now_v7());
    let (actor, write) = staff();
    let refused = service
        .person_command(
            bare,
            &PersonCommand::Identify(identify(bare)),
            actor,
            d(2026, 1, 2),
            &write,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ExecuteError::Rejected(r) if r.code() == "INSZ_OF_ANOTHER_PERSON"),
        "{refused:?}"
    );
    assert_eq!(
        store.read_all(Position::START, 10_000).await.unwrap().len(),
        before,
        "nothing written"
    );
    assert_eq!(service.person(bare).await.unwrap().1, None);
}
