//! The dossier aggregate: one stream per person with a disability.
//!
//! It holds the person, the legal representatives (wettelijke vertegenwoordigers), the
//! budgethouder, the budget account, the budgets (PAB, PVB), the agreements (overeenkomsten), the
//! PAB combinations (combinatieformulieren), the waardebon, the membership of a
//! bijstandsorganisatie and reports of misuse; and the money side: cost claims (kostenstaten) with
//! a decision per line, the COVID-19 increase, the advance, payments and deductions, year close,
//! recoveries, the final settlement, and control cases. [`decide`] holds every rule; [`evolve`]
//! only applies facts; [`budget_line()`] computes the figures of a budget year with the same
//! functions the deciders use.
//!
//! A person is also keyed by INSZ outside this stream: before the person is registered here, the
//! application layer claims the person's stream in the person index ([`crate::person_index`],
//! named by a keyed hash of the INSZ) with "no stream yet" as expected version, so a second
//! registration of the same INSZ in another dossier is refused; inside one dossier a second
//! registration is `DUPLICATE_PERSON`.

mod agreement;
mod assistance;
mod budget;
pub mod budget_line;
mod claims;
mod combination;
mod commands;
mod control;
mod events;
mod migration;
mod money;
mod money_state;
mod person;
pub mod retention;
mod roles;
mod schedule;
mod state;
mod warnings;

pub use budget_line::{BudgetLine, budget_line, monthly_reduction};
pub use commands::*;
pub use events::*;
pub use money::covid_cap_percent;
pub use roles::{PersonRole, roles_nl};
pub use schedule::due_on;
pub use state::*;
pub use warnings::{Warning, birth_date_against_insz, warnings};

use crate::rejection::Action;
use crate::rejection::Rejection;
use crate::values::DossierId;
use crate::{Context, Decider};

/// Every dossier stream is named `dossier-<uuid>`.
pub const STREAM_PREFIX: &str = "dossier-";

/// The dossier a stream belongs to, if `stream` names a dossier stream.
pub fn dossier_of_stream(stream: &str) -> Option<DossierId> {
    let id = stream.strip_prefix(STREAM_PREFIX)?;
    uuid::Uuid::parse_str(id).ok().map(DossierId::from_uuid)
}

/// The dossier streams: one per person with a disability.
#[derive(Debug, Clone, Copy)]
pub struct DossierStream;

impl Decider for DossierStream {
    type Id = DossierId;
    type Command = DossierCommand;
    type Event = DossierEvent;
    type State = Dossier;
    const KIND: &'static str = "dossier";

    fn stream(id: &DossierId) -> String {
        format!("{STREAM_PREFIX}{}", id.as_uuid())
    }

    fn decide(
        command: &DossierCommand,
        state: &Dossier,
        ctx: &Context<'_>,
    ) -> Result<Vec<DossierEvent>, Rejection> {
        decide(command, state, ctx)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn weighty(command: &Self::Command) -> Option<&'static crate::four_eyes::WeightyDecision> {
        crate::four_eyes::decision_for(Self::KIND, command)
    }

    fn evolve(state: Dossier, event: &DossierEvent) -> Dossier {
        evolve(state, event)
    }
}

