//! F19: the same invoice accepted more than once, in one dossier or across dossiers.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use domain::dossier::{Dossier, LineStatus};
use domain::{ClaimId, Euro};
use uuid::Uuid;

use super::{Evidence, Signal};

/// (provider key, invoice number): an invoice is paid once.
type InvoiceKey = (String, String);

/// One accepted line carrying an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    amount: Euro,
    evidence: Vec<Uuid>,
}

/// The accepted invoices of every dossier, and the F19 signals they raise.
///
/// The deciders refuse an invoice already accepted *in the same dossier*; they cannot see other
/// dossiers. This index sees all of them, and also lines accepted by override or imported.
#[derive(Debug, Default)]
pub struct DuplicateInvoices {
    by_invoice: BTreeMap<InvoiceKey, BTreeMap<(String, ClaimId, u32), Entry>>,
    by_claim: HashMap<(String, ClaimId), BTreeSet<InvoiceKey>>,
    /// Current F19 signals by invoice and id.
    raised: BTreeMap<InvoiceKey, BTreeMap<String, Signal>>,
}

impl DuplicateInvoices {
    /// Re-indexes the accepted invoices of one claim; returns the F19 signals of every invoice
    /// it touched, before and after.
    pub fn update(
        &mut self,
        dossier: &str,
        claim_id: ClaimId,
        state: &Dossier,
        evidence: &Evidence,
    ) -> (BTreeMap<String, Signal>, BTreeMap<String, Signal>) {
        let mut now: BTreeMap<InvoiceKey, BTreeMap<(String, ClaimId, u32), Entry>> =
            BTreeMap::new();
        if let Some(claim) = state.claims.get(&claim_id) {
            for line in claim.lines.values() {
                // Credit notes repeat the number of the invoice they correct.
                if line.status != LineStatus::Accepted || line.line.is_credit_note() {
                    continue;
                }
                now.entry((line.line.provider.key(), line.line.invoice_no.clone()))
                    .or_default()
                    .insert(
                        (dossier.to_owned(), claim.id, line.line.line),
                        Entry {
                            amount: line.line.amount,
                            evidence: evidence.of_line(claim.id, line.line.line),
                        },
                    );
            }
        }
        let slot = (dossier.to_owned(), claim_id);
        let previous = self.by_claim.remove(&slot).unwrap_or_default();
        let mut touched: BTreeSet<InvoiceKey> = BTreeSet::new();
        for key in &previous {
            if let Some(entries) = self.by_invoice.get_mut(key) {
                let before = entries.clone();
                entries.retain(|(d, c, _), _| !(d == dossier && *c == claim_id));
                if let Some(new) = now.get(key) {
                    entries.extend(new.clone());
                }
                if *entries != before {
                    touched.insert(key.clone());
                }
            }
        }
        for (key, entries) in &now {
            if previous.contains(key) {
                continue;
            }
            self.by_invoice
                .entry(key.clone())
                .or_default()
                .extend(entries.clone());
            touched.insert(key.clone());
        }
        for key in &touched {
            if self.by_invoice.get(key).is_some_and(BTreeMap::is_empty) {
                self.by_invoice.remove(key);
            }
        }
        if !now.is_empty() {
            self.by_claim.insert(slot, now.into_keys().collect());
        }

        let mut before = BTreeMap::new();
        let mut after = BTreeMap::new();
        for key in &touched {
            if let Some(old) = self.raised.remove(key) {
                before.extend(old);
            }
            let now: BTreeMap<String, Signal> = self
                .signals_of(key)
                .into_iter()
                .map(|s| (s.id.clone(), s))
                .collect();
            if !now.is_empty() {
                after.extend(now.clone());
                self.raised.insert(key.clone(), now);
            }
        }
        (before, after)
    }

    /// One signal per dossier holding an invoice accepted more than once.
    fn signals_of(&self, key: &InvoiceKey) -> Vec<Signal> {
        let Some(entries) = self.by_invoice.get(key) else {
            return Vec::new();
        };
        if entries.len() < 2 {
            return Vec::new();
        }
        let dossiers: BTreeSet<&str> = entries.keys().map(|(d, _, _)| d.as_str()).collect();
        let evidence: Vec<Uuid> = entries
            .values()
            .flat_map(|e| e.evidence.iter().copied())
            .collect();
        dossiers
            .iter()
            .map(|dossier| {
                let amount = entries
                    .iter()
                    .filter(|((d, _, _), _)| d == dossier)
                    .map(|(_, e)| e.amount)
                    .sum();
                Signal::new(
                    "F19",
                    dossier,
                    invoice_subject(key),
                    format!(
                        "Factuur {} van {} werd {} keer aanvaard, in {} dossier(s).",
                        key.1,
                        key.0,
                        entries.len(),
                        dossiers.len()
                    ),
                    Some(amount),
                    evidence.clone(),
                )
            })
            .collect()
    }

    pub fn signal(&self, id: &str) -> Option<&Signal> {
        self.raised.values().find_map(|signals| signals.get(id))
    }

    pub fn of_dossier(&self, dossier: &str) -> Vec<Signal> {
        self.raised
            .values()
            .flat_map(BTreeMap::values)
            .filter(|s| s.dossier == dossier)
            .cloned()
            .collect()
    }
}

fn invoice_subject(key: &InvoiceKey) -> String {
    format!("factuur {} van {}", key.1, key.0)
}
