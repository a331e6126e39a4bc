//! Budget per dossier per budget year: every figure from `domain::dossier::budget_line`.

use crate::rows::Row;
use std::collections::HashMap;

use chrono::NaiveDate;
use domain::dossier::{BudgetKind, BudgetLine, DossierEvent, budget_line, monthly_reduction};
use domain::rule_book::Parameter;
use domain::{BudgetId, Euro};
use event_store::RecordedEvent;

use super::fold::{DossierReadModel, Folded, known_on};
use super::{col, euro};
use crate::rows::ColumnType::{Date, Decimal, Integer, Text};
use crate::{RowChanges, Table};

pub static BUDGET_YEARS: Table = Table {
    name: "budget_years",
    doc: "The figures of each budget year of each dossier, as computed by the domain's budget line.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("budget", Text, "budget id"),
        col("year", Integer, "budget year"),
        col("kind", Text, "PAB or PVB"),
        col("annual_budget", Decimal, "annual amount of the year"),
        col(
            "reductions",
            Decimal,
            "combination-form reductions of the year (sum of the monthly reductions)",
        ),
        col("net_annual", Decimal, "annual budget minus reductions"),
        col(
            "covid_cap_percent",
            Decimal,
            "COVID-19 cap percentage (regime), when an increase was granted",
        ),
        col(
            "covid_regime_version",
            Integer,
            "version of rule parameter covid.overrun_cap_percent applied",
        ),
        col(
            "covid_base_date",
            Date,
            "the date whose budget is the base of the COVID-19 cap",
        ),
        col(
            "covid_increase",
            Decimal,
            "COVID-19 increase (the cap in euro)",
        ),
        col("extra_severance", Decimal, "extra severance granted on top"),
        col(
            "total",
            Decimal,
            "net annual + COVID-19 increase + extra severance",
        ),
        col("accepted", Decimal, "accepted cost lines"),
        col("accepted_covid", Decimal, "accepted COVID-19 cost lines"),
        col("rejected", Decimal, "rejected cost lines"),
        col("held", Decimal, "held or undecided cost lines"),
        col(
            "other_costs",
            Decimal,
            "PAB other costs accepted (other + free part)",
        ),
        col(
            "other_costs_limit",
            Decimal,
            "PAB limit of other costs (S003-05), empty for a PVB",
        ),
        col("advance", Decimal, "advance of the budget"),
        col("paid", Decimal, "paid for lines of the year"),
        col("unduly_paid", Decimal, "paid for lines no longer accepted"),
        col(
            "deducted",
            Decimal,
            "deductions withheld from payments of the year",
        ),
        col("recovered", Decimal, "recovered on recoveries of the year"),
        col(
            "recovery_outstanding",
            Decimal,
            "still to recover on recoveries of the year",
        ),
        col("remaining", Decimal, "total minus accepted, at least zero"),
        col(
            "overrun",
            Decimal,
            "paid for accepted lines above the net annual budget",
        ),
        col(
            "covid_attributable",
            Decimal,
            "part of the overrun explained by COVID-19 costs",
        ),
        col(
            "unexplained_overrun",
            Decimal,
            "part of the overrun not explained (to recover)",
        ),
    ],
    primary_key: &["dossier", "budget", "year"],
    indexes: &[&["year"]],
};

pub static BUDGET_YEAR_CATEGORIES: Table = Table {
    name: "budget_year_categories",
    doc: "Accepted, rejected and held amounts per cost category of each budget year.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("budget", Text, "budget id"),
        col("year", Integer, "budget year"),
        col("category", Text, "cost category"),
        col("accepted", Decimal, "accepted"),
        col("rejected", Decimal, "rejected"),
        col("held", Decimal, "held or undecided"),
    ],
    primary_key: &["dossier", "budget", "year", "category"],
    indexes: &[],
};

