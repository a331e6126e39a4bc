//! Between our events and KurrentDB's, as functions over plain fields so every rule is tested
//! without a server.

use event_store::{
    ExpectedVersion, Position, RecordedEvent, StoreError, StreamName, micros_to_time,
    time_to_micros,
};
use kurrentdb::{EventData, StreamState};
use uuid::Uuid;

use crate::envelope::{Envelope, exact_json};
use crate::position::{AllPosition, Unpositioned, to_position};

/// One KurrentDB event, as read from a stream or from `$all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub stream: String,
    pub revision: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub data: Vec<u8>,
    pub custom_metadata: Vec<u8>,
    pub position: AllPosition,
}

impl RawEvent {
    pub fn of(e: &kurrentdb::RecordedEvent) -> Self {
        Self {
            stream: e.stream_id().to_owned(),
            revision: e.revision,
            event_id: e.id,
            event_type: e.event_type.clone(),
            data: e.data.to_vec(),
            custom_metadata: e.custom_metadata.to_vec(),
            position: AllPosition::of(e.position),
        }
    }
}

/// What a KurrentDB event is to Dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decoded {
    Ours(RecordedEvent),
    /// KurrentDB's own: a `$`-prefixed stream or event type (statistics, metadata, links, …).
    System,
    /// Another application's event, without our envelope.
    Foreign,
}

/// Whether an event belongs to KurrentDB itself.
pub(crate) fn is_system(stream: &str, event_type: &str) -> bool {
    stream.starts_with('$') || event_type.starts_with('$')
}

/// Our event from a KurrentDB event: ids, stream version, type and payload bytes from the
/// event itself; schema version, recorded-at, metadata bytes and hash from the envelope; the
/// position from its `$all` position. System and foreign events are told apart, not refused.
///
/// # Errors
/// [`StoreError::Corrupt`] for an event that carries our envelope but is not a valid event of
/// ours (bad envelope, stream name, or a position that is not its own commit);
/// [`StoreError::Unavailable`] when the server did not report the event's position.
pub(crate) fn decode(raw: &RawEvent) -> Result<Decoded, StoreError> {
    if is_system(&raw.stream, &raw.event_type) {
        return Ok(Decoded::System);
    }
    let Some(envelope) = Envelope::decode(&raw.custom_metadata)? else {
        return Ok(Decoded::Foreign);
    };
    let corrupt = |why: String| {
        StoreError::Corrupt(format!(
            "event {} ({} revision {}): {why}",
            raw.event_id, raw.stream, raw.revision
        ))
    };
    let stream = StreamName::parse(raw.stream.as_str()).map_err(|e| corrupt(e.0))?;
    let position = match to_position(raw.position) {
        Ok(p) => p,
        Err(Unpositioned::Unknown) => {
            return Err(StoreError::Unavailable(format!(
                "the server reported no $all position for event {} of {} (stream reads carry \
                 positions from EventStoreDB 22.6 on; this adapter needs 22.6 or later)",
                raw.event_id, raw.stream
            )));
        }
        Err(Unpositioned::SharedCommit(p)) => {
            return Err(corrupt(format!(
                "its $all position C:{}/P:{} is not its own commit: it was not written by this \
                 adapter's append",
                p.commit, p.prepare
            )));
        }
    };
    Ok(Decoded::Ours(RecordedEvent {
        event_id: raw.event_id,
        stream,
        stream_version: raw.revision,
        position,
        event_type: raw.event_type.clone(),
        schema_version: envelope.schema_version,
        recorded_at: micros_to_time(envelope.recorded_at_micros),
        payload: raw.data.clone(),
        metadata: envelope.metadata,
        hash: envelope.hash,
    }))
}

/// Decodes an event read from one of our streams, where only our events may be.
pub(crate) fn decode_own(raw: &RawEvent) -> Result<RecordedEvent, StoreError> {
    match decode(raw)? {
        Decoded::Ours(e) => Ok(e),
        Decoded::System | Decoded::Foreign => Err(StoreError::Corrupt(format!(
            "stream {} holds event {} (revision {}, type {:?}) without Dossier's envelope",
            raw.stream, raw.event_id, raw.revision, raw.event_type
        ))),
    }
}

/// The parts of a KurrentDB event that carry a sealed event of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    pub event_id: Uuid,
    pub event_type: String,
    /// Whether the payload goes as `application/json` (it is JSON that serialises back to the
    /// exact bytes) or as `application/octet-stream`. The bytes are the same either way.
    pub json: bool,
    pub data: Vec<u8>,
    pub custom_metadata: Vec<u8>,
}

impl Outgoing {
    /// # Errors
    /// [`StoreError::InvalidRequest`] for an event type KurrentDB reserves (a leading `$`).
    pub fn of(e: &RecordedEvent) -> Result<Self, StoreError> {
        check_event_type(&e.event_type, e.event_id)?;
        Ok(Self {
            event_id: e.event_id,
            event_type: e.event_type.clone(),
            json: exact_json(&e.payload).is_some(),
            data: e.payload.clone(),
            custom_metadata: Envelope {
                schema_version: e.schema_version,
                recorded_at_micros: time_to_micros(e.recorded_at),
                hash: e.hash,
                metadata: e.metadata.clone(),
            }
            .encode(),
        })
    }

