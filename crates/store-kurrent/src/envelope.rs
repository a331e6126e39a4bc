//! Our envelope in KurrentDB's custom event metadata.
//!
//! KurrentDB stores per event an id, a type, the data bytes and one free "custom metadata"
//! byte string. The payload travels as the data, byte for byte. Everything else Dossier keeps
//! per event and KurrentDB has no field for travels as one JSON object in the custom metadata:
//!
//! ```json
//! {"dossier":1,"schema_version":3,"recorded_at_us":1584181800123456,
//!  "hash":"<64 hex digits>","metadata":{"actor_id":"…", …}}
//! ```
//!
//! - `dossier` marks the event as ours (envelope format 1). An event without it is foreign and
//!   `read_all` skips it; an event with it that does not decode is [`StoreError::Corrupt`].
//! - `metadata` holds our metadata bytes verbatim as a JSON value (serde_json's `RawValue`
//!   writes and reads back the exact text, odd whitespace and escapes included). Bytes that
//!   cannot travel verbatim that way (not UTF-8, not JSON, or with whitespace around the value,
//!   which `RawValue` trims) travel as `metadata_hex` instead, so every byte string round-trips.
//! - `recorded_at_us` is our recorded-at (microseconds since the epoch, UTC), set when the
//!   append is sealed, or kept from the source on import; KurrentDB's own `created` is ignored.
//! - `hash` is the event's link in our chain.

use event_store::{EventHash, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The envelope format this adapter writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// Our fields of one event, as carried in the custom metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub schema_version: u32,
    pub recorded_at_micros: i64,
    pub hash: EventHash,
    /// Our metadata bytes, exactly as written.
    pub metadata: Vec<u8>,
}

#[derive(Serialize)]
struct Out<'a> {
    dossier: u32,
    schema_version: u32,
    recorded_at_us: i64,
    hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata_hex: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct In<'a> {
    dossier: u32,
    schema_version: u32,
    recorded_at_us: i64,
    hash: &'a str,
    #[serde(default, borrow)]
    metadata: Option<&'a RawValue>,
    #[serde(default)]
    metadata_hex: Option<&'a str>,
}

/// Only looks for the marker, so anything else a foreign writer put there is no error.
#[derive(Deserialize)]
struct Marker {
    #[serde(default)]
    dossier: Option<serde::de::IgnoredAny>,
}

/// `bytes` as a JSON value that serialises back to exactly `bytes`, if there is one.
pub(crate) fn exact_json(bytes: &[u8]) -> Option<&RawValue> {
    let text = std::str::from_utf8(bytes).ok()?;
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    (raw.get() == text).then_some(raw)
}

impl Envelope {
    /// The custom-metadata bytes that carry this envelope.
    pub fn encode(&self) -> Vec<u8> {
        let raw = exact_json(&self.metadata);
        let out = Out {
            dossier: FORMAT,
            schema_version: self.schema_version,
            recorded_at_us: self.recorded_at_micros,
            hash: self.hash.to_hex(),
            metadata: raw,
            metadata_hex: raw.is_none().then(|| hex::encode(&self.metadata)),
        };
        serde_json::to_vec(&out).expect("an envelope always serialises")
    }

