//! PAB combinations (combinatieformulier): start, change and end per full calendar month; MFC
//! day care reduces the PAB by dagdelen × an effective-dated rate.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::commands::*;
use super::events::*;
use super::state::{Combination, Dossier};
use super::{require_agency, require_holder_or_agency};
use crate::registry::OrganisationKind;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, AppliedParameter, Parameter};
use crate::values::Euro;
use crate::{Context, OrganisationId};

type Decision = Result<Vec<DossierEvent>, Rejection>;

/// The reduction a form of care causes per month, with the rate and its version.
struct Reduction {
    monthly: Euro,
    rate: Option<Euro>,
    rules: Vec<AppliedParameter>,
}

/// What may be combined with a PAB and what it costs the PAB.
fn reduction(
    care: CombinedCare,
    provider: OrganisationId,
    month: NaiveDate,
    ctx: &Context<'_>,
) -> Result<Reduction, Rejection> {
    match care {
        CombinedCare::MobileOrAmbulantGuidance => {
            Err(Reason::PabCombinationNotAllowed { rule: "S003-08" }.into())
        }
        CombinedCare::MfcResidential => Err(Reason::PabMfcResidentialNotAllowed.into()),
        // Combinable without reduction, never paid from the PAB (S003-17, S003-18): the
        // agreement refusals keep them off the PAB.
        CombinedCare::GoBoardingSchool | CombinedCare::TemporaryHomeEducation => Ok(Reduction {
            monthly: Euro::ZERO,
            rate: None,
            rules: Vec::new(),
        }),
        CombinedCare::MfcDayCare {
            day_care,
            half_days_per_month,
        } => {
            let parameter = match day_care {
                DayCareType::SchoolSupplementary => {
                    Parameter::PabReductionPerHalfDaySchoolSupplementary
                }
                DayCareType::SchoolReplacing => Parameter::PabReductionPerHalfDaySchoolReplacing,
                DayCareType::Other => return Err(Reason::OnlySchoolRelatedDaycareCombinable.into()),
            };
            if half_days_per_month == 0 {
                return Err(Reason::HalfDaysRequired.into());
            }
            if ctx
                .registry
                .active(provider, OrganisationKind::MultifunctionalCentre, month)
                .is_none()
            {
                return Err(Reason::NotAnMfc.into());
            }
            let (rate, rule) = rule_book::euro(ctx, parameter, month)?;
            Ok(Reduction {
                monthly: Euro::rounded(rate.amount() * Decimal::from(half_days_per_month)),
                rate: Some(rate),
                rules: vec![rule],
            })
        }
    }
}

fn rate_parameter(care: CombinedCare) -> Option<Parameter> {
    match care {
        CombinedCare::MfcDayCare {
            day_care: DayCareType::SchoolSupplementary,
            ..
        } => Some(Parameter::PabReductionPerHalfDaySchoolSupplementary),
        CombinedCare::MfcDayCare {
            day_care: DayCareType::SchoolReplacing,
            ..
        } => Some(Parameter::PabReductionPerHalfDaySchoolReplacing),
        _ => None,
    }
}

fn running(
    state: &Dossier,
    id: crate::CombinationId,
    from: NaiveDate,
) -> Result<&Combination, Rejection> {
    let combination = state
        .combinations
        .get(&id)
        .ok_or(Reason::UnknownCombination)?;
    if combination.ended_from.is_some() {
        return Err(Reason::CombinationNotActive.into());
    }
    if from <= combination.effective_from {
        return Err(Reason::CombinationDateBeforeCurrent {
            current: combination.effective_from,
        }
        .into());
    }
    Ok(combination)
}

/// S003-10/13/14/15 and.
pub(super) fn submit(
    command: &SubmitCombinationForm,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new(
            "submit a combinatieformulier",
            "een combinatieformulier in te dienen",
        ),
    )?;
    let budget = state.budget(command.budget)?;
    if budget.kind != BudgetKind::Pab || !budget.is_active() {
        return Err(Reason::NoActivePab.into());
    }
    if command.effective_from.day() != 1 {
        return Err(Reason::CombinationChangeMustBeFullCalendarMonth {
            date: command.effective_from,
        }
        .into());
    }
    if !command.signed_by_holder || !command.signed_by_provider {
        return Err(Reason::CombinationFormNotSigned.into());
    }
    let event: DossierEvent = match &command.change {
        CombinationChange::Start { provider, care } => {
            if state.combinations.contains_key(&command.combination) {
                return Err(Reason::DuplicateCombination.into());
            }
            let r = reduction(*care, *provider, command.effective_from, ctx)?;
            PabCombinationStarted {
                combination: command.combination,
                budget: command.budget,
                provider: *provider,
                care: *care,
                effective_from: command.effective_from,
                monthly_reduction: r.monthly,
                rate_per_half_day: r.rate,
                reason: command.reason.clone(),
                rules_applied: r.rules,
            }
            .into()
        }
        CombinationChange::Change { care } => {
            let current = running(state, command.combination, command.effective_from)?;
            let r = reduction(*care, current.provider, command.effective_from, ctx)?;
            PabCombinationChanged {
                combination: command.combination,
                care: *care,
                effective_from: command.effective_from,
                monthly_reduction: r.monthly,
                rate_per_half_day: r.rate,
                reason: command.reason.clone(),
                rules_applied: r.rules,
            }
            .into()
        }
        CombinationChange::End => {
            running(state, command.combination, command.effective_from)?;
            PabCombinationEnded {
                combination: command.combination,
                effective_from: command.effective_from,
                reason: command.reason.clone(),
            }
            .into()
        }
    };
    Ok(vec![event])
}

/// The rate version that governs `month` for a running combination, if it differs from the one
/// applied: the daily job recalculates from that month (a parameter taking effect).
pub(super) fn new_rate_version(
    combination: &Combination,
    month: NaiveDate,
    rule_book: &crate::RuleBook,
    known_on: NaiveDate,
) -> Option<AppliedParameter> {
    let parameter = rate_parameter(combination.care)?;
    let version = rule_book.version(parameter, month, known_on)?.applied();
    (Some(version) != combination.rate_applied).then_some(version)
}

pub(super) fn recalculate(
    command: &RecalculateCombinationReduction,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "recalculate a combination",
            "een combinatie te herberekenen",
        ),
    )?;
    if command.from.day() != 1 {
        return Err(Reason::CombinationChangeMustBeFullCalendarMonth { date: command.from }.into());
    }
    let current = state
        .combinations
        .get(&command.combination)
        .ok_or(Reason::UnknownCombination)?;
    if current.ended_from.is_some()
        || new_rate_version(current, command.from, ctx.rule_book, ctx.today).is_none()
    {
        return Err(Reason::NothingDue.into());
    }
    running(state, command.combination, command.from)?;
    let r = reduction(current.care, current.provider, command.from, ctx)?;
    Ok(vec![
        PabCombinationChanged {
            combination: command.combination,
            care: current.care,
            effective_from: command.from,
            monthly_reduction: r.monthly,
            rate_per_half_day: r.rate,
            reason: Some("rate parameter took effect".into()),
            rules_applied: r.rules,
        }
        .into(),
    ])
}
