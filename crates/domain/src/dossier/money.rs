//! Money after the claim: the COVID-19 increase (S004-02/14/15/19, C-01/C-02), the advance
//! (P-04, A-04), payment orders with credit notes and deductions (P-05, K-03), extra severance
//! (E-02/E-03), year close with the overrun letter and the recovery of an overrun not explained by
//! COVID-19 costs (P-06, S004-15), recoveries, and the final settlement after a stop (E-01/E-03).

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use super::budget_line;
use super::commands::*;
use super::events::*;
use super::state::{Agreement, BudgetStatus, Dossier, LineStatus};
use super::{require_agency, require_holder_or_agency, require_staff};
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, AppliedParameter, Parameter, ParameterValue};
use crate::values::{BudgetId, Euro};
use crate::{Context, RuleBook};

type Decision = Result<Vec<DossierEvent>, Rejection>;

fn require_positive(amount: Euro) -> Result<(), Rejection> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(Reason::AmountMustBePositive { amount }.into())
    }
}

fn plus_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

// ---------------------------------------------------------------------------------------------
// COVID-19 increase

/// The first approved COVID-19 agreement of the budget whose period touches `year` (C-02).
pub(super) fn covid_trigger(state: &Dossier, budget: BudgetId, year: i32) -> Option<&Agreement> {
    state
        .agreements
        .values()
        .filter(|a| {
            a.budget == budget
                && a.covid.is_some()
                && a.approved_on.is_some()
                && a.start.year() <= year
                && a.end.is_none_or(|end| end.year() >= year)
        })
        .min_by_key(|a| (a.approved_on, a.id))
}

/// The date the regime version is chosen by: the trigger's start, at the earliest 1 January of
/// the budget year.
fn regime_date(trigger: &Agreement, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).map_or(trigger.start, |first| trigger.start.max(first))
}

/// The cap percentage of the COVID-19 regime version in force (C-01, S004-14), as known on
/// `known_on`.
pub fn covid_cap_percent(
    rule_book: &RuleBook,
    on: NaiveDate,
    known_on: NaiveDate,
) -> Option<(Decimal, AppliedParameter)> {
    let version = rule_book.version(Parameter::CovidOverrunCapPercent, on, known_on)?;
    match version.value {
        ParameterValue::Percent(percent) => Some((percent, version.applied())),
        _ => None,
    }
}

pub(super) fn grant_covid_allowance(
    command: &GrantCovidOverrunAllowance,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "grant the COVID-19 increase",
            "de COVID-19-verhoging toe te kennen",
        ),
    )?;
    let budget = state.budget(command.budget)?;
    let year = command.year;
    if state.covid_allowances.contains_key(&(command.budget, year)) {
        return Err(Reason::CovidAllowanceAlreadyGranted.into());
    }
    let trigger = covid_trigger(state, command.budget, year)
        .ok_or_else(|| Rejection::from(Reason::NoApprovedCovidAgreement))?;
    let on = regime_date(trigger, year);
    let (cap_percent, cap_rule) = rule_book::percent(ctx, Parameter::CovidOverrunCapPercent, on)?;
    // S004-14: the base is the budget on the base date; before that parameter was known (it was
    // published with the 25.5 % regime) the base is the budget in force on the decision date.
    let mut rules_applied = vec![cap_rule];
    let base_date = match rule_book::optional(ctx, Parameter::CovidOverrunBaseDate, on) {
        Some(version) => match version.value {
            ParameterValue::Date(date) => {
                rules_applied.push(version.applied());
                date
            }
            _ => ctx.today,
        },
        None => ctx.today,
    };
    // S004-14: the annual budget the holder had on the base date.
    let base_budget = *budget
        .annual_amounts
        .get(&base_date.year())
        .ok_or_else(|| {
            Rejection::from(Reason::NoBudgetForYear {
                year: base_date.year(),
            })
        })?;
    // S004-12/14: for a PVB including management costs (beheerskosten; not public).
    let management_costs = if budget.kind == BudgetKind::Pvb {
        let (percent, rule) =
            rule_book::percent(ctx, Parameter::CovidPvbManagementCostsPercent, base_date)?;
        rules_applied.push(rule);
        base_budget.percent(percent)
    } else {
        Euro::ZERO
    };
    let cap = (base_budget + management_costs).percent(cap_percent);
    Ok(vec![
        CovidOverrunAllowanceGranted {
            budget: command.budget,
            year,
            cap_percent,
            base_date,
            base_budget,
            management_costs,
            cap,
            trigger_agreement: trigger.id,
            rules_applied,
        }
        .into(),
    ])
}

