//! Events as stored: a stable type name, a schema version and a JSON payload; the upcaster that
//! reads every stored version; and the generator of `docs/events.md`.

use schemars::Schema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::access::{AccessEvent, AccessLogEvent};
use crate::controls::ControlsEvent;
use crate::dossier::DossierEvent;
use crate::person_index::PersonIndexEvent;
use crate::registry::RegistryEvent;
use crate::rule_book::RuleParameterPublished;
use crate::signals::SignalTriageEvent;

/// Declares a stream's event enum: each variant wraps the payload struct of the same name and
/// carries its current schema version. The type name is the variant name and never changes.
macro_rules! event_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $version:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "type", content = "payload")]
        pub enum $name {
            $($variant($variant)),*
        }

        impl $name {
            /// Every event type of this stream with its current schema version.
            pub const TYPES: &'static [(&'static str, u32)] = &[$((stringify!($variant), $version)),*];

            /// The stable type name stored with the event.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($variant)),*
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
                    event_type: stringify!($variant),
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

crate::event::event_enum! {
    /// Events of the rule-book stream.
    RuleBookEvent {
        RuleParameterPublished = 1,
    }
}

/// Any event of any stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    RuleBook(RuleBookEvent),
    Registry(RegistryEvent),
    Dossier(DossierEvent),
    Controls(ControlsEvent),
    PersonIndex(PersonIndexEvent),
    Access(AccessEvent),
    AccessLog(AccessLogEvent),
    SignalTriage(SignalTriageEvent),
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
    pub fn event_type(&self) -> &'static str {
        match self {
            Self::RuleBook(e) => e.event_type(),
            Self::Registry(e) => e.event_type(),
            Self::Dossier(e) => e.event_type(),
            Self::Controls(e) => e.event_type(),
            Self::PersonIndex(e) => e.event_type(),
            Self::Access(e) => e.event_type(),
            Self::AccessLog(e) => e.event_type(),
            Self::SignalTriage(e) => e.event_type(),
        }
    }

    pub fn schema_version(&self) -> u32 {
        match self {
            Self::RuleBook(e) => e.schema_version(),
            Self::Registry(e) => e.schema_version(),
            Self::Dossier(e) => e.schema_version(),
            Self::Controls(e) => e.schema_version(),
            Self::PersonIndex(e) => e.schema_version(),
            Self::Access(e) => e.schema_version(),
            Self::AccessLog(e) => e.schema_version(),
            Self::SignalTriage(e) => e.schema_version(),
        }
    }

    /// The type, version and payload to store.
    ///
    /// # Errors
    /// Only if serialisation fails, which the payload types do not allow.
    pub fn to_stored(&self) -> Result<StoredEvent, serde_json::Error> {
        let tagged = match self {
            Self::RuleBook(e) => serde_json::to_value(e)?,
            Self::Registry(e) => serde_json::to_value(e)?,
            Self::Dossier(e) => serde_json::to_value(e)?,
            Self::Controls(e) => serde_json::to_value(e)?,
            Self::PersonIndex(e) => serde_json::to_value(e)?,
            Self::Access(e) => serde_json::to_value(e)?,
            Self::AccessLog(e) => serde_json::to_value(e)?,
            Self::SignalTriage(e) => serde_json::to_value(e)?,
        };
        Ok(StoredEvent {
            event_type: self.event_type().to_owned(),
            schema_version: self.schema_version(),
            payload: tagged.get("payload").cloned().unwrap_or(Value::Null),
        })
    }
}

impl From<RuleParameterPublished> for Event {
    fn from(event: RuleParameterPublished) -> Self {
        Self::RuleBook(event.into())
    }
}

impl From<RegistryEvent> for Event {
    fn from(event: RegistryEvent) -> Self {
        Self::Registry(event)
    }
}

impl From<DossierEvent> for Event {
    fn from(event: DossierEvent) -> Self {
        Self::Dossier(event)
    }
}

impl From<SignalTriageEvent> for Event {
    fn from(event: SignalTriageEvent) -> Self {
        Self::SignalTriage(event)
    }
}

