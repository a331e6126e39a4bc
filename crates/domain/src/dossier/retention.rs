//! How long a dossier's personal data is kept, and its erasure once that time has passed (D-03:
//! the evidence is kept for the retention period, counted from the day the dossier closed).

use chrono::NaiveDate;

use super::commands::EraseDossierData;
use super::events::{DossierDataErased, DossierEvent};
use super::state::{BudgetStatus, Dossier};
use crate::Context;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, Looked, Parameter};
use crate::values::add_months;

/// The day the dossier closed, if it did: the day it was voided; otherwise, once no budget is
/// applied for, available or running, every budget that started is settled, no recovery is
/// outstanding and no control is open, the last of those endings (and of the person's death).
pub fn closed_on(state: &Dossier) -> Option<NaiveDate> {
    if let Some(voided_on) = state.voided_on {
        return Some(voided_on);
    }
    if state.budgets.is_empty()
        || state
            .recoveries
            .values()
            .any(|r| r.outstanding().is_positive())
        || state.controls.values().any(|c| c.conclusion.is_none())
    {
        return None;
    }
    let mut closed = state.person.as_ref().and_then(|p| p.date_of_death);
    for budget in state.budgets.values() {
        let ended = match budget.status {
            BudgetStatus::Applied | BudgetStatus::Available | BudgetStatus::Started => return None,
            _ if budget.started_on.is_some() => state.final_settlements.get(&budget.id)?.issued_on,
            // Never started: it ended when it lapsed or was stopped or converted.
            _ => budget
                .ended_on
                .or(budget.start_deadline)
                .or(budget.available_on)
                .or(budget.submitted_on)?,
        };
        closed = closed.max(Some(ended));
    }
    closed
}

/// The last day the dossier's personal data must be kept, with the parameter version applied
/// (looked up on the day the dossier closed).
///
/// # Errors
/// `DOSSIER_NOT_CLOSED` while the dossier is open; `RULE_PARAMETER_MISSING` without a
/// retention parameter for its closing day.
pub fn retention_until(state: &Dossier, ctx: &Context<'_>) -> Result<Looked<NaiveDate>, Rejection> {
    let closed = closed_on(state).ok_or(Reason::DossierNotClosed)?;
    retention_after(closed, ctx)
}

/// The last day of the retention period of a dossier closed on `closed`.
fn retention_after(closed: NaiveDate, ctx: &Context<'_>) -> Result<Looked<NaiveDate>, Rejection> {
    let (years, applied) = rule_book::years(ctx, Parameter::RetentionYearsAfterClosure, closed)?;
    Ok((add_months(closed, years * 12), applied))
}

/// Staff erase a closed dossier's personal data once its retention period has ended.
pub(super) fn erase(
    command: &EraseDossierData,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Result<Vec<DossierEvent>, Rejection> {
    super::require_staff(
        ctx,
        Action::new(
            "erase a dossier's personal data",
            "de persoonsgegevens van een dossier te wissen",
        ),
    )?;
    state.registered_person()?;
    let closed = closed_on(state).ok_or(Reason::DossierNotClosed)?;
    let (until, applied) = retention_until(state, ctx)?;
    if ctx.today <= until {
        return Err(Reason::RetentionNotEnded { until }.into());
    }
    Ok(vec![
        DossierDataErased {
            basis: command.basis,
            erased_on: ctx.today,
            closed_on: closed,
            retention_until: until,
            rules_applied: vec![applied],
        }
        .into(),
    ])
}

/// Whether the data of a person named in `naming` (the dossiers that name them, in any role)
/// may be erased: each of those dossiers is erased already or past its retention period (the
/// dossier of which they are the person is then erased with them).
///
/// # Errors
/// `PERSON_KEPT_FOR_DOSSIER` naming the first dossier that must still keep them.
pub fn person_erasable(
    naming: &[(crate::values::DossierId, &Dossier)],
    ctx: &Context<'_>,
) -> Result<(), Rejection> {
    for (dossier, state) in naming {
        if state.erased_on.is_some() {
            continue;
        }
        let until = match closed_on(state) {
            Some(closed) => {
                let (until, _) = retention_after(closed, ctx)?;
                if until < ctx.today {
                    continue;
                }
                Some(until)
            }
            None => None,
        };
        return Err(Reason::PersonKeptForDossier {
            dossier: *dossier,
            until,
        }
        .into());
    }
    Ok(())
}

/// When a dossier's personal data is due for erasure on `ctx.today`: the day it closed and the
/// last day of its retention period (`None`: open, erased already, or still to be kept).
pub fn erasure_due(state: &Dossier, ctx: &Context<'_>) -> Option<(NaiveDate, NaiveDate)> {
    if state.erased_on.is_some() {
        return None;
    }
    let closed = closed_on(state)?;
    let (until, _) = retention_after(closed, ctx).ok()?;
    (until < ctx.today).then_some((closed, until))
}
