//! The person index: a person is registered in one dossier only (brief §5.2, `DUPLICATE_PERSON`).
//!
//! Every registered person has a stream of their own in the index. The application layer names
//! it after a keyed hash of the INSZ, never the INSZ itself (stream names reach logs, metrics and
//! digest lists), with the installation key recorded once in the index's key stream
//! ([`PersonIndexKeyCreated`]), so a copied log keeps its names. A registration first claims the
//! person's index stream ([`PersonClaimed`]) with "no stream yet" as expected version, then
//! registers the person in the dossier; two registrations of one INSZ racing each other meet a
//! version conflict, and the loser is refused with the dossier that holds the person. When the
//! dossier refuses the registration after the claim, the claim is released
//! ([`PersonClaimReleased`], with the reason), so nothing is left pointing at an empty dossier.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::{DossierId, PersonId};
use crate::{Actor, Context};

crate::event::event_enum! {
    /// Events of the person index (the key stream and one stream per person).
    PersonIndexEvent {
        PersonIndexKeyCreated = 1,
        PersonClaimed = 1,
        PersonClaimReleased = 1,
        PersonIndexed = 1,
        PersonUnindexed = 1,
    }
}

/// The key with which index stream names are derived from an INSZ was created (once per
/// installation, by the system at first start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonIndexKeyCreated {
    /// 32 random bytes as 64 hexadecimal digits. Whoever reads the log can read INSZ numbers in
    /// payloads anyway; the key keeps them out of stream names, which reach logs.
    pub key_hex: String,
}

/// A person (by INSZ) is registered in this dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonClaimed {
    /// The dossier that holds the person.
    pub dossier: DossierId,
    /// The person's id in that dossier.
    pub person: PersonId,
}

/// A claim was given up because the dossier did not register the person after all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonClaimReleased {
    /// The dossier that had claimed the person.
    pub dossier: DossierId,
    /// Why: e.g. the code of the refusal of the registration.
    pub reason: String,
}

/// This index stream finds this person's record: in an INSZ's stream, the one person with that
/// INSZ; in a name stream (name and birth date), one of the persons of that name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonIndexed {
    /// The person this stream finds.
    pub person: PersonId,
}

/// This INSZ no longer finds the person: their INSZ was corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonUnindexed {
    /// The person this stream no longer finds.
    pub person: PersonId,
}

/// Commands of a person's index stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonIndexCommand {
    /// Record that `dossier` holds the person.
    Claim {
        dossier: DossierId,
        person: PersonId,
    },
    /// Give up the claim of `dossier` (it did not register the person).
    Release { dossier: DossierId, reason: String },
    /// Record that this INSZ is the INSZ of `person` (refused when it is another person's).
    Index { person: PersonId },
    /// This INSZ is no longer the INSZ of `person` (theirs was corrected).
    Unindex { person: PersonId },
}

/// State of a person's index stream: which dossier holds the person, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonIndex {
    pub claimed_by: Option<PersonClaimed>,
    /// The person this INSZ is the INSZ of: the first indexed, or, in a stream from before
    /// person records, the person its first claim named.
    pub person: Option<PersonId>,
}

/// Decides a command of a person's index stream.
///
/// # Errors
/// `DUPLICATE_PERSON` naming the dossier that holds the person; `NOT_AUTHORISED` for an actor
/// that is not the agency.
pub fn decide(
    command: &PersonIndexCommand,
    state: &PersonIndex,
    ctx: &Context<'_>,
) -> Result<Vec<PersonIndexEvent>, Rejection> {
    if !ctx.actor.is_agency() {
        return Err(Reason::NotAuthorised {
            action: Action::new("change the person index", "de persoonsindex te wijzigen"),
        }
        .into());
    }
    match command {
        PersonIndexCommand::Claim { dossier, person } => match (&state.claimed_by, state.person) {
            // The same registration again (a retry): nothing new happened.
            (Some(claim), _) if claim.dossier == *dossier => Ok(vec![]),
            (Some(claim), _) => Err(Reason::DuplicatePersonInDossier {
                dossier: claim.dossier,
            }
            .into()),
            // A claim names the person the INSZ is the INSZ of.
            (None, Some(indexed)) if indexed != *person => {
                Err(Reason::InszOfAnotherPerson { person: indexed }.into())
            }
            (None, _) => Ok(vec![
                PersonClaimed {
                    dossier: *dossier,
                    person: *person,
                }
                .into(),
            ]),
        },
        PersonIndexCommand::Release { dossier, reason } => match &state.claimed_by {
            Some(claim) if claim.dossier == *dossier => Ok(vec![
                PersonClaimReleased {
                    dossier: *dossier,
                    reason: reason.clone(),
                }
                .into(),
            ]),
            _ => Ok(vec![]),
        },
        PersonIndexCommand::Index { person } => match state.person {
            None => Ok(vec![PersonIndexed { person: *person }.into()]),
            Some(indexed) if indexed == *person => Ok(vec![]),
            Some(indexed) => Err(Reason::InszOfAnotherPerson { person: indexed }.into()),
        },
        PersonIndexCommand::Unindex { person } => match state.person {
            Some(indexed) if indexed == *person => {
                Ok(vec![PersonUnindexed { person: *person }.into()])
            }
            _ => Ok(vec![]),
        },
    }
}

