//! Persons: everyone a dossier names (the person with a disability, a parent, a guardian, a
//! bewindvoerder, an account holder) has one record, in a stream of their own, and dossiers refer
//! to them by id. Their identity is recorded once, so a correction shows in every dossier where
//! they appear, and a mother of two children is one person.
//!
//! The person index finds a record: by INSZ (BIS numbers are INSZ too), one person per number;
//! without an INSZ by name and birth date, where it only warns of a likely duplicate, since two
//! people may share both.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::{Insz, PersonId};
use crate::{Context, Decider};

crate::event::event_enum! {
    /// Events of a person's record.
    PersonEvent {
        PersonIdentified = 1,
        PersonNameCorrected = 1,
        PersonContactRecorded = 1,
        PersonInszCorrected = 1,
        PersonDataErased = 1,
    }
}

/// How to reach a person: each part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Postal address on one line, e.g. "Kerkstraat 1, 9000 Gent".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone number, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Contact {
    /// The same, each part trimmed and an empty part left out.
    fn tidied(&self) -> Self {
        let tidy = |part: &Option<String>| {
            part.as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
        };
        Self {
            address: tidy(&self.address),
            email: tidy(&self.email),
            phone: tidy(&self.phone),
        }
    }

    fn check(&self) -> Result<(), Rejection> {
        let long = |part: &Option<String>| part.as_ref().is_some_and(|p| p.chars().count() > 200);
        if long(&self.address) || long(&self.email) || long(&self.phone) {
            return Err(Reason::InvalidInput {
                field: "contact",
                problem: "each part has at most 200 characters",
            }
            .into());
        }
        if self.email.as_ref().is_some_and(|e| !e.contains('@')) {
            return Err(Reason::InvalidInput {
                field: "contact.email",
                problem: "an e-mail address holds an @",
            }
            .into());
        }
        Ok(())
    }
}

/// A person's identity, recorded once for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonIdentified {
    /// The person's id, which dossiers refer to.
    pub person: PersonId,
    /// Family name (achternaam), trimmed.
    pub family_name: String,
    /// Given name or names (voornamen), trimmed.
    pub given_names: String,
    /// INSZ or BIS number, when the person has one (reads as absent once erased).
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub insz: Option<Insz>,
    /// Birth date: given, or the one the INSZ encodes; always known without an INSZ (reads as
    /// absent once erased).
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub birth_date: Option<NaiveDate>,
    /// Why the person has no INSZ (e.g. "woont in Nederland"); absent when they have one.
    pub no_insz_reason: Option<String>,
    /// How to reach the person (absent parts left out; none once erased).
    #[serde(
        default,
        deserialize_with = "crate::personal_data::erasable_or_default"
    )]
    pub contact: Contact,
}

/// The name was corrected (the reason is in the event's metadata).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonNameCorrected {
    /// The corrected family name, trimmed.
    pub family_name: String,
    /// The corrected given names, trimmed.
    pub given_names: String,
}

/// New contact details replace the old ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonContactRecorded {
    /// All of the person's contact details from now on (none once erased).
    #[serde(
        default,
        deserialize_with = "crate::personal_data::erasable_or_default"
    )]
    pub contact: Contact,
}

/// A mistyped INSZ was corrected, or an INSZ recorded for a person who had none (the reason is
/// in the event's metadata).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonInszCorrected {
    /// The INSZ recorded before (absent for a person recorded without one, and once erased).
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub previous_insz: Option<Insz>,
    /// The INSZ from now on (always given; reads as absent once erased).
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub corrected_insz: Option<Insz>,
}

/// On what legal ground a person's data is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasureBasis {
    /// The retention period of every file that names the person has ended (AVG art. 5.1.e,
    /// opslagbeperking).
    RetentionEnded,
    /// The person asked for erasure and no legal duty to keep the data remains (AVG art. 17).
    ErasureRequest,
}

