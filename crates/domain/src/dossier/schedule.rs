//! Things that happen because a date passes. The daily job (`dossier tick --today DATE`) asks
//! [`due_on`] which commands are due and sends them as the `system` actor; they are never silent
//! side effects of a projection.

use chrono::{Datelike, NaiveDate};

use super::combination::new_rate_version;
use super::commands::*;
use super::state::{BudgetStatus, Dossier, VoucherStatus};
use crate::RuleBook;

/// The commands due on `today` for this dossier.
///
/// Idempotent per date: once the events of these commands are applied, `due_on` for the same date
/// returns nothing more, and every command is refused as `NOTHING_DUE` when it is not (or no
/// longer) due.
pub fn due_on(today: NaiveDate, state: &Dossier, rule_book: &RuleBook) -> Vec<DossierCommand> {
    let Some(person) = &state.person else {
        return Vec::new();
    };
    if state.voided_on.is_some() {
        return Vec::new();
    }
    let mut due = Vec::new();
    if !state.majority_recorded && person.date_of_death.is_none() && person.majority_date() <= today
    {
        due.push(DossierCommand::RecordMajority);
    }
    for budget in state.budgets.values() {
        if budget.status == BudgetStatus::Available
            && budget
                .start_deadline
                .is_some_and(|deadline| deadline < today)
        {
            due.push(DossierCommand::LapseBudget(LapseBudget {
                budget: budget.id,
            }));
        }
    }
    for voucher in state.vouchers.values() {
        if voucher.status == VoucherStatus::Issued && voucher.valid_until < today {
            due.push(DossierCommand::ExpireValueVoucher(ExpireValueVoucher {
                voucher: voucher.id,
            }));
        }
    }
    let month = today.with_day(1).unwrap_or(today);
    for combination in state.combinations.values() {
        if combination.ended_from.is_none()
            && month > combination.effective_from
            && new_rate_version(combination, month, rule_book, today).is_some()
        {
            due.push(DossierCommand::RecalculateCombinationReduction(
                RecalculateCombinationReduction {
                    combination: combination.id,
                    from: month,
                },
            ));
        }
    }
    due.extend(super::money::covid_due(today, state, rule_book));
    due
}