    /// Reads the envelope from an event's custom metadata: `Ok(None)` for an event that does
    /// not carry one (a foreign event).
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when the marker is there but the envelope does not decode.
    pub fn decode(custom_metadata: &[u8]) -> Result<Option<Self>, StoreError> {
        match serde_json::from_slice::<Marker>(custom_metadata) {
            Ok(Marker { dossier: Some(_) }) => {}
            _ => return Ok(None),
        }
        let corrupt = |why: String| StoreError::Corrupt(format!("event envelope: {why}"));
        let input: In<'_> =
            serde_json::from_slice(custom_metadata).map_err(|e| corrupt(e.to_string()))?;
        if input.dossier != FORMAT {
            return Err(corrupt(format!(
                "format {} is not one this adapter reads ({FORMAT})",
                input.dossier
            )));
        }
        let metadata = match (input.metadata, input.metadata_hex) {
            (Some(raw), None) => raw.get().as_bytes().to_vec(),
            (None, Some(hex)) => {
                hex::decode(hex).map_err(|e| corrupt(format!("metadata_hex: {e}")))?
            }
            _ => {
                return Err(corrupt(
                    "needs exactly one of metadata and metadata_hex".into(),
                ));
            }
        };
        Ok(Some(Self {
            schema_version: input.schema_version,
            recorded_at_micros: input.recorded_at_us,
            hash: EventHash::from_hex(input.hash).map_err(corrupt)?,
            metadata,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(metadata: &[u8]) -> Envelope {
        Envelope {
            schema_version: 3,
            recorded_at_micros: 1_584_181_800_123_456,
            hash: EventHash([0xab; 32]),
            metadata: metadata.to_vec(),
        }
    }

    #[test]
    fn metadata_bytes_round_trip_exactly() {
        let cases: [&[u8]; 9] = [
            br#"{"actor_id":"staff-17","actor_role":"staff","correlation_id":"0190a1b2-0000-7000-8000-000000000000"}"#,
            b"{ \"z\" :1,\"a\":\"\\u00e9t\xc3\xa9\",  \"n\":1.50 }",
            b"{\n\t\"nested\": { \"deep\" : [1 , 2,3] }\n}",
            b"[]",
            b"\"just a string\"",
            b" {\"leading\":\"space\"}",
            b"{\"trailing\":\"newline\"}\n",
            b"not json at all",
            b"\xff\xfe binary \x00",
        ];
        for metadata in cases {
            let e = envelope(metadata);
            let bytes = e.encode();
            let back = Envelope::decode(&bytes).unwrap().expect("ours");
            assert_eq!(back, e, "{:?}", String::from_utf8_lossy(metadata));
        }
        assert_eq!(
            Envelope::decode(&envelope(b"").encode())
                .unwrap()
                .unwrap()
                .metadata,
            b""
        );
    }

    #[test]
    fn json_metadata_is_embedded_verbatim_and_the_rest_as_hex() {
        let odd = b"{ \"z\" :1,  \"a\":\"\\u00e9\" }";
        let bytes = envelope(odd).encode();
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains(r#""metadata":{ "z" :1,  "a":"\u00e9" }"#),
            "{text}"
        );
        assert!(!text.contains("metadata_hex"), "{text}");
        assert!(text.starts_with(
            r#"{"dossier":1,"schema_version":3,"recorded_at_us":1584181800123456,"hash":"abab"#
        ));

        let text = String::from_utf8(envelope(b" {}").encode()).unwrap();
        assert!(text.contains(r#""metadata_hex":"207b7d""#), "{text}");
        assert!(exact_json(b" {}").is_none());
        assert!(exact_json(b"{}").is_some());
    }

    #[test]
    fn foreign_metadata_is_not_ours_and_broken_envelopes_are_corrupt() {
        for foreign in [
            &b""[..],
            b"not json",
            b"[1,2]",
            b"{}",
            br#"{"$correlationId":"x","$causationId":"y"}"#,
            br#"{"dossierish":1}"#,
        ] {
            assert_eq!(
                Envelope::decode(foreign),
                Ok(None),
                "{:?}",
                String::from_utf8_lossy(foreign)
            );
        }
        for broken in [
            &br#"{"dossier":1}"#[..],
            br#"{"dossier":2,"schema_version":1,"recorded_at_us":0,"hash":"00","metadata":{}}"#,
            br#"{"dossier":1,"schema_version":1,"recorded_at_us":0,"hash":"zz","metadata":{}}"#,
            br#"{"dossier":1,"schema_version":"1","recorded_at_us":0,"hash":"00","metadata":{}}"#,
            br#"{"dossier":1,"schema_version":1,"recorded_at_us":0,"hash":"0000000000000000000000000000000000000000000000000000000000000000"}"#,
            br#"{"dossier":1,"schema_version":1,"recorded_at_us":0,"hash":"0000000000000000000000000000000000000000000000000000000000000000","metadata":{},"metadata_hex":""}"#,
            br#"{"dossier":1,"schema_version":1,"recorded_at_us":0,"hash":"0000000000000000000000000000000000000000000000000000000000000000","metadata_hex":"zz"}"#,
        ] {
            assert!(
                matches!(Envelope::decode(broken), Err(StoreError::Corrupt(_))),
                "{:?}",
                String::from_utf8_lossy(broken)
            );
        }
    }
}
