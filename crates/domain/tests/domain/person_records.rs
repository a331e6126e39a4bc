//! A person's record: identity once, corrections after, the INSZ index one person per number.

use domain::person_index::{PersonClaimed, PersonIndexCommand, PersonIndexed};
use domain::persons::*;
use domain::testing::given;
use domain::*;

use crate::fixtures::*;

fn ev(event: impl Into<PersonEvent>) -> Event {
    Event::from(event.into())
}

fn mother_with_insz() -> IdentifyPerson {
    IdentifyPerson {
        person: MOTHER,
        family_name: " Peeters ".into(),
        given_names: "An".into(),
        insz: Some(insz_born(d(1985, 3, 2))),
        birth_date: None,
        no_insz_reason: None,
        contact: Contact {
            address: Some(" Kerkstraat 1, 9000 Gent ".into()),
            email: Some(String::new()),
            phone: None,
        },
    }
}

fn identified_mother() -> PersonIdentified {
    PersonIdentified {
        person: MOTHER,
        family_name: "Peeters".into(),
        given_names: "An".into(),
        insz: Some(insz_born(d(1985, 3, 2))),
        birth_date: Some(d(1985, 3, 2)),
        no_insz_reason: None,
        contact: Contact {
            address: Some("Kerkstraat 1, 9000 Gent".into()),
            email: None,
            phone: None,
        },
    }
}

#[test]
fn a_person_is_identified_once_trimmed_with_the_birth_date_of_the_insz() {
    let identified = given([])
        .by(staff())
        .today(d(2026, 1, 1))
        .when(PersonCommand::Identify(mother_with_insz()))
        .then_events(vec![ev(identified_mother())]);
    // The same identification again (a retry) changes nothing; other details are refused.
    identified
        .clone()
        .when(PersonCommand::Identify(mother_with_insz()))
        .then_events(vec![]);
    identified
        .when(PersonCommand::Identify(IdentifyPerson {
            given_names: "Anna".into(),
            ..mother_with_insz()
        }))
        .then_rejected("PERSON_ALREADY_IDENTIFIED");
}

#[test]
fn without_an_insz_a_person_needs_a_birth_date_and_the_reason_there_is_none() {
    let without = |birth_date, reason: Option<&str>| {
        PersonCommand::Identify(IdentifyPerson {
            insz: None,
            birth_date,
            no_insz_reason: reason.map(str::to_owned),
            ..mother_with_insz()
        })
    };
    let scenario = given([]).by(staff()).today(d(2026, 1, 1));
    scenario
        .clone()
        .when(without(None, Some("woont in Nederland")))
        .then_rejected("BIRTH_DATE_REQUIRED");
    scenario
        .clone()
        .when(without(Some(d(1985, 3, 2)), Some("  ")))
        .then_rejected("NO_INSZ_REASON_REQUIRED");
    scenario
        .clone()
        .when(without(Some(d(2027, 3, 2)), Some("woont in Nederland")))
        .then_rejected("DATE_IN_FUTURE");
    scenario
        .when(without(Some(d(1985, 3, 2)), Some("woont in Nederland")))
        .then_events(vec![ev(PersonIdentified {
            insz: None,
            no_insz_reason: Some("woont in Nederland".into()),
            ..identified_mother()
        })]);
}

#[test]
fn a_person_needs_a_name_an_id_and_well_formed_contact_details_from_vaph() {
    let scenario = given([]).by(staff()).today(d(2026, 1, 1));
    let identify = |change: fn(&mut IdentifyPerson)| {
        let mut command = mother_with_insz();
        change(&mut command);
        PersonCommand::Identify(command)
    };
    scenario
        .clone()
        .when(identify(|c| c.family_name = " ".into()))
        .then_rejected("PERSON_NAME_INVALID");
    scenario
        .clone()
        .when(identify(|c| c.person = PersonId::default()))
        .then_rejected("ID_MISSING");
    scenario
        .clone()
        .when(identify(|c| c.contact.email = Some("an.peeters".into())))
        .then_rejected("INVALID_INPUT");
    scenario
        .by(holder(MOTHER))
        .when(identify(|_| {}))
        .then_rejected("NOT_AUTHORISED");
}

#[test]
fn a_name_is_corrected_with_a_reason_and_contact_details_replaced() {
    let identified = given([ev(identified_mother())])
        .by(staff())
        .today(d(2026, 1, 1));
    let correct = |family: &str, reason: &str| {
        PersonCommand::CorrectName(CorrectPersonName {
            family_name: family.into(),
            given_names: "An".into(),
            reason: reason.into(),
        })
    };
    identified
        .clone()
        .when(correct("Peeters-Claes", " "))
        .then_rejected("REASON_REQUIRED");
    identified
        .clone()
        .when(correct("Peeters", "identiteitskaart"))
        .then_rejected("CORRECTION_UNCHANGED");
    let corrected = identified
        .clone()
        .when(correct(" Peeters-Claes ", "identiteitskaart"))
        .then_events(vec![ev(PersonNameCorrected {
            family_name: "Peeters-Claes".into(),
            given_names: "An".into(),
        })]);
    assert_eq!(
        corrected
            .world
            .person
            .identity
            .as_ref()
            .map(Identity::full_name),
        Some("An Peeters-Claes".into())
    );
    identified
        .clone()
        .when(PersonCommand::RecordContact(RecordContact {
            contact: Contact {
                phone: Some("09 123 45 67".into()),
                ..Contact::default()
            },
        }))
        .then_events(vec![ev(PersonContactRecorded {
            contact: Contact {
                phone: Some("09 123 45 67".into()),
                ..Contact::default()
            },
        })]);
    given([])
        .by(staff())
        .when(correct("Peeters", "identiteitskaart"))
        .then_rejected("PERSON_UNKNOWN");
}

#[test]
fn an_insz_is_the_insz_of_one_person_and_an_old_claim_names_that_person() {
    let index = |person| PersonIndexCommand::Index { person };
    let indexed = given([])
        .by(staff())
        .when(index(MOTHER))
        .then_events(vec![Event::from(
            domain::person_index::PersonIndexEvent::from(PersonIndexed { person: MOTHER }),
        )]);
    indexed.clone().when(index(MOTHER)).then_events(vec![]);
    let refused = indexed
        .when(index(FATHER))
        .then_rejected("INSZ_OF_ANOTHER_PERSON");
    assert!(refused.message_nl().contains(&MOTHER.to_string()));
    // A store from before person records: the claim of a registration names the person.
    let claimed = given([Event::from(domain::person_index::PersonIndexEvent::from(
        PersonClaimed {
            dossier: DOSSIER,
            person: CHILD,
        },
    ))]);
    assert_eq!(claimed.world.person_index.person, Some(CHILD));
    claimed
        .by(staff())
        .when(index(MOTHER))
        .then_rejected("INSZ_OF_ANOTHER_PERSON");
}

#[test]
fn a_birth_date_beside_an_insz_that_encodes_another_is_warned_about() {
    let command = PersonCommand::Identify(IdentifyPerson {
        birth_date: Some(d(1985, 3, 3)),
        ..mother_with_insz()
    });
    let codes: Vec<_> = warnings(&command, None).iter().map(|w| w.code()).collect();
    assert_eq!(codes, ["BIRTH_DATE_DIFFERS_FROM_INSZ"]);
    assert!(warnings(&PersonCommand::Identify(mother_with_insz()), None).is_empty());
}
