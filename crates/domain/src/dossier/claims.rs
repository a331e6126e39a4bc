//! Cost claims (kostenstaat, S003-21): submission, the decision the rules propose for every line,
//! and the decisions of staff on held lines and overrides.
//!
//! A claim that is validly submitted is recorded (`CostClaimSubmitted`) and every line gets its
//! decision event in the same decision: accepted, rejected with a reason code and rule, or held
//! for a staff member. Problems of the claim as a whole (no budget for the year, no lines, a line
//! number twice) refuse the command: nothing is recorded.
//!
//! Deadlines (D-01/D-04, S004-11) are looked up on 1 January of the year after the budget year:
//! the version in force when the year's deadline starts to run decides it, whatever the
//! submission date (so 2018 costs end on 2019-03-01 and 2020 costs on 2021-04-01).

use chrono::NaiveDate;

use super::budget_line::{self, Spent};
use super::commands::*;
use super::events::*;
use super::state::{AgreementStatus, Dossier, LineStatus};
use super::{require_holder_or_agency, require_staff};
use crate::Context;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, AppliedParameter, Parameter, ParameterValue};
use crate::values::Euro;

type Decision = Result<Vec<DossierEvent>, Rejection>;

/// The deadlines of a budget year and the verdict on a late exception.
struct Deadlines {
    general: NaiveDate,
    general_rule: AppliedParameter,
    covid: Option<(NaiveDate, AppliedParameter)>,
    exception: Exception,
}