/// Decides the creation of the installation's index key: once, by the system.
///
/// # Errors
/// `NOT_AUTHORISED` for anyone but the system.
pub fn create_key(
    key_hex: &str,
    existing: Option<&str>,
    actor: Actor,
) -> Result<Vec<PersonIndexEvent>, Rejection> {
    if actor != Actor::System {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "create the person-index key",
                "de sleutel van de persoonsindex aan te maken",
            ),
        }
        .into());
    }
    Ok(match existing {
        Some(_) => vec![],
        None => vec![
            PersonIndexKeyCreated {
                key_hex: key_hex.to_owned(),
            }
            .into(),
        ],
    })
}

/// A person's index stream, named by the application layer's keyed hash of the INSZ (hexadecimal
/// digits), so no INSZ appears in a stream name.
#[derive(Debug, Clone, Copy)]
pub struct PersonIndexStream;

impl crate::Decider for PersonIndexStream {
    /// The keyed hash of the INSZ, as hexadecimal digits.
    type Id = String;
    type Command = PersonIndexCommand;
    type Event = PersonIndexEvent;
    type State = PersonIndex;
    const KIND: &'static str = "person-index";

    fn stream(keyed_hash: &String) -> String {
        format!("person-{keyed_hash}")
    }

    fn decide(
        command: &PersonIndexCommand,
        state: &PersonIndex,
        ctx: &Context<'_>,
    ) -> Result<Vec<PersonIndexEvent>, Rejection> {
        decide(command, state, ctx)
    }

    fn evolve(state: PersonIndex, event: &PersonIndexEvent) -> PersonIndex {
        evolve(state, event)
    }
}

/// Create the installation's index key (the application layer draws it: the domain has no
/// randomness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIndexKey {
    /// 32 random bytes as 64 hexadecimal digits.
    pub key_hex: String,
}

/// State of the key stream: the key, once created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexKey {
    pub key_hex: Option<String>,
}

/// The stream holding the installation's index key.
#[derive(Debug, Clone, Copy)]
pub struct IndexKeyStream;

/// The name of the stream holding the installation's index key.
pub const KEY_STREAM: &str = "person-index-key";

impl crate::Decider for IndexKeyStream {
    type Id = ();
    type Command = CreateIndexKey;
    type Event = PersonIndexEvent;
    type State = IndexKey;
    const KIND: &'static str = "person-index key";

    fn stream((): &()) -> String {
        KEY_STREAM.to_owned()
    }

    fn decide(
        command: &CreateIndexKey,
        state: &IndexKey,
        ctx: &Context<'_>,
    ) -> Result<Vec<PersonIndexEvent>, Rejection> {
        create_key(&command.key_hex, state.key_hex.as_deref(), ctx.actor)
    }

    /// The first key created is the key; nothing else in the stream changes it.
    fn evolve(state: IndexKey, event: &PersonIndexEvent) -> IndexKey {
        match event {
            PersonIndexEvent::PersonIndexKeyCreated(created) if state.key_hex.is_none() => {
                IndexKey {
                    key_hex: Some(created.key_hex.clone()),
                }
            }
            _ => state,
        }
    }
}

/// Applies one fact to a person's index stream.
pub fn evolve(mut state: PersonIndex, event: &PersonIndexEvent) -> PersonIndex {
    match event {
        PersonIndexEvent::PersonClaimed(claimed) => {
            state.person.get_or_insert(claimed.person);
            state.claimed_by = Some(claimed.clone());
        }
        PersonIndexEvent::PersonIndexed(indexed) => {
            state.person.get_or_insert(indexed.person);
        }
        PersonIndexEvent::PersonUnindexed(unindexed) => {
            if state.person == Some(unindexed.person) {
                state.person = None;
            }
        }
        PersonIndexEvent::PersonClaimReleased(released) => {
            if state
                .claimed_by
                .as_ref()
                .is_some_and(|c| c.dossier == released.dossier)
            {
                state.claimed_by = None;
            }
        }
        PersonIndexEvent::PersonIndexKeyCreated(_) => {}
    }
    state
}

/// The persons of one name and birth date, as they were indexed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameIndex {
    pub persons: Vec<PersonId>,
}

/// The index stream of a name and birth date, named by the application layer's keyed hash of
/// them (so no name appears in a stream name): it lists the persons recorded with them, for the
/// warning of a likely duplicate.
#[derive(Debug, Clone, Copy)]
pub struct NameIndexStream;

impl crate::Decider for NameIndexStream {
    /// The keyed hash of the name and birth date, as hexadecimal digits.
    type Id = String;
    /// The person to list.
    type Command = PersonId;
    type Event = PersonIndexEvent;
    type State = NameIndex;
    const KIND: &'static str = "person-name index";

    fn stream(keyed_hash: &String) -> String {
        format!("person-name-{keyed_hash}")
    }

    fn decide(
        person: &PersonId,
        state: &NameIndex,
        ctx: &Context<'_>,
    ) -> Result<Vec<PersonIndexEvent>, Rejection> {
        if !ctx.actor.is_agency() {
            return Err(Reason::NotAuthorised {
                action: Action::new("change the person index", "de persoonsindex te wijzigen"),
            }
            .into());
        }
        if state.persons.contains(person) {
            return Ok(vec![]);
        }
        Ok(vec![PersonIndexed { person: *person }.into()])
    }

    fn evolve(mut state: NameIndex, event: &PersonIndexEvent) -> NameIndex {
        if let PersonIndexEvent::PersonIndexed(indexed) = event
            && !state.persons.contains(&indexed.person)
        {
            state.persons.push(indexed.person);
        }
        state
    }
}
