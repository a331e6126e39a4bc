//! Mapping between rows of the `events` table and [`RecordedEvent`].

use event_store::{EventHash, Position, RecordedEvent, StoreError, StreamName, micros_to_time};
use rusqlite::Row;
use rusqlite::types::{ToSqlOutput, ValueRef};
use uuid::Uuid;

pub const SELECT_EVENT: &str = "SELECT position, event_id, stream, stream_version, event_type, \
     schema_version, recorded_at, payload, metadata, hash FROM events";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// The stored bytes of a TEXT or BLOB column, exactly.
fn bytes(row: &Row<'_>, i: usize) -> Result<Vec<u8>, StoreError> {
    match row.get_ref(i).map_err(|e| corrupt("column", e))? {
        ValueRef::Text(b) | ValueRef::Blob(b) => Ok(b.to_vec()),
        other => Err(StoreError::Corrupt(format!(
            "column {i} holds {:?}, not bytes",
            other.data_type()
        ))),
    }
}

fn int(row: &Row<'_>, i: usize) -> Result<i64, StoreError> {
    row.get(i).map_err(|e| corrupt("integer column", e))
}

fn unsigned(row: &Row<'_>, i: usize) -> Result<u64, StoreError> {
    u64::try_from(int(row, i)?).map_err(|e| corrupt("negative number", e))
}

/// Reads a row selected with [`SELECT_EVENT`].
pub fn event_from_row(row: &Row<'_>) -> Result<RecordedEvent, StoreError> {
    let text = |i| -> Result<String, StoreError> {
        String::from_utf8(bytes(row, i)?).map_err(|e| corrupt("text column", e))
    };
    Ok(RecordedEvent {
        position: Position(unsigned(row, 0)?),
        event_id: Uuid::from_slice(&bytes(row, 1)?).map_err(|e| corrupt("event id", e))?,
        stream: StreamName::parse(text(2)?).map_err(|e| corrupt("stream name", e))?,
        stream_version: unsigned(row, 3)?,
        event_type: text(4)?,
        schema_version: u32::try_from(int(row, 5)?).map_err(|e| corrupt("schema version", e))?,
        recorded_at: micros_to_time(int(row, 6)?),
        payload: bytes(row, 7)?,
        metadata: bytes(row, 8)?,
        hash: EventHash::from_slice(&bytes(row, 9)?).map_err(|e| corrupt("hash", e))?,
    })
}

/// Binds bytes as TEXT when they are UTF-8 (so inspectors can read them in SQL), as BLOB
/// otherwise; either way SQLite keeps them exactly.
pub fn text_or_blob(b: &[u8]) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(match std::str::from_utf8(b) {
        Ok(s) => ValueRef::Text(s.as_bytes()),
        Err(_) => ValueRef::Blob(b),
    })
}
