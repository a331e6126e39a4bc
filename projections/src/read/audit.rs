//! The audit trail: who did what, when, in which role and why, from each event's metadata.

use crate::Row;
use event_store::RecordedEvent;

use super::col;
use super::fold::dossier_of_stream;
use crate::rows::ColumnType::{Integer, Text, Timestamp};
use crate::{Projection, RowChanges, Table, Value};

pub static AUDIT_TRAIL: Table = Table {
    name: "audit_trail",
    doc: "One row per event of the log: who did what, when, in which role, why. Query per dossier or per actor.",
    columns: &[
        col("position", Integer, "position in the global log"),
        col("event_id", Text, "event id"),
        col("stream", Text, "stream the event belongs to"),
        col("dossier", Text, "dossier number, for dossier streams"),
        col("stream_version", Integer, "version within the stream"),
        col("event_type", Text, "what happened"),
        col("recorded_at", Timestamp, "when it was recorded (UTC)"),
        col("actor_id", Text, "who did it"),
        col("actor_role", Text, "in which role"),
        col("correlation_id", Text, "request or job that caused it"),
        col(
            "causation_id",
            Text,
            "event or command that directly caused it",
        ),
        col("reason", Text, "why, in the actor's words"),
    ],
    primary_key: &["position"],
    indexes: &[&["dossier"], &["actor_id"]],
};

/// Read model: the audit trail.
#[derive(Debug, Default)]
pub struct AuditTrail;

impl Projection for AuditTrail {
    fn name(&self) -> &'static str {
        "audit_trail"
    }

    fn version(&self) -> u32 {
        1
    }

    fn tables(&self) -> &'static [&'static Table] {
        static TABLES: [&Table; 1] = [&AUDIT_TRAIL];
        &TABLES
    }

    fn apply(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        let metadata = event.metadata().ok();
        let position = i64::try_from(event.position.0).unwrap_or(i64::MAX);
        let version = i64::try_from(event.stream_version).unwrap_or(i64::MAX);
        changes.upsert(
            Row::of(&AUDIT_TRAIL)
                .set("position", position)
                .set("event_id", event.event_id.to_string())
                .set("stream", event.stream.as_str())
                .set("dossier", dossier_of_stream(event.stream.as_str()))
                .set("stream_version", version)
                .set("event_type", event.event_type.as_str())
                .set("recorded_at", event.recorded_at)
                .set("actor_id", metadata.as_ref().map(|m| m.actor_id.clone()))
                .set(
                    "actor_role",
                    metadata.as_ref().map(|m| m.actor_role.clone()),
                )
                .set(
                    "correlation_id",
                    metadata.as_ref().map(|m| m.correlation_id.to_string()),
                )
                .set(
                    "causation_id",
                    metadata
                        .as_ref()
                        .and_then(|m| m.causation_id)
                        .map(|c| c.to_string()),
                )
                .set(
                    "reason",
                    metadata
                        .and_then(|m| m.reason)
                        .map(Value::from)
                        .unwrap_or(Value::Null),
                ),
        );
    }
}
