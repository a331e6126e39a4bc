//! The domain's kinds of stream as the executor reads and writes them: one [`StreamModel`] for
//! every [`Decider`], and the names of streams as the store knows them (the domain names them).

use std::marker::PhantomData;

use domain::Decider;
use domain::DossierId;
use domain::dossier::DossierStream;
use domain::event::Event;
use domain::person_index::PersonIndexStream;
use event_store::{RecordedEvent, StreamName};

use crate::executor::StreamModel;

/// A [`Decider`] of the domain that the executor can run: its state and events may cross threads.
pub trait Runnable:
    Decider<
        Id: Send + Sync,
        Command: Send + Sync,
        State: Send + Sync + 'static,
        Event: Send + Sync + 'static,
    > + Send
    + Sync
    + 'static
{
}

impl<D> Runnable for D where
    D: Decider<
            Id: Send + Sync,
            Command: Send + Sync,
            State: Send + Sync + 'static,
            Event: Send + Sync + 'static,
        > + Send
        + Sync
        + 'static
{
}

/// The streams of the decider `D`, as the executor reads and writes them.
#[derive(Debug)]
pub struct Kind<D>(PhantomData<fn() -> D>);

impl<D: Runnable> StreamModel for Kind<D> {
    type State = D::State;
    type Event = D::Event;

    fn decode(event: &RecordedEvent) -> Result<D::Event, String> {
        let payload = serde_json::from_slice(&event.payload)
            .map_err(|e| format!("payload is not JSON: {e}"))?;
        let decoded = domain::upcast(&event.event_type, event.schema_version, payload)
            .map_err(|e| e.to_string())?;
        D::Event::try_from(decoded).map_err(|_| {
            format!(
                "{} is not an event of a {} stream",
                event.event_type,
                D::KIND
            )
        })
    }

    fn encode(event: &D::Event) -> Result<(&'static str, u32, Vec<u8>), String> {
        encode(&event.clone().into())
    }

    fn evolve(state: D::State, event: &D::Event) -> D::State {
        D::evolve(state, event)
    }
}

/// The stable type name, schema version and JSON payload of `event`.
///
/// # Errors
/// When the event does not serialise (the payload types do not allow it).
pub fn encode(event: &Event) -> Result<(&'static str, u32, Vec<u8>), String> {
    let stored = event.to_stored().map_err(|e| e.to_string())?;
    let payload = serde_json::to_vec(&stored.payload).map_err(|e| e.to_string())?;
    Ok((event.event_type(), event.schema_version(), payload))
}

/// The stream `id` names among the streams of `D`.
pub fn stream_of<D: Decider>(id: &D::Id) -> StreamName {
    StreamName::parse(D::stream(id)).expect("the domain names valid streams")
}

/// The stream of one dossier.
pub fn dossier_stream(id: DossierId) -> StreamName {
    stream_of::<DossierStream>(&id)
}

/// The dossier a stream belongs to, if it is a dossier stream.
pub fn dossier_of(stream: &StreamName) -> Option<DossierId> {
    domain::dossier::dossier_of_stream(stream.as_str())
}

pub fn rule_book_stream() -> StreamName {
    stream_of::<domain::rule_book::RuleBookStream>(&())
}

pub fn registry_stream() -> StreamName {
    stream_of::<domain::registry::RegistryStream>(&())
}

pub fn access_stream() -> StreamName {
    stream_of::<domain::access::AccessStream>(&())
}

pub fn signals_stream() -> StreamName {
    stream_of::<domain::signals::SignalsStream>(&())
}

pub fn controls_stream() -> StreamName {
    stream_of::<domain::controls::ControlsStream>(&())
}

/// The access-log stream of the month `date` falls in.
pub fn access_log_stream(date: chrono::NaiveDate) -> StreamName {
    StreamName::parse(domain::access::access_log_stream(date)).expect("valid stream name")
}

/// The keyed hash that names the index stream of the person with `insz`: HMAC-SHA256 with the
/// installation's key, first 128 bits in hexadecimal, so no INSZ ever appears in a stream name.
pub fn person_index_id(key: &[u8], insz: &domain::Insz) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(insz.expose_digits().as_bytes());
    let digest = mac.finalize().into_bytes();
    hex::encode(&digest[..16])
}

/// The index stream of the person with `insz`.
pub fn person_index_stream(key: &[u8], insz: &domain::Insz) -> StreamName {
    stream_of::<PersonIndexStream>(&person_index_id(key, insz))
}

/// The keyed hash that names the index stream of a name and birth date: the same HMAC as
/// [`person_index_id`], over the names in lower case with single spaces, so "An  Peeters" and
/// "an peeters" meet.
pub fn name_index_id(
    key: &[u8],
    family_name: &str,
    given_names: &str,
    birth_date: chrono::NaiveDate,
) -> String {
    use hmac::{Hmac, Mac};
    let tidy = |name: &str| {
        name.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(b"name\0");
    mac.update(tidy(family_name).as_bytes());
    mac.update(b"\0");
    mac.update(tidy(given_names).as_bytes());
    mac.update(b"\0");
    mac.update(birth_date.to_string().as_bytes());
    let digest = mac.finalize().into_bytes();
    hex::encode(&digest[..16])
}

/// The stream of one person's record.
pub fn person_record_stream(person: domain::PersonId) -> StreamName {
    stream_of::<domain::persons::PersonStream>(&person)
}
