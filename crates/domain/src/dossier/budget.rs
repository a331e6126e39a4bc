//! Budgets: PAB application and grant, PVB made available, annual amounts, start, lapse, stop,
//! conversion to PVB na jeugdhulp, the switch to the zorgbudget, and the waardebon.

use chrono::Days;

use super::commands::*;
use super::events::*;
use super::state::{BudgetStatus, Dossier, VoucherStatus};
use super::{require_agency, require_holder_or_agency};
use crate::Context;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, Parameter};
use crate::values::{add_months, birthday};

type Decision = Result<Vec<DossierEvent>, Rejection>;

/// S003-02 (PAB only for minors from 2016-04-01, by submission date) and S003-20 (spoedprocedure
/// ages and the specialist's attest).
pub(super) fn submit_pab_application(
    command: &SubmitPabApplication,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "record a PAB application",
            "een PAB-aanvraag te registreren",
        ),
    )?;
    let person = state.registered_person()?;
    if state.budgets.contains_key(&command.budget) {
        return Err(Reason::DuplicateBudget.into());
    }
    if state.has_active_budget(BudgetKind::Pab) {
        return Err(Reason::BudgetAlreadyActive.into());
    }
    let age = person.age_on(command.submitted_on);
    let mut rules_applied = Vec::new();
    if let Some((max_age, applied)) = rule_book::optional_age(
        ctx,
        Parameter::PabApplicantMaxAgeExclusive,
        command.submitted_on,
    ) {
        rules_applied.push(applied);
        if age >= max_age {
            return Err(Reason::PabOnlyForMinors {
                age,
                submitted_on: command.submitted_on,
            }
            .into());
        }
    }
    if let Some(urgent) = &command.urgent {
        let ((min, max), applied) =
            rule_book::age_range(ctx, Parameter::PabUrgentProcedureAges, command.submitted_on)?;
        rules_applied.push(applied);
        let attest_missing = urgent.specialist_attest_ref.trim().is_empty();
        if !(min..=max).contains(&age) || attest_missing {
            return Err(Reason::UrgentProcedureConditionsNotMet {
                age,
                min,
                max,
                attest_missing,
            }
            .into());
        }
    }
    Ok(vec![
        PabApplicationSubmitted {
            budget: command.budget,
            submitted_on: command.submitted_on,
            age_on_submission: age,
            urgent: command.urgent.clone(),
            rules_applied,
        }
        .into(),
    ])
}

/// The grant sets the start deadline and gives a new holder the waardebon (S003-28).
pub(super) fn grant_pab(command: &GrantPab, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(ctx, Action::new("grant a PAB", "een PAB toe te kennen"))?;
    let budget = state.budget(command.budget)?;
    if budget.kind != BudgetKind::Pab || budget.status != BudgetStatus::Applied {
        return Err(Reason::NoPabApplication.into());
    }
    require_positive(command.annual_amount)?;
    let (months, deadline_rule) =
        rule_book::months(ctx, Parameter::PabStartDeadlineMonths, command.granted_on)?;
    let mut events: Vec<DossierEvent> = vec![
        PabGranted {
            budget: command.budget,
            granted_on: command.granted_on,
            annual_amount: command.annual_amount,
            start_deadline: add_months(command.granted_on, months),
            rules_applied: vec![deadline_rule],
        }
        .into(),
    ];
    let new_holder = state.vouchers.is_empty()
        && !state
            .budgets
            .values()
            .any(|b| b.id != command.budget && b.available_on.is_some());
    if new_holder {
        let (years, validity_rule) = rule_book::years(
            ctx,
            Parameter::ValueVoucherValidityYears,
            command.granted_on,
        )?;
        events.push(
            ValueVoucherIssued {
                voucher: command.voucher,
                budget: command.budget,
                issued_on: command.granted_on,
                valid_until: add_months(command.granted_on, years * 12),
                rules_applied: vec![validity_rule],
            }
            .into(),
        );
    }
    Ok(events)
}

/// A PVB is made available from the 18th birthday on (E-04); start deadline P-03.
pub(super) fn make_pvb_available(
    command: &MakePvbAvailable,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("make a PVB available", "een PVB ter beschikking te stellen"),
    )?;
    let person = state.registered_person()?;
    if state.budgets.contains_key(&command.budget) {
        return Err(Reason::DuplicateBudget.into());
    }
    if state.has_active_budget(BudgetKind::Pvb) {
        return Err(Reason::BudgetAlreadyActive.into());
    }
    require_positive(command.annual_amount)?;
    let (minimum_age, age_rule) = rule_book::age(
        ctx,
        Parameter::PvbMinimumAgeAtAvailability,
        command.letter_date,
    )?;
    if person.age_on(command.letter_date) < minimum_age {
        return Err(Reason::PvbMadeAvailableBeforeMajority {
            from: birthday(person.birth_date, minimum_age),
        }
        .into());
    }
    let (months, deadline_rule) =
        rule_book::months(ctx, Parameter::PvbStartDeadlineMonths, command.letter_date)?;
    Ok(vec![
        PvbMadeAvailable {
            budget: command.budget,
            letter_date: command.letter_date,
            annual_amount: command.annual_amount,
            route: command.route,
            start_deadline: add_months(command.letter_date, months),
            rules_applied: vec![age_rule, deadline_rule],
        }
        .into(),
    ])
}

