//! Personal data sealed in the log: plain for every reader above the store, ciphertext in the
//! store, and "gewist" for good once a person's data is erased, with the hash chain unchanged.

use std::sync::Arc;

use app::{Keyring, SealedStore, Service};
use chrono::NaiveDate;
use domain::PersonId;
use domain::persons::PersonStream;
use domain::persons::{
    Contact, CorrectPersonName, ErasePersonData, ErasureBasis, IdentifyPerson, PersonCommand,
};
use event_store::verify::verify_store;
use event_store::{EventStore, MemoryStore, Position, ReadPages, StreamName};
use uuid::Uuid;

use crate::staff;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct Sealed {
    raw: Arc<dyn EventStore>,
    sealed: Arc<dyn EventStore>,
    service: Service,
}

async fn sealed_service() -> Sealed {
    let raw: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let sealed: Arc<dyn EventStore> = Arc::new(SealedStore::new(
        raw.clone(),
        Arc::new(Keyring::in_memory()),
    ));
    let service = Service::new(sealed.clone(), 100);
    service.ensure_rule_book(d(2026, 1, 1)).await.unwrap();
    Sealed {
        raw,
        sealed,
        service,
    }
}

async fn every_byte(store: &dyn EventStore) -> String {
    let mut text = String::new();
    let mut pages = store.log_pages(Position::START, 100);
    while let Some(page) = pages.next_page().await.unwrap() {
        for event in page {
            text.push_str(&String::from_utf8_lossy(&event.payload));
            text.push_str(&String::from_utf8_lossy(&event.metadata));
        }
    }
    text
}

async fn record_of(store: &dyn EventStore, person: PersonId) -> String {
    let stream = StreamName::parse(format!("person-record-{person}")).unwrap();
    let events = store.read_stream(&stream, 0, 100).await.unwrap();
    events
        .iter()
        .map(|e| {
            format!(
                "{} {}\n",
                String::from_utf8_lossy(&e.payload),
                String::from_utf8_lossy(&e.metadata)
            )
        })
        .collect()
}

#[tokio::test]
async fn personal_data_is_sealed_in_the_store_and_erased_for_good_with_the_chain_unchanged() {
    let t = sealed_service().await;
    let insz = domain::examples::insz(d(1984, 2, 29), 7);
    let digits = insz.expose_digits().to_owned();
    let (actor, write) = staff();
    let identified = t
        .service
        .identify_person(
            &IdentifyPerson {
                person: PersonId::from_uuid(Uuid::now_v7()),
                family_name: "Vandenbroucke".into(),
                given_names: "Marieke".into(),
                insz: Some(insz),
                birth_date: None,
                no_insz_reason: None,
                contact: Contact {
                    email: Some("marieke@example.be".into()),
                    ..Contact::default()
                },
            },
            actor,
            d(2026, 1, 2),
            &write,
        )
        .await
        .unwrap();
    let person = identified.person;
    let (actor, write) = staff();
    t.service
        .person_command(
            person,
            &PersonCommand::CorrectName(CorrectPersonName {
                family_name: "Vandenbroucke-Claes".into(),
                given_names: "Marieke".into(),
                reason: "tikfout gemeld door mevrouw Claes".into(),
            }),
            actor,
            d(2026, 1, 3),
            &write,
        )
        .await
        .unwrap();

    // Above the store: plain values.
    let (record, _) = t.service.person(person).await.unwrap();
    let identity = record.identity.unwrap();
    assert_eq!(identity.family_name, "Vandenbroucke-Claes");
    assert!(
        record_of(t.sealed.as_ref(), person)
            .await
            .contains("mevrouw Claes")
    );
    // In the store: none of it.
    let stored = every_byte(t.raw.as_ref()).await;
    for plain in [
        "Vandenbroucke",
        "Marieke",
        digits.as_str(),
        "marieke@example.be",
        "mevrouw Claes",
    ] {
        assert!(!stored.contains(plain), "{plain} is stored in the clear");
    }
    assert!(stored.contains("\"sealed\":{"));
    let before = verify_store(t.sealed.as_ref(), None, |_| {}).await.unwrap();

    let erase = PersonCommand::Erase(ErasePersonData {
        basis: ErasureBasis::RetentionEnded,
    });
    crate::by_two::<PersonStream>(&t.service, &person, &erase, d(2033, 1, 3))
        .await
        .unwrap();

    // Every earlier event of the record reads "gewist"; the state holds nothing plain.
    let read = record_of(t.sealed.as_ref(), person).await;
    assert!(
        !read.contains("Vandenbroucke") && !read.contains("mevrouw Claes"),
        "{read}"
    );
    assert!(read.contains("\"family_name\":\"gewist\""), "{read}");
    assert!(read.contains("\"reason\":\"gewist\""), "{read}");
    let (record, _) = t.service.person(person).await.unwrap();
    let identity = record.identity.clone().unwrap();
    assert_eq!(identity.family_name, "gewist");
    assert_eq!(identity.full_name(), "gewist", "not \"gewist gewist\"");
    assert_eq!(record.erased, Some(ErasureBasis::RetentionEnded));
    // A fresh reader over the same store and keys: the same.
    let fresh = Service::new(t.sealed.clone(), 100);
    let (record, _) = fresh.person(person).await.unwrap();
    assert_eq!(record.identity.unwrap().insz, None);

    // The chain over the stored bytes holds: the events before the erasure are unchanged.
    let after = verify_store(t.sealed.as_ref(), Some(&before.digest_list()), |_| {})
        .await
        .unwrap();
    assert_eq!(
        after.events,
        before.events + 4,
        "the proposal, the erasure, its confirmation, and the INSZ index letting the person go"
    );

    // Nothing more is recorded about the person; a retried erasure records nothing.
    let (actor, write) = staff();
    let refused = t
        .service
        .person_command(
            person,
            &PersonCommand::CorrectName(CorrectPersonName {
                family_name: "Claes".into(),
                given_names: "Marieke".into(),
                reason: "nogmaals".into(),
            }),
            actor,
            d(2033, 1, 4),
            &write,
        )
        .await
        .unwrap_err();
    assert!(
        format!("{refused:?}").contains("PersonErased"),
        "{refused:?}"
    );
    let (actor, write) = staff();
    let again = t
        .service
        .person_command(person, &erase, actor, d(2033, 1, 4), &write)
        .await
        .unwrap();
    assert!(again.event_ids.is_empty());
}