pub static BUDGET_MONTH_REDUCTIONS: Table = Table {
    name: "budget_month_reductions",
    doc: "The combination-form reduction of each month of a PAB budget year (S003-13, S003-15), \
          for budgets with a combination; the year's `reductions` is their sum.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("budget", Text, "budget id"),
        col("year", Integer, "budget year"),
        col("month", Integer, "month (1-12)"),
        col(
            "reduction",
            Decimal,
            "reduction of the month: the monthly reductions in force on its first day",
        ),
    ],
    primary_key: &["dossier", "budget", "year", "month"],
    indexes: &[],
};

/// How the COVID-19 increase of a budget year was set: base date and regime version, from the
/// grant and raise events (the dossier state keeps only the amounts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CovidRegime {
    pub base_date: Option<NaiveDate>,
    pub cap_version: Option<u32>,
}

/// Keeps the COVID-19 regime of each budget year from the grant and raise events.
#[derive(Debug, Default, Clone)]
pub struct CovidRegimes {
    by_year: HashMap<(String, BudgetId, i32), CovidRegime>,
}

impl CovidRegimes {
    pub fn apply(&mut self, dossier: &str, event: &DossierEvent) {
        let cap_version = |rules: &[domain::rule_book::AppliedParameter]| {
            rules
                .iter()
                .find(|r| r.parameter == Parameter::CovidOverrunCapPercent)
                .map(|r| r.version)
        };
        match event {
            DossierEvent::CovidOverrunAllowanceGranted(e) => {
                self.by_year.insert(
                    (dossier.to_owned(), e.budget, e.year),
                    CovidRegime {
                        base_date: Some(e.base_date),
                        cap_version: cap_version(&e.rules_applied),
                    },
                );
            }
            DossierEvent::CovidOverrunAllowanceRaised(e) => {
                let regime = self
                    .by_year
                    .entry((dossier.to_owned(), e.budget, e.year))
                    .or_default();
                if let Some(version) = cap_version(&e.rules_applied) {
                    regime.cap_version = Some(version);
                }
            }
            _ => {}
        }
    }

    pub fn get(&self, dossier: &str, budget: BudgetId, year: i32) -> CovidRegime {
        self.by_year
            .get(&(dossier.to_owned(), budget, year))
            .copied()
            .unwrap_or_default()
    }
}

fn kind_name(kind: BudgetKind) -> &'static str {
    match kind {
        BudgetKind::Pab => "PAB",
        BudgetKind::Pvb => "PVB",
    }
}

/// The row of [`BUDGET_YEARS`] for one budget line.
pub fn budget_year_row(dossier: &str, line: &BudgetLine, regime: CovidRegime) -> Row {
    Row::of(&BUDGET_YEARS)
        .set("dossier", dossier)
        .set("budget", line.budget.to_string())
        .set("year", i64::from(line.year))
        .set("kind", kind_name(line.kind))
        .set("annual_budget", euro(line.annual_budget))
        .set("reductions", euro(line.reductions))
        .set("net_annual", euro(line.net_annual))
        .set("covid_cap_percent", line.covid_cap_percent)
        .set("covid_regime_version", regime.cap_version.map(i64::from))
        .set("covid_base_date", regime.base_date)
        .set("covid_increase", euro(line.covid_increase))
        .set("extra_severance", euro(line.extra_severance))
        .set("total", euro(line.total))
        .set("accepted", euro(line.accepted))
        .set("accepted_covid", euro(line.accepted_covid))
        .set("rejected", euro(line.rejected))
        .set("held", euro(line.held))
        .set("other_costs", euro(line.other_costs))
        .set(
            "other_costs_limit",
            line.other_costs_limit.map(Euro::amount),
        )
        .set("advance", euro(line.advance))
        .set("paid", euro(line.paid))
        .set("unduly_paid", euro(line.unduly_paid))
        .set("deducted", euro(line.deducted))
        .set("recovered", euro(line.recovered))
        .set("recovery_outstanding", euro(line.recovery_outstanding))
        .set("remaining", euro(line.remaining))
        .set("overrun", euro(line.overrun))
        .set("covid_attributable", euro(line.covid_attributable))
        .set("unexplained_overrun", euro(line.unexplained_overrun))
}

