//! Agreements and IDO status, with the COVID-19 freeze of IDOs.

use crate::rows::Row;
use chrono::NaiveDate;
use domain::RuleBook;
use domain::dossier::{Agreement, AgreementKind, AgreementStatus, CovidBasis};
use domain::rule_book::{Parameter, ParameterValue};
use event_store::RecordedEvent;

use super::col;
use super::fold::{DossierReadModel, Folded, known_on};
use crate::rows::ColumnType::{Boolean, Date, Text};
use crate::{RowChanges, Table};

pub static AGREEMENTS: Table = Table {
    name: "agreements",
    doc: "Every agreement of every dossier with its state; for IDOs the COVID-19 freeze.",
    columns: &[
        col("dossier", Text, "dossier number"),
        col("agreement", Text, "agreement id"),
        col("budget", Text, "budget id"),
        col("kind", Text, "agreement type"),
        col("payment", Text, "cash or voucher"),
        col("provider", Text, "provider (organisation id or name)"),
        col(
            "status",
            Text,
            "registered, approved, rejected, notice_given or terminated",
        ),
        col("start_date", Date, "first day of the agreement"),
        col(
            "end_date",
            Date,
            "last day, if known (after notice: the notice's end date)",
        ),
        col("approved_on", Date, "approval date"),
        col("notice_date", Date, "date notice was given"),
        col("covid", Boolean, "a COVID-19 agreement"),
        col("covid_basis", Text, "new, ido_extension or extra_hours"),
        col(
            "covid_frozen",
            Boolean,
            "an IDO running during the COVID-19 freeze (S004-06/08)",
        ),
        col("frozen_until", Date, "last day of the freeze"),
        col(
            "notice_possible_from",
            Date,
            "first day notice may be given during the freeze (S004-07)",
        ),
        col(
            "may_change_from",
            Date,
            "first day the IDO may end or change again",
        ),
    ],
    primary_key: &["dossier", "agreement"],
    indexes: &[&["status"]],
};

pub(crate) fn status_code(agreement: &Agreement) -> &'static str {
    match agreement.status {
        AgreementStatus::Pending => "registered",
        AgreementStatus::Rejected => "rejected",
        AgreementStatus::Terminated => "terminated",
        AgreementStatus::Voided => "voided",
        AgreementStatus::Approved if agreement.notice.is_some() => "notice_given",
        AgreementStatus::Approved => "approved",
    }
}

/// The COVID-19 freeze as the rule book states it, as known on `known_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdoFreeze {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub notice_from: Option<NaiveDate>,
}

/// The freeze periods published by `known_on` that overlap `[start, end]`.
pub fn ido_freeze(
    rule_book: &RuleBook,
    start: NaiveDate,
    end: Option<NaiveDate>,
    known_on: NaiveDate,
) -> Option<IdoFreeze> {
    let period = rule_book
        .history(Parameter::CovidIdoFrozenPeriod)
        .iter()
        .filter(|v| v.published_on <= known_on)
        .filter_map(|v| match v.value {
            ParameterValue::Period { from, to } => Some((from, to)),
            _ => None,
        })
        .filter(|(from, to)| start <= *to && end.is_none_or(|e| e >= *from))
        .max_by_key(|(from, _)| *from)?;
    let notice_from = rule_book
        .version(Parameter::CovidIdoNoticeFrom, period.1, known_on)
        .and_then(|v| match v.value {
            ParameterValue::Date(d) => Some(d),
            _ => None,
        });
    Some(IdoFreeze {
        from: period.0,
        to: period.1,
        notice_from,
    })
}

/// The row of [`AGREEMENTS`] for one agreement.
pub fn agreement_row(
    dossier: &str,
    agreement: &Agreement,
    rule_book: &RuleBook,
    known_on: NaiveDate,
) -> Row {
    let end = agreement.notice.map(|(_, end)| end).or(agreement.end);
    let freeze = (agreement.kind == AgreementKind::Ido)
        .then(|| ido_freeze(rule_book, agreement.start, end, known_on))
        .flatten();
    let covid_basis = agreement.covid.as_ref().map(|b| match b {
        CovidBasis::New => "new",
        CovidBasis::IdoExtension { .. } => "ido_extension",
        CovidBasis::ExtraHours { .. } => "extra_hours",
    });
    Row::of(&AGREEMENTS)
        .set("dossier", dossier)
        .set("agreement", agreement.id.to_string())
        .set("budget", agreement.budget.to_string())
        .set("kind", agreement.kind.code())
        .set("payment", agreement.payment.code())
        .set("provider", agreement.provider.key())
        .set("status", status_code(agreement))
        .set("start_date", agreement.start)
        .set("end_date", end)
        .set("approved_on", agreement.approved_on)
        .set("notice_date", agreement.notice.map(|(notice, _)| notice))
        .set("covid", agreement.covid.is_some())
        .set("covid_basis", covid_basis)
        .set("covid_frozen", freeze.is_some())
        .set("frozen_until", freeze.map(|f| f.to))
        .set("notice_possible_from", freeze.and_then(|f| f.notice_from))
        .set("may_change_from", freeze.and_then(|f| f.to.succ_opt()))
}

/// Read model: agreements and IDO status.
#[derive(Debug, Default)]
pub struct Agreements;

impl DossierReadModel for Agreements {
    const NAME: &'static str = "agreements";
    const VERSION: u32 = 1;
    const TABLES: &'static [&'static Table] = &[&AGREEMENTS];

    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut RowChanges,
    ) {
        let known_on = known_on(event);
        use domain::dossier::DossierEvent as E;
        let touched = match folded.event {
            E::AgreementRegistered(e) => e.agreement,
            E::AgreementApproved(e) => e.agreement,
            E::AgreementRejected(e) => e.agreement,
            E::AgreementAmended(e) => e.agreement,
            E::AgreementNoticeGiven(e) => e.agreement,
            E::AgreementTerminated(e) => e.agreement,
            E::AgreementVoided(e) => e.agreement,
            _ => return,
        };
        if let Some(agreement) = folded.state.agreements.get(&touched) {
            changes.upsert(agreement_row(
                folded.dossier,
                agreement,
                folded.rule_book,
                known_on,
            ));
        }
    }
}
