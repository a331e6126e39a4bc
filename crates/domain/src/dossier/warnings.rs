//! What an accepted command should make staff look again at: not a refusal (the command is
//! recorded), a warning in its answer, with a stable code and a Dutch text.

use chrono::NaiveDate;

use super::commands::DossierCommand;
use super::state::Dossier;
use crate::values::{Insz, PersonId, dutch_date};

/// A warning about an accepted command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The birth date given differs from the one the INSZ encodes: one of the two may be
    /// mistyped.
    BirthDateDiffersFromInsz {
        given: NaiveDate,
        in_insz: NaiveDate,
    },
    /// A person was recorded while persons of the same name and birth date are known: maybe
    /// the same person twice.
    LikelyDuplicatePerson { candidates: Vec<PersonId> },
}

impl Warning {
    /// The stable code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BirthDateDiffersFromInsz { .. } => "BIRTH_DATE_DIFFERS_FROM_INSZ",
            Self::LikelyDuplicatePerson { .. } => "LIKELY_DUPLICATE_PERSON",
        }
    }

    /// The text for staff, in Dutch (nl-BE).
    pub fn message_nl(&self) -> String {
        match self {
            Self::BirthDateDiffersFromInsz { given, in_insz } => format!(
                "De geboortedatum {} verschilt van die in het INSZ ({}): kijk beide na.",
                dutch_date(*given),
                dutch_date(*in_insz)
            ),
            Self::LikelyDuplicatePerson { candidates } => format!(
                "Er {} al {} met dezelfde naam en geboortedatum: kijk na of het dezelfde persoon is.",
                if candidates.len() == 1 { "is" } else { "zijn" },
                if candidates.len() == 1 {
                    "een persoon".to_owned()
                } else {
                    format!("{} personen", candidates.len())
                }
            ),
        }
    }

    /// The persons the warning is about, for a link to each.
    pub fn persons(&self) -> &[PersonId] {
        match self {
            Self::LikelyDuplicatePerson { candidates } => candidates,
            Self::BirthDateDiffersFromInsz { .. } => &[],
        }
    }
}

/// The warning about a birth date `given` beside an INSZ that encodes another.
pub fn birth_date_against_insz(given: Option<NaiveDate>, insz: Option<&Insz>) -> Option<Warning> {
    let in_insz = insz.and_then(Insz::birth_date)?;
    given
        .filter(|given| *given != in_insz)
        .map(|given| Warning::BirthDateDiffersFromInsz { given, in_insz })
}

/// The warnings about `command`, accepted on a dossier that now stands at `state`.
pub fn warnings(command: &DossierCommand, state: &Dossier) -> Vec<Warning> {
    let given = match command {
        DossierCommand::RegisterPerson(c) => c.birth_date,
        DossierCommand::CorrectBirthDate(c) => Some(c.corrected),
        // The recorded birth date against the INSZ it now has.
        DossierCommand::CorrectInsz(_) => state.person.as_ref().map(|p| p.birth_date),
        _ => None,
    };
    let insz = state.person.as_ref().map(|p| &p.insz);
    birth_date_against_insz(given, insz).into_iter().collect()
}