/// S004-14: a holder with an increase gets the cap of a newer regime version automatically.
pub(super) fn raise_covid_allowance(
    command: &RaiseCovidOverrunAllowance,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "raise the COVID-19 increase",
            "de COVID-19-verhoging op te trekken",
        ),
    )?;
    let allowance = state
        .covid_allowances
        .get(&(command.budget, command.year))
        .ok_or_else(|| Rejection::from(Reason::NoCovidAllowance))?;
    let trigger = state.agreement(allowance.trigger_agreement)?;
    let on = regime_date(trigger, command.year);
    let (cap_percent, rule) = rule_book::percent(ctx, Parameter::CovidOverrunCapPercent, on)?;
    if cap_percent <= allowance.cap_percent {
        return Err(Reason::NothingDue.into());
    }
    Ok(vec![
        CovidOverrunAllowanceRaised {
            budget: command.budget,
            year: command.year,
            previous_percent: allowance.cap_percent,
            cap_percent,
            previous_cap: allowance.cap,
            cap: allowance.base.percent(cap_percent),
            rules_applied: vec![rule],
        }
        .into(),
    ])
}

/// For the daily job: the increases to grant or raise on `today`.
pub(super) fn covid_due(
    today: NaiveDate,
    state: &Dossier,
    rule_book: &RuleBook,
) -> Vec<DossierCommand> {
    let mut due = Vec::new();
    for budget in state.budgets.values() {
        let years: std::collections::BTreeSet<i32> = state
            .agreements
            .values()
            .filter(|a| a.budget == budget.id && a.covid.is_some() && a.approved_on.is_some())
            .flat_map(|a| a.start.year()..=a.end.map_or(a.start.year(), |e| e.year()))
            .filter(|year| budget.annual_amounts.contains_key(year))
            .collect();
        for year in years {
            match state.covid_allowances.get(&(budget.id, year)) {
                None => {
                    // Due once a regime version is known for the trigger (before that the grant
                    // would be refused for a missing parameter every day).
                    let known = covid_trigger(state, budget.id, year).is_some_and(|t| {
                        covid_cap_percent(rule_book, regime_date(t, year), today).is_some()
                    });
                    if known {
                        due.push(DossierCommand::GrantCovidOverrunAllowance(
                            GrantCovidOverrunAllowance {
                                budget: budget.id,
                                year,
                            },
                        ));
                    }
                }
                Some(allowance) => {
                    let higher = state
                        .agreements
                        .get(&allowance.trigger_agreement)
                        .and_then(|t| covid_cap_percent(rule_book, regime_date(t, year), today))
                        .is_some_and(|(percent, _)| percent > allowance.cap_percent);
                    if higher {
                        due.push(DossierCommand::RaiseCovidOverrunAllowance(
                            RaiseCovidOverrunAllowance {
                                budget: budget.id,
                                year,
                            },
                        ));
                    }
                }
            }
        }
    }
    due
}

// ---------------------------------------------------------------------------------------------
// Advance

pub(super) fn declare_cash_part(
    command: &DeclareCashPart,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("declare the cash part", "het cashgedeelte aan te geven"),
    )?;
    if state.budget(command.budget)?.kind != BudgetKind::Pvb {
        return Err(Reason::CashPartOnlyForPvb.into());
    }
    require_positive(command.amount)?;
    Ok(vec![
        CashPartDeclared {
            budget: command.budget,
            amount: command.amount,
            declared_on: command.declared_on,
        }
        .into(),
    ])
}