    pub fn into_event_data(self) -> EventData {
        let data = match exact_json(&self.data).filter(|_| self.json) {
            Some(raw) => {
                EventData::json(&self.event_type, &raw).expect("a raw JSON value always serialises")
            }
            None => EventData::binary(&self.event_type, self.data.into()),
        };
        data.id(self.event_id).metadata(self.custom_metadata.into())
    }
}

/// KurrentDB treats `$`-prefixed types as its own; such an event would vanish from `read_all`.
pub(crate) fn check_event_type(event_type: &str, event_id: Uuid) -> Result<(), StoreError> {
    if event_type.starts_with('$') {
        return Err(StoreError::InvalidRequest(format!(
            "event {event_id}: type {event_type:?} starts with '$', which KurrentDB reserves"
        )));
    }
    Ok(())
}

/// The natural meaning of our expected version in KurrentDB's terms. Appends do not send it
/// as is (they send [`wire_state`] after checking it themselves, see the crate docs); it names
/// the expectation in messages and maps the server's conflicts back.
pub(crate) fn stream_state(expected: ExpectedVersion) -> StreamState {
    match expected {
        ExpectedVersion::Any => StreamState::Any,
        ExpectedVersion::NoStream => StreamState::NoStream,
        ExpectedVersion::StreamExists => StreamState::StreamExists,
        ExpectedVersion::Exact(v) => StreamState::StreamRevision(v),
    }
}

/// The inverse of [`stream_state`].
pub(crate) fn expected_version(state: StreamState) -> ExpectedVersion {
    match state {
        StreamState::Any => ExpectedVersion::Any,
        StreamState::NoStream => ExpectedVersion::NoStream,
        StreamState::StreamExists => ExpectedVersion::StreamExists,
        StreamState::StreamRevision(v) => ExpectedVersion::Exact(v),
    }
}

/// What an append sends: the exact head it was checked and sealed against, so that any
/// concurrent writer makes the server refuse it.
pub(crate) fn wire_state(head: Option<u64>) -> StreamState {
    head.map_or(StreamState::NoStream, StreamState::StreamRevision)
}