impl ErasureBasis {
    /// The legal basis in words, for the audit trail and the history.
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::RetentionEnded => "bewaartermijn verstreken (AVG art. 5.1.e)",
            Self::ErasureRequest => "verzoek tot wissing (AVG art. 17)",
        }
    }
}

/// The person's personal data was erased: the key it was encrypted with is destroyed, so every
/// earlier event of the record reads "gewist" from now on. The record and its id stay, so the
/// dossiers that name the person still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonDataErased {
    /// The legal basis of the erasure.
    pub basis: ErasureBasis,
}

/// Erase a person's personal data (crypto-shredding): the events stay, their personal fields
/// can no longer be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasePersonData {
    pub basis: ErasureBasis,
}

/// Record who a person is. Without an INSZ, the birth date and the reason there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyPerson {
    /// Made by the server when left out; give the id of a person a dossier already names (a
    /// bare id from before person records) to complete that person.
    #[serde(default)]
    pub person: PersonId,
    pub family_name: String,
    pub given_names: String,
    /// INSZ or BIS number (11 digits; dots and dashes allowed).
    pub insz: Option<Insz>,
    /// Required without an INSZ, and when the INSZ does not encode it.
    pub birth_date: Option<NaiveDate>,
    /// Why there is no INSZ: required without one.
    pub no_insz_reason: Option<String>,
    #[serde(default)]
    pub contact: Contact,
}

/// Correct a person's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectPersonName {
    pub family_name: String,
    pub given_names: String,
    pub reason: String,
}

/// Record a person's contact details (all of them: a part left out is removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordContact {
    pub contact: Contact,
}

/// Correct a person's INSZ, or give one to a person recorded without: the person index is
/// re-keyed, so an INSZ that is another person's is refused. The INSZ of a dossier's own person
/// is corrected in the dossier (`correct_insz`), which corrects the record too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectPersonInsz {
    pub corrected: Insz,
    pub reason: String,
}

/// Every command a person's record accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum PersonCommand {
    Identify(IdentifyPerson),
    CorrectName(CorrectPersonName),
    RecordContact(RecordContact),
    CorrectInsz(CorrectPersonInsz),
    Erase(ErasePersonData),
}

/// A person's identity as recorded, with corrections applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub family_name: String,
    pub given_names: String,
    pub insz: Option<Insz>,
    pub birth_date: Option<NaiveDate>,
    pub no_insz_reason: Option<String>,
    pub contact: Contact,
}

impl Identity {
    /// What is left of an identity once erased: every part reads "gewist" or nothing.
    pub fn erased() -> Self {
        let erased = crate::personal_data::ERASED.to_owned();
        Self {
            family_name: erased.clone(),
            given_names: erased,
            insz: None,
            birth_date: None,
            no_insz_reason: None,
            contact: Contact::default(),
        }
    }

    /// "An Peeters"; "gewist" once erased.
    pub fn full_name(&self) -> String {
        if self.family_name == crate::personal_data::ERASED {
            return self.family_name.clone();
        }
        format!("{} {}", self.given_names, self.family_name)
    }
}

/// State of a person's record: their identity once recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRecord {
    pub identity: Option<Identity>,
    /// Set once the person's data is erased: nothing more is recorded about them.
    pub erased: Option<ErasureBasis>,
}

/// A family name and given names, trimmed, each 1 to 200 characters.
///
/// # Errors
/// `PERSON_NAME_INVALID`.
pub fn well_formed_name<'a>(
    family_name: &'a str,
    given_names: &'a str,
) -> Result<(&'a str, &'a str), Rejection> {
    let (family_name, given_names) = (family_name.trim(), given_names.trim());
    let ok = |name: &str| !name.is_empty() && name.chars().count() <= 200;
    if ok(family_name) && ok(given_names) {
        Ok((family_name, given_names))
    } else {
        Err(Reason::PersonNameInvalid.into())
    }
}

