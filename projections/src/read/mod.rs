//! The read models of Dossier: each a [`Projection`] folding the log with the domain's own
//! `evolve` and figures from the domain's own functions (rules live in the domain; these fold
//! facts and call it).
//!
//! Work queues (`domain::work`) are `work_items WHERE queue = ?` (the signals queue:
//! `signals WHERE triage = 'open'`), with who took an item from `work_takes`; see [`work`].
//! Search: `dossiers WHERE insz = ?`, or part of `name` or of the dossier number, ignoring
//!   case.

pub mod agreements;
pub mod audit;
pub mod budgets;
pub mod claim_lines;
pub mod controls;
pub mod covid;
pub mod dossiers;
pub mod fold;
pub mod signals;
pub mod work;

use domain::Euro;

use crate::Projection;
use crate::rows::{Column, ColumnType, Value};

/// A column, for the static table definitions.
pub(crate) const fn col(name: &'static str, ty: ColumnType, doc: &'static str) -> Column {
    Column { name, ty, doc }
}

/// An amount as a decimal cell.
pub(crate) fn euro(amount: Euro) -> Value {
    Value::Decimal(amount.amount())
}

/// Every read model, freshly constructed, in a stable order.
/// They share one [`fold::SharedFold`], so each event is decoded and folded once.
pub fn all() -> Vec<Box<dyn Projection>> {
    use fold::Folding;
    let fold = fold::SharedFold::default();
    vec![
        Box::new(Folding::<budgets::Budgets>::sharing(fold.clone())),
        Box::new(Folding::<agreements::Agreements>::sharing(fold.clone())),
        Box::new(Folding::<covid::CovidOverrun>::sharing(fold.clone())),
        Box::new(Folding::<signals::Signals>::sharing(fold.clone())),
        Box::new(Folding::<claim_lines::ClaimLines>::sharing(fold.clone())),
        Box::new(Folding::<dossiers::Dossiers>::sharing(fold.clone())),
        Box::new(Folding::<controls::Controls>::sharing(fold.clone())),
        Box::new(Folding::<work::WorkQueues>::sharing(fold)),
        Box::new(audit::AuditTrail::default()),
    ]
}

/// The names of every read model, for `dossier rebuild --projection NAME`.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name()).collect()
}

/// The read model of that name, freshly constructed.
pub fn by_name(name: &str) -> Option<Box<dyn Projection>> {
    all().into_iter().find(|p| p.name() == name)
}

/// The read models of these names, sharing one fold; `None` when a name is unknown.
pub fn by_names(names: &[&str]) -> Option<Vec<Box<dyn Projection>>> {
    let chosen: Vec<_> = all()
        .into_iter()
        .filter(|p| names.contains(&p.name()))
        .collect();
    (chosen.len() == names.len()).then_some(chosen)
}