pub(super) fn set_annual_amount(
    command: &SetAnnualAmount,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "set an annual budget amount",
            "een jaarbudget vast te stellen",
        ),
    )?;
    let budget = state.budget(command.budget)?;
    if !budget.is_active() {
        return Err(Reason::BudgetNotActive.into());
    }
    require_positive(command.amount)?;
    Ok(vec![
        AnnualBudgetAmountSet {
            budget: command.budget,
            year: command.year,
            amount: command.amount,
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

pub(super) fn record_deregistration(
    command: &RecordHomeGuidanceDeregistration,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "record the thuisbegeleiding de-registration attest",
            "het attest van uitschrijving uit de thuisbegeleiding te registreren",
        ),
    )?;
    state.registered_person()?;
    Ok(vec![
        HomeGuidanceDeregistrationAttested {
            attest_ref: command.attest_ref.clone(),
            received_on: command.received_on,
        }
        .into(),
    ])
}

/// A PAB starts only after the thuisbegeleiding de-registration attest (S003-09); every budget
/// starts within its deadline (A-02, P-03) and needs the budget account.
pub(super) fn start(command: &StartBudget, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(ctx, Action::new("start a budget", "een budget te starten"))?;
    let budget = state.budget(command.budget)?;
    if budget.status != BudgetStatus::Available {
        return Err(Reason::BudgetNotActive.into());
    }
    if budget.kind == BudgetKind::Pab
        && state
            .home_guidance_deregistered_on
            .is_none_or(|received| received > command.start_date)
    {
        return Err(Reason::PabStartRequiresDeregistrationAttest.into());
    }
    if let Some(deadline) = budget.start_deadline
        && command.start_date > deadline
    {
        return Err(Reason::StartDeadlinePassed { deadline }.into());
    }
    if state.account.is_none() {
        return Err(Reason::NoBudgetAccount.into());
    }
    Ok(vec![
        BudgetStarted {
            budget: command.budget,
            start_date: command.start_date,
        }
        .into(),
    ])
}

/// The daily job lapses a budget the day after its start deadline.
pub(super) fn lapse(command: &LapseBudget, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("lapse a budget", "een budget te laten vervallen"),
    )?;
    let budget = state.budget(command.budget)?;
    let deadline = match (budget.status, budget.start_deadline) {
        (BudgetStatus::Available, Some(deadline)) if deadline < ctx.today => deadline,
        _ => return Err(Reason::NothingDue.into()),
    };
    Ok(vec![
        BudgetAvailabilityLapsed {
            budget: command.budget,
            start_deadline: deadline,
            lapsed_on: deadline + Days::new(1),
        }
        .into(),
    ])
}

/// S003-07: stopped by the holder (signed letter, E-01), because of death, or because of fraud.
pub(super) fn stop(command: &StopBudget, state: &Dossier, ctx: &Context<'_>) -> Decision {
    let person = state.registered_person()?;
    let budget = state.budget(command.budget)?;
    if !(budget.is_active() || budget.status == BudgetStatus::Applied) {
        return Err(Reason::BudgetNotActive.into());
    }
    match command.reason {
        StopReason::Voluntary => {
            require_holder_or_agency(
                state,
                ctx,
                Action::new("stop a budget", "een budget te stoppen"),
            )?;
            let signed_by_holder = command.signed_by.is_some_and(|signer| {
                state.holder == Some(signer)
                    || state.is_representative_on(signer, command.stop_date)
            });
            if !signed_by_holder {
                return Err(Reason::StopRequestNotSignedByHolder.into());
            }
        }
        StopReason::Death => {
            require_agency(
                ctx,
                Action::new(
                    "stop a budget because of death",
                    "een budget te stoppen wegens overlijden",
                ),
            )?;
            if person.date_of_death != Some(command.stop_date) {
                return Err(Reason::DeathNotRecorded.into());
            }
        }
        StopReason::Fraud => require_agency(
            ctx,
            Action::new(
                "stop a budget because of fraud",
                "een budget te stoppen wegens fraude",
            ),
        )?,
    }
    Ok(vec![
        BudgetStopped {
            budget: command.budget,
            reason: command.reason,
            stop_date: command.stop_date,
            signed_by: command.signed_by,
        }
        .into(),
    ])
}