fn identify(command: &IdentifyPerson, state: &PersonRecord, ctx: &Context<'_>) -> Decision {
    if command.person == PersonId::default() {
        return Err(Reason::IdMissing { field: "person" }.into());
    }
    let (family_name, given_names) = well_formed_name(&command.family_name, &command.given_names)?;
    let no_insz_reason = command
        .no_insz_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let birth_date = command
        .birth_date
        .or_else(|| command.insz.as_ref().and_then(Insz::birth_date));
    let (birth_date, no_insz_reason) = match (&command.insz, birth_date, no_insz_reason) {
        (Some(_), birth_date, _) => (birth_date, None),
        (None, Some(birth_date), Some(reason)) => (Some(birth_date), Some(reason.to_owned())),
        (None, None, _) => return Err(Reason::BirthDateRequired.into()),
        (None, Some(_), None) => return Err(Reason::NoInszReasonRequired.into()),
    };
    if let Some(date) = birth_date.filter(|d| *d > ctx.today) {
        return Err(Reason::DateInFuture { date }.into());
    }
    let contact = command.contact.tidied();
    contact.check()?;
    let identified = PersonIdentified {
        person: command.person,
        family_name: family_name.to_owned(),
        given_names: given_names.to_owned(),
        insz: command.insz.clone(),
        birth_date,
        no_insz_reason,
        contact,
    };
    match &state.identity {
        None => Ok(vec![identified.into()]),
        // The same identification again (a retry): nothing new happened.
        Some(identity) if *identity == identity_of(&identified) => Ok(vec![]),
        Some(_) => Err(Reason::PersonAlreadyIdentified.into()),
    }
}

fn identity_of(identified: &PersonIdentified) -> Identity {
    Identity {
        family_name: identified.family_name.clone(),
        given_names: identified.given_names.clone(),
        insz: identified.insz.clone(),
        birth_date: identified.birth_date,
        no_insz_reason: identified.no_insz_reason.clone(),
        contact: identified.contact.clone(),
    }
}

type Decision = Result<Vec<PersonEvent>, Rejection>;

/// Decides a command of a person's record.
///
/// # Errors
/// `NOT_AUTHORISED` for anyone but VAPH; `PERSON_UNKNOWN` before the person is identified;
/// `PERSON_NAME_INVALID`, `BIRTH_DATE_REQUIRED`, `NO_INSZ_REASON_REQUIRED`, `REASON_REQUIRED`,
/// `CORRECTION_UNCHANGED`, `INVALID_INPUT`.
pub fn decide(command: &PersonCommand, state: &PersonRecord, ctx: &Context<'_>) -> Decision {
    if !ctx.actor.is_agency() {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "record or correct a person",
                "een persoon te registreren of te verbeteren",
            ),
        }
        .into());
    }
    if state.erased.is_some() {
        // A retried erasure records nothing; anything else would record data anew.
        return match command {
            PersonCommand::Erase(_) => Ok(vec![]),
            _ => Err(Reason::PersonErased.into()),
        };
    }
    match command {
        PersonCommand::Erase(erase) => {
            state.identity.as_ref().ok_or(Reason::PersonUnknown)?;
            Ok(vec![PersonDataErased { basis: erase.basis }.into()])
        }
        PersonCommand::Identify(identify_person) => identify(identify_person, state, ctx),
        PersonCommand::CorrectName(correct) => {
            let identity = state.identity.as_ref().ok_or(Reason::PersonUnknown)?;
            let (family_name, given_names) =
                well_formed_name(&correct.family_name, &correct.given_names)?;
            if identity.family_name == family_name && identity.given_names == given_names {
                return Err(Reason::CorrectionUnchanged.into());
            }
            Ok(vec![
                PersonNameCorrected {
                    family_name: family_name.to_owned(),
                    given_names: given_names.to_owned(),
                }
                .into(),
            ])
        }
        PersonCommand::RecordContact(record) => {
            let identity = state.identity.as_ref().ok_or(Reason::PersonUnknown)?;
            let contact = record.contact.tidied();
            contact.check()?;
            if identity.contact == contact {
                return Err(Reason::CorrectionUnchanged.into());
            }
            Ok(vec![PersonContactRecorded { contact }.into()])
        }
        PersonCommand::CorrectInsz(correct) => {
            let identity = state.identity.as_ref().ok_or(Reason::PersonUnknown)?;
            if identity.insz.as_ref() == Some(&correct.corrected) {
                return Err(Reason::CorrectionUnchanged.into());
            }
            Ok(vec![
                PersonInszCorrected {
                    previous_insz: identity.insz.clone(),
                    corrected_insz: Some(correct.corrected.clone()),
                }
                .into(),
            ])
        }
    }
}