impl From<AccessLogEvent> for Event {
    fn from(event: AccessLogEvent) -> Self {
        Self::AccessLog(event)
    }
}

impl From<AccessEvent> for Event {
    fn from(event: AccessEvent) -> Self {
        Self::Access(event)
    }
}

impl From<PersonIndexEvent> for Event {
    fn from(event: PersonIndexEvent) -> Self {
        Self::PersonIndex(event)
    }
}

impl From<ControlsEvent> for Event {
    fn from(event: ControlsEvent) -> Self {
        Self::Controls(event)
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
    if RuleBookEvent::TYPES.iter().any(|(t, _)| *t == event_type) {
        serde_json::from_value(tagged)
            .map(Event::RuleBook)
            .map_err(wrap)
    } else if RegistryEvent::TYPES.iter().any(|(t, _)| *t == event_type) {
        serde_json::from_value(tagged)
            .map(Event::Registry)
            .map_err(wrap)
    } else if ControlsEvent::TYPES.iter().any(|(t, _)| *t == event_type) {
        serde_json::from_value(tagged)
            .map(Event::Controls)
            .map_err(wrap)
    } else if PersonIndexEvent::TYPES
        .iter()
        .any(|(t, _)| *t == event_type)
    {
        serde_json::from_value(tagged)
            .map(Event::PersonIndex)
            .map_err(wrap)
    } else if AccessEvent::TYPES.iter().any(|(t, _)| *t == event_type) {
        serde_json::from_value(tagged)
            .map(Event::Access)
            .map_err(wrap)
    } else if AccessLogEvent::TYPES.iter().any(|(t, _)| *t == event_type) {
        serde_json::from_value(tagged)
            .map(Event::AccessLog)
            .map_err(wrap)
    } else if SignalTriageEvent::TYPES
        .iter()
        .any(|(t, _)| *t == event_type)
    {
        serde_json::from_value(tagged)
            .map(Event::SignalTriage)
            .map_err(wrap)
    } else {
        serde_json::from_value(tagged)
            .map(Event::Dossier)
            .map_err(wrap)
    }
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
    RuleBookEvent::TYPES
        .iter()
        .chain(RegistryEvent::TYPES)
        .chain(DossierEvent::TYPES)
        .chain(ControlsEvent::TYPES)
        .chain(PersonIndexEvent::TYPES)
        .chain(AccessEvent::TYPES)
        .chain(AccessLogEvent::TYPES)
        .chain(SignalTriageEvent::TYPES)
        .find(|(t, _)| *t == event_type)
        .map(|(_, v)| *v)
}

// ---------------------------------------------------------------------------------------------
// docs/events.md

/// The Markdown of `docs/events.md`, generated from the payload types' JSON Schemas.
pub fn events_markdown() -> String {
    let mut out = String::from(
        "# Events\n\n\
         <!-- GENERATED by crates/domain (domain::event::events_markdown). Do not edit by hand: \
         run `UPDATE_DOCS=1 cargo test -p domain` to regenerate. -->\n\n\
         Every event is stored with its type name, its schema version and a JSON payload. \
         Types and versions are stable: a changed payload gets a new version and an upcaster \
         (`domain::event::upcast`). Dates are ISO `YYYY-MM-DD` business dates; amounts are decimal \
         strings in euro with at most two decimals; an INSZ is stored in full in the payload and \
         never shown in logs.\n",
    );
    let streams: [(&str, &str, Vec<EventSchema>); 8] = [
        (
            "Rule-book stream",
            "Effective-dated rule parameters.",
            RuleBookEvent::schemas(),
        ),
        (
            "Registry stream",
            "Licences of bijstandsorganisaties, VZA and MFC.",
            RegistryEvent::schemas(),
        ),
        (
            "Dossier stream",
            "One stream per dossier (one person with a disability): the person, budgets, \
             agreements, combinations, cost claims and their line decisions, the COVID-19 \
             increase, advance, payments, recoveries, final settlement and control cases.",
            DossierEvent::schemas(),
        ),
        (
            "Controls stream",
            "Reproducible random control samples (seed and population recorded); the control \
             case of a selected dossier lives in the dossier stream.",
            ControlsEvent::schemas(),
        ),
        (
            "Person index",
            "One stream per registered person, named by a keyed hash of the INSZ, so a person is \
             registered in one dossier only; and the stream holding the installation's key.",
            PersonIndexEvent::schemas(),
        ),
        (
            "Access stream",
            "Users, their roles and their bearer tokens (only the SHA-256 of a token's secret is \
             stored); revocations with a reason.",
            AccessEvent::schemas(),
        ),
        (
            "Access log",
            "Who read whose data, when (one stream per month, `access-log-YYYY-MM`): reads of a \
             dossier by inspectors and investigators, and command-line replays and reports.",
            AccessLogEvent::schemas(),
        ),
        (
            "Signals stream",
            "Investigators' dismissals and escalations of fraud signals, keyed by the signal's \
             deterministic id so they survive a rebuild of the read models.",
            SignalTriageEvent::schemas(),
        ),
    ];
    let mut definitions = std::collections::BTreeMap::new();
    for (title, meaning, schemas) in streams {
        out.push_str(&format!("\n## {title}\n\n{meaning}\n"));
        for schema in schemas {
            render_event(&mut out, &schema);
            if let Some(defs) = schema
                .schema
                .as_value()
                .get("$defs")
                .and_then(Value::as_object)
            {
                for (name, definition) in defs {
                    definitions
                        .entry(name.clone())
                        .or_insert_with(|| definition.clone());
                }
            }
        }
    }
    let definitions: serde_json::Map<String, Value> = definitions.into_iter().collect();
    render_types(&mut out, &json!({ "$defs": definitions }));
    out
}

/// The types that payload fields refer to, once each.
fn render_types(out: &mut String, root: &Value) {
    out.push_str("\n## Types used in payloads\n");
    let Some(definitions) = root.get("$defs").and_then(Value::as_object) else {
        return;
    };
    let mut definitions: Vec<(&String, &Value)> = definitions.iter().collect();
    definitions.sort_by_key(|(name, _)| *name);
    for (name, definition) in definitions {
        out.push_str(&format!("\n### `{name}`\n\n"));
        if let Some(description) = definition.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", one_line(description)));
        }
        let alternatives = definition
            .get("oneOf")
            .or_else(|| definition.get("anyOf"))
            .and_then(Value::as_array);
        if let Some(values) = definition.get("enum").and_then(Value::as_array) {
            let names: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            out.push_str(&format!("One of {}.\n", names.join(", ")));
        } else if let Some(alternatives) = alternatives {
            out.push_str("One of:\n\n");
            for alternative in alternatives {
                out.push_str(&format!("* {}\n", alternative_line(root, alternative)));
            }
        } else {
            let mut rows = Vec::new();
            collect_fields(root, definition, "", &mut rows);
            if rows.is_empty() {
                out.push_str(&format!("{}.\n", type_name(root, definition)));
            } else {
                out.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
                for (field, ty, required, description) in rows {
                    out.push_str(&format!(
                        "| `{field}` | {ty} | {} | {} |\n",
                        if required { "yes" } else { "no" },
                        one_line(&description).replace('|', "\\|")
                    ));
                }
            }
        }
    }
}

