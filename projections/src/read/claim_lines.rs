//! Cost-claim lines with their decision: the queue of held lines is a query on this table.

use crate::Row;
use domain::ClaimId;
use domain::dossier::{DossierEvent as E, LineStatus};
use event_store::RecordedEvent;

use super::fold::{DossierReadModel, Folded};
use super::{col, euro};
use crate::rows::ColumnType::{Date, Decimal, Integer, Text};
use crate::{RowChanges, Table, Value};

pub static CLAIM_LINES: Table = Table {
    name: "claim_lines",
    doc: "Every cost-claim line with its current decision. Held lines: status IN ('held', 'undecided').",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("claim", Text, "claim id"),
        col("line", Integer, "line number"),
        col("budget", Text, "budget id"),
        col("year", Integer, "budget year"),
        col("submitted_on", Date, "claim submission date"),
        col("agreement", Text, "agreement id"),
        col("provider", Text, "provider (organisation id or name)"),
        col("invoice_no", Text, "invoice number"),
        col("service_from", Date, "first service day"),
        col("service_to", Date, "last service day"),
        col("category", Text, "cost category"),
        col("nature", Text, "cost nature"),
        col("amount", Decimal, "amount claimed"),
        col(
            "status",
            Text,
            "undecided, accepted, rejected, held or voided (its claim was)",
        ),
        col("reason", Text, "reason code of a rejection or hold"),
        col("paid", Decimal, "amount paid for the line"),
    ],
    primary_key: &["dossier", "claim", "line"],
    indexes: &[&["status"], &["year"]],
};

fn touched_claim(event: &E) -> Option<ClaimId> {
    Some(match event {
        E::CostClaimSubmitted(e) => e.claim,
        E::CostLineAccepted(e) => e.claim,
        E::CostLineRejected(e) => e.claim,
        E::CostLineHeld(e) => e.claim,
        E::CostLineDecidedByStaff(e) => e.claim,
        E::CostLineDecisionOverridden(e) => e.claim,
        E::CostClaimVoided(e) => e.claim,
        _ => return None,
    })
}

/// Read model: claim lines.
#[derive(Debug, Default)]
pub struct ClaimLines;

impl DossierReadModel for ClaimLines {
    const NAME: &'static str = "claim_lines";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&CLAIM_LINES];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        _event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let claims: Vec<ClaimId> = match folded.event {
            E::PaymentOrdered(e) => e.lines.iter().map(|l| l.claim).collect(),
            other => touched_claim(other).into_iter().collect(),
        };
        for claim_id in claims {
            let Some(claim) = folded.state.claims.get(&claim_id) else {
                continue;
            };
            for line in claim.lines.values() {
                let (status, reason) = match line.status {
                    LineStatus::Undecided => ("undecided", None),
                    LineStatus::Accepted => ("accepted", None),
                    LineStatus::Rejected(r) => ("rejected", Some(r.code())),
                    LineStatus::Held(r) => ("held", Some(r.code())),
                    LineStatus::Voided => ("voided", None),
                };
                changes.upsert(
                    Row::of(&CLAIM_LINES)
                        .set("dossier", folded.dossier)
                        .set("claim", claim.id.to_string())
                        .set("line", i64::from(line.line.line))
                        .set("budget", claim.budget.to_string())
                        .set("year", i64::from(claim.year))
                        .set("submitted_on", claim.submitted_on)
                        .set("agreement", line.line.agreement.map(|a| a.to_string()))
                        .set("provider", line.line.provider.key())
                        .set("invoice_no", line.line.invoice_no.as_str())
                        .set("service_from", line.line.service_from)
                        .set("service_to", line.line.service_to)
                        .set("category", line.line.category.code())
                        .set("nature", line.line.nature.code())
                        .set("amount", euro(line.line.amount))
                        .set("status", status)
                        .set("reason", reason)
                        .set(
                            "paid",
                            line.paid.map(|(_, paid)| euro(paid)).unwrap_or(Value::Null),
                        ),
                );
            }
        }
    }
}
