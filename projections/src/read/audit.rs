//! The audit trail: who did what, when, in which role and why, from each event's metadata.

use std::collections::HashMap;

use crate::Row;
use domain::personal_data;
use event_store::RecordedEvent;

use super::col;
use super::fold::dossier_of_stream;
use crate::rows::ColumnType::{Integer, Text, Timestamp};
use crate::{Projection, RowChanges, Table};

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
        col(
            "proposed_by",
            Text,
            "for a weighty decision another user confirmed (four-eyes): who proposed it; the actor confirmed it",
        ),
        col("proposed_role", Text, "in which role it was proposed"),
        col(
            "proposal",
            Text,
            "the proposal, in the stream proposals-<stream>",
        ),
        col("proposed_on", Text, "the business date of the proposal"),
    ],
    primary_key: &["position"],
    indexes: &[&["dossier"], &["actor_id"]],
};

/// Read model: the audit trail.
#[derive(Debug, Default)]
pub struct AuditTrail {
    /// The rows with a reason of each stream holding personal data: an erasure in the stream
    /// rewrites them to read "gewist", as a rebuild after it would.
    with_reason: HashMap<String, Vec<Entry>>,
}

/// One row of the trail, before it is written.
#[derive(Debug, Clone)]
struct Entry {
    position: i64,
    event_id: String,
    stream: String,
    stream_version: i64,
    event_type: String,
    recorded_at: chrono::DateTime<chrono::Utc>,
    actor_id: Option<String>,
    actor_role: Option<String>,
    correlation_id: Option<String>,
    causation_id: Option<String>,
    reason: Option<String>,
    proposed: Option<event_store::Proposed>,
}

impl Entry {
    fn of(event: &RecordedEvent) -> Self {
        let metadata = event.metadata().ok();
        Self {
            position: i64::try_from(event.position.0).unwrap_or(i64::MAX),
            event_id: event.event_id.to_string(),
            stream: event.stream.as_str().to_owned(),
            stream_version: i64::try_from(event.stream_version).unwrap_or(i64::MAX),
            event_type: event.event_type.clone(),
            recorded_at: event.recorded_at,
            actor_id: metadata.as_ref().map(|m| m.actor_id.clone()),
            actor_role: metadata.as_ref().map(|m| m.actor_role.clone()),
            correlation_id: metadata.as_ref().map(|m| m.correlation_id.to_string()),
            causation_id: metadata
                .as_ref()
                .and_then(|m| m.causation_id)
                .map(|c| c.to_string()),
            proposed: metadata.as_ref().and_then(|m| m.proposed.clone()),
            reason: metadata.and_then(|m| m.reason),
        }
    }

    fn row(&self) -> Row {
        Row::of(&AUDIT_TRAIL)
            .set("position", self.position)
            .set("event_id", self.event_id.as_str())
            .set("stream", self.stream.as_str())
            // A dossier's proposals are part of its trail.
            .set(
                "dossier",
                dossier_of_stream(personal_data::key_of(&self.stream)),
            )
            .set("stream_version", self.stream_version)
            .set("event_type", self.event_type.as_str())
            .set("recorded_at", self.recorded_at)
            .set("actor_id", self.actor_id.clone())
            .set("actor_role", self.actor_role.clone())
            .set("correlation_id", self.correlation_id.clone())
            .set("causation_id", self.causation_id.clone())
            .set("reason", self.reason.clone())
            .set(
                "proposed_by",
                self.proposed.as_ref().map(|p| p.actor_id.clone()),
            )
            .set(
                "proposed_role",
                self.proposed.as_ref().map(|p| p.actor_role.clone()),
            )
            .set(
                "proposal",
                self.proposed.as_ref().map(|p| p.proposal_id.to_string()),
            )
            .set(
                "proposed_on",
                self.proposed.as_ref().map(|p| p.proposed_on.to_string()),
            )
    }
}

impl Projection for AuditTrail {
    fn name(&self) -> &'static str {
        "audit_trail"
    }

    fn version(&self) -> u32 {
        // 2: who proposed a decision another user confirmed; a dossier's proposals in its trail.
        2
    }

    fn tables(&self) -> &'static [&'static Table] {
        static TABLES: [&Table; 1] = [&AUDIT_TRAIL];
        &TABLES
    }

    fn apply(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        let entry = Entry::of(event);
        changes.upsert(entry.row());
        // A dossier's proposals are sealed with its key, and erased with it.
        let stream = personal_data::key_of(event.stream.as_str());
        if personal_data::is_erasure(&event.event_type) {
            for mut kept in self.with_reason.remove(stream).unwrap_or_default() {
                kept.reason = Some(personal_data::ERASED.to_owned());
                changes.upsert(kept.row());
            }
        } else if entry.reason.is_some() && personal_data::is_personal_stream(stream) {
            self.with_reason
                .entry(stream.to_owned())
                .or_default()
                .push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use event_store::{EventHash, EventMetadata, Position, StreamName};
    use uuid::Uuid;

    use super::*;
    use crate::Value;

    fn event(stream: &str, position: u64, event_type: &str, reason: Option<&str>) -> RecordedEvent {
        let metadata = EventMetadata {
            actor_id: "medewerker".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: reason.map(str::to_owned),
            proposed: None,
        };
        RecordedEvent {
            event_id: Uuid::now_v7(),
            stream: StreamName::parse(stream).unwrap(),
            stream_version: position,
            position: Position(position),
            event_type: event_type.into(),
            schema_version: 1,
            recorded_at: chrono::Utc::now(),
            payload: b"{}".to_vec(),
            metadata: serde_json::to_vec(&metadata).unwrap(),
            hash: EventHash::GENESIS,
        }
    }

    /// The reason of `position` as the changes write it.
    fn reason_at(changes: &RowChanges, position: i64) -> Value {
        let reason = AUDIT_TRAIL.columns.iter().position(|c| c.name == "reason");
        changes
            .iter()
            .find(|(_, key, _)| key == &[Value::Integer(position)])
            .and_then(|(_, _, row)| row.map(|r| r[reason.unwrap()].clone()))
            .unwrap_or(Value::Null)
    }

    /// A row written before an erasure holds the reason as it was; the erasure rewrites it, as a
    /// rebuild over the destroyed key would read it.
    #[test]
    fn an_erasure_rewrites_the_reasons_of_its_stream_to_gewist() {
        let dossier = format!("dossier-{}", Uuid::now_v7());
        let other = format!("dossier-{}", Uuid::now_v7());
        let mut trail = AuditTrail::default();
        let mut changes = RowChanges::default();
        trail.apply(
            &event(&dossier, 0, "DossierVoided", Some("moeder An belde")),
            &mut changes,
        );
        trail.apply(
            &event(&other, 1, "DossierVoided", Some("dubbel")),
            &mut changes,
        );
        assert_eq!(
            reason_at(&changes, 0),
            Value::Text("moeder An belde".into())
        );
        changes.clear();
        trail.apply(&event(&dossier, 2, "DossierDataErased", None), &mut changes);
        assert_eq!(reason_at(&changes, 0), Value::Text("gewist".into()));
        assert_eq!(
            changes.len(),
            2,
            "the erasure's own row and the one rewritten"
        );
        assert_eq!(
            reason_at(&changes, 1),
            Value::Null,
            "another stream is left alone"
        );
    }
}
