//! The budget line of a dossier and budget year: every figure staff, the holder's letters and the
//! projections show, computed in one place from the dossier state. The deciders use the same
//! functions, so a figure on screen is the figure a rule decided on.
//!
//! The annual budget is the amount of the year net of combination reductions (S003-13); the
//! COVID-19 increase comes on top (S004-14/19: "the total of the budget line = annual budget
//! including the COVID increase"), and so does extra severance granted by VAPH (E-02/E-03).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::events::{BudgetKind, CostCategory, CostLineRef};
use super::state::{Dossier, LineStatus};
use crate::RuleBook;
use crate::rule_book::{AppliedParameter, Looked, Parameter, ParameterValue};
use crate::values::{BudgetId, Euro};

/// Accepted, rejected and held amounts of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryTotals {
    pub accepted: Euro,
    pub rejected: Euro,
    pub held: Euro,
}

/// The figures of a budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub budget: BudgetId,
    pub kind: BudgetKind,
    pub year: i32,
    /// The annual amount of the year.
    pub annual_budget: Euro,
    /// Combination reductions in the year (PAB with MFC day care).
    pub reductions: Euro,
    /// Annual budget − reductions: what regular costs may use.
    pub net_annual: Euro,
    /// The COVID-19 cap percentage (regime version) and increase, if granted.
    pub covid_cap_percent: Option<Decimal>,
    pub covid_increase: Euro,
    /// Extra severance granted on top of the budget.
    pub extra_severance: Euro,
    /// Net annual + COVID-19 increase + extra severance: the most the year can pay.
    pub total: Euro,
    pub by_category: BTreeMap<CostCategory, CategoryTotals>,
    pub accepted: Euro,
    pub accepted_covid: Euro,
    pub accepted_regular: Euro,
    pub rejected: Euro,
    pub held: Euro,
    /// PAB other costs (other + free part) accepted, and their limit (S003-05).
    pub other_costs: Euro,
    pub other_costs_limit: Option<Euro>,
    /// The advance of the budget (not part of the budget; shown on every year).
    pub advance: Euro,
    /// Paid for lines of the year, credit notes netted (before deductions).
    pub paid: Euro,
    /// Of which paid for lines that are no longer accepted (unduly paid).
    pub unduly_paid: Euro,
    /// Deductions (inhoudingen) withheld from payments of the year.
    pub deducted: Euro,
    /// Recovered (offset or repaid) on recoveries of the year.
    pub recovered: Euro,
    /// Still to recover on recoveries of the year.
    pub recovery_outstanding: Euro,
    /// Total − accepted, at least zero.
    pub remaining: Euro,
    /// Paid for accepted lines above the net annual budget.
    pub overrun: Euro,
    /// The part of the overrun explained by COVID-19 costs within the increase (S004-15).
    pub covid_attributable: Euro,
    /// The part explained by severance within the extra allowance.
    pub severance_attributable: Euro,
    /// The rest: recovered at year close.
    pub unexplained_overrun: Euro,
}

/// Accepted totals the line rules check against, for one budget year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spent {
    pub regular: Euro,
    pub covid: Euro,
    pub other: Euro,
    pub severance: Euro,
    /// (provider key, invoice number) of accepted lines.
    pub invoices: BTreeSet<(String, String)>,
}

impl Spent {
    pub fn total(&self) -> Euro {
        self.regular + self.covid
    }

    /// Adds an accepted line.
    pub fn add(&mut self, category: CostCategory, amount: Euro, invoice: (String, String)) {
        match category {
            CostCategory::Covid => self.covid += amount,
            _ => self.regular += amount,
        }
        if category.is_other_cost() {
            self.other += amount;
        }
        if category == CostCategory::Severance {
            self.severance += amount;
        }
        self.invoices.insert(invoice);
    }
}

/// The accepted lines of a budget year; the invoices of every accepted line of the dossier
/// (any budget, any year), because an invoice is paid once.
pub fn spent(state: &Dossier, budget: BudgetId, year: i32) -> Spent {
    let mut spent = Spent::default();
    for claim in state.claims.values() {
        let this_year = claim.budget == budget && claim.year == year;
        for line in claim.lines.values() {
            if line.status != LineStatus::Accepted {
                continue;
            }
            let invoice = (line.line.provider.key(), line.line.invoice_no.clone());
            if this_year {
                spent.add(line.line.category, line.line.amount, invoice);
            } else {
                spent.invoices.insert(invoice);
            }
        }
    }
    spent
}

