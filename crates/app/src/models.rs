//! The domain's three kinds of stream, as the executor reads and writes them.

use domain::dossier::{Dossier, DossierEvent};
use domain::event::Event;
use domain::registry::{Registry, RegistryEvent};
use domain::rule_book::RuleParameterPublished;
use domain::{DossierId, RuleBook};
use event_store::{RecordedEvent, StreamName};

use crate::executor::StreamModel;

/// The rule-book stream: every published rule-parameter version.
pub const RULE_BOOK_STREAM: &str = "rulebook";
/// The registry of organisation licences (one stream, so the licence cap is one invariant).
pub const REGISTRY_STREAM: &str = "registry-organisations";
/// Every dossier stream is named `dossier-<uuid>`.
pub const DOSSIER_PREFIX: &str = "dossier-";

/// The stream of one dossier.
pub fn dossier_stream(id: DossierId) -> StreamName {
    StreamName::parse(format!("{DOSSIER_PREFIX}{}", id.as_uuid()))
        .expect("a UUID makes a valid stream name")
}

/// The dossier a stream belongs to, if it is a dossier stream.
pub fn dossier_of(stream: &StreamName) -> Option<DossierId> {
    let id = stream.as_str().strip_prefix(DOSSIER_PREFIX)?;
    uuid::Uuid::parse_str(id).ok().map(DossierId::from_uuid)
}

pub fn rule_book_stream() -> StreamName {
    StreamName::parse(RULE_BOOK_STREAM).expect("valid stream name")
}

pub fn registry_stream() -> StreamName {
    StreamName::parse(REGISTRY_STREAM).expect("valid stream name")
}

/// Reads a stored event of any schema version into the domain's current event type.
fn decode(event: &RecordedEvent) -> Result<Event, String> {
    let payload =
        serde_json::from_slice(&event.payload).map_err(|e| format!("payload is not JSON: {e}"))?;
    domain::upcast(&event.event_type, event.schema_version, payload).map_err(|e| e.to_string())
}

fn encode(event: Event) -> Result<(&'static str, u32, Vec<u8>), String> {
    let stored = event.to_stored().map_err(|e| e.to_string())?;
    let payload = serde_json::to_vec(&stored.payload).map_err(|e| e.to_string())?;
    Ok((event.event_type(), event.schema_version(), payload))
}

fn wrong_stream(event: &RecordedEvent, expected: &str) -> String {
    format!(
        "{} is not an event of a {expected} stream",
        event.event_type
    )
}

/// Dossier streams.
#[derive(Debug)]
pub struct DossierModel;

impl StreamModel for DossierModel {
    type State = Dossier;
    type Event = DossierEvent;

    fn decode(event: &RecordedEvent) -> Result<DossierEvent, String> {
        match decode(event)? {
            Event::Dossier(e) => Ok(e),
            _ => Err(wrong_stream(event, "dossier")),
        }
    }

    fn encode(event: &DossierEvent) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::Dossier(event.clone()))
    }

    fn evolve(state: Dossier, event: &DossierEvent) -> Dossier {
        domain::dossier::evolve(state, event)
    }
}

/// The organisation registry stream.
#[derive(Debug)]
pub struct RegistryModel;

impl StreamModel for RegistryModel {
    type State = Registry;
    type Event = RegistryEvent;

    fn decode(event: &RecordedEvent) -> Result<RegistryEvent, String> {
        match decode(event)? {
            Event::Registry(e) => Ok(e),
            _ => Err(wrong_stream(event, "registry")),
        }
    }

    fn encode(event: &RegistryEvent) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::Registry(event.clone()))
    }

    fn evolve(state: Registry, event: &RegistryEvent) -> Registry {
        domain::registry::evolve(state, event)
    }
}

/// The rule-book stream.
#[derive(Debug)]
pub struct RuleBookModel;

impl StreamModel for RuleBookModel {
    type State = RuleBook;
    type Event = RuleParameterPublished;

    fn decode(event: &RecordedEvent) -> Result<RuleParameterPublished, String> {
        match decode(event)? {
            Event::RuleBook(domain::event::RuleBookEvent::RuleParameterPublished(e)) => Ok(e),
            _ => Err(wrong_stream(event, "rule-book")),
        }
    }

    fn encode(event: &RuleParameterPublished) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::from(event.clone()))
    }

    fn evolve(state: RuleBook, event: &RuleParameterPublished) -> RuleBook {
        domain::rule_book::evolve(state, event)
    }
}