/// One alternative of a union: its tag value, its other fields, its meaning.
fn alternative_line(root: &Value, alternative: &Value) -> String {
    let single = |v: &Value| {
        v.get("const").cloned().or_else(|| {
            v.get("enum")
                .and_then(Value::as_array)
                .and_then(|e| e.first().cloned())
        })
    };
    let description = alternative
        .get("description")
        .and_then(Value::as_str)
        .map(one_line)
        .unwrap_or_default();
    if let Some(values) = alternative.get("enum").and_then(Value::as_array)
        && values.len() > 1
    {
        let names: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        return format!("{}: {description}", names.join(", "));
    }
    if let Some(value) = single(alternative) {
        return format!("`{value}`: {description}");
    }
    let mut parts = Vec::new();
    if let Some(properties) = alternative.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            match single(property) {
                Some(value) => parts.insert(0, format!("`{name}` = `{value}`")),
                None => parts.push(format!("`{name}`: {}", type_name(root, property))),
            }
        }
    }
    format!("{}: {description}", parts.join(", "))
}

fn render_event(out: &mut String, event: &EventSchema) {
    let root = event.schema.as_value();
    out.push_str(&format!(
        "\n### `{}` (version {})\n\n",
        event.event_type, event.version
    ));
    if let Some(description) = root.get("description").and_then(Value::as_str) {
        out.push_str(&format!("{}\n\n", one_line(description)));
    }
    let mut rows = Vec::new();
    collect_fields(root, root, "", &mut rows);
    if rows.is_empty() {
        out.push_str("No fields.\n");
        return;
    }
    out.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
    for (name, ty, required, description) in rows {
        out.push_str(&format!(
            "| `{name}` | {ty} | {} | {} |\n",
            if required { "yes" } else { "no" },
            one_line(&description).replace('|', "\\|")
        ));
    }
}

