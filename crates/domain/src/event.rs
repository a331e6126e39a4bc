//! Events as stored: a stable type name, a schema version and a JSON payload; the one list of
//! stream kinds ([`STREAM_KINDS`]), which makes [`Event`] and its dispatch; and the upcaster that
//! reads every stored version.
//!
//! Schema evolution: a field added to a payload with a default (`#[serde(default)]`, "absent in
//! events stored before this field") keeps its version, because every stored payload still
//! reads; any other change (a field renamed, removed or retyped, a meaning changed) is a new
//! version with an [`Upcaster`] step from the old one in [`UPCASTERS`].

use schemars::Schema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::access::{AccessEvent, AccessLogEvent};
use crate::controls::ControlsEvent;
use crate::dossier::DossierEvent;
use crate::four_eyes::ProposalEvent;
use crate::lineage::LineageEvent;
use crate::person_index::PersonIndexEvent;
use crate::persons::PersonEvent;
use crate::registry::RegistryEvent;
pub use crate::rule_book::RuleBookEvent;
use crate::signals::SignalTriageEvent;
use crate::work::WorkEvent;

/// Declares a stream's event enum: each variant wraps the payload struct of the same name and
/// carries its current schema version. The stored type name is the variant name, or the name
/// after `as` where the Rust name was improved after events were stored (`Variant = 1 as
/// "StoredName"`): a stored type name never changes.
macro_rules! event_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $version:literal $(as $stored:literal)?),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "type", content = "payload")]
        pub enum $name {
            $($(#[serde(rename = $stored)])? $variant($variant)),*
        }

        impl $name {
            /// Every event type of this stream with its current schema version.
            pub const TYPES: &'static [(&'static str, u32)] =
                &[$(($crate::event::stored_name!($variant $(, $stored)?), $version)),*];

            /// The stable type name stored with the event.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $crate::event::stored_name!($variant $(, $stored)?)),*
                }
            }

            /// The current schema version of this event type.
            pub fn schema_version(&self) -> u32 {
                match self {
                    $(Self::$variant(_) => $version),*
                }
            }

            /// JSON Schemas of the payloads, for `docs/events.md`.
            pub fn schemas() -> Vec<$crate::event::EventSchema> {
                vec![$($crate::event::EventSchema {
                    event_type: $crate::event::stored_name!($variant $(, $stored)?),
                    version: $version,
                    schema: schemars::schema_for!($variant),
                }),*]
            }
        }

        $(impl From<$variant> for $name {
            fn from(event: $variant) -> Self {
                Self::$variant(event)
            }
        })*
    };
}
pub(crate) use event_enum;

/// The stored type name of an event variant: its own name unless one is given.
macro_rules! stored_name {
    ($variant:ident) => {
        stringify!($variant)
    };
    ($variant:ident, $stored:literal) => {
        $stored
    };
}
pub(crate) use stored_name;

/// One kind of stream as documented and dispatched: its events and how its streams are named.
#[derive(Debug, Clone, Copy)]
pub struct StreamKind {
    /// The heading in `docs/events.md`.
    pub title: &'static str,
    /// How its streams are named.
    pub names: &'static str,
    /// What the stream holds.
    pub meaning: &'static str,
    /// Every event type it may hold, with its current schema version.
    pub types: &'static [(&'static str, u32)],
    /// The JSON Schemas of its payloads.
    pub schemas: fn() -> Vec<EventSchema>,
}