enum Exception {
    NotRequested,
    Allowed(Vec<AppliedParameter>),
    NotAllowed(Vec<AppliedParameter>),
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// D-01/D-04 (general deadline), S004-11 (COVID-19 costs, conflict C1), D-02 (late exceptions).
fn deadlines(
    year: i32,
    submitted_on: NaiveDate,
    exception: Option<&LateException>,
    ctx: &Context<'_>,
) -> Result<Deadlines, Rejection> {
    let basis = date(year + 1, 1, 1).ok_or(Reason::NoBudgetForYear { year })?;
    let ((month, day), general_rule) =
        rule_book::month_day(ctx, Parameter::CostDeadlineDayOfNextYear, basis)?;
    let general = date(year + 1, month, day).ok_or(Reason::NoBudgetForYear { year })?;
    let covid =
        rule_book::optional(ctx, Parameter::CovidCostDeadline, basis).and_then(|v| match v.value {
            ParameterValue::Date(deadline) => Some((deadline, v.applied())),
            _ => None,
        });
    let exception = match exception {
        None => Exception::NotRequested,
        Some(requested) => {
            let mut rules = Vec::new();
            let reasons = rule_book::optional(ctx, Parameter::CostLateExceptionReasons, basis);
            let max_years = rule_book::optional(ctx, Parameter::CostLateExceptionMaxYears, basis);
            let listed = reasons.is_some_and(|v| {
                rules.push(v.applied());
                matches!(&v.value, ParameterValue::Codes(codes) if codes.iter().any(|c| c == requested.reason.code()))
            });
            let within_limit = max_years.is_some_and(|v| {
                rules.push(v.applied());
                match v.value {
                    ParameterValue::Years(years) => i32::try_from(years)
                        .ok()
                        .and_then(|years| date(year + years, month, day))
                        .is_some_and(|limit| submitted_on <= limit),
                    _ => false,
                }
            });
            let proven = !requested.motivation.trim().is_empty()
                && !requested.evidence_ref.trim().is_empty();
            if listed && within_limit && proven {
                Exception::Allowed(rules)
            } else {
                Exception::NotAllowed(rules)
            }
        }
    };
    Ok(Deadlines {
        general,
        general_rule,
        covid,
        exception,
    })
}

/// What the rules propose for one line.
enum Proposal {
    Accept { late_exception_applied: bool },
    Reject(LineReason),
    Hold(LineReason),
}

pub(super) fn submit(command: &SubmitCostClaim, state: &Dossier, ctx: &Context<'_>) -> Decision {
    match ctx.actor {
        // A bijstandsorganisatie submits for a member (D-02: BOs are bound by the same deadlines).
        crate::Actor::Organisation { organisation }
            if state.memberships.contains_key(&organisation)
                && ctx
                    .registry
                    .active(
                        organisation,
                        crate::registry::OrganisationKind::AssistanceOrganisation,
                        command.submitted_on,
                    )
                    .is_some() => {}
        _ => require_holder_or_agency(
            state,
            ctx,
            Action::new("submit a cost claim", "een kostenstaat in te dienen"),
        )?,
    }
    state.registered_person()?;
    if state.claims.contains_key(&command.claim) {
        return Err(Reason::DuplicateCostClaim.into());
    }
    let budget = state.budget(command.budget)?;
    let year = command.budget_year;
    if budget_line::net_annual(state, command.budget, year).is_none() {
        return Err(Reason::NoBudgetForYear { year }.into());
    }
    if command.submitted_on > ctx.today {
        return Err(Reason::DateInFuture {
            date: command.submitted_on,
        }
        .into());
    }
    if command.lines.is_empty() {
        return Err(Reason::EmptyCostClaim.into());
    }
    let mut seen = std::collections::BTreeSet::new();
    for line in &command.lines {
        if !seen.insert(line.line) {
            return Err(Reason::DuplicateCostLine { line: line.line }.into());
        }
        if line.service_to < line.service_from {
            return Err(Reason::CostLinePeriodInvalid { line: line.line }.into());
        }
        if budget_line::year_of(line.service_from) != year
            || budget_line::year_of(line.service_to) != year
        {
            return Err(Reason::CostLineOutsideBudgetYear {
                line: line.line,
                year,
            }
            .into());
        }
    }
    let deadlines = deadlines(
        year,
        command.submitted_on,
        command.late_exception.as_ref(),
        ctx,
    )?;
    let sequence_no = u32::try_from(
        state
            .claims
            .values()
            .filter(|c| c.budget == command.budget && c.year == year)
            .count(),
    )
    .unwrap_or(u32::MAX)
    .saturating_add(1);
    let mut events: Vec<DossierEvent> = vec![
        CostClaimSubmitted {
            claim: command.claim,
            budget: command.budget,
            budget_year: year,
            sequence_no,
            submitted_on: command.submitted_on,
            channel: command.channel,
            late_exception: command.late_exception.clone(),
            lines: command.lines.clone(),
            submitted_by: ctx.actor,
        }
        .into(),
    ];
    let mut spent = budget_line::spent(state, command.budget, year);
    for line in &command.lines {
        let mut rules = vec![deadlines.general_rule];
        let proposal = propose(
            line,
            budget.kind,
            command,
            &deadlines,
            &spent,
            state,
            ctx,
            &mut rules,
        )?;
        let claim = command.claim;
        events.push(match proposal {
            Proposal::Accept {
                late_exception_applied,
            } => {
                spent.add(
                    line.category,
                    line.amount,
                    (line.provider.key(), line.invoice_no.clone()),
                );
                CostLineAccepted {
                    claim,
                    line: line.line,
                    amount: line.amount,
                    category: line.category,
                    late_exception_applied,
                    rules_applied: rules,
                }
                .into()
            }
            Proposal::Reject(reason) => CostLineRejected {
                claim,
                line: line.line,
                reason,
                rule: reason.rule(budget.kind).to_owned(),
                rules_applied: rules,
            }
            .into(),
            Proposal::Hold(reason) => CostLineHeld {
                claim,
                line: line.line,
                reason,
                rule: reason.rule(budget.kind).to_owned(),
                rules_applied: rules,
            }
            .into(),
        });
    }
    Ok(events)
}

/// The line rules, in order; the first that applies decides.
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn propose(
    line: &CostLine,
    kind: BudgetKind,
    command: &SubmitCostClaim,
    deadlines: &Deadlines,
    spent: &Spent,
    state: &Dossier,
    ctx: &Context<'_>,
    rules: &mut Vec<AppliedParameter>,
) -> Result<Proposal, Rejection> {
    use LineReason as L;
    let submitted_on = command.submitted_on;
    let is_covid = line.category == CostCategory::Covid;
    // D-01/D-04, S004-11, D-02: the deadline of the line.
    let covid_deadline = deadlines.covid.filter(|_| is_covid);
    if let Some((_, rule)) = covid_deadline {
        budget_line::applied(rules, rule);
    }
    let mut late_exception_applied = false;
    if submitted_on > deadlines.general {
        match &deadlines.exception {
            Exception::NotRequested => return Ok(Proposal::Reject(L::CostDeadlinePassed)),
            Exception::NotAllowed(applied) => {
                rules.extend(applied.iter().copied());
                return Ok(Proposal::Reject(L::LateExceptionNotAllowed));
            }
            Exception::Allowed(applied) => {
                rules.extend(applied.iter().copied());
                late_exception_applied = true;
            }
        }
    }
    // P-12, S003-17, S003-18: what the budget may never pay.
    match (kind, line.nature) {
        (BudgetKind::Pvb, CostNature::LivingCosts) => {
            return Ok(Proposal::Reject(L::LivingCostsNotEligible));
        }
        (BudgetKind::Pab, CostNature::TemporaryHomeEducation) => {
            return Ok(Proposal::Reject(L::ToahNotPayableWithPab));
        }
        (BudgetKind::Pab, CostNature::GoBoardingSchool) => {
            return Ok(Proposal::Reject(L::GoInternaatCostsNotPayable));
        }
        _ => {}
    }
    // S004-08/17/20/22: no extra charges for service dates in the freeze.
    if line.nature == CostNature::ExtraCharges {
        let freeze =
            rule_book::optional(ctx, Parameter::CovidExtraChargesFreeze, line.service_from)
                .or_else(|| {
                    rule_book::optional(ctx, Parameter::CovidExtraChargesFreeze, line.service_to)
                });
        if let Some(version) = freeze
            && let ParameterValue::Period { from, to } = version.value
        {
            budget_line::applied(rules, version.applied());
            if line.service_from <= to && from <= line.service_to {
                return Ok(Proposal::Reject(L::NoExtraChargesDuringCovidFreeze));
            }
        }
    }
    // S004-13, S004-10: a COVID-19 line needs a COVID-19 agreement and dates in the window.
    // A voided agreement was entered by mistake: it covers nothing.
    let agreement = line
        .agreement
        .and_then(|id| state.agreements.get(&id))
        .filter(|a| a.status != AgreementStatus::Voided);
    if is_covid {
        if agreement.is_none_or(|a| a.covid.is_none()) {
            return Ok(Proposal::Reject(L::CovidLineWithoutCovidAgreement));
        }
        let ((from, to), window_rule) =
            rule_book::period(ctx, Parameter::CovidAgreementWindow, line.service_to)?;
        budget_line::applied(rules, window_rule);
        if line.service_from < from || line.service_to > to {
            return Ok(Proposal::Reject(L::CovidLineOutsideWindow));
        }
    }
    // S004-18, K-01: an approved agreement of this budget, covering the service period.
    match agreement {
        None if line.category.needs_agreement() || line.agreement.is_some() => {
            return Ok(Proposal::Reject(L::NoValidAgreement));
        }
        None => {}
        Some(a) => {
            if a.budget != command.budget || a.approved_on.is_none() {
                return Ok(Proposal::Reject(L::NoValidAgreement));
            }
            if line.service_from < a.start || a.end.is_some_and(|end| line.service_to > end) {
                return Ok(Proposal::Reject(L::OutsideAgreementPeriod));
            }
        }
    }
    // E-02/E-03: nothing after death or the end of the budget, except severance and closing.
    let person_death = state.person.as_ref().and_then(|p| p.date_of_death);
    let budget_end = state.budgets.get(&command.budget).and_then(|b| b.ended_on);
    let end = match (person_death, budget_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if end.is_some_and(|end| line.service_to > end) && !line.category.survives_budget_end() {
        return Ok(Proposal::Reject(L::AfterBudgetEnd));
    }
    let year = command.budget_year;
    if line.amount.is_positive() {
        // E-02/E-03: severance up to a fraction of the base, plus extra granted by VAPH.
        if line.category == CostCategory::Severance {
            let ((numerator, denominator), cap_rule) =
                rule_book::fraction(ctx, Parameter::SeveranceCapFraction, line.service_to)?;
            budget_line::applied(rules, cap_rule);
            let base =
                budget_line::severance_base(state, command.budget, year).unwrap_or(Euro::ZERO);
            let cap = base.fraction(numerator, denominator)
                + budget_line::extra_severance(state, command.budget, year);
            if spent.severance + line.amount > cap {
                return Ok(Proposal::Reject(L::SeveranceCapExceeded));
            }
        }
        // K-03 / brief §5.7: the same invoice is paid once.
        if spent
            .invoices
            .contains(&(line.provider.key(), line.invoice_no.clone()))
        {
            return Ok(Proposal::Reject(L::DuplicateInvoice));
        }
        // S003-05: PAB other costs at most 5 % of the annual budget.
        if line.category.is_other_cost() {
            let annual = state
                .budgets
                .get(&command.budget)
                .and_then(|b| b.annual_amounts.get(&year).copied())
                .unwrap_or(Euro::ZERO);
            if let Some((limit, rule)) = budget_line::other_costs_limit(
                kind,
                annual,
                ctx.rule_book,
                line.service_to,
                ctx.today,
            ) {
                budget_line::applied(rules, rule);
                if spent.other + line.amount > limit {
                    return Ok(Proposal::Reject(L::PabOtherCostsOver5Pct));
                }
            }
        }
        // P-06, S004-15: the annual budget, and the COVID-19 increase only for COVID-19 costs.
        if let Some(reason) = budget_check(line, spent, state, command.budget, year) {
            return Ok(Proposal::Reject(reason));
        }
    } else if spent
        .invoices
        .contains(&(line.provider.key(), line.invoice_no.clone()))
    {
        return Ok(Proposal::Reject(L::DuplicateInvoice));
    }
    // Conflict C1: COVID-19 costs after the COVID deadline but by the general one are held.
    if let Some((covid_deadline, _)) = covid_deadline
        && submitted_on > covid_deadline
        && submitted_on <= deadlines.general
    {
        return Ok(Proposal::Hold(L::CovidDeadlineConflict));
    }
    Ok(Proposal::Accept {
        late_exception_applied,
    })
}

/// Whether a positive line still fits: regular costs within the net annual budget (plus extra
/// severance for a severance line), everything within the total with the COVID-19 increase.
fn budget_check(
    line: &CostLine,
    spent: &Spent,
    state: &Dossier,
    budget: crate::BudgetId,
    year: i32,
) -> Option<LineReason> {
    let net_annual = budget_line::net_annual(state, budget, year)?;
    let increase = budget_line::covid_increase(state, budget, year);
    let extra = if line.category == CostCategory::Severance {
        budget_line::extra_severance(state, budget, year)
    } else {
        Euro::ZERO
    };
    let total_after = spent.total() + line.amount;
    if line.category == CostCategory::Covid {
        return (total_after > net_annual + increase + extra)
            .then_some(LineReason::BudgetExhausted);
    }
    if spent.regular + line.amount > net_annual + extra {
        let fits_with_increase = total_after <= net_annual + increase + extra;
        return Some(if increase.is_positive() && fits_with_increase {
            LineReason::CovidIncreaseReserved
        } else {
            LineReason::BudgetExhausted
        });
    }
    (total_after > net_annual + increase + extra).then_some(LineReason::BudgetExhausted)
}

fn claim_line(
    state: &Dossier,
    claim: crate::ClaimId,
    line: u32,
) -> Result<&super::state::ClaimLine, Rejection> {
    let claim = state.claims.get(&claim).ok_or(Reason::UnknownCostLine)?;
    if claim.voided_on.is_some() {
        return Err(Reason::ClaimVoided.into());
    }
    claim
        .lines
        .get(&line)
        .ok_or_else(|| Reason::UnknownCostLine.into())
}

/// A claim entered in the wrong dossier (or twice) is voided while nothing of it was paid: none
/// of its lines counts any more.
pub(super) fn void(command: &VoidCostClaim, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_staff(
        ctx,
        Action::new("void a cost claim", "een kostenstaat te vernietigen"),
    )?;
    let claim = state
        .claims
        .get(&command.claim)
        .ok_or(Reason::UnknownCostClaim)?;
    if claim.voided_on.is_some() {
        return Err(Reason::ClaimVoided.into());
    }
    if claim.lines.values().any(|line| line.paid.is_some()) {
        return Err(Reason::ClaimPaid.into());
    }
    Ok(vec![
        CostClaimVoided {
            claim: command.claim,
            voided_on: ctx.today,
        }
        .into(),
    ])
}

/// A staff member decides a held line, with a reason.
pub(super) fn decide_line(
    command: &DecideCostLine,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new("decide a cost line", "over een kostenlijn te beslissen"),
    )?;
    let line = claim_line(state, command.claim, command.line)?;
    if !matches!(line.status, LineStatus::Held(_)) {
        return Err(Reason::CostLineNotHeld.into());
    }
    Ok(vec![
        CostLineDecidedByStaff {
            claim: command.claim,
            line: command.line,
            outcome: command.outcome,
            reason: command.reason.clone(),
            decided_by: ctx.actor,
            decided_on: ctx.today,
        }
        .into(),
    ])
}

/// A staff member replaces a line's decision (override of a proposal, or a reversal later), with
/// a reason. The earlier decision stays in the stream.
pub(super) fn override_line(
    command: &OverrideCostLineDecision,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new(
            "override a cost line decision",
            "een beslissing over een kostenlijn te herzien",
        ),
    )?;
    let line = claim_line(state, command.claim, command.line)?;
    let previous = line
        .status
        .outcome()
        .ok_or_else(|| Rejection::from(Reason::CostLineNotDecided))?;
    if previous == command.outcome {
        return Err(Reason::DecisionUnchanged.into());
    }
    Ok(vec![
        CostLineDecisionOverridden {
            claim: command.claim,
            line: command.line,
            previous,
            outcome: command.outcome,
            reason: command.reason.clone(),
            decided_by: ctx.actor,
            decided_on: ctx.today,
        }
        .into(),
    ])
}