/// The combination reduction of one month of a budget: for each combination, the monthly
/// reduction in force on the month's first day (S003-13, S003-15: reductions are per full
/// calendar month), summed. Zero for a month without one.
pub fn monthly_reduction(state: &Dossier, budget: BudgetId, year: i32, month: u32) -> Euro {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Euro::ZERO;
    };
    let combinations: BTreeSet<_> = state
        .reduction_history
        .iter()
        .filter(|p| p.budget == budget)
        .map(|p| p.combination)
        .collect();
    let mut total = Euro::ZERO;
    for combination in &combinations {
        if let Some(period) = state
            .reduction_history
            .iter()
            .rev()
            .find(|p| p.combination == *combination && p.from <= first)
        {
            total += period.monthly;
        }
    }
    total
}

/// The combination reductions of a budget in a year: the twelve monthly reductions, summed.
pub fn reductions(state: &Dossier, budget: BudgetId, year: i32) -> Euro {
    let mut total = Euro::ZERO;
    for month in 1..=12 {
        total += monthly_reduction(state, budget, year, month);
    }
    total
}

/// The annual amount of the year net of reductions, or `None` when the budget has no amount for
/// that year.
pub fn net_annual(state: &Dossier, budget: BudgetId, year: i32) -> Option<Euro> {
    let annual = *state.budgets.get(&budget)?.annual_amounts.get(&year)?;
    Some(annual - reductions(state, budget, year))
}

/// The COVID-19 increase of the year (zero when none was granted).
pub fn covid_increase(state: &Dossier, budget: BudgetId, year: i32) -> Euro {
    state
        .covid_allowances
        .get(&(budget, year))
        .map_or(Euro::ZERO, |a| a.cap)
}

/// Extra severance granted on top of the budget (E-02/E-03).
pub fn extra_severance(state: &Dossier, budget: BudgetId, year: i32) -> Euro {
    state
        .extra_severance
        .get(&(budget, year))
        .copied()
        .unwrap_or(Euro::ZERO)
}

/// The PAB limit of other costs: the percentage of the annual budget in force on `on`
/// (S003-05). `None` for a PVB or before the rule's first version.
pub fn other_costs_limit(
    kind: BudgetKind,
    annual: Euro,
    rule_book: &RuleBook,
    on: NaiveDate,
    known_on: NaiveDate,
) -> Option<Looked<Euro>> {
    if kind != BudgetKind::Pab {
        return None;
    }
    let version = rule_book.version(Parameter::PabOtherCostsMaxPercent, on, known_on)?;
    match version.value {
        ParameterValue::Percent(percent) => Some((annual.percent(percent), version.applied())),
        _ => None,
    }
}

/// The base of the severance cap: the annual budget (PAB) or the declared cash part (PVB;
/// the annual budget when none was declared) (E-02/E-03).
pub fn severance_base(state: &Dossier, budget: BudgetId, year: i32) -> Option<Euro> {
    let b = state.budgets.get(&budget)?;
    let annual = *b.annual_amounts.get(&year)?;
    Some(match b.kind {
        BudgetKind::Pab => annual,
        BudgetKind::Pvb => state.cash_parts.get(&budget).copied().unwrap_or(annual),
    })
}