/// P-04: PVB, a fraction of the declared cash part, once, after the first approved cash
/// agreement. A-04: PAB, a fraction of the annual budget after the start, the fraction chosen by
/// the grant date (5/12 werkkapitaal or 1/4 voorschot, conflict C3).
pub(super) fn pay_advance(command: &PayAdvance, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("pay the advance", "het voorschot te betalen"),
    )?;
    let budget = state.budget(command.budget)?;
    let rule = match budget.kind {
        BudgetKind::Pvb => "P-04",
        BudgetKind::Pab => "A-04",
    };
    if state.advances.contains_key(&command.budget) {
        return Err(Reason::AdvanceAlreadyPaid { rule }.into());
    }
    let not_due = || Rejection::from(Reason::AdvanceNotDue { rule });
    if !budget.is_active() {
        return Err(not_due());
    }
    let (basis, basis_amount, parameter, on) = match budget.kind {
        BudgetKind::Pvb => {
            let cash_part = *state.cash_parts.get(&command.budget).ok_or_else(not_due)?;
            let first_cash = state
                .agreements
                .values()
                .filter(|a| a.budget == command.budget && a.payment == PaymentForm::Cash)
                .filter_map(|a| a.approved_on)
                .min()
                .ok_or_else(not_due)?;
            (
                AdvanceBasis::CashPart,
                cash_part,
                Parameter::PvbAdvanceFraction,
                first_cash,
            )
        }
        BudgetKind::Pab => {
            let started_on = budget.started_on.ok_or_else(not_due)?;
            let annual = budget
                .annual_amounts
                .range(started_on.year()..)
                .next()
                .map(|(_, amount)| *amount)
                .ok_or_else(not_due)?;
            let granted_on = budget.available_on.unwrap_or(started_on);
            (
                AdvanceBasis::AnnualBudget,
                annual,
                Parameter::PabAdvanceFraction,
                granted_on,
            )
        }
    };
    let ((numerator, denominator), fraction_rule) = rule_book::fraction(ctx, parameter, on)?;
    Ok(vec![
        AdvancePaid {
            budget: command.budget,
            basis,
            basis_amount,
            numerator,
            denominator,
            amount: basis_amount.fraction(numerator, denominator),
            paid_on: ctx.today,
            rules_applied: vec![fraction_rule],
        }
        .into(),
    ])
}

// ---------------------------------------------------------------------------------------------
// Payments and deductions

/// P-05: accepted lines are paid within the payment term; K-03: credit notes are netted and
/// amounts owed to VAPH are offset (oldest recovery first). A payment never exceeds the accepted
/// lines it pays, and an offset never exceeds what a recovery still has outstanding.
pub(super) fn order_payment(
    command: &OrderPayment,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("order a payment", "een betaling te bevelen"),
    )?;
    if state.payments.contains_key(&command.payment) {
        return Err(Reason::DuplicatePayment.into());
    }
    state.budget(command.budget)?;
    let lines: Vec<PaidLine> = state
        .claims
        .values()
        .filter(|c| c.budget == command.budget && c.year == command.year)
        .flat_map(|c| {
            c.lines
                .values()
                .filter(|l| l.status == LineStatus::Accepted && l.paid.is_none())
                .map(|l| PaidLine {
                    claim: c.id,
                    line: l.line.line,
                    amount: l.line.amount,
                })
        })
        .collect();
    let costs: Euro = lines
        .iter()
        .map(|l| l.amount)
        .filter(|a| a.is_positive())
        .sum();
    let credit_notes: Euro = lines
        .iter()
        .map(|l| l.amount)
        .filter(|a| a.is_negative())
        .sum();
    let gross = costs + credit_notes;
    if !gross.is_positive() {
        return Err(Reason::NothingDue.into());
    }
    let (term, term_rule) = rule_book::days(ctx, Parameter::PaymentTermDays, ctx.today)?;
    let mut open: Vec<_> = state
        .recoveries
        .values()
        .filter(|r| r.budget == command.budget && r.outstanding().is_positive())
        .collect();
    open.sort_by_key(|r| (r.decided_on, r.id));
    let mut left = gross;
    let mut offsets = Vec::new();
    for recovery in open {
        if !left.is_positive() {
            break;
        }
        let amount = recovery.outstanding().min(left);
        left -= amount;
        offsets.push(RecoveryOffset {
            recovery: recovery.id,
            payment: command.payment,
            amount,
        });
    }
    let deductions: Euro = offsets.iter().map(|o| o.amount).sum();
    let mut events: Vec<DossierEvent> = vec![
        PaymentOrdered {
            payment: command.payment,
            budget: command.budget,
            year: command.year,
            ordered_on: ctx.today,
            due_by: plus_days(ctx.today, term),
            lines,
            costs,
            credit_notes,
            deductions,
            net: gross - deductions,
            rules_applied: vec![term_rule],
        }
        .into(),
    ];
    events.extend(offsets.into_iter().map(DossierEvent::from));
    Ok(events)
}