/// Declares the stream kinds once: [`Event`] with a variant per kind, its dispatch, the
/// conversions to and from each kind's event enum, [`STREAM_KINDS`] and the decoding by type name.
macro_rules! streams {
    ($($variant:ident($event:ident) {
        title: $title:literal,
        names: $names:literal,
        meaning: $meaning:literal $(,)?
    }),* $(,)?) => {
        /// Any event of any stream.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Event {
            $($variant($event)),*
        }

        impl Event {
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(e) => e.event_type()),*
                }
            }

            pub fn schema_version(&self) -> u32 {
                match self {
                    $(Self::$variant(e) => e.schema_version()),*
                }
            }

            /// The event as `{"type": …, "payload": …}`.
            fn to_tagged(&self) -> Result<Value, serde_json::Error> {
                match self {
                    $(Self::$variant(e) => serde_json::to_value(e)),*
                }
            }
        }

        $(
            impl From<$event> for Event {
                fn from(event: $event) -> Self {
                    Self::$variant(event)
                }
            }

            impl TryFrom<Event> for $event {
                type Error = Event;

                /// The event when it is one of this kind's, else the event back.
                fn try_from(event: Event) -> Result<Self, Event> {
                    match event {
                        Event::$variant(e) => Ok(e),
                        #[allow(unreachable_patterns)]
                        other => Err(other),
                    }
                }
            }
        )*

        /// Every kind of stream, in the order `docs/events.md` presents them.
        pub const STREAM_KINDS: &[StreamKind] = &[$(StreamKind {
            title: $title,
            names: $names,
            meaning: $meaning,
            types: $event::TYPES,
            schemas: $event::schemas,
        }),*];

        /// Reads `{"type": …, "payload": …}` as the event of the kind that has `event_type`;
        /// `None` when no kind has it.
        fn decode_tagged(
            event_type: &str,
            tagged: Value,
        ) -> Option<Result<Event, serde_json::Error>> {
            $(if $event::TYPES.iter().any(|(t, _)| *t == event_type) {
                return Some(serde_json::from_value(tagged).map(Event::$variant));
            })*
            None
        }
    };
}

streams! {
    RuleBook(RuleBookEvent) {
        title: "Rule-book stream",
        names: "`rulebook`",
        meaning: "Effective-dated rule parameters.",
    },
    Registry(RegistryEvent) {
        title: "Registry stream",
        names: "`registry-organisations`",
        meaning: "Licences of bijstandsorganisaties, VZA and MFC.",
    },
    Dossier(DossierEvent) {
        title: "Dossier stream",
        names: "`dossier-<uuid>`, one per dossier",
        meaning: "One stream per dossier (one person with a disability): the person, budgets, \
                  agreements, combinations, cost claims and their line decisions, the COVID-19 \
                  increase, advance, payments, recoveries, final settlement and control cases.",
    },
    Controls(ControlsEvent) {
        title: "Controls stream",
        names: "`controls`",
        meaning: "Reproducible random control samples (seed and population recorded); the \
                  control case of a selected dossier lives in the dossier stream.",
    },
    Person(PersonEvent) {
        title: "Person records",
        names: "`person-record-<uuid>`, one per person",
        meaning: "Everyone a dossier names (the person with a disability, parents, guardians, \
                  bewindvoerders, account holders): their identity, recorded once, and its \
                  corrections. Dossiers refer to a person by id.",
    },
    PersonIndex(PersonIndexEvent) {
        title: "Person index",
        names: "`person-<keyed hash of the INSZ>`, one per INSZ; \
                `person-name-<keyed hash of name and birth date>`; and `person-index-key`",
        meaning: "One stream per INSZ, named by a keyed hash of it: the person with that INSZ, \
                  and the dossier they are registered in (one dossier only); one stream per name \
                  and birth date, listing the persons recorded with them (a likely duplicate); \
                  and the stream holding the installation's key.",
    },
    Access(AccessEvent) {
        title: "Access stream",
        names: "`access`",
        meaning: "Users, their roles and their bearer tokens (only the SHA-256 of a token's \
                  secret is stored); revocations with a reason.",
    },
    AccessLog(AccessLogEvent) {
        title: "Access log",
        names: "`access-log-YYYY-MM`, one per month",
        meaning: "Who read whose data, when: reads of a dossier by inspectors and \
                  investigators, and command-line replays and reports.",
    },
    SignalTriage(SignalTriageEvent) {
        title: "Signals stream",
        names: "`signals`",
        meaning: "Investigators' dismissals and escalations of fraud signals, keyed by the \
                  signal's deterministic id so they survive a rebuild of the read models.",
    },
    Proposals(ProposalEvent) {
        title: "Proposals",
        names: "`proposals-<target stream>`, one per stream a weighty decision was proposed for",
        meaning: "Weighty decisions proposed by one user for a second to confirm or refuse \
                  (four-eyes), with what the decision would cause when proposed. Sealed with \
                  the key of a dossier or person record they are about.",
    },
    Work(WorkEvent) {
        title: "Work queues",
        names: "`work-<queue>`, one per work queue",
        meaning: "Who took which item of a work queue, and when they released it; the items \
                  themselves are read-model rows of facts the log holds.",
    },
    Lineage(LineageEvent) {
        title: "Lineage stream",
        names: "`store-lineage`",
        meaning: "Where this log came from when a re-encrypting copy made it: the digest of \
                  the source log, so the old digest leads to the new one.",
    },
}

