//! Where personal data sits in the events, in one table: the fields a store encrypts with the
//! key of the data subject (crypto-shredding), and what a reader finds once that key is gone.
//!
//! The domain only says *which* data is personal; the application encrypts it on the way into
//! the store and decrypts it on the way out, so deciders and folds see plain values and never a
//! key. A field whose key was destroyed reads as [`ERASED`]; typed fields that can hold it read
//! through [`erasable`].

use serde::{Deserialize, Deserializer};

/// What an erased personal field reads as, in every stored payload and every read.
pub const ERASED: &str = "gewist";

/// What a personal field reads as when its key is not in the key store at all (a copy made
/// without its keys): not erased, but unreadable here.
pub const KEY_MISSING: &str = "sleutel ontbreekt";

/// The personal fields of one event type: top-level payload fields.
#[derive(Debug, Clone, Copy)]
pub struct PersonalFields {
    pub event_type: &'static str,
    pub fields: &'static [&'static str],
}

/// Which streams hold personal data, each sealed with a key of its own named after the stream:
/// a person's record (names, INSZ, birth date, contact details) and a dossier (free-text
/// reasons and descriptions; the reason in every event's metadata).
pub fn is_personal_stream(stream: &str) -> bool {
    let own = key_of(stream);
    own.starts_with(crate::persons::STREAM_PREFIX) || own.starts_with(crate::dossier::STREAM_PREFIX)
}

/// The stream whose key seals `stream`: its own, or for the proposals about a stream
/// (`proposals-<target>`, [`crate::four_eyes`]) the target's, so that they are erased with it.
pub fn key_of(stream: &str) -> &str {
    crate::four_eyes::target_of(stream).unwrap_or(stream)
}

/// Whether `stream` is one of the person indexes (named by keyed hashes of an INSZ, or of a
/// name and birth date): their events carry no free text, so the reason given with the request
/// that wrote one stays only with the (sealed) decision it followed from.
pub fn is_person_index_stream(stream: &str) -> bool {
    stream.starts_with("person-") && !stream.starts_with(crate::persons::STREAM_PREFIX)
}

/// Every event field that holds personal data, by stored type name. The reason in the metadata of every event of a
/// personal stream is personal too (free text that may name people).
pub const PERSONAL_FIELDS: &[PersonalFields] = &[
    // A proposal holds the command proposed and what it would cause: as personal as the
    // decision itself (sealed only in the proposals of a dossier or person record).
    PersonalFields {
        event_type: "DecisionProposed",
        fields: &["command", "preview"],
    },
    // Person records.
    PersonalFields {
        event_type: "PersonIdentified",
        fields: &[
            "family_name",
            "given_names",
            "insz",
            "birth_date",
            "no_insz_reason",
            "contact",
        ],
    },
    PersonalFields {
        event_type: "PersonNameCorrected",
        fields: &["family_name", "given_names"],
    },
    PersonalFields {
        event_type: "PersonContactRecorded",
        fields: &["contact"],
    },
    PersonalFields {
        event_type: "PersonInszCorrected",
        fields: &["previous_insz", "corrected_insz"],
    },
    // Dossiers: who the person is (typed fields read through `erasable`), names recorded
    // before person records, the account, the workers and free text.
    PersonalFields {
        event_type: "PersonRegistered",
        fields: &["insz", "birth_date"],
    },
    PersonalFields {
        event_type: "PersonNameRecorded",
        fields: &["family_name", "given_names"],
    },
    PersonalFields {
        event_type: "BirthDateCorrected",
        fields: &["previous", "corrected", "reason"],
    },
    PersonalFields {
        event_type: "InszCorrected",
        fields: &["previous_insz", "corrected_insz", "reason"],
    },
    text("PersonDeceased", &["certificate_ref"]),
    PersonalFields {
        event_type: "BudgetAccountRegistered",
        fields: &["iban"],
    },
    PersonalFields {
        event_type: "BudgetAccountCorrected",
        fields: &["previous", "corrected", "reason"],
    },
    text("DossierVoided", &["reason"]),
    text("LegalRepresentativeEnded", &["reason"]),
    text("AnnualBudgetAmountSet", &["reason"]),
    PersonalFields {
        event_type: "AgreementRegistered",
        fields: &["task_description", "worker", "party_identification"],
    },
    text("AgreementRejected", &["reason"]),
    text("AgreementAmended", &["task_description"]),
    text("AgreementTerminated", &["reason"]),
    text("PabCombinationStarted", &["reason"]),
    text("PabCombinationChanged", &["reason"]),
    text("PabCombinationEnded", &["reason"]),
    text("BoAssistanceRecorded", &["description"]),
    text("SuspectedMisuseReported", &["narrative"]),
    text("CostLineDecidedByStaff", &["reason"]),
    text("CostLineDecisionOverridden", &["reason"]),
    text("ExtraSeveranceAllowanceGranted", &["reason"]),
    text("RecoveryWrittenOff", &["reason"]),
    text("FraudSuspicionReported", &["narrative"]),
];