pub(super) fn execute_payment(
    command: &ExecutePayment,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("execute a payment", "een betaling uit te voeren"),
    )?;
    let payment = state
        .payments
        .get(&command.payment)
        .ok_or_else(|| Rejection::from(Reason::UnknownPayment))?;
    if payment.executed_on.is_some() {
        return Err(Reason::PaymentAlreadyExecuted.into());
    }
    Ok(vec![
        PaymentExecuted {
            payment: command.payment,
            executed_on: command.executed_on,
        }
        .into(),
    ])
}

/// E-02/E-03: VAPH may pay a further fraction on top when the claims prove the cap insufficient.
pub(super) fn grant_extra_severance(
    command: &GrantExtraSeverance,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new(
            "grant extra severance",
            "een extra opzegvergoeding toe te kennen",
        ),
    )?;
    state.budget(command.budget)?;
    if state
        .extra_severance
        .contains_key(&(command.budget, command.year))
    {
        return Err(Reason::ExtraSeveranceAlreadyGranted.into());
    }
    let capped = state
        .claims
        .values()
        .filter(|c| c.budget == command.budget && c.year == command.year)
        .flat_map(|c| c.lines.values())
        .find(|l| l.status == LineStatus::Rejected(LineReason::SeveranceCapExceeded))
        .ok_or_else(|| Rejection::from(Reason::SeveranceCapNotReached))?;
    let ((numerator, denominator), rule) = rule_book::fraction(
        ctx,
        Parameter::SeveranceExtraFraction,
        capped.line.service_to,
    )?;
    let base =
        budget_line::severance_base(state, command.budget, command.year).unwrap_or(Euro::ZERO);
    Ok(vec![
        ExtraSeveranceAllowanceGranted {
            budget: command.budget,
            year: command.year,
            amount: base.fraction(numerator, denominator),
            reason: command.reason.clone(),
            rules_applied: vec![rule],
        }
        .into(),
    ])
}

// ---------------------------------------------------------------------------------------------
// Year close and recoveries

/// P-06: after the year, the overrun letter for costs refused because the budget was used up
/// (the holder tops up from own means, never from the advance); S004-15: what was paid above the
/// budget and is not explained by COVID-19 costs within the increase, and what was paid for lines
/// reversed later, is recovered.
pub(super) fn close_year(
    command: &CloseBudgetYear,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("close a budget year", "een budgetjaar af te sluiten"),
    )?;
    state.budget(command.budget)?;
    let year = command.year;
    let line = budget_line::budget_line(state, command.budget, year, ctx.rule_book, ctx.today)
        .ok_or_else(|| Rejection::from(Reason::NoBudgetForYear { year }))?;
    if ctx.today.year() <= year {
        return Err(Reason::BudgetYearNotEnded { year }.into());
    }
    if state.closed_years.contains_key(&(command.budget, year)) {
        return Err(Reason::BudgetYearAlreadyClosed { year }.into());
    }
    let mut events: Vec<DossierEvent> = vec![
        BudgetYearClosed {
            budget: command.budget,
            year,
            closed_on: ctx.today,
            annual_budget: line.net_annual,
            covid_increase: line.covid_increase,
            accepted: line.accepted,
            accepted_covid: line.accepted_covid,
            paid: line.paid,
            overrun: line.overrun,
            covid_attributable: line.covid_attributable,
            unexplained_overrun: line.unexplained_overrun,
        }
        .into(),
    ];
    let year_lines = || {
        state
            .claims
            .values()
            .filter(|c| c.budget == command.budget && c.year == year)
            .flat_map(|c| {
                c.lines.values().map(move |l| {
                    (
                        CostLineRef {
                            claim: c.id,
                            line: l.line.line,
                        },
                        l,
                    )
                })
            })
    };
    let refused: Vec<_> = year_lines()
        .filter(|(_, l)| {
            matches!(
                l.status,
                LineStatus::Rejected(
                    LineReason::BudgetExhausted | LineReason::CovidIncreaseReserved
                )
            )
        })
        .collect();
    let top_up: Euro = refused.iter().map(|(_, l)| l.line.amount).sum();
    if top_up.is_positive() {
        events.push(
            OverrunTopUpRequested {
                budget: command.budget,
                year,
                amount: top_up,
                lines: refused.iter().map(|(r, _)| *r).collect(),
            }
            .into(),
        );
    }
    let already: Euro = state
        .recoveries
        .values()
        .filter(|r| {
            r.budget == command.budget
                && r.year == Some(year)
                && !r.reasons.contains(&RecoveryReason::AdvanceAtStop)
        })
        .map(|r| r.amount)
        .sum();
    let to_recover = (line.unexplained_overrun + line.unduly_paid - already).at_least_zero();
    if to_recover.is_positive() {
        if state.recoveries.contains_key(&command.recovery) {
            return Err(Reason::DuplicateRecovery.into());
        }
        let mut reasons = Vec::new();
        if line.unexplained_overrun.is_positive() {
            reasons.push(RecoveryReason::NonCovidOverrun);
        }
        if line.unduly_paid.is_positive() {
            reasons.push(RecoveryReason::IneligibleCost);
        }
        let evidence = year_lines()
            .filter(|(_, l)| {
                l.paid.is_some()
                    && (l.status != LineStatus::Accepted || l.line.category != CostCategory::Covid)
            })
            .map(|(r, _)| budget_line::evidence_ref(r))
            .collect();
        events.push(
            RecoveryDecided {
                recovery: command.recovery,
                budget: command.budget,
                year: Some(year),
                amount: to_recover,
                reasons,
                evidence,
                legal_basis: "S004-15, P-06".into(),
                decided_on: ctx.today,
            }
            .into(),
        );
    }
    Ok(events)
}