/// The JSON Schema of one event type's payload.
#[derive(Debug, Clone)]
pub struct EventSchema {
    pub event_type: &'static str,
    pub version: u32,
    pub schema: Schema,
}

/// An event as the store holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub event_type: String,
    pub schema_version: u32,
    pub payload: Value,
}

impl Event {
    /// The type, version and payload to store.
    ///
    /// # Errors
    /// Only if serialisation fails, which the payload types do not allow.
    pub fn to_stored(&self) -> Result<StoredEvent, serde_json::Error> {
        let tagged = self.to_tagged()?;
        Ok(StoredEvent {
            event_type: self.event_type().to_owned(),
            schema_version: self.schema_version(),
            payload: tagged.get("payload").cloned().unwrap_or(Value::Null),
        })
    }
}

impl From<crate::rule_book::RuleParameterPublished> for Event {
    fn from(event: crate::rule_book::RuleParameterPublished) -> Self {
        Self::RuleBook(event.into())
    }
}

/// Why a stored event could not be read.
#[derive(Debug, thiserror::Error)]
pub enum UpcastError {
    #[error("unknown event type {0:?}")]
    UnknownEventType(String),
    #[error("{event_type} has schema version {version}; this code knows up to {current}")]
    UnsupportedVersion {
        event_type: String,
        version: u32,
        current: u32,
    },
    #[error("the payload of {event_type} v{version} does not match its schema: {source}")]
    Payload {
        event_type: String,
        version: u32,
        source: serde_json::Error,
    },
}

/// One step that turns the payload of `event_type` at `from_version` into `from_version + 1`.
#[derive(Debug, Clone, Copy)]
pub struct Upcaster {
    pub event_type: &'static str,
    pub from_version: u32,
    pub upgrade: fn(Value) -> Value,
}

/// The upcasters of this code base. Every event type is still at version 1, so there are none;
/// when a payload changes, its old version gets a step here and a test that reads it.
pub const UPCASTERS: &[Upcaster] = &[];

/// Reads a stored event of any version into the current [`Event`].
///
/// # Errors
/// Unknown type, a version newer than this code, or a payload that does not match.
pub fn upcast(event_type: &str, schema_version: u32, payload: Value) -> Result<Event, UpcastError> {
    upcast_with(UPCASTERS, event_type, schema_version, payload)
}

/// [`upcast`] with an explicit upcaster table (so the mechanism is testable before any event has
/// a second version).
///
/// # Errors
/// As [`upcast`].
pub fn upcast_with(
    upcasters: &[Upcaster],
    event_type: &str,
    schema_version: u32,
    payload: Value,
) -> Result<Event, UpcastError> {
    let current = current_version(event_type)
        .ok_or_else(|| UpcastError::UnknownEventType(event_type.to_owned()))?;
    let unsupported = || UpcastError::UnsupportedVersion {
        event_type: event_type.to_owned(),
        version: schema_version,
        current,
    };
    if schema_version > current || schema_version == 0 {
        return Err(unsupported());
    }
    let payload = upcast_chain(upcasters, event_type, schema_version, current, payload)
        .ok_or_else(unsupported)?;
    let tagged = json!({ "type": event_type, "payload": payload });
    let wrap = |source| UpcastError::Payload {
        event_type: event_type.to_owned(),
        version: schema_version,
        source,
    };
    decode_tagged(event_type, tagged)
        .unwrap_or_else(|| Err(serde::de::Error::custom("unknown event type")))
        .map_err(wrap)
}

