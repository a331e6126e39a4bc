//! The person index: one dossier per person.

use domain::person_index::{
    PersonClaimReleased, PersonClaimed, PersonIndexCommand, PersonIndexKeyCreated, create_key,
};
use domain::testing::given;
use domain::*;

use crate::fixtures::*;

fn ev(event: impl Into<domain::person_index::PersonIndexEvent>) -> Event {
    Event::from(event.into())
}

fn claim(dossier: DossierId) -> PersonIndexCommand {
    PersonIndexCommand::Claim {
        dossier,
        person: CHILD,
    }
}

const OTHER_DOSSIER: DossierId = DossierId::from_uuid(uuid::Uuid::from_u128(
    0x0196_0000_0000_7000_8000_0000_0000_0002,
));

#[test]
fn a_person_is_registered_in_one_dossier_only() {
    let claimed = given([])
        .by(staff())
        .when(claim(DOSSIER))
        .then_events(vec![ev(PersonClaimed {
            dossier: DOSSIER,
            person: CHILD,
        })]);
    // The same registration again changes nothing…
    claimed.clone().when(claim(DOSSIER)).then_events(vec![]);
    // …another dossier is refused, and told which dossier holds the person.
    let refused = claimed
        .when(claim(OTHER_DOSSIER))
        .then_rejected("DUPLICATE_PERSON");
    assert!(
        refused.message_nl().contains(&DOSSIER.to_string()),
        "{}",
        refused.message_nl()
    );
}

#[test]
fn a_released_claim_frees_the_person_for_another_dossier() {
    let released = given([])
        .by(staff())
        .after(claim(DOSSIER))
        .when(PersonIndexCommand::Release {
            dossier: DOSSIER,
            reason: "registration refused: BIRTH_DATE_REQUIRED".into(),
        })
        .then_events(vec![ev(PersonClaimReleased {
            dossier: DOSSIER,
            reason: "registration refused: BIRTH_DATE_REQUIRED".into(),
        })]);
    released
        .when(claim(OTHER_DOSSIER))
        .then_events(vec![ev(PersonClaimed {
            dossier: OTHER_DOSSIER,
            person: CHILD,
        })]);
    // Releasing another dossier's claim does nothing.
    given([])
        .by(staff())
        .after(claim(DOSSIER))
        .when(PersonIndexCommand::Release {
            dossier: OTHER_DOSSIER,
            reason: "wrong dossier".into(),
        })
        .then_events(vec![]);
}

#[test]
fn only_the_agency_changes_the_index_and_only_the_system_creates_its_key() {
    given([])
        .by(holder(CHILD))
        .when(claim(DOSSIER))
        .then_rejected("NOT_AUTHORISED");
    assert!(create_key("ab", None, staff()).is_err());
    assert_eq!(
        create_key("ab", None, Actor::System).unwrap(),
        vec![
            PersonIndexKeyCreated {
                key_hex: "ab".into()
            }
            .into()
        ]
    );
    assert!(
        create_key("cd", Some("ab"), Actor::System)
            .unwrap()
            .is_empty()
    );
}