pub(super) fn decide_recovery(
    command: &DecideRecovery,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new("decide a recovery", "tot een terugvordering te beslissen"),
    )?;
    if state.recoveries.contains_key(&command.recovery) {
        return Err(Reason::DuplicateRecovery.into());
    }
    state.budget(command.budget)?;
    require_positive(command.amount)?;
    if command.reasons.is_empty()
        || command.evidence.iter().all(|e| e.trim().is_empty())
        || command.legal_basis.trim().is_empty()
    {
        return Err(Reason::RecoveryEvidenceRequired.into());
    }
    Ok(vec![
        RecoveryDecided {
            recovery: command.recovery,
            budget: command.budget,
            year: command.year,
            amount: command.amount,
            reasons: command.reasons.clone(),
            evidence: command.evidence.clone(),
            legal_basis: command.legal_basis.clone(),
            decided_on: ctx.today,
        }
        .into(),
    ])
}

pub(super) fn record_repayment(
    command: &RecordRecoveryRepayment,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("record a repayment", "een terugbetaling te registreren"),
    )?;
    let recovery = state
        .recoveries
        .get(&command.recovery)
        .ok_or_else(|| Rejection::from(Reason::UnknownRecovery))?;
    require_positive(command.amount)?;
    let outstanding = recovery.outstanding();
    if command.amount > outstanding {
        return Err(Reason::RecoveryExceedsOutstanding { outstanding }.into());
    }
    Ok(vec![
        RecoveryRepaid {
            recovery: command.recovery,
            amount: command.amount,
            paid_on: command.paid_on,
        }
        .into(),
    ])
}

/// What is still outstanding is written off, by a staff member, with a reason.
pub(super) fn write_off_recovery(
    command: &WriteOffRecovery,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_staff(
        ctx,
        Action::new("write off a recovery", "een terugvordering af te boeken"),
    )?;
    let recovery = state
        .recoveries
        .get(&command.recovery)
        .ok_or_else(|| Rejection::from(Reason::UnknownRecovery))?;
    let amount = recovery.outstanding();
    if !amount.is_positive() {
        return Err(Reason::NothingDue.into());
    }
    Ok(vec![
        RecoveryWrittenOff {
            recovery: command.recovery,
            amount,
            reason: command.reason.clone(),
            written_off_on: ctx.today,
        }
        .into(),
    ])
}

// ---------------------------------------------------------------------------------------------
// Final settlement

struct Settlement {
    accepted_unpaid: Euro,
    advance_outstanding: Euro,
    recoveries_outstanding: Euro,
}

