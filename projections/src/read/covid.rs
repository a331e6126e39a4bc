//! COVID-19 overrun per dossier and in total (S004-14/15), from the domain's budget line.

use crate::Row;
use std::collections::BTreeMap;

use domain::dossier::BudgetLine;
use domain::{BudgetId, Euro};
use event_store::RecordedEvent;

use super::budgets::{affected, affected_budget_lines};
use super::fold::{DossierReadModel, Folded, known_on};
use super::{col, euro};
use crate::rows::ColumnType::{Decimal, Integer, Text};
use crate::{RowChanges, Table};

pub static COVID_OVERRUN: Table = Table {
    name: "covid_overrun",
    doc: "Per dossier and budget year with a COVID-19 increase or COVID-19 costs: cap, costs, overrun.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("budget", Text, "budget id"),
        col("year", Integer, "budget year"),
        col("cap_percent", Decimal, "COVID-19 cap percentage (regime)"),
        col("cap", Decimal, "COVID-19 increase in euro"),
        col("covid_accepted", Decimal, "COVID-19 costs accepted"),
        col(
            "overrun",
            Decimal,
            "overrun of the normal (net annual) budget",
        ),
        col(
            "covid_attributable",
            Decimal,
            "part of the overrun explained by COVID-19 costs",
        ),
        col(
            "unexplained_overrun",
            Decimal,
            "part not explained by COVID-19 costs (to recover)",
        ),
    ],
    primary_key: &["dossier", "budget", "year"],
    indexes: &[&["year"]],
};

pub static COVID_OVERRUN_TOTALS: Table = Table {
    name: "covid_overrun_totals",
    doc: "COVID-19 overrun totals over all dossiers, per budget year.",
    columns: &[
        col("year", Integer, "budget year"),
        col("budget_lines", Integer, "budget years counted"),
        col("cap", Decimal, "sum of the COVID-19 increases"),
        col("covid_accepted", Decimal, "sum of COVID-19 costs accepted"),
        col("overrun", Decimal, "sum of overruns"),
        col(
            "covid_attributable",
            Decimal,
            "sum explained by COVID-19 costs",
        ),
        col(
            "unexplained_overrun",
            Decimal,
            "sum not explained (to recover)",
        ),
    ],
    primary_key: &["year"],
    indexes: &[],
};

/// The COVID-19 figures of one budget year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Figures {
    cap: Euro,
    covid_accepted: Euro,
    overrun: Euro,
    covid_attributable: Euro,
    unexplained: Euro,
}

impl Figures {
    fn of(line: &BudgetLine) -> Self {
        Self {
            cap: line.covid_increase,
            covid_accepted: line.accepted_covid,
            overrun: line.overrun,
            covid_attributable: line.covid_attributable,
            unexplained: line.unexplained_overrun,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    lines: i64,
    sum: Figures,
}

/// A budget year belongs in the COVID-19 view once it has an increase or COVID-19 costs.
fn concerns_covid(line: &BudgetLine) -> bool {
    line.covid_cap_percent.is_some()
        || line.by_category.iter().any(|(c, t)| {
            *c == domain::dossier::CostCategory::Covid
                && (t.accepted != Euro::ZERO || t.held != Euro::ZERO || t.rejected != Euro::ZERO)
        })
}

/// Read model: COVID-19 overrun totals.
#[derive(Debug, Default)]
pub struct CovidOverrun {
    per_line: BTreeMap<(String, BudgetId, i32), Figures>,
    totals: BTreeMap<i32, Totals>,
}

impl DossierReadModel for CovidOverrun {
    const NAME: &'static str = "covid_overrun";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&COVID_OVERRUN, &COVID_OVERRUN_TOTALS];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let known_on = known_on(event);
        let dossier = folded.dossier.to_owned();
        let affected = affected(folded.event, folded.state);
        for line in affected_budget_lines(folded.state, folded.rule_book, known_on, affected) {
            if !concerns_covid(&line) {
                continue;
            }
            let figures = Figures::of(&line);
            let key = (dossier.clone(), line.budget, line.year);
            let previous = self.per_line.insert(key, figures);
            if previous == Some(figures) {
                continue;
            }
            changes.upsert(
                Row::of(&COVID_OVERRUN)
                    .set("dossier", dossier.as_str())
                    .set("budget", line.budget.to_string())
                    .set("year", i64::from(line.year))
                    .set("cap_percent", line.covid_cap_percent)
                    .set("cap", euro(figures.cap))
                    .set("covid_accepted", euro(figures.covid_accepted))
                    .set("overrun", euro(figures.overrun))
                    .set("covid_attributable", euro(figures.covid_attributable))
                    .set("unexplained_overrun", euro(figures.unexplained)),
            );
            let totals = self.totals.entry(line.year).or_default();
            let old = previous.unwrap_or_default();
            totals.lines += i64::from(previous.is_none());
            totals.sum.cap += figures.cap - old.cap;
            totals.sum.covid_accepted += figures.covid_accepted - old.covid_accepted;
            totals.sum.overrun += figures.overrun - old.overrun;
            totals.sum.covid_attributable += figures.covid_attributable - old.covid_attributable;
            totals.sum.unexplained += figures.unexplained - old.unexplained;
            changes.upsert(
                Row::of(&COVID_OVERRUN_TOTALS)
                    .set("year", i64::from(line.year))
                    .set("budget_lines", totals.lines)
                    .set("cap", euro(totals.sum.cap))
                    .set("covid_accepted", euro(totals.sum.covid_accepted))
                    .set("overrun", euro(totals.sum.overrun))
                    .set("covid_attributable", euro(totals.sum.covid_attributable))
                    .set("unexplained_overrun", euro(totals.sum.unexplained)),
            );
        }
    }
}
