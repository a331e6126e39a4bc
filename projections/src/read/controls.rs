//! Control cases with their evidence and findings.

use crate::Row;
use domain::dossier::{ControlSelection, DossierEvent as E};
use event_store::RecordedEvent;

use super::fold::{DossierReadModel, Folded};
use super::{col, euro};
use crate::rows::ColumnType::{Date, Decimal, Integer, Text};
use crate::{RowChanges, Table, Value};

pub static CONTROL_CASES: Table = Table {
    name: "control_cases",
    doc: "Control cases: selection, period, evidence requested and received, visits, conclusion.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("control", Text, "control id"),
        col("budget", Text, "budget id"),
        col(
            "selection",
            Text,
            "random_sample, signal, zorginspectie or report",
        ),
        col(
            "selection_detail",
            Text,
            "sample and seed, signal id or report id",
        ),
        col("kind", Text, "standard or sufficiency"),
        col("period_from", Date, "first day controlled"),
        col("period_to", Date, "last day controlled"),
        col("opened_on", Date, "opening date"),
        col(
            "evidence_requested",
            Text,
            "documents requested, '; '-separated",
        ),
        col(
            "evidence_received",
            Text,
            "documents received as 'reference sha256', '; '-separated",
        ),
        col("visits", Integer, "inspection visits held"),
        col("concluded_on", Date, "conclusion date"),
        col("findings", Integer, "number of findings"),
        col("letter_ref", Text, "reference of the conclusion letter"),
        col("recovery", Text, "recovery decided from the findings"),
    ],
    primary_key: &["dossier", "control"],
    indexes: &[],
};

pub static CONTROL_FINDINGS: Table = Table {
    name: "control_findings",
    doc: "Findings of concluded control cases.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("control", Text, "control id"),
        col("finding", Integer, "finding number, from 1"),
        col("rule", Text, "rule id"),
        col("severity", Text, "remark, irregularity or serious"),
        col("amount", Decimal, "amount concerned"),
        col("description", Text, "what was found"),
    ],
    primary_key: &["dossier", "control", "finding"],
    indexes: &[],
};

/// Read model: control cases.
#[derive(Debug, Default)]
pub struct Controls;

impl DossierReadModel for Controls {
    const NAME: &'static str = "control_cases";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&CONTROL_CASES, &CONTROL_FINDINGS];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        _event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let control = match folded.event {
            E::ControlCaseOpened(e) => e.control,
            E::EvidenceRequested(e) => e.control,
            E::EvidenceReceived(e) => e.control,
            E::InspectionVisitHeld(e) => e.control,
            E::ControlConcluded(e) => e.control,
            _ => return,
        };
        let Some(case) = folded.state.controls.get(&control) else {
            return;
        };
        let opened = &case.opened;
        let (selection, detail) = match &opened.selection {
            ControlSelection::RandomSample { sample, seed } => {
                ("random_sample", format!("{sample} seed {seed}"))
            }
            ControlSelection::Signal { signal, evidence } => {
                ("signal", format!("{signal}: {}", evidence.join(", ")))
            }
            ControlSelection::Zorginspectie => ("zorginspectie", String::new()),
            ControlSelection::Report { report } => ("report", report.to_string()),
        };
        let requested: Vec<String> = case
            .requests
            .iter()
            .flat_map(|r| r.documents.iter().cloned())
            .collect();
        let received: Vec<String> = case
            .evidence
            .iter()
            .map(|(reference, sha)| format!("{reference} {sha}"))
            .collect();
        let conclusion = case.conclusion.as_ref();
        changes.upsert(
            Row::of(&CONTROL_CASES)
                .set("dossier", folded.dossier)
                .set("control", control.to_string())
                .set("budget", opened.budget.to_string())
                .set("selection", selection)
                .set("selection_detail", detail)
                .set("kind", opened.kind.code())
                .set("period_from", opened.period_from)
                .set("period_to", opened.period_to)
                .set("opened_on", opened.opened_on)
                .set("evidence_requested", requested.join("; "))
                .set("evidence_received", received.join("; "))
                .set(
                    "visits",
                    i64::try_from(case.visits.len()).unwrap_or(i64::MAX),
                )
                .set("concluded_on", conclusion.map(|c| c.concluded_on))
                .set(
                    "findings",
                    conclusion.map(|c| i64::try_from(c.findings.len()).unwrap_or(i64::MAX)),
                )
                .set("letter_ref", conclusion.map(|c| c.letter_ref.clone()))
                .set(
                    "recovery",
                    conclusion.and_then(|c| c.recovery).map(|r| r.to_string()),
                ),
        );
        for (n, finding) in conclusion
            .iter()
            .flat_map(|c| c.findings.iter())
            .enumerate()
        {
            changes.upsert(
                Row::of(&CONTROL_FINDINGS)
                    .set("dossier", folded.dossier)
                    .set("control", control.to_string())
                    .set("finding", i64::try_from(n + 1).unwrap_or(i64::MAX))
                    .set("rule", finding.rule.as_str())
                    .set("severity", finding.severity.code())
                    .set("amount", finding.amount.map(euro).unwrap_or(Value::Null))
                    .set("description", finding.description.as_str()),
            );
        }
    }
}
