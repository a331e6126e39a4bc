//! A subject-access export (AVG art. 15, recht op inzage): everything the log holds about one
//! person, as a document the person can read. Their own record, every event of the dossiers
//! of which they are the person, and of other dossiers the events that name them.

use std::fmt::Write as _;

use domain::dossier::{PersonRole, roles_nl};
use domain::labels::{actor_kind_nl, event_label_nl};
use domain::persons::PersonRecord;
use domain::values::dutch_date;
use domain::{DossierId, PersonId};
use event_store::{ReadPages, RecordedEvent, StreamName};

use crate::models::{dossier_stream, stream_of};
use crate::service::{CommandError, Service};

/// What the log holds about one person.
#[derive(Debug, Clone)]
pub struct SubjectAccess {
    pub person: PersonId,
    pub record: PersonRecord,
    /// Their own record's events.
    pub record_events: Vec<RecordedEvent>,
    /// Each dossier that names them, with their roles in it and the events about them.
    pub dossiers: Vec<DossierPart>,
}

/// A dossier in a subject-access export.
#[derive(Debug, Clone)]
pub struct DossierPart {
    pub dossier: DossierId,
    pub roles: Vec<PersonRole>,
    /// Every event of a dossier of which they are the person; otherwise those that name them.
    pub events: Vec<RecordedEvent>,
}

impl Service {
    /// Gathers what the log holds about `person` (an unknown person has an empty export).
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn subject_access(&self, person: PersonId) -> Result<SubjectAccess, CommandError> {
        let (record, _) = self.person(person).await?;
        let record_events = self
            .whole(&stream_of::<domain::persons::PersonStream>(&person))
            .await?;
        let id = person.to_string();
        let mut dossiers = Vec::new();
        for (dossier, state) in self.dossiers_naming(person).await? {
            let roles = state
                .persons()
                .into_iter()
                .find(|(p, _)| *p == person)
                .map(|(_, roles)| roles)
                .unwrap_or_default();
            let own = roles.contains(&PersonRole::Subject);
            let events = self
                .whole(&dossier_stream(dossier))
                .await?
                .into_iter()
                .filter(|e| own || String::from_utf8_lossy(&e.payload).contains(&id))
                .collect();
            dossiers.push(DossierPart {
                dossier,
                roles,
                events,
            });
        }
        Ok(SubjectAccess {
            person,
            record,
            record_events,
            dossiers,
        })
    }

    async fn whole(&self, stream: &StreamName) -> Result<Vec<RecordedEvent>, CommandError> {
        Ok(self.store().whole_stream(stream).read_to_end().await?)
    }
}

impl SubjectAccess {
    /// The export as a plain-text document in Dutch, dates as 31/12/2020.
    pub fn to_text_nl(&self, made_on: chrono::NaiveDate) -> String {
        let mut text = String::new();
        let name = self
            .record
            .identity
            .as_ref()
            .map_or_else(|| "naam onbekend".to_owned(), |i| i.full_name());
        let _ = writeln!(text, "Inzage in uw persoonsgegevens (AVG artikel 15)");
        let _ = writeln!(text, "Persoon: {name} ({})", self.person);
        let _ = writeln!(
            text,
            "Opgemaakt op {} uit het logboek van het VAPH. Elke gebeurtenis staat erin zoals ze \
             werd vastgelegd; \"gewist\" staat waar gegevens na de bewaartermijn werden gewist.",
            dutch_date(made_on)
        );
        section(&mut text, "Uw persoonsgegevens", &self.record_events);
        for part in &self.dossiers {
            let title = format!(
                "Dossier {} (u bent er: {})",
                part.dossier,
                roles_nl(&part.roles)
            );
            section(&mut text, &title, &part.events);
        }
        text
    }
}

fn section(text: &mut String, title: &str, events: &[RecordedEvent]) {
    let _ = writeln!(text, "\n== {title} ==");
    if events.is_empty() {
        let _ = writeln!(text, "(niets vastgelegd)");
    }
    for event in events {
        let when = dutch_date(event.recorded_at.date_naive());
        let who = event
            .metadata()
            .map(|m| (m.actor_role, m.reason))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "\n{when} · {} · vastgelegd door {}",
            event_label_nl(&event.event_type),
            actor_kind_nl(&who.0)
        );
        if let Some(reason) = who.1 {
            let _ = writeln!(text, "  reden: {reason}");
        }
        match serde_json::from_slice::<serde_json::Value>(&event.payload) {
            Ok(serde_json::Value::Object(fields)) => {
                for (field, value) in fields {
                    let shown = match value {
                        // Dates as staff and citizens write them: 14/05/2012.
                        serde_json::Value::String(s) => {
                            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_or(s, dutch_date)
                        }
                        serde_json::Value::Null => "—".to_owned(),
                        other => other.to_string(),
                    };
                    let _ = writeln!(text, "  {field}: {shown}");
                }
            }
            _ => {
                let _ = writeln!(text, "  (gegevens niet leesbaar)");
            }
        }
    }
}