fn settlement(state: &Dossier, budget: BudgetId) -> Settlement {
    let accepted_unpaid = state
        .claims
        .values()
        .filter(|c| c.budget == budget)
        .flat_map(|c| c.lines.values())
        .filter(|l| l.status == LineStatus::Accepted && l.paid.is_none())
        .map(|l| l.line.amount)
        .sum();
    let advance = state.advances.get(&budget).map_or(Euro::ZERO, |a| a.amount);
    let advance_decided: Euro = state
        .recoveries
        .values()
        .filter(|r| r.budget == budget && r.reasons.contains(&RecoveryReason::AdvanceAtStop))
        .map(|r| r.amount)
        .sum();
    let recoveries_outstanding = state
        .recoveries
        .values()
        .filter(|r| r.budget == budget)
        .map(super::state::Recovery::outstanding)
        .sum();
    Settlement {
        accepted_unpaid,
        advance_outstanding: (advance - advance_decided).at_least_zero(),
        recoveries_outstanding,
    }
}

fn require_ended(state: &Dossier, budget: BudgetId) -> Result<(), Rejection> {
    let b = state.budget(budget)?;
    let ended = matches!(
        b.status,
        BudgetStatus::Stopped(_)
            | BudgetStatus::Lapsed
            | BudgetStatus::ConvertedToPvb
            | BudgetStatus::SwitchedToZorgbudget
    );
    if !ended {
        return Err(Reason::BudgetNotEnded.into());
    }
    if state.final_settlements.contains_key(&budget) {
        return Err(Reason::FinalSettlementAlreadyIssued.into());
    }
    Ok(())
}

/// E-01: after the last costs, a provisional final settlement with a period for extra evidence.
pub(super) fn draft_final_settlement(
    command: &DraftFinalSettlement,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "draft a final settlement",
            "een ontwerp van eindafrekening op te maken",
        ),
    )?;
    require_ended(state, command.budget)?;
    let (days, rule) = rule_book::days(ctx, Parameter::SettlementEvidencePeriodDays, ctx.today)?;
    let figures = settlement(state, command.budget);
    Ok(vec![
        ProvisionalFinalSettlementIssued {
            budget: command.budget,
            issued_on: ctx.today,
            evidence_until: plus_days(ctx.today, days),
            accepted_unpaid: figures.accepted_unpaid,
            advance_outstanding: figures.advance_outstanding,
            recoveries_outstanding: figures.recoveries_outstanding,
            rules_applied: vec![rule],
        }
        .into(),
    ])
}

/// E-01/E-03, P-04/A-04: the definitive settlement recovers the advance (VAPH sends the letter;
/// the holder does not repay on own initiative). The accepted unpaid lines are paid next, net of
/// the recovery (`OrderPayment`).
pub(super) fn issue_final_settlement(
    command: &IssueFinalSettlement,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "issue a final settlement",
            "een eindafrekening uit te reiken",
        ),
    )?;
    require_ended(state, command.budget)?;
    let provisional = state
        .provisional_settlements
        .get(&command.budget)
        .ok_or_else(|| Rejection::from(Reason::ProvisionalSettlementRequired))?;
    if ctx.today <= provisional.evidence_until {
        return Err(Reason::SettlementEvidencePeriodRunning {
            until: provisional.evidence_until,
        }
        .into());
    }
    let figures = settlement(state, command.budget);
    let advance_recovery = figures.advance_outstanding.is_positive();
    if advance_recovery && state.recoveries.contains_key(&command.recovery) {
        return Err(Reason::DuplicateRecovery.into());
    }
    let mut events: Vec<DossierEvent> = vec![
        FinalSettlementIssued {
            budget: command.budget,
            issued_on: ctx.today,
            accepted_unpaid: figures.accepted_unpaid,
            advance_outstanding: figures.advance_outstanding,
            advance_recovery: advance_recovery.then_some(command.recovery),
            balance: figures.accepted_unpaid
                - figures.advance_outstanding
                - figures.recoveries_outstanding,
        }
        .into(),
    ];
    if advance_recovery {
        events.push(
            RecoveryDecided {
                recovery: command.recovery,
                budget: command.budget,
                year: None,
                amount: figures.advance_outstanding,
                reasons: vec![RecoveryReason::AdvanceAtStop],
                evidence: vec![format!("advance/{}", command.budget)],
                legal_basis: "P-04, A-04, E-01, E-03".into(),
                decided_on: ctx.today,
            }
            .into(),
        );
    }
    Ok(events)
}