/// The stream holding the installation's person-index key.
pub const PERSON_INDEX_KEY_STREAM: &str = "person-index-key";

pub fn person_index_key_stream() -> StreamName {
    StreamName::parse(PERSON_INDEX_KEY_STREAM).expect("valid stream name")
}

/// The index stream of the person with `insz`: `person-` and a keyed hash (HMAC-SHA256 with the
/// installation's key, first 128 bits), so no INSZ ever appears in a stream name.
pub fn person_index_stream(key: &[u8], insz: &domain::Insz) -> StreamName {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(insz.expose_digits().as_bytes());
    let digest = mac.finalize().into_bytes();
    StreamName::parse(format!("person-{}", hex::encode(&digest[..16])))
        .expect("hex makes a valid stream name")
}

/// A person's index stream.
#[derive(Debug)]
pub struct PersonIndexModel;

impl StreamModel for PersonIndexModel {
    type State = domain::person_index::PersonIndex;
    type Event = domain::person_index::PersonIndexEvent;

    fn decode(event: &RecordedEvent) -> Result<Self::Event, String> {
        match decode(event)? {
            Event::PersonIndex(e) => Ok(e),
            _ => Err(wrong_stream(event, "person-index")),
        }
    }

    fn encode(event: &Self::Event) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::PersonIndex(event.clone()))
    }

    fn evolve(state: Self::State, event: &Self::Event) -> Self::State {
        domain::person_index::evolve(state, event)
    }
}

/// The stream of the installation's person-index key: its state is the key, once created.
#[derive(Debug)]
pub struct PersonIndexKeyModel;

impl StreamModel for PersonIndexKeyModel {
    type State = Option<String>;
    type Event = domain::person_index::PersonIndexEvent;

    fn decode(event: &RecordedEvent) -> Result<Self::Event, String> {
        PersonIndexModel::decode(event)
    }

    fn encode(event: &Self::Event) -> Result<(&'static str, u32, Vec<u8>), String> {
        PersonIndexModel::encode(event)
    }

    fn evolve(state: Self::State, event: &Self::Event) -> Self::State {
        match event {
            domain::person_index::PersonIndexEvent::PersonIndexKeyCreated(created)
                if state.is_none() =>
            {
                Some(created.key_hex.clone())
            }
            _ => state,
        }
    }
}

/// The access stream: users, roles, tokens.
pub const ACCESS_STREAM: &str = "access";

pub fn access_stream() -> StreamName {
    StreamName::parse(ACCESS_STREAM).expect("valid stream name")
}

/// The access stream.
#[derive(Debug)]
pub struct AccessModel;

impl StreamModel for AccessModel {
    type State = domain::access::Access;
    type Event = domain::access::AccessEvent;

    fn decode(event: &RecordedEvent) -> Result<Self::Event, String> {
        match decode(event)? {
            Event::Access(e) => Ok(e),
            _ => Err(wrong_stream(event, "access")),
        }
    }

    fn encode(event: &Self::Event) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::Access(event.clone()))
    }

    fn evolve(state: Self::State, event: &Self::Event) -> Self::State {
        domain::access::evolve(state, event)
    }
}

/// The access-log stream of the month `date` falls in: `access-log-YYYY-MM`.
pub fn access_log_stream(date: chrono::NaiveDate) -> StreamName {
    StreamName::parse(format!("access-log-{}", date.format("%Y-%m"))).expect("valid stream name")
}

/// The stream of investigators' decisions about fraud signals (the read side honours it).
pub const SIGNALS_STREAM: &str = "signals";

pub fn signals_stream() -> StreamName {
    StreamName::parse(SIGNALS_STREAM).expect("valid stream name")
}

/// The signals stream.
#[derive(Debug)]
pub struct SignalTriageModel;

impl StreamModel for SignalTriageModel {
    type State = domain::signals::SignalTriage;
    type Event = domain::signals::SignalTriageEvent;

    fn decode(event: &RecordedEvent) -> Result<Self::Event, String> {
        match decode(event)? {
            Event::SignalTriage(e) => Ok(e),
            _ => Err(wrong_stream(event, "signals")),
        }
    }

    fn encode(event: &Self::Event) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(Event::SignalTriage(event.clone()))
    }

    fn evolve(state: Self::State, event: &Self::Event) -> Self::State {
        domain::signals::evolve(state, event)
    }
}
