//! Search of dossiers by INSZ, name or dossier number.
//!
//! The INSZ is stored in full: staff search by it, and a read-model table is access-controlled
//! data, not a log. It never reaches tracing: this module logs nothing.

use crate::Row;
use domain::dossier::{BudgetKind, BudgetStatus};
use event_store::RecordedEvent;

use super::col;
use super::fold::{DossierReadModel, Folded};
use crate::rows::ColumnType::{Date, Integer, Text, Timestamp};
use crate::{RowChanges, Table};

pub static DOSSIERS: Table = Table {
    name: "dossiers",
    doc: "One row per dossier, for search by INSZ, name or dossier number.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("person", Text, "person id"),
        col("insz", Text, "INSZ (11 digits): search key; never logged"),
        col("family_name", Text, "family name, as last recorded"),
        col("given_names", Text, "given names, as last recorded"),
        col(
            "name",
            Text,
            "given names and family name: search key (part of it, ignoring case)",
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

/// Read model: dossier search.
#[derive(Debug, Default)]
pub struct Dossiers;

impl DossierReadModel for Dossiers {
    const NAME: &'static str = "dossiers";
    // 2: names; 3: voided_on.
    const VERSION: u32 = 3;
    const TABLES: &'static [&'static Table] = &[&DOSSIERS];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let person = folded.state.person.as_ref();
        let name = person.and_then(|p| p.name.as_ref());
        let events = i64::try_from(event.stream_version + 1).unwrap_or(i64::MAX);
        changes.upsert(
            Row::of(&DOSSIERS)
                .set("dossier", folded.dossier)
                .set("person", person.map(|p| p.id.to_string()))
                .set("insz", person.map(|p| p.insz.expose_digits().to_owned()))
                .set("family_name", name.map(|n| n.family_name.clone()))
                .set("given_names", name.map(|n| n.given_names.clone()))
                .set(
                    "name",
                    name.map(|n| format!("{} {}", n.given_names, n.family_name)),
                )
                .set("birth_date", person.map(|p| p.birth_date))
                .set("date_of_death", person.and_then(|p| p.date_of_death))
                .set("voided_on", folded.state.voided_on)
                .set("budgets", budget_summary(folded.state))
                .set("events", events)
                .set("last_recorded_at", event.recorded_at),
        );
    }
}