/// Applies the steps `from → from + 1 → … → to` of `event_type`; `None` when a step is missing.
pub fn upcast_chain(
    upcasters: &[Upcaster],
    event_type: &str,
    from: u32,
    to: u32,
    payload: Value,
) -> Option<Value> {
    (from..to).try_fold(payload, |payload, version| {
        upcasters
            .iter()
            .find(|u| u.event_type == event_type && u.from_version == version)
            .map(|step| (step.upgrade)(payload))
    })
}

fn current_version(event_type: &str) -> Option<u32> {
    STREAM_KINDS
        .iter()
        .flat_map(|kind| kind.types)
        .find(|(t, _)| *t == event_type)
        .map(|(_, v)| *v)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_name_is_unique_and_at_version_one() {
        let mut all: Vec<(&str, u32)> = STREAM_KINDS
            .iter()
            .flat_map(|kind| kind.types)
            .copied()
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup_by_key(|(t, _)| *t);
        assert_eq!(all.len(), count, "duplicate event type names");
        assert!(all.iter().all(|(_, v)| *v == 1));
    }

    /// The stream names `docs/events.md` shows are the names the deciders give their streams.
    #[test]
    fn the_documented_stream_names_are_the_deciders_own() {
        use crate::Decider;
        let names = |types: &[(&str, u32)]| {
            STREAM_KINDS
                .iter()
                .find(|kind| kind.types == types)
                .map(|kind| kind.names)
                .unwrap()
        };
        let singletons = [
            (
                RuleBookEvent::TYPES,
                crate::rule_book::RuleBookStream::stream(&()),
            ),
            (
                RegistryEvent::TYPES,
                crate::registry::RegistryStream::stream(&()),
            ),
            (
                ControlsEvent::TYPES,
                crate::controls::ControlsStream::stream(&()),
            ),
            (AccessEvent::TYPES, crate::access::AccessStream::stream(&())),
            (
                SignalTriageEvent::TYPES,
                crate::signals::SignalsStream::stream(&()),
            ),
            (
                PersonIndexEvent::TYPES,
                crate::person_index::IndexKeyStream::stream(&()),
            ),
        ];
        for (types, stream) in singletons {
            assert!(names(types).contains(&format!("`{stream}`")), "{stream}");
        }
        let person = crate::person_index::PersonIndexStream::stream(&"ab12".to_owned());
        assert!(names(PersonIndexEvent::TYPES).contains(&format!("`{}", &person[..7])));
        let name = crate::person_index::NameIndexStream::stream(&"ab12".to_owned());
        assert!(names(PersonIndexEvent::TYPES).contains(&format!("`{}", &name[..12])));
        let record = crate::persons::PersonStream::stream(&crate::PersonId::from_uuid(
            uuid::Uuid::from_u128(1),
        ));
        assert!(record.starts_with(crate::persons::STREAM_PREFIX));
        assert!(
            names(PersonEvent::TYPES)
                .contains(&format!("`{}<uuid>`", crate::persons::STREAM_PREFIX))
        );
        let dossier = crate::dossier::DossierStream::stream(&crate::DossierId::from_uuid(
            uuid::Uuid::from_u128(1),
        ));
        assert!(dossier.starts_with(crate::dossier::STREAM_PREFIX));
        assert!(
            names(DossierEvent::TYPES)
                .contains(&format!("`{}<uuid>`", crate::dossier::STREAM_PREFIX))
        );
        let log =
            crate::access::access_log_stream(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(log, "access-log-2026-03");
        assert!(names(AccessLogEvent::TYPES).contains("`access-log-YYYY-MM`"));
    }

    #[test]
    fn upcast_reads_the_current_version_and_refuses_unknown_ones() {
        let seed = crate::rule_book::seed_events().unwrap();
        let event: Event = seed[0].clone().into();
        let stored = event.to_stored().unwrap();
        assert_eq!(stored.event_type, "RuleParameterPublished");
        let read = upcast(
            &stored.event_type,
            stored.schema_version,
            stored.payload.clone(),
        )
        .unwrap();
        assert_eq!(read, event);
        assert!(matches!(
            upcast("NoSuchEvent", 1, Value::Null),
            Err(UpcastError::UnknownEventType(_))
        ));
        assert!(matches!(
            upcast(&stored.event_type, 2, stored.payload.clone()),
            Err(UpcastError::UnsupportedVersion { .. })
        ));
        assert!(matches!(
            upcast(&stored.event_type, 1, json!({"nonsense": true})),
            Err(UpcastError::Payload { .. })
        ));
    }

    /// A Rust name improved after events were stored keeps the stored type name (and a command
    /// its wire name), both ways.
    #[test]
    fn a_renamed_type_keeps_its_stored_and_wire_name() {
        let stored_payload = json!({
            "voucher": "0190a1b2-0000-7000-8000-000000000001",
            "expired_on": "2021-01-01"
        });
        let read = upcast("BoValueVoucherExpired", 1, stored_payload.clone()).unwrap();
        let Event::Dossier(crate::dossier::DossierEvent::ValueVoucherExpired(expired)) = &read
        else {
            panic!("read as {read:?}");
        };
        assert_eq!(expired.expired_on.to_string(), "2021-01-01");
        let written = read.to_stored().unwrap();
        assert_eq!(written.event_type, "BoValueVoucherExpired");
        assert_eq!(written.payload, stored_payload);
        assert!(matches!(
            upcast("ValueVoucherExpired", 1, stored_payload),
            Err(UpcastError::UnknownEventType(_))
        ));

        use crate::dossier::{DossierCommand, ExpireValueVoucher};
        let wire = json!({"command": "expire_bo_value_voucher", "voucher": expired.voucher});
        let command: DossierCommand = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(
            command,
            DossierCommand::ExpireValueVoucher(ExpireValueVoucher {
                voucher: expired.voucher
            })
        );
        assert_eq!(serde_json::to_value(&command).unwrap(), wire);
    }

    /// The mechanism on a synthetic event type: no stored event ever had these versions, they only
    /// exercise the chain (v1 → v2 renames a field, v2 → v3 adds a default).
    #[test]
    fn upcaster_chain_applies_every_step_in_order_and_stops_at_a_gap() {
        fn rename_motivation(mut payload: Value) -> Value {
            if let Some(object) = payload.as_object_mut()
                && let Some(motivation) = object.remove("motivation")
            {
                object.insert("reason".into(), motivation);
            }
            payload
        }
        fn default_channel(mut payload: Value) -> Value {
            if let Some(object) = payload.as_object_mut() {
                object.entry("channel").or_insert(json!("post"));
            }
            payload
        }
        let table = [
            Upcaster {
                event_type: "SyntheticExample",
                from_version: 2,
                upgrade: default_channel,
            },
            Upcaster {
                event_type: "SyntheticExample",
                from_version: 1,
                upgrade: rename_motivation,
            },
        ];
        let v1 = json!({ "motivation": "quality requirements not met" });
        assert_eq!(
            upcast_chain(&table, "SyntheticExample", 1, 3, v1.clone()),
            Some(json!({ "reason": "quality requirements not met", "channel": "post" }))
        );
        assert_eq!(
            upcast_chain(&table, "SyntheticExample", 1, 1, v1.clone()),
            Some(v1.clone())
        );
        assert_eq!(
            upcast_chain(&table, "SyntheticExample", 1, 4, v1.clone()),
            None
        );
        assert_eq!(
            upcast_chain(&table[..1], "SyntheticExample", 1, 3, v1),
            None
        );
    }
}