/// Which budget years an event can change the figures of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affected {
    Nothing,
    Year(BudgetId, i32),
    /// Every year of one budget (reductions, the advance).
    Budget(BudgetId),
    All,
}

impl Affected {
    fn includes(self, budget: BudgetId, year: i32) -> bool {
        match self {
            Self::Nothing => false,
            Self::Year(b, y) => b == budget && y == year,
            Self::Budget(b) => b == budget,
            Self::All => true,
        }
    }
}

/// The budget years whose figures `event` can change, given the state after it. Facts that
/// never enter a figure (people, agreements, controls) change none; anything not listed is
/// taken to change every year, so a new kind of event errs on the side of recomputing.
pub fn affected(event: &DossierEvent, state: &domain::dossier::Dossier) -> Affected {
    use DossierEvent as E;
    let claim_year = |claim| {
        state
            .claims
            .get(claim)
            .map_or(Affected::All, |c| Affected::Year(c.budget, c.year))
    };
    let recovery_year = |recovery| match state.recoveries.get(recovery) {
        Some(r) => r
            .year
            .map_or(Affected::Budget(r.budget), |y| Affected::Year(r.budget, y)),
        None => Affected::All,
    };
    match event {
        E::PersonRegistered(_)
        | E::BirthDateCorrected(_)
        | E::PersonNameRecorded(_)
        | E::PersonDeceased(_)
        | E::LegalRepresentativeAssigned(_)
        | E::LegalRepresentativeEnded(_)
        | E::BudgetHolderDesignated(_)
        | E::BudgetAccountRegistered(_)
        | E::BudgetAccountCorrected(_)
        | E::BudgetAccountProxyChanged(_)
        | E::PersonReachedMajority(_)
        | E::PabApplicationSubmitted(_)
        | E::ValueVoucherIssued(_)
        | E::ValueVoucherRedeemed(_)
        | E::ValueVoucherExpired(_)
        | E::HomeGuidanceDeregistrationAttested(_)
        | E::BudgetStarted(_)
        | E::BudgetAvailabilityLapsed(_)
        | E::BudgetStopped(_)
        | E::VoluntarySwitchToZorgbudgetRecorded(_)
        | E::AgreementRegistered(_)
        | E::AgreementApproved(_)
        | E::AgreementRejected(_)
        | E::AgreementAmended(_)
        | E::AgreementNoticeGiven(_)
        | E::AgreementTerminated(_)
        | E::AgreementVoided(_)
        | E::AssistanceOrganisationJoined(_)
        | E::AssistanceRecorded(_)
        | E::SuspectedMisuseReported(_)
        | E::CashPartDeclared(_)
        | E::PaymentExecuted(_)
        | E::BudgetYearClosed(_)
        | E::OverrunTopUpRequested(_)
        | E::ProvisionalFinalSettlementIssued(_)
        | E::FinalSettlementIssued(_)
        | E::ControlCaseOpened(_)
        | E::EvidenceRequested(_)
        | E::EvidenceReceived(_)
        | E::InspectionVisitHeld(_)
        | E::ControlConcluded(_)
        | E::FraudSuspicionReported(_) => Affected::Nothing,
        E::PabGranted(e) => Affected::Budget(e.budget),
        E::PvbMadeAvailable(e) => Affected::Budget(e.budget),
        E::AnnualBudgetAmountSet(e) => Affected::Year(e.budget, e.year),
        E::CostClaimSubmitted(e) => Affected::Year(e.budget, e.budget_year),
        E::CostLineAccepted(e) => claim_year(&e.claim),
        E::CostLineRejected(e) => claim_year(&e.claim),
        E::CostLineHeld(e) => claim_year(&e.claim),
        E::CostLineDecidedByStaff(e) => claim_year(&e.claim),
        E::CostLineDecisionOverridden(e) => claim_year(&e.claim),
        E::CostClaimVoided(e) => claim_year(&e.claim),
        E::CovidOverrunAllowanceGranted(e) => Affected::Year(e.budget, e.year),
        E::CovidOverrunAllowanceRaised(e) => Affected::Year(e.budget, e.year),
        E::ExtraSeveranceAllowanceGranted(e) => Affected::Year(e.budget, e.year),
        E::AdvancePaid(e) => Affected::Budget(e.budget),
        E::PaymentOrdered(e) => Affected::Year(e.budget, e.year),
        E::RecoveryDecided(e) => e
            .year
            .map_or(Affected::Budget(e.budget), |y| Affected::Year(e.budget, y)),
        E::RecoveryOffset(e) => recovery_year(&e.recovery),
        E::RecoveryRepaid(e) => recovery_year(&e.recovery),
        E::RecoveryWrittenOff(e) => recovery_year(&e.recovery),
        _ => Affected::All,
    }
}

