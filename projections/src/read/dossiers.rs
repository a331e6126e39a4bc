//! Search of dossiers by INSZ, name or dossier number.
//!
//! The INSZ is stored in full: staff search by it, and a read-model table is access-controlled
//! data, not a log. It never reaches tracing: this module logs nothing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::PersonId;
use domain::dossier::{BudgetKind, BudgetStatus};
use domain::event::Event;
use domain::persons::PersonEvent;
use event_store::RecordedEvent;

use super::col;
use super::fold::{DossierReadModel, Folded, decode};
use crate::Row;
use crate::rows::ColumnType::{Date, Integer, Text, Timestamp};
use crate::{RowChanges, Table};

pub static DOSSIERS: Table = Table {
    name: "dossiers",
    doc: "One row per dossier, for search by INSZ, name or dossier number.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("person", Text, "person id"),
        col("insz", Text, "INSZ (11 digits): search key; never logged"),
        col(
            "family_name",
            Text,
            "family name, from the person's record (or as the dossier recorded it before person records)",
        ),
        col("given_names", Text, "given names, likewise"),
        col("name", Text, "given names and family name"),
        col(
            "name_key",
            Text,
            "the name in lower case without accents: the name search's key (search_key)",
        ),
        col("birth_date", Date, "birth date"),
        col("date_of_death", Date, "date of death"),
        col(
            "voided_on",
            Date,
            "the day the dossier was voided (opened by mistake), if it was",
        ),
        col(
            "budgets",
            Text,
            "budgets and their status, e.g. 'PAB started'",
        ),
        col("events", Integer, "events in the dossier stream"),
        col(
            "last_recorded_at",
            Timestamp,
            "when the last event was recorded",
        ),
    ],
    primary_key: &["dossier"],
    indexes: &[&["insz"]],
};

fn budget_summary(state: &domain::dossier::Dossier) -> String {
    state
        .budgets
        .values()
        .map(|b| {
            let kind = match b.kind {
                BudgetKind::Pab => "PAB",
                BudgetKind::Pvb => "PVB",
            };
            let status = match b.status {
                BudgetStatus::Applied => "applied".to_owned(),
                BudgetStatus::Available => "available".to_owned(),
                BudgetStatus::Started => "started".to_owned(),
                BudgetStatus::Lapsed => "lapsed".to_owned(),
                BudgetStatus::Stopped(reason) => format!("stopped ({})", reason.code()),
                BudgetStatus::ConvertedToPvb => "converted_to_pvb".to_owned(),
                BudgetStatus::SwitchedToZorgbudget => "switched_to_zorgbudget".to_owned(),
            };
            format!("{kind} {status}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name as the search compares it: lower case, accents and other marks dropped, words
/// separated by one space. So "Élodie Van Damme" and "elodie van damme" have one key.
pub fn search_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a dossier's row holds besides the name, kept so a name recorded later in the person's
/// own record can rewrite the row.
#[derive(Debug, Clone)]
struct Summary {
    dossier: String,
    person: Option<PersonId>,
    insz: Option<String>,
    /// The name the dossier itself recorded, before person records.
    dossier_name: Option<(String, String)>,
    birth_date: Option<NaiveDate>,
    date_of_death: Option<NaiveDate>,
    voided_on: Option<NaiveDate>,
    budgets: String,
    events: i64,
    last_recorded_at: DateTime<Utc>,
}

/// Read model: dossier search.
#[derive(Debug, Default)]
pub struct Dossiers {
    /// Names from person records: they win over a name a dossier recorded itself.
    names: HashMap<PersonId, (String, String)>,
    /// The last summary of each dossier, by its own person.
    summaries: HashMap<PersonId, Summary>,
}

impl Dossiers {
    fn row(&self, summary: &Summary) -> Row {
        let name = summary
            .person
            .and_then(|p| self.names.get(&p))
            .or(summary.dossier_name.as_ref());
        Row::of(&DOSSIERS)
            .set("dossier", summary.dossier.as_str())
            .set("person", summary.person.map(|p| p.to_string()))
            .set("insz", summary.insz.clone())
            .set("family_name", name.map(|(family, _)| family.clone()))
            .set("given_names", name.map(|(_, given)| given.clone()))
            .set(
                "name",
                name.map(|(family, given)| format!("{given} {family}")),
            )
            .set(
                "name_key",
                name.map(|(family, given)| search_key(&format!("{given} {family}"))),
            )
            .set("birth_date", summary.birth_date)
            .set("date_of_death", summary.date_of_death)
            .set("voided_on", summary.voided_on)
            .set("budgets", summary.budgets.as_str())
            .set("events", summary.events)
            .set("last_recorded_at", summary.last_recorded_at)
    }
}

impl DossierReadModel for Dossiers {
    const NAME: &'static str = "dossiers";
    // 2: names; 3: voided_on; 4: names from person records; 5: name_key.
    const VERSION: u32 = 5;
    const TABLES: &'static [&'static Table] = &[&DOSSIERS];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let erased = folded.state.erased_on.is_some();
        // Once erased, the row keeps the dossier and its figures, never the person's data.
        let person = folded.state.person.as_ref().filter(|_| !erased);
        let summary = Summary {
            dossier: folded.dossier.to_owned(),
            person: folded.state.subject.map(|(_, person)| person),
            insz: if erased {
                Some(domain::personal_data::ERASED.to_owned())
            } else {
                person.map(|p| p.insz.expose_digits().to_owned())
            },
            dossier_name: person
                .and_then(|p| p.name.as_ref())
                .map(|n| (n.family_name.clone(), n.given_names.clone())),
            birth_date: person.map(|p| p.birth_date),
            date_of_death: person.and_then(|p| p.date_of_death),
            voided_on: folded.state.voided_on,
            budgets: budget_summary(folded.state),
            events: i64::try_from(event.stream_version + 1).unwrap_or(i64::MAX),
            last_recorded_at: event.recorded_at,
        };
        changes.upsert(self.row(&summary));
        if let Some(person) = summary.person {
            self.summaries.insert(person, summary);
        }
    }

    /// A person's record names them: the row of the dossier they are the person of follows.
    fn on_other_event(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        let Some(person) = domain::persons::person_of_stream(event.stream.as_str()) else {
            return;
        };
        let Some(Event::Person(decoded)) = decode(event) else {
            return;
        };
        let name = match decoded {
            PersonEvent::PersonIdentified(e) => (e.family_name, e.given_names),
            PersonEvent::PersonNameCorrected(e) => (e.family_name, e.given_names),
            PersonEvent::PersonDataErased(_) => {
                let erased = domain::personal_data::ERASED.to_owned();
                (erased.clone(), erased)
            }
            PersonEvent::PersonContactRecorded(_) | PersonEvent::PersonInszCorrected(_) => return,
        };
        self.names.insert(person, name);
        if let Some(summary) = self.summaries.get(&person) {
            changes.upsert(self.row(summary));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::search_key;

    #[test]
    fn a_name_key_ignores_case_accents_and_spacing() {
        assert_eq!(search_key("  Élodie   Van Damme "), "elodie van damme");
        assert_eq!(search_key("Noël Çelik-Müller"), "noel celik-muller");
        assert_eq!(search_key("KAROLIEN peeters"), "karolien peeters");
    }
}
