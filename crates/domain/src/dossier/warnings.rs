//! What an accepted command should make staff look again at: not a refusal (the command is
//! recorded), a warning in its answer, with a stable code and a Dutch text.

use chrono::NaiveDate;

use super::commands::DossierCommand;
use super::state::Dossier;
use crate::values::dutch_date;

/// A warning about an accepted command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The birth date given differs from the one the INSZ encodes: one of the two may be
    /// mistyped.
    BirthDateDiffersFromInsz {
        given: NaiveDate,
        in_insz: NaiveDate,
    },
}

impl Warning {
    /// The stable code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BirthDateDiffersFromInsz { .. } => "BIRTH_DATE_DIFFERS_FROM_INSZ",
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
        }
    }
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
    let in_insz = state.person.as_ref().and_then(|p| p.insz.birth_date());
    match (given, in_insz) {
        (Some(given), Some(in_insz)) if given != in_insz => {
            vec![Warning::BirthDateDiffersFromInsz { given, in_insz }]
        }
        _ => Vec::new(),
    }
}