/// The budget line of a budget and year, as known on `known_on` (for the rule-book lookups).
/// `None` when the dossier has no such budget or no amount for that year.
pub fn budget_line(
    state: &Dossier,
    budget: BudgetId,
    year: i32,
    rule_book: &RuleBook,
    known_on: NaiveDate,
) -> Option<BudgetLine> {
    let b = state.budgets.get(&budget)?;
    let annual_budget = *b.annual_amounts.get(&year)?;
    let reductions = reductions(state, budget, year);
    let net_annual = annual_budget - reductions;
    let allowance = state.covid_allowances.get(&(budget, year));
    let covid_increase = allowance.map_or(Euro::ZERO, |a| a.cap);
    let extra_severance = extra_severance(state, budget, year);
    let total = net_annual + covid_increase + extra_severance;
    let mut by_category: BTreeMap<CostCategory, CategoryTotals> = CostCategory::ALL
        .iter()
        .map(|c| (*c, CategoryTotals::default()))
        .collect();
    let mut paid_accepted = Euro::ZERO;
    let mut paid_covid = Euro::ZERO;
    let mut paid_severance = Euro::ZERO;
    let mut unduly_paid = Euro::ZERO;
    for claim in state
        .claims
        .values()
        .filter(|c| c.budget == budget && c.year == year)
    {
        for line in claim.lines.values() {
            if line.status == LineStatus::Voided {
                continue;
            }
            let totals = by_category.entry(line.line.category).or_default();
            let amount = line.line.amount;
            match line.status {
                LineStatus::Accepted => totals.accepted += amount,
                LineStatus::Rejected(_) => totals.rejected += amount,
                LineStatus::Held(_) | LineStatus::Undecided => totals.held += amount,
                LineStatus::Voided => {}
            }
            if let Some((_, paid)) = line.paid {
                if line.status == LineStatus::Accepted {
                    paid_accepted += paid;
                    match line.line.category {
                        CostCategory::Covid => paid_covid += paid,
                        CostCategory::Severance => paid_severance += paid,
                        _ => {}
                    }
                } else {
                    unduly_paid += paid;
                }
            }
        }
    }
    let sum = |f: fn(&CategoryTotals) -> Euro| by_category.values().map(f).sum::<Euro>();
    let accepted = sum(|t| t.accepted);
    let accepted_covid = by_category[&CostCategory::Covid].accepted;
    let other_costs =
        by_category[&CostCategory::Other].accepted + by_category[&CostCategory::FreePart].accepted;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31)?;
    let other_costs_limit =
        other_costs_limit(b.kind, annual_budget, rule_book, year_end, known_on).map(|(l, _)| l);
    let overrun = (paid_accepted - net_annual).at_least_zero();
    let covid_attributable = overrun.min(paid_covid.at_least_zero()).min(covid_increase);
    let severance_attributable = (overrun - covid_attributable)
        .min(paid_severance.at_least_zero())
        .min(extra_severance);
    let unexplained_overrun = overrun - covid_attributable - severance_attributable;
    let year_payments = state
        .payments
        .values()
        .filter(|p| p.budget == budget && p.year == year);
    let deducted = year_payments.map(|p| p.deductions).sum();
    let year_recoveries = state
        .recoveries
        .values()
        .filter(|r| r.budget == budget && r.year == Some(year));
    let (recovered, recovery_outstanding) =
        year_recoveries.fold((Euro::ZERO, Euro::ZERO), |(recovered, outstanding), r| {
            (
                recovered + r.offset + r.repaid,
                outstanding + r.outstanding(),
            )
        });
    Some(BudgetLine {
        budget,
        kind: b.kind,
        year,
        annual_budget,
        reductions,
        net_annual,
        covid_cap_percent: allowance.map(|a| a.cap_percent),
        covid_increase,
        extra_severance,
        total,
        accepted,
        accepted_covid,
        accepted_regular: accepted - accepted_covid,
        rejected: sum(|t| t.rejected),
        held: sum(|t| t.held),
        by_category,
        other_costs,
        other_costs_limit,
        advance: state.advances.get(&budget).map_or(Euro::ZERO, |a| a.amount),
        paid: paid_accepted + unduly_paid,
        unduly_paid,
        deducted,
        recovered,
        recovery_outstanding,
        remaining: (total - accepted).at_least_zero(),
        overrun,
        covid_attributable,
        severance_attributable,
        unexplained_overrun,
    })
}

/// The year of a date, for "budget year of a service date".
pub fn year_of(date: NaiveDate) -> i32 {
    date.year()
}

/// Records which parameters a figure used, for decision events.
pub fn applied(list: &mut Vec<AppliedParameter>, applied: AppliedParameter) {
    if !list.contains(&applied) {
        list.push(applied);
    }
}

/// A line reference as evidence text: `claim/line`.
pub fn evidence_ref(line: CostLineRef) -> String {
    format!("{}/{}", line.claim, line.line)
}