/// The budget lines of a dossier that `affected` names, as known on `known_on`.
pub fn affected_budget_lines(
    state: &domain::dossier::Dossier,
    rule_book: &domain::RuleBook,
    known_on: NaiveDate,
    affected: Affected,
) -> Vec<BudgetLine> {
    if affected == Affected::Nothing {
        return Vec::new();
    }
    state
        .budgets
        .values()
        .flat_map(|b| {
            b.annual_amounts
                .keys()
                .filter(move |year| affected.includes(b.id, **year))
                .filter_map(move |year| budget_line(state, b.id, *year, rule_book, known_on))
        })
        .collect()
}

/// Every budget line of a dossier, as known on `known_on`.
pub fn budget_lines(
    state: &domain::dossier::Dossier,
    rule_book: &domain::RuleBook,
    known_on: NaiveDate,
) -> Vec<BudgetLine> {
    state
        .budgets
        .values()
        .flat_map(|b| {
            b.annual_amounts
                .keys()
                .filter_map(move |year| budget_line(state, b.id, *year, rule_book, known_on))
        })
        .collect()
}

/// Read model: budget per dossier per budget year.
#[derive(Debug, Default)]
pub struct Budgets {
    regimes: CovidRegimes,
}

impl DossierReadModel for Budgets {
    const NAME: &'static str = "budgets";
    // 2: monthly combination reductions.
    const VERSION: u32 = 2;
    const TABLES: &'static [&'static Table] = &[
        &BUDGET_YEARS,
        &BUDGET_YEAR_CATEGORIES,
        &BUDGET_MONTH_REDUCTIONS,
    ];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let known_on = known_on(event);
        self.regimes.apply(folded.dossier, folded.event);
        let affected = affected(folded.event, folded.state);
        for line in affected_budget_lines(folded.state, folded.rule_book, known_on, affected) {
            let regime = self.regimes.get(folded.dossier, line.budget, line.year);
            changes.upsert(budget_year_row(folded.dossier, &line, regime));
            let has_combination = folded
                .state
                .reduction_history
                .iter()
                .any(|p| p.budget == line.budget);
            if has_combination {
                for month in 1..=12 {
                    let reduction = monthly_reduction(folded.state, line.budget, line.year, month);
                    changes.upsert(
                        Row::of(&BUDGET_MONTH_REDUCTIONS)
                            .set("dossier", folded.dossier)
                            .set("budget", line.budget.to_string())
                            .set("year", i64::from(line.year))
                            .set("month", i64::from(month))
                            .set("reduction", euro(reduction)),
                    );
                }
            }
            for (category, totals) in &line.by_category {
                changes.upsert(
                    Row::of(&BUDGET_YEAR_CATEGORIES)
                        .set("dossier", folded.dossier)
                        .set("budget", line.budget.to_string())
                        .set("year", i64::from(line.year))
                        .set("category", category.code())
                        .set("accepted", euro(totals.accepted))
                        .set("rejected", euro(totals.rejected))
                        .set("held", euro(totals.held)),
                );
            }
        }
    }
}
