//! How the money and control facts change the dossier state (part 2): a fold, nothing more.

use std::collections::BTreeMap;

use super::events::*;
use super::state::*;
use crate::values::Euro;

pub(super) fn apply(mut state: Dossier, event: &DossierEvent) -> Dossier {
    use DossierEvent as E;
    match event {
        E::CostClaimSubmitted(e) => {
            let lines = e
                .lines
                .iter()
                .map(|line| {
                    (
                        line.line,
                        ClaimLine {
                            line: line.clone(),
                            status: LineStatus::Undecided,
                            paid: None,
                        },
                    )
                })
                .collect();
            state.claims.insert(
                e.claim,
                CostClaim {
                    id: e.claim,
                    budget: e.budget,
                    year: e.budget_year,
                    sequence_no: e.sequence_no,
                    submitted_on: e.submitted_on,
                    lines,
                    voided_on: None,
                },
            );
        }
        E::CostLineAccepted(e) => set_line(&mut state, e.claim, e.line, LineStatus::Accepted),
        E::CostLineRejected(e) => {
            set_line(&mut state, e.claim, e.line, LineStatus::Rejected(e.reason));
        }
        E::CostLineHeld(e) => set_line(&mut state, e.claim, e.line, LineStatus::Held(e.reason)),
        E::CostLineDecidedByStaff(e) => {
            set_line(&mut state, e.claim, e.line, e.outcome.into());
        }
        E::CostLineDecisionOverridden(e) => {
            set_line(&mut state, e.claim, e.line, e.outcome.into());
        }
        E::CostClaimVoided(e) => {
            if let Some(claim) = state.claims.get_mut(&e.claim) {
                claim.voided_on = Some(e.voided_on);
                for line in claim.lines.values_mut() {
                    line.status = LineStatus::Voided;
                }
            }
        }
        E::CovidOverrunAllowanceGranted(e) => {
            state.covid_allowances.insert(
                (e.budget, e.year),
                CovidAllowance {
                    cap_percent: e.cap_percent,
                    base: e.base_budget + e.management_costs,
                    cap: e.cap,
                    trigger_agreement: e.trigger_agreement,
                },
            );
        }
        E::CovidOverrunAllowanceRaised(e) => {
            if let Some(allowance) = state.covid_allowances.get_mut(&(e.budget, e.year)) {
                allowance.cap_percent = e.cap_percent;
                allowance.cap = e.cap;
            }
        }
        E::CashPartDeclared(e) => {
            state.cash_parts.insert(e.budget, e.amount);
        }
        E::AdvancePaid(e) => {
            state.advances.insert(e.budget, e.clone());
        }
        E::PaymentOrdered(e) => {
            for paid in &e.lines {
                if let Some(line) = state
                    .claims
                    .get_mut(&paid.claim)
                    .and_then(|c| c.lines.get_mut(&paid.line))
                {
                    line.paid = Some((e.payment, paid.amount));
                }
            }
            state.payments.insert(
                e.payment,
                Payment {
                    id: e.payment,
                    budget: e.budget,
                    year: e.year,
                    ordered_on: e.ordered_on,
                    due_by: e.due_by,
                    lines: e.lines.clone(),
                    deductions: e.deductions,
                    net: e.net,
                    executed_on: None,
                },
            );
        }
        E::PaymentExecuted(e) => {
            if let Some(payment) = state.payments.get_mut(&e.payment) {
                payment.executed_on = Some(e.executed_on);
            }
        }
        E::RecoveryOffset(e) => {
            if let Some(recovery) = state.recoveries.get_mut(&e.recovery) {
                recovery.offset += e.amount;
            }
        }
        E::ExtraSeveranceAllowanceGranted(e) => {
            *state
                .extra_severance
                .entry((e.budget, e.year))
                .or_insert(Euro::ZERO) += e.amount;
        }
        E::BudgetYearClosed(e) => {
            state.closed_years.insert((e.budget, e.year), e.clone());
        }
        E::OverrunTopUpRequested(e) => state.top_ups.push(e.clone()),
        E::RecoveryDecided(e) => {
            state.recoveries.insert(
                e.recovery,
                Recovery {
                    id: e.recovery,
                    budget: e.budget,
                    year: e.year,
                    amount: e.amount,
                    reasons: e.reasons.clone(),
                    offset: Euro::ZERO,
                    repaid: Euro::ZERO,
                    written_off: Euro::ZERO,
                    decided_on: e.decided_on,
                },
            );
        }
        E::RecoveryRepaid(e) => {
            if let Some(recovery) = state.recoveries.get_mut(&e.recovery) {
                recovery.repaid += e.amount;
            }
        }
        E::RecoveryWrittenOff(e) => {
            if let Some(recovery) = state.recoveries.get_mut(&e.recovery) {
                recovery.written_off += e.amount;
            }
        }
        E::ProvisionalFinalSettlementIssued(e) => {
            state.provisional_settlements.insert(e.budget, e.clone());
        }
        E::FinalSettlementIssued(e) => {
            state.final_settlements.insert(e.budget, e.clone());
        }
        E::ControlCaseOpened(e) => {
            state.controls.insert(
                e.control,
                ControlCase {
                    opened: e.clone(),
                    requests: Vec::new(),
                    evidence: BTreeMap::new(),
                    visits: Vec::new(),
                    conclusion: None,
                },
            );
        }
        E::EvidenceRequested(e) => {
            if let Some(case) = state.controls.get_mut(&e.control) {
                case.requests.push(e.clone());
            }
        }
        E::EvidenceReceived(e) => {
            if let Some(case) = state.controls.get_mut(&e.control) {
                for document in &e.documents {
                    case.evidence
                        .insert(document.reference.clone(), document.sha256.clone());
                }
            }
        }
        E::InspectionVisitHeld(e) => {
            if let Some(case) = state.controls.get_mut(&e.control) {
                case.visits.push(e.clone());
            }
        }
        E::ControlConcluded(e) => {
            if let Some(case) = state.controls.get_mut(&e.control) {
                case.conclusion = Some(e.clone());
            }
        }
        E::FraudSuspicionReported(e) => state.fraud_reports.push(e.clone()),
        // Part-1 events are applied in `state::apply`.
        _ => {}
    }
    state
}

fn set_line(state: &mut Dossier, claim: crate::ClaimId, line: u32, status: LineStatus) {
    if let Some(claim_line) = state
        .claims
        .get_mut(&claim)
        .and_then(|c| c.lines.get_mut(&line))
    {
        claim_line.status = status;
    }
}