/// A retried append (same event ids) seals to the same bytes, so the store still sees a retry.
#[tokio::test]
async fn a_retried_append_seals_to_the_same_bytes() {
    use event_store::{EventMetadata, ExpectedVersion, NewEvent};
    let raw: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let sealed = SealedStore::new(raw.clone(), Arc::new(Keyring::in_memory()));
    let person = PersonId::from_uuid(Uuid::now_v7());
    let stream = StreamName::parse(format!("person-record-{person}")).unwrap();
    let event = NewEvent::new(
        Uuid::now_v7(),
        "PersonNameCorrected",
        1,
        &serde_json::json!({"family_name": "Peeters", "given_names": "An"}),
        &EventMetadata {
            actor_id: "t".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            reason: Some("tikfout".into()),
            proposed: None,
        },
    )
    .unwrap();
    let first = sealed
        .append(
            &stream,
            ExpectedVersion::NoStream,
            std::slice::from_ref(&event),
        )
        .await
        .unwrap();
    let retried = sealed
        .append(&stream, ExpectedVersion::NoStream, &[event])
        .await
        .unwrap();
    assert_eq!(first, retried);
    assert_eq!(raw.read_stream(&stream, 0, 10).await.unwrap().len(), 1);
}

/// A dossier is erased with its person once its retention period has ended, never before: its
/// INSZ and birth date leave the store's readable bytes, its figures and chain stay, and the
/// erasure queue lists it until then.
#[tokio::test]
async fn a_person_is_erased_with_their_dossier_only_after_its_retention_period() {
    use domain::dossier::{DossierCommand, RegisterPerson, VoidDossier};
    let t = sealed_service().await;
    let insz = domain::examples::insz(d(2012, 5, 14), 3);
    let digits = insz.expose_digits().to_owned();
    let dossier = domain::DossierId::from_uuid(Uuid::now_v7());
    let (actor, write) = staff();
    let (opened, _) = t
        .service
        .open_dossier(
            &RegisterPerson {
                dossier,
                person: PersonId::from_uuid(Uuid::now_v7()),
                insz,
                birth_date: None,
            },
            Some(("Peeters", "Lotte")),
            actor,
            d(2019, 9, 1),
            &write,
        )
        .await
        .unwrap();
    let person = opened.state.person.unwrap().id;
    let (actor, write) = staff();
    t.service
        .dossier_command(
            dossier,
            &DossierCommand::VoidDossier(VoidDossier {
                reason: "geopend voor de verkeerde persoon".into(),
            }),
            actor,
            d(2019, 9, 2),
            &write,
            None,
        )
        .await
        .unwrap();
    let erase = PersonCommand::Erase(ErasePersonData {
        basis: ErasureBasis::RetentionEnded,
    });

    // Within the retention period (7 years from the day it closed): kept, and not yet due.
    assert!(
        t.service
            .erasure_due(d(2026, 9, 2))
            .await
            .unwrap()
            .is_empty()
    );
    let (actor, write) = staff();
    let kept = t
        .service
        .person_command(person, &erase, actor, d(2026, 9, 2), &write)
        .await
        .unwrap_err();
    assert!(
        format!("{kept:?}").contains("PersonKeptForDossier"),
        "{kept:?}"
    );
    assert!(every_byte(t.sealed.as_ref()).await.contains(&digits));
    assert!(!every_byte(t.raw.as_ref()).await.contains(&digits));

    // The subject-access export holds what the log knows: the person's record and dossier.
    let access = t.service.subject_access(person).await.unwrap();
    assert_eq!(access.dossiers.len(), 1);
    let document = access.to_text_nl(d(2026, 9, 2));
    for expected in [
        "Persoon: Lotte Peeters",
        "birth_date: 14/05/2012",
        "persoon met een handicap",
        digits.as_str(),
        "geopend voor de verkeerde persoon",
        "Dossier vernietigd (bij vergissing geopend) · vastgelegd door een medewerker van het VAPH",
        "02/09/2026",
    ] {
        assert!(document.contains(expected), "{expected}: {document}");
    }

    let due = t.service.erasure_due(d(2026, 9, 3)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].person, due[0].dossier, due[0].retention_until),
        (person, dossier, d(2026, 9, 2))
    );
    let before = verify_store(t.sealed.as_ref(), None, |_| {}).await.unwrap();
    crate::by_two::<PersonStream>(&t.service, &person, &erase, d(2026, 9, 3))
        .await
        .unwrap();

    // Read through the keys: the INSZ and the name are gone, the subject stays.
    let read = every_byte(t.sealed.as_ref()).await;
    assert!(!read.contains(&digits) && !read.contains("Lotte"), "{read}");
    assert!(read.contains("\"insz\":\"gewist\""));
    let fresh = Service::new(t.sealed.clone(), 100);
    let (state, _) = fresh.dossier(dossier).await.unwrap();
    assert_eq!(state.subject.map(|(_, p)| p), Some(person));
    assert!(state.person.is_none());
    assert_eq!(state.erased_on, Some(d(2026, 9, 3)));
    assert!(
        t.service
            .erasure_due(d(2026, 9, 4))
            .await
            .unwrap()
            .is_empty()
    );
    let document = t
        .service
        .subject_access(person)
        .await
        .unwrap()
        .to_text_nl(d(2026, 9, 4));
    assert!(
        !document.contains(&digits) && !document.contains("Lotte"),
        "{document}"
    );
    assert!(document.contains("insz: gewist"), "{document}");
    let after = verify_store(t.sealed.as_ref(), Some(&before.digest_list()), |_| {})
        .await
        .unwrap();
    assert_eq!(
        after.events,
        before.events + 5,
        "the proposal, an erasure in the dossier and the record, the INSZ index letting the \
         person go, and the confirmation"
    );

    // The INSZ leads to nobody now: the person applying again gets a new dossier and record.
    let (actor, write) = staff();
    let (reopened, identified) = t
        .service
        .open_dossier(
            &RegisterPerson {
                dossier: domain::DossierId::from_uuid(Uuid::now_v7()),
                person: PersonId::from_uuid(Uuid::now_v7()),
                insz: domain::examples::insz(d(2012, 5, 14), 3),
                birth_date: None,
            },
            Some(("Peeters", "Lotte")),
            actor,
            d(2026, 9, 5),
            &write,
        )
        .await
        .unwrap();
    let again = reopened.state.person.unwrap().id;
    assert_ne!(again, person);
    assert!(!identified.unwrap().found, "not the erased person");
}