/// Our position of an event written by an append, from the append's answer (`$all` position
/// of the append's last event), when that answer names it.
pub(crate) fn written_position(result: &kurrentdb::WriteResult) -> Option<Position> {
    to_position(AllPosition::of(result.position)).ok()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use event_store::EventHash;
    use event_store::append::seal;
    use event_store::hash::expected_hash;
    use event_store::{EventMetadata, NewEvent};

    use super::*;

    fn stream() -> StreamName {
        StreamName::parse("dossier-0190a1b2").unwrap()
    }

    fn sealed(payload: &[u8], metadata: &[u8]) -> RecordedEvent {
        let meta = EventMetadata {
            actor_id: "staff-17".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::from_u128(9),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        let mut new = NewEvent::from_json_bytes(
            Uuid::from_u128(0x0190_a1b2_0000_7000_8000_0000_0000_0001),
            "PersonRegistered",
            2,
            b"{}".to_vec(),
            &meta,
        )
        .unwrap();
        new.payload = payload.to_vec();
        new.metadata = metadata.to_vec();
        let at = Utc.with_ymd_and_hms(2020, 3, 14, 10, 30, 0).unwrap()
            + chrono::Duration::microseconds(123_456);
        seal(&stream(), None, &[new], at).remove(0)
    }

    /// What KurrentDB hands back for an event we wrote with `out`, at log position `l`.
    fn stored(out: &Outgoing, stream: &str, revision: u64, l: u64) -> RawEvent {
        RawEvent {
            stream: stream.into(),
            revision,
            event_id: out.event_id,
            event_type: out.event_type.clone(),
            data: out.data.clone(),
            custom_metadata: out.custom_metadata.clone(),
            position: AllPosition {
                commit: l,
                prepare: l,
            },
        }
    }

    #[test]
    fn a_sealed_event_survives_the_trip_through_kurrentdb_fields() {
        let odd_payload: &[u8] = b"{ \"z\" :1,\"a\":\"\\u00e9t\xc3\xa9\",  \"n\":1.50 }";
        let odd_meta: &[u8] = b"{\"actor_id\" : \"x\",\n \"reason\":\"\\u2014\"}";
        for (payload, metadata) in [
            (odd_payload, odd_meta),
            (&b"[]"[..], &b" not json "[..]),
            (&b" {\"spaced\":true} "[..], &b"\xff\x00"[..]),
        ] {
            let event = sealed(payload, metadata);
            let out = Outgoing::of(&event).unwrap();
            assert_eq!(out.data, payload, "payload bytes go as the data, unchanged");
            assert_eq!(out.json, payload.first() != Some(&b' '), "content type");
            let Decoded::Ours(back) = decode(&stored(&out, "dossier-0190a1b2", 0, 4_096)).unwrap()
            else {
                panic!("our event not recognised")
            };
            assert_eq!(back.position, Position(8_194));
            let mut expected = event.clone();
            expected.position = back.position;
            assert_eq!(back, expected);
            assert_eq!(
                back.hash,
                expected_hash(&back, &EventHash::GENESIS),
                "chain holds"
            );
        }
    }

    #[test]
    fn recorded_at_comes_from_the_envelope_not_from_the_server() {
        let event = sealed(b"{}", b"{}");
        let out = Outgoing::of(&event).unwrap();
        let Decoded::Ours(back) = decode(&stored(&out, "dossier-0190a1b2", 0, 64)).unwrap() else {
            panic!("ours")
        };
        assert_eq!(back.recorded_at, event.recorded_at);
        assert_eq!(back.recorded_at.timestamp_subsec_micros(), 123_456);
    }

    #[test]
    fn system_and_foreign_events_are_told_apart_from_ours() {
        let out = Outgoing::of(&sealed(b"{}", b"{}")).unwrap();
        let ours = stored(&out, "dossier-0190a1b2", 0, 64);
        assert!(matches!(decode(&ours), Ok(Decoded::Ours(_))));

        let mut system_stream = ours.clone();
        system_stream.stream = "$stats-127.0.0.1:2113".into();
        assert_eq!(decode(&system_stream), Ok(Decoded::System));
        let mut system_type = ours.clone();
        system_type.event_type = "$>".into();
        assert_eq!(decode(&system_type), Ok(Decoded::System));
        let mut metadata_stream = ours.clone();
        metadata_stream.stream = "$$dossier-0190a1b2".into();
        metadata_stream.event_type = "$metadata".into();
        assert_eq!(decode(&metadata_stream), Ok(Decoded::System));

        let mut foreign = ours.clone();
        foreign.custom_metadata = br#"{"$correlationId":"abc"}"#.to_vec();
        assert_eq!(decode(&foreign), Ok(Decoded::Foreign));
        foreign.custom_metadata.clear();
        assert_eq!(decode(&foreign), Ok(Decoded::Foreign));
        // A foreign event may even sit at a shared commit or in a stream name we do not allow.
        foreign.stream = "orders with spaces".into();
        foreign.position = AllPosition {
            commit: 900,
            prepare: 300,
        };
        assert_eq!(decode(&foreign), Ok(Decoded::Foreign));
        assert!(matches!(decode_own(&foreign), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn our_envelope_in_a_bad_place_is_corrupt_or_unavailable() {
        let out = Outgoing::of(&sealed(b"{}", b"{}")).unwrap();
        let mut bad_name = stored(&out, "dossier-0190a1b2", 0, 64);
        bad_name.stream = "no spaces allowed".into();
        assert!(matches!(decode(&bad_name), Err(StoreError::Corrupt(_))));

        let mut shared = stored(&out, "dossier-0190a1b2", 0, 64);
        shared.position = AllPosition {
            commit: 900,
            prepare: 300,
        };
        assert!(matches!(decode(&shared), Err(StoreError::Corrupt(_))));

        let mut unknown = stored(&out, "dossier-0190a1b2", 0, 64);
        unknown.position = AllPosition {
            commit: u64::MAX,
            prepare: u64::MAX,
        };
        assert!(matches!(decode(&unknown), Err(StoreError::Unavailable(_))));
    }

    #[test]
    fn reserved_event_types_are_refused() {
        let mut event = sealed(b"{}", b"{}");
        event.event_type = "$metadata".into();
        assert!(matches!(
            Outgoing::of(&event),
            Err(StoreError::InvalidRequest(_))
        ));
    }

    #[test]
    fn expected_versions_map_to_stream_states_and_back() {
        for (ours, theirs) in [
            (ExpectedVersion::Any, StreamState::Any),
            (ExpectedVersion::NoStream, StreamState::NoStream),
            (ExpectedVersion::StreamExists, StreamState::StreamExists),
            (ExpectedVersion::Exact(0), StreamState::StreamRevision(0)),
            (ExpectedVersion::Exact(41), StreamState::StreamRevision(41)),
        ] {
            assert_eq!(stream_state(ours), theirs);
            assert_eq!(expected_version(theirs), ours);
        }
        assert_eq!(wire_state(None), StreamState::NoStream);
        assert_eq!(wire_state(Some(0)), StreamState::StreamRevision(0));
        assert_eq!(wire_state(Some(7)), StreamState::StreamRevision(7));
    }

    #[test]
    fn an_append_answer_names_the_last_events_position_when_it_has_one() {
        let answer = |commit, prepare| kurrentdb::WriteResult {
            next_expected_version: 2,
            position: kurrentdb::Position { commit, prepare },
        };
        assert_eq!(written_position(&answer(500, 500)), Some(Position(1002)));
        assert_eq!(
            written_position(&answer(0, 0)),
            None,
            "no position (Position::start)"
        );
        assert_eq!(written_position(&answer(900, 300)), None);
    }
}