/// The events that record an erasure of their stream's personal data: from one on, a reader
/// treats the stream's key as destroyed, whatever it finds cached.
pub const ERASURE_EVENTS: &[&str] = &["PersonDataErased", "DossierDataErased"];

/// Whether `event_type` records an erasure.
pub fn is_erasure(event_type: &str) -> bool {
    ERASURE_EVENTS.contains(&event_type)
}

/// Free text: reads as [`ERASED`] as it is, no type needs to allow for it.
const fn text(event_type: &'static str, fields: &'static [&'static str]) -> PersonalFields {
    PersonalFields { event_type, fields }
}

/// The personal fields of `event_type` (none for most).
pub fn personal_fields(event_type: &str) -> &'static [&'static str] {
    PERSONAL_FIELDS
        .iter()
        .find(|p| p.event_type == event_type)
        .map_or(&[], |p| p.fields)
}

/// Whether a stored value is the mark of erased or unreadable personal data.
pub fn is_unreadable_mark(value: &str) -> bool {
    value == ERASED || value == KEY_MISSING
}

/// Reads an optional typed personal field (an INSZ, a date) that may have been erased: the
/// mark reads as absent, anything else as the value.
///
/// # Errors
/// When the value is neither the mark nor a valid `T`.
pub fn erasable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored<T> {
        Mark(Mark),
        Value(Option<T>),
    }
    Ok(match Stored::deserialize(deserializer)? {
        Stored::Mark(_) => None,
        Stored::Value(value) => value,
    })
}

/// Reads a personal field with a default (contact details) that may have been erased: the mark
/// reads as the default.
///
/// # Errors
/// When the value is neither the mark nor a valid `T`.
pub fn erasable_or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    erasable(deserializer).map(Option::unwrap_or_default)
}

/// Only [`ERASED`] or [`KEY_MISSING`].
struct Mark;

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if is_unreadable_mark(&text) {
            Ok(Mark)
        } else {
            Err(serde::de::Error::custom("not the mark of erased data"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::STREAM_KINDS;

    /// Every field of the table is a field of a stored event type, so a rename cannot leave
    /// personal data unencrypted without this test noticing.
    #[test]
    fn every_personal_field_is_a_field_of_its_event() {
        let schemas: Vec<_> = STREAM_KINDS
            .iter()
            .flat_map(|kind| (kind.schemas)())
            .collect();
        for entry in PERSONAL_FIELDS {
            let schema = schemas
                .iter()
                .find(|s| s.event_type == entry.event_type)
                .unwrap_or_else(|| panic!("{} is not an event type", entry.event_type));
            let properties = schema
                .schema
                .get("properties")
                .and_then(|p| p.as_object())
                .unwrap_or_else(|| panic!("{} has no fields", entry.event_type));
            for field in entry.fields {
                assert!(
                    properties.contains_key(*field),
                    "{} has no field {field}",
                    entry.event_type
                );
            }
        }
    }

    #[test]
    fn the_mark_reads_as_absent_and_a_value_as_itself() {
        #[derive(Deserialize)]
        struct Probe {
            #[serde(default, deserialize_with = "erasable")]
            insz: Option<crate::Insz>,
        }
        let read = |json: &str| serde_json::from_str::<Probe>(json).map(|p| p.insz);
        assert_eq!(read(r#"{"insz": "gewist"}"#).unwrap(), None);
        assert_eq!(read(r#"{"insz": "sleutel ontbreekt"}"#).unwrap(), None);
        assert_eq!(read(r#"{"insz": null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
        assert!(read(r#"{"insz": "85073003328"}"#).unwrap().is_some());
        assert!(read(r#"{"insz": "weg"}"#).is_err());
    }
}
