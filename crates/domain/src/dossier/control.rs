//! Controls in a dossier (K-01, K-02, brief §5.8): a control case opened because of a random
//! sample (drawn in the controls stream, [`crate::controls`]), a risk signal, Zorginspectie or a
//! report; evidence requested and received (its hash fixed); an announced inspection visit; the
//! conclusion with findings citing rule ids and amounts, and the recovery decided on them. Also
//! reports of suspected misuse or fraud by staff and inspectors (organisations report with
//! `ReportSuspectedMisuse`).

use chrono::Datelike;

use super::commands::*;
use super::events::*;
use super::state::{ControlCase, Dossier};
use super::{require_agency, require_holder_or_agency, require_staff};
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::{ControlId, Euro};
use crate::{Actor, Context};

type Decision = Result<Vec<DossierEvent>, Rejection>;

fn open_case(state: &Dossier, control: ControlId) -> Result<&ControlCase, Rejection> {
    let case = state
        .controls
        .get(&control)
        .ok_or_else(|| Rejection::from(Reason::UnknownControl))?;
    if case.conclusion.is_some() {
        return Err(Reason::ControlAlreadyConcluded.into());
    }
    Ok(case)
}

pub(super) fn open(command: &OpenControlCase, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(ctx, Action::new("open a control", "een controle te openen"))?;
    state.registered_person()?;
    if state.controls.contains_key(&command.control) {
        return Err(Reason::DuplicateControl.into());
    }
    state.budget(command.budget)?;
    if command.period_to < command.period_from {
        return Err(Reason::ControlPeriodInvalid.into());
    }
    Ok(vec![
        ControlCaseOpened {
            control: command.control,
            budget: command.budget,
            selection: command.selection.clone(),
            kind: command.kind,
            period_from: command.period_from,
            period_to: command.period_to,
            opened_on: ctx.today,
        }
        .into(),
    ])
}

/// K-01: VAPH asks for agreements, bank statements and all evidence for a period.
pub(super) fn request_evidence(
    command: &RequestEvidence,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("request evidence", "bewijsstukken op te vragen"),
    )?;
    open_case(state, command.control)?;
    if command.documents.iter().all(|d| d.trim().is_empty()) {
        return Err(Reason::EvidenceListEmpty.into());
    }
    Ok(vec![
        EvidenceRequested {
            control: command.control,
            documents: command.documents.clone(),
            requested_on: ctx.today,
            due_by: command.due_by,
        }
        .into(),
    ])
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// Evidence is fixed by its hash: a document received again must have the same content.
pub(super) fn record_evidence(
    command: &RecordEvidence,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("upload evidence", "bewijsstukken op te laden"),
    )?;
    let case = open_case(state, command.control)?;
    if command.documents.is_empty() {
        return Err(Reason::EvidenceListEmpty.into());
    }
    for document in &command.documents {
        if !is_sha256(&document.sha256) {
            return Err(Reason::EvidenceHashInvalid {
                reference: document.reference.clone(),
            }
            .into());
        }
        let known = case.evidence.get(&document.reference);
        if known.is_some_and(|hash| !hash.eq_ignore_ascii_case(&document.sha256)) {
            return Err(Reason::EvidenceHashMismatch {
                reference: document.reference.clone(),
            }
            .into());
        }
    }
    Ok(vec![
        EvidenceReceived {
            control: command.control,
            documents: command
                .documents
                .iter()
                .map(|d| EvidenceDocument {
                    reference: d.reference.clone(),
                    sha256: d.sha256.to_lowercase(),
                })
                .collect(),
            received_on: command.received_on,
        }
        .into(),
    ])
}

/// K-02: a Zorginspectie visit is always announced beforehand.
pub(super) fn record_visit(
    command: &RecordInspectionVisit,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new(
            "record an inspection visit",
            "een inspectiebezoek te registreren",
        ),
    )?;
    open_case(state, command.control)?;
    if command.announced_on >= command.visited_on {
        return Err(Reason::InspectionNotAnnounced.into());
    }
    Ok(vec![
        InspectionVisitHeld {
            control: command.control,
            inspector: command.inspector,
            announced_on: command.announced_on,
            visited_on: command.visited_on,
            location: command.location,
            duration_minutes: command.duration_minutes,
        }
        .into(),
    ])
}

/// Every finding cites a rule id; a recovery on the findings never exceeds their amounts.
pub(super) fn conclude(command: &ConcludeControl, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_staff(
        ctx,
        Action::new("conclude a control", "een controle af te sluiten"),
    )?;
    let case = open_case(state, command.control)?;
    let cites_rule = |f: &Finding| {
        let rule = f.rule.trim();
        rule.len() >= 3 && rule.contains('-') && !f.description.trim().is_empty()
    };
    if !command.findings.iter().all(cites_rule) {
        return Err(Reason::FindingWithoutRule.into());
    }
    let mut events: Vec<DossierEvent> = vec![
        ControlConcluded {
            control: command.control,
            concluded_on: ctx.today,
            findings: command.findings.clone(),
            letter_ref: command.letter_ref.clone(),
            recovery: command.recovery.as_ref().map(|r| r.recovery),
        }
        .into(),
    ];
    if let Some(recovery) = &command.recovery {
        if state.recoveries.contains_key(&recovery.recovery) {
            return Err(Reason::DuplicateRecovery.into());
        }
        if !recovery.amount.is_positive() {
            return Err(Reason::AmountMustBePositive {
                amount: recovery.amount,
            }
            .into());
        }
        let findings: Euro = command.findings.iter().filter_map(|f| f.amount).sum();
        if recovery.amount > findings {
            return Err(Reason::RecoveryExceedsFindings { findings }.into());
        }
        if recovery.legal_basis.trim().is_empty() {
            return Err(Reason::RecoveryEvidenceRequired.into());
        }
        let mut evidence = vec![format!("control/{}", command.control)];
        evidence.extend(case.evidence.keys().cloned());
        // The recovery belongs to a budget year when the period controlled lies in one.
        let (from, to) = (case.opened.period_from.year(), case.opened.period_to.year());
        let year = (from == to).then_some(from);
        events.push(
            RecoveryDecided {
                recovery: recovery.recovery,
                budget: case.opened.budget,
                year,
                amount: recovery.amount,
                reasons: vec![RecoveryReason::ControlFinding],
                evidence,
                legal_basis: recovery.legal_basis.clone(),
                decided_on: ctx.today,
            }
            .into(),
        );
    }
    Ok(events)
}

/// Staff and inspectors report suspected misuse or fraud in their own name.
pub(super) fn report_fraud(
    command: &ReportSuspectedFraud,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    let own_name = match (command.reporter, ctx.actor) {
        (
            Reporter::Staff { user } | Reporter::Inspector { user },
            Actor::Staff { user: actor } | Actor::Admin { user: actor },
        ) => user == actor,
        _ => false,
    };
    if !own_name {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "report suspected fraud in someone else's name",
                "een vermoeden van fraude in naam van iemand anders te melden",
            ),
        }
        .into());
    }
    state.registered_person()?;
    let known = state
        .misuse_reports
        .iter()
        .any(|r| r.report == command.report)
        || state
            .fraud_reports
            .iter()
            .any(|r| r.report == command.report);
    if known {
        return Err(Reason::DuplicateReport.into());
    }
    Ok(vec![
        FraudSuspicionReported {
            report: command.report,
            reporter: command.reporter,
            suspicion: command.suspicion,
            narrative: command.narrative.clone(),
            reported_on: command.reported_on,
        }
        .into(),
    ])
}