type FieldRow = (String, String, bool, String);

fn collect_fields(root: &Value, schema: &Value, prefix: &str, rows: &mut Vec<FieldRow>) {
    let schema = resolve(root, schema);
    // Flattened or tagged unions appear as allOf/oneOf/anyOf at the top.
    for key in ["allOf"] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            for part in parts {
                collect_fields(root, part, prefix, rows);
            }
        }
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        // Sorted here, so the output does not depend on serde_json's `preserve_order` feature.
        let mut properties: Vec<(&String, &Value)> = properties.iter().collect();
        properties.sort_by_key(|(name, _)| *name);
        for (name, property) in properties {
            let description = property
                .get("description")
                .or_else(|| resolve(root, property).get("description"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            rows.push((
                format!("{prefix}{name}"),
                type_name(root, property),
                required.contains(&name.as_str()),
                description,
            ));
        }
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs").and_then(|defs| defs.get(name)))
            .unwrap_or(schema),
        None => schema,
    }
}

fn type_name(root: &Value, schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let target = resolve(root, schema);
        if let Some(values) = target.get("enum").and_then(Value::as_array) {
            let names: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            return format!("{name} (one of {})", names.join(", "));
        }
        return format!("[{name}](#{})", name.to_lowercase());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let names: Vec<String> = options
                .iter()
                .map(|o| type_name(root, o))
                .filter(|n| n != "null")
                .collect();
            let nullable = options.len() > names.len();
            let joined = names.join(" or ");
            return if nullable {
                format!("{joined} or null")
            } else {
                joined
            };
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        return format!("one of {}", names.join(", "));
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            let items = schema
                .get("items")
                .map_or("value".into(), |items| type_name(root, items));
            format!("array of {items}")
        }
        Some(Value::String(t)) => format.map_or(t.clone(), |f| format!("{t} ({f})")),
        Some(Value::Array(types)) => {
            let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            let base: Vec<&str> = names.iter().copied().filter(|n| *n != "null").collect();
            let base = match format {
                Some(f) => format!("{} ({f})", base.join(" or ")),
                None => base.join(" or "),
            };
            if names.contains(&"null") {
                format!("{base} or null")
            } else {
                base
            }
        }
        _ => "value".into(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_name_is_unique_and_at_version_one() {
        let mut all: Vec<(&str, u32)> = RuleBookEvent::TYPES
            .iter()
            .chain(RegistryEvent::TYPES)
            .chain(DossierEvent::TYPES)
            .chain(ControlsEvent::TYPES)
            .chain(PersonIndexEvent::TYPES)
            .chain(AccessEvent::TYPES)
            .chain(AccessLogEvent::TYPES)
            .chain(SignalTriageEvent::TYPES)
            .copied()
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup_by_key(|(t, _)| *t);
        assert_eq!(all.len(), count, "duplicate event type names");
        assert!(all.iter().all(|(_, v)| *v == 1));
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