/// E-04: the ondersteuningsplan before the 22nd birthday, a definitive toewijzing, and a PVB only
/// from 18.
pub(super) fn convert_to_pvb(
    command: &ConvertPabToPvbNaJeugdhulp,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "convert a PAB to a PVB na jeugdhulp",
            "een PAB om te zetten naar een PVB na jeugdhulp",
        ),
    )?;
    let person = state.registered_person()?;
    let pab = state.budget(command.pab)?;
    if pab.kind != BudgetKind::Pab || !pab.is_active() {
        return Err(Reason::NoActivePab.into());
    }
    if state.budgets.contains_key(&command.pvb) {
        return Err(Reason::DuplicateBudget.into());
    }
    if command.toewijzing_ref.trim().is_empty() {
        return Err(Reason::ToewijzingRequired.into());
    }
    require_positive(command.annual_amount)?;
    let (limit_age, plan_rule) = rule_book::age(
        ctx,
        Parameter::PvbNaJeugdhulpPlanBeforeAge,
        command.plan_submitted_on,
    )?;
    let limit = birthday(person.birth_date, limit_age);
    if command.plan_submitted_on >= limit {
        return Err(Reason::PvbNaJeugdhulpDeadlineMissed { limit }.into());
    }
    let (minimum_age, age_rule) = rule_book::age(
        ctx,
        Parameter::PvbMinimumAgeAtAvailability,
        command.converted_on,
    )?;
    if person.age_on(command.converted_on) < minimum_age {
        return Err(Reason::PvbMadeAvailableBeforeMajority {
            from: birthday(person.birth_date, minimum_age),
        }
        .into());
    }
    Ok(vec![
        PabConvertedToPvbNaJeugdhulp {
            pab: command.pab,
            pvb: command.pvb,
            converted_on: command.converted_on,
            plan_submitted_on: command.plan_submitted_on,
            toewijzing_ref: command.toewijzing_ref.clone(),
            annual_amount: command.annual_amount,
            rules_applied: vec![plan_rule, age_rule],
        }
        .into(),
    ])
}

/// S003-12 and E-07: the switch closed after 2022-12-31; a PAB holder loses zorgcontinuïteit, a
/// PVB holder keeps a terugvalbasis for two years.
pub(super) fn switch_to_zorgbudget(
    command: &SwitchToZorgbudget,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new(
            "switch to the zorgbudget",
            "over te stappen naar het zorgbudget",
        ),
    )?;
    let budget = state.budget(command.budget)?;
    if !budget.is_active() {
        return Err(Reason::BudgetNotActive.into());
    }
    let (last_date, closing_rule) =
        rule_book::date(ctx, Parameter::BobSwitchLastDate, command.switch_date)?;
    if command.switch_date > last_date {
        return Err(Reason::BobSwitchClosed { last_date }.into());
    }
    let mut rules_applied = vec![closing_rule];
    let terugvalbasis_until = if budget.kind == BudgetKind::Pvb {
        let (years, rule) = rule_book::years(
            ctx,
            Parameter::BobSwitchTerugvalbasisYears,
            command.switch_date,
        )?;
        rules_applied.push(rule);
        Some(add_months(command.switch_date, years * 12))
    } else {
        None
    };
    Ok(vec![
        VoluntarySwitchToZorgbudgetRecorded {
            budget: command.budget,
            switch_date: command.switch_date,
            zorgcontinuity_lost: budget.kind == BudgetKind::Pab,
            terugvalbasis_until,
            rules_applied,
        }
        .into(),
    ])
}

/// S003-28: the waardebon buys an exploratory talk at a bijstandsorganisatie, never money, and
/// only until its validity ends.
pub(super) fn redeem_voucher(
    command: &RedeemValueVoucher,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("redeem a waardebon", "een waardebon in te wisselen"),
    )?;
    let voucher = state
        .vouchers
        .get(&command.voucher)
        .ok_or(Reason::UnknownVoucher)?;
    let organisation = match command.redemption {
        VoucherRedemption::CashPayment => {
            return Err(Reason::VoucherNotExchangeableForMoney.into());
        }
        VoucherRedemption::ExploratoryTalk { organisation } => organisation,
    };
    if voucher.status != VoucherStatus::Issued {
        return Err(Reason::VoucherAlreadyUsed.into());
    }
    if command.redeemed_on > voucher.valid_until {
        return Err(Reason::VoucherExpired {
            valid_until: voucher.valid_until,
        }
        .into());
    }
    if ctx
        .registry
        .active(
            organisation,
            crate::registry::OrganisationKind::AssistanceOrganisation,
            command.redeemed_on,
        )
        .is_none()
    {
        return Err(Reason::NotALicensedAssistanceOrganisation.into());
    }
    Ok(vec![
        ValueVoucherRedeemed {
            voucher: command.voucher,
            organisation,
            redeemed_on: command.redeemed_on,
        }
        .into(),
    ])
}

pub(super) fn expire_voucher(
    command: &ExpireValueVoucher,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("expire a waardebon", "een waardebon te laten vervallen"),
    )?;
    let voucher = state
        .vouchers
        .get(&command.voucher)
        .ok_or(Reason::UnknownVoucher)?;
    if voucher.status != VoucherStatus::Issued || voucher.valid_until >= ctx.today {
        return Err(Reason::NothingDue.into());
    }
    Ok(vec![
        ValueVoucherExpired {
            voucher: command.voucher,
            expired_on: voucher.valid_until + Days::new(1),
        }
        .into(),
    ])
}

fn require_positive(amount: crate::Euro) -> Result<(), Rejection> {
    if amount.amount().is_sign_positive() && !amount.amount().is_zero() {
        Ok(())
    } else {
        Err(Reason::AmountMustBePositive { amount }.into())
    }
}