/// Applies one fact to a person's record.
pub fn evolve(mut state: PersonRecord, event: &PersonEvent) -> PersonRecord {
    match event {
        PersonEvent::PersonIdentified(identified) => {
            if state.identity.is_none() {
                state.identity = Some(identity_of(identified));
            }
        }
        PersonEvent::PersonNameCorrected(corrected) => {
            if let Some(identity) = &mut state.identity {
                identity.family_name.clone_from(&corrected.family_name);
                identity.given_names.clone_from(&corrected.given_names);
            }
        }
        PersonEvent::PersonContactRecorded(recorded) => {
            if let Some(identity) = &mut state.identity {
                identity.contact = recorded.contact.clone();
            }
        }
        PersonEvent::PersonInszCorrected(corrected) => {
            if let Some(identity) = &mut state.identity {
                identity.insz.clone_from(&corrected.corrected_insz);
                identity.no_insz_reason = None;
            }
        }
        PersonEvent::PersonDataErased(erased) => {
            // The plain values leave the state too (a cached state outlives the key).
            if let Some(identity) = &mut state.identity {
                *identity = Identity::erased();
            }
            state.erased = Some(erased.basis);
        }
    }
    state
}

/// Every person record stream is named `person-record-<uuid>`.
pub const STREAM_PREFIX: &str = "person-record-";

/// The person a person-record stream belongs to.
pub fn person_of_stream(stream: &str) -> Option<PersonId> {
    PersonId::parse(stream.strip_prefix(STREAM_PREFIX)?).ok()
}

/// The stream of one person's record.
#[derive(Debug, Clone, Copy)]
pub struct PersonStream;

impl Decider for PersonStream {
    type Id = PersonId;
    type Command = PersonCommand;
    type Event = PersonEvent;
    type State = PersonRecord;
    const KIND: &'static str = "person";

    fn stream(person: &PersonId) -> String {
        format!("{STREAM_PREFIX}{person}")
    }

    fn decide(command: &PersonCommand, state: &PersonRecord, ctx: &Context<'_>) -> Decision {
        decide(command, state, ctx)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn weighty(command: &Self::Command) -> Option<&'static crate::four_eyes::WeightyDecision> {
        crate::four_eyes::decision_for(Self::KIND, command)
    }

    fn evolve(state: PersonRecord, event: &PersonEvent) -> PersonRecord {
        evolve(state, event)
    }
}

/// The warnings about `command`, accepted for a person born on `birth_date` (the likely
/// duplicates are the application layer's to find: they need the index).
pub fn warnings(
    command: &PersonCommand,
    birth_date: Option<NaiveDate>,
) -> Vec<crate::dossier::Warning> {
    match command {
        PersonCommand::Identify(c) => {
            crate::dossier::birth_date_against_insz(c.birth_date, c.insz.as_ref())
                .into_iter()
                .collect()
        }
        PersonCommand::CorrectInsz(c) => {
            crate::dossier::birth_date_against_insz(birth_date, Some(&c.corrected))
                .into_iter()
                .collect()
        }
        PersonCommand::CorrectName(_)
        | PersonCommand::RecordContact(_)
        | PersonCommand::Erase(_) => Vec::new(),
    }
}