/// Decides a dossier command: the events that happen, or why it is refused. A refused command
/// produces no event.
///
/// # Errors
/// A [`Rejection`] with the code and rule of the first rule the command breaks.
pub fn decide(
    command: &DossierCommand,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Result<Vec<DossierEvent>, Rejection> {
    use DossierCommand as C;
    // A dossier is opened by registering its person; nothing else may be the first fact of a
    // dossier (the HTTP layer relies on this to answer 404 for a dossier never opened).
    if state.erased_on.is_some() {
        return Err(crate::Reason::DossierErased.into());
    }
    if state.subject.is_some() && state.person.is_none() {
        return Err(crate::Reason::PersonalDataUnreadable.into());
    }
    if state.person.is_none() && !matches!(command, C::RegisterPerson(_)) {
        return Err(crate::Reason::DossierNotOpened.into());
    }
    if let C::EraseDossierData(c) = command {
        // A voided dossier's data is kept as long as any other's, then erased the same way.
        return retention::erase(c, state, ctx);
    }
    if state.voided_on.is_some() {
        return Err(crate::Reason::DossierVoided.into());
    }
    if let Some((field, id)) = command.created_id()
        && id.is_nil()
    {
        return Err(crate::Reason::IdMissing { field }.into());
    }
    match command {
        C::RegisterPerson(c) => person::register(c, state, ctx),
        C::CorrectBirthDate(c) => person::correct_birth_date(c, state, ctx),
        C::RecordDeath(c) => person::record_death(c, state, ctx),
        C::VoidDossier(c) => person::void_dossier(c, state, ctx),
        C::EraseDossierData(c) => retention::erase(c, state, ctx),
        C::CorrectInsz(c) => person::correct_insz(c, state, ctx),
        C::AssignLegalRepresentative(c) => person::assign_representative(c, state, ctx),
        C::EndLegalRepresentative(c) => person::end_representative(c, state, ctx),
        C::DesignateBudgetHolder(c) => person::designate_holder(c, state, ctx),
        C::RegisterBudgetAccount(c) => person::register_account(c, state, ctx),
        C::CorrectBudgetAccount(c) => person::correct_account(c, state, ctx),
        C::ChangeAccountProxy(c) => person::change_account_proxy(c, state, ctx),
        C::RecordMajority => person::record_majority(state, ctx),
        C::SubmitPabApplication(c) => budget::submit_pab_application(c, state, ctx),
        C::GrantPab(c) => budget::grant_pab(c, state, ctx),
        C::MakePvbAvailable(c) => budget::make_pvb_available(c, state, ctx),
        C::SetAnnualAmount(c) => budget::set_annual_amount(c, state, ctx),
        C::RecordHomeGuidanceDeregistration(c) => budget::record_deregistration(c, state, ctx),
        C::StartBudget(c) => budget::start(c, state, ctx),
        C::LapseBudget(c) => budget::lapse(c, state, ctx),
        C::StopBudget(c) => budget::stop(c, state, ctx),
        C::ConvertPabToPvbNaJeugdhulp(c) => budget::convert_to_pvb(c, state, ctx),
        C::SwitchToZorgbudget(c) => budget::switch_to_zorgbudget(c, state, ctx),
        C::RedeemValueVoucher(c) => budget::redeem_voucher(c, state, ctx),
        C::ExpireValueVoucher(c) => budget::expire_voucher(c, state, ctx),
        C::RegisterAgreement(c) => agreement::register(c, state, ctx),
        C::ApproveAgreement(c) => agreement::approve(c, state, ctx),
        C::RejectAgreement(c) => agreement::reject(c, state, ctx),
        C::AmendAgreement(c) => agreement::amend(c, state, ctx),
        C::GiveNotice(c) => agreement::give_notice(c, state, ctx),
        C::TerminateAgreement(c) => agreement::terminate(c, state, ctx),
        C::VoidAgreement(c) => agreement::void(c, state, ctx),
        C::SubmitCombinationForm(c) => combination::submit(c, state, ctx),
        C::RecalculateCombinationReduction(c) => combination::recalculate(c, state, ctx),
        C::JoinAssistanceOrganisation(c) => assistance::join(c, state, ctx),
        C::RecordAssistance(c) => assistance::record_assistance(c, state, ctx),
        C::ReportSuspectedMisuse(c) => assistance::report_misuse(c, state, ctx),
        C::SubmitCostClaim(c) => claims::submit(c, state, ctx),
        C::DecideCostLine(c) => claims::decide_line(c, state, ctx),
        C::OverrideCostLineDecision(c) => claims::override_line(c, state, ctx),
        C::VoidCostClaim(c) => claims::void(c, state, ctx),
        C::GrantCovidOverrunAllowance(c) => money::grant_covid_allowance(c, state, ctx),
        C::RaiseCovidOverrunAllowance(c) => money::raise_covid_allowance(c, state, ctx),
        C::DeclareCashPart(c) => money::declare_cash_part(c, state, ctx),
        C::PayAdvance(c) => money::pay_advance(c, state, ctx),
        C::OrderPayment(c) => money::order_payment(c, state, ctx),
        C::ExecutePayment(c) => money::execute_payment(c, state, ctx),
        C::GrantExtraSeverance(c) => money::grant_extra_severance(c, state, ctx),
        C::CloseBudgetYear(c) => money::close_year(c, state, ctx),
        C::DecideRecovery(c) => money::decide_recovery(c, state, ctx),
        C::RecordRecoveryRepayment(c) => money::record_repayment(c, state, ctx),
        C::WriteOffRecovery(c) => money::write_off_recovery(c, state, ctx),
        C::DraftFinalSettlement(c) => money::draft_final_settlement(c, state, ctx),
        C::IssueFinalSettlement(c) => money::issue_final_settlement(c, state, ctx),
        C::OpenControlCase(c) => control::open(c, state, ctx),
        C::RequestEvidence(c) => control::request_evidence(c, state, ctx),
        C::RecordEvidence(c) => control::record_evidence(c, state, ctx),
        C::RecordInspectionVisit(c) => control::record_visit(c, state, ctx),
        C::ConcludeControl(c) => control::conclude(c, state, ctx),
        C::ReportSuspectedFraud(c) => control::report_fraud(c, state, ctx),
        C::MigrateHistory(c) => migration::migrate(c, state, ctx),
    }
}

/// Applies one fact to the state. Never refuses: facts have happened.
pub fn evolve(state: Dossier, event: &DossierEvent) -> Dossier {
    state::apply(state, event)
}

/// Only VAPH (staff, administrators, the daily job) may do this.
fn require_agency(ctx: &Context<'_>, action: Action) -> Result<(), Rejection> {
    if ctx.actor.is_agency() {
        Ok(())
    } else {
        Err(crate::Reason::NotAuthorised { action }.into())
    }
}

/// Only a person of VAPH (staff or administrator): decisions that need judgement, never the
/// daily job.
fn require_staff(ctx: &Context<'_>, action: Action) -> Result<(), Rejection> {
    if matches!(
        ctx.actor,
        crate::Actor::Staff { .. } | crate::Actor::Admin { .. }
    ) {
        Ok(())
    } else {
        Err(crate::Reason::NotAuthorised { action }.into())
    }
}

/// VAPH, or the budgethouder or a current legal representative acting for the person.
fn require_holder_or_agency(
    state: &Dossier,
    ctx: &Context<'_>,
    action: Action,
) -> Result<(), Rejection> {
    match ctx.actor {
        crate::Actor::Holder { person }
            if state.holder == Some(person) || state.is_representative_on(person, ctx.today) =>
        {
            Ok(())
        }
        _ => require_agency(ctx, action),
    }
}
