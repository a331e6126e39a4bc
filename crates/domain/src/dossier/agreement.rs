//! Agreements (overeenkomsten): registration with its refusals, approval, addenda, notice and
//! termination, COVID-19 agreements and the COVID-19 IDO freeze.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::commands::*;
use super::events::*;
use super::state::{Agreement, AgreementStatus, Dossier};
use super::{require_agency, require_holder_or_agency};
use crate::registry::OrganisationKind;
use crate::rejection::Action;
use crate::rejection::{AgreementField, Reason, Rejection};
use crate::rule_book::{self, AppliedParameter, Parameter, ParameterValue};
use crate::values::{AGE_OF_MAJORITY, Euro};
use crate::{Actor, Context};

type Decision = Result<Vec<DossierEvent>, Rejection>;

/// The mention a COVID-19 agreement carries in its taakomschrijving (S004-12, S004-18).
const COVID_MENTION: &str = "covid-19";

pub(super) fn register(
    command: &RegisterAgreement,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    let person = state.registered_person()?;
    if state.agreements.contains_key(&command.agreement) {
        return Err(Reason::DuplicateAgreement.into());
    }
    let budget = state.budget(command.budget)?;
    if !budget.is_active() {
        return Err(Reason::NoActiveBudget.into());
    }
    if person.date_of_death.is_some_and(|d| d < command.start) {
        return Err(Reason::PersonDeceased.into());
    }
    if command.end.is_some_and(|end| end < command.start) {
        return Err(Reason::AgreementPeriodInvalid.into());
    }
    check_registrar(command, state, ctx)?;
    check_voucher_provider(command, ctx)?;
    if budget.kind == BudgetKind::Pab {
        check_pab_kind(command.kind)?;
    }
    if let Some(worker) = command.worker {
        check_worker(command.kind, worker, command.start)?;
    }
    let mut rules_applied = Vec::new();
    check_student(command, ctx, &mut rules_applied)?;
    check_volunteer(command, ctx)?;
    if budget.kind == BudgetKind::Pvb {
        check_parent_initiative(command, ctx, &mut rules_applied)?;
    }
    check_ido_signature(command, ctx, &mut rules_applied)?;
    if budget.kind == BudgetKind::Pab {
        check_pab_content(command)?;
    }
    if let Some(basis) = command.covid {
        rules_applied.extend(check_covid(command, basis, state, ctx)?);
    }
    Ok(vec![
        AgreementRegistered {
            agreement: command.agreement,
            budget: command.budget,
            payment: command.payment,
            kind: command.kind,
            provider: command.provider.clone(),
            start: command.start,
            end: command.end,
            task_description: command.task_description.clone(),
            weekly_hours: command.weekly_hours,
            care_relation: command.care_relation,
            covid: command.covid,
            worker: command.worker,
            signed_on: command.signed_on,
            emergency: command.emergency,
            party_identification: command.party_identification.clone(),
            notice_terms: command.notice_terms.clone(),
            hourly_cost: command.hourly_cost,
            payment_terms: command.payment_terms.clone(),
            registered_by: ctx.actor,
            rules_applied,
        }
        .into(),
    ])
}

/// P-09: a voucher agreement is registered by the provider or by VAPH, never by the holder. A
/// cash agreement is registered by the holder (or a representative) or by VAPH.
fn check_registrar(
    command: &RegisterAgreement,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Result<(), Rejection> {
    match (command.payment, ctx.actor) {
        (PaymentForm::Voucher, Actor::Holder { .. }) => {
            Err(Reason::VoucherAgreementProviderOnly.into())
        }
        (PaymentForm::Voucher, Actor::Organisation { organisation }) => {
            if command.provider.organisation() == Some(organisation) {
                Ok(())
            } else {
                Err(Reason::NotAuthorised {
                    action: Action::new(
                        "register an agreement for another provider",
                        "een overeenkomst voor een andere zorgaanbieder te registreren",
                    ),
                }
                .into())
            }
        }
        _ => require_holder_or_agency(
            state,
            ctx,
            Action::new("register an agreement", "een overeenkomst te registreren"),
        ),
    }
}

/// P-09: voucher only at a licensed provider (an IDO with a VZA or MFC) or for intensieve
/// bijstand by a licensed bijstandsorganisatie.
fn check_voucher_provider(command: &RegisterAgreement, ctx: &Context<'_>) -> Result<(), Rejection> {
    if command.payment != PaymentForm::Voucher {
        return Ok(());
    }
    let licensed = command
        .provider
        .organisation()
        .is_some_and(|organisation| match command.kind {
            AgreementKind::Ido => ctx
                .registry
                .is_licensed_provider(organisation, command.start),
            AgreementKind::AssistanceOrganisationIntensiveAssistance => ctx
                .registry
                .active(
                    organisation,
                    OrganisationKind::AssistanceOrganisation,
                    command.start,
                )
                .is_some(),
            _ => false,
        });
    if licensed {
        Ok(())
    } else {
        Err(Reason::VoucherRequiresLicensedProvider.into())
    }
}

/// What a PAB may not buy: mobile or ambulant guidance (S003-08), day care (S003-13), TOAH
/// (S003-18) and GO boarding-school costs (S003-17).
fn check_pab_kind(kind: AgreementKind) -> Result<(), Rejection> {
    match kind {
        AgreementKind::MobileOrAmbulantGuidance => {
            Err(Reason::PabCombinationNotAllowed { rule: "S003-08" }.into())
        }
        AgreementKind::DayCare => Err(Reason::PabCombinationNotAllowed { rule: "S003-13" }.into()),
        AgreementKind::TemporaryHomeEducation => Err(Reason::ToahNotPayableWithPab.into()),
        AgreementKind::GoBoardingSchool => Err(Reason::GoInternaatCostsNotPayable.into()),
        _ => Ok(()),
    }
}

/// F-01: no agreement with a minor family member; P-10: a family member is registered as such.
fn check_worker(kind: AgreementKind, worker: Worker, start: NaiveDate) -> Result<(), Rejection> {
    if !worker.family_within_second_degree {
        return Ok(());
    }
    if crate::values::age_on(worker.birth_date, start) < AGE_OF_MAJORITY {
        return Err(Reason::MinorFamilyMemberNotAllowed.into());
    }
    if kind == AgreementKind::IndividualAssistant {
        return Err(Reason::WrongAgreementTypeFamily.into());
    }
    Ok(())
}

/// F-02: a job student is at least `student.minimum_age` (16) on the agreement's start, or
/// `student.minimum_age_after_two_years_secondary` (15) after completing the first two years of
/// secondary school. A minor family member is refused before, by [`check_worker`] (F-01).
fn check_student(
    command: &RegisterAgreement,
    ctx: &Context<'_>,
    rules: &mut Vec<AppliedParameter>,
) -> Result<(), Rejection> {
    if command.kind != AgreementKind::Student {
        return Ok(());
    }
    let Some(worker) = command.worker else {
        return Err(Reason::AgreementFieldMissing {
            field: AgreementField::StudentBirthDate,
        }
        .into());
    };
    let (minimum_age, minimum_rule) =
        rule_book::age(ctx, Parameter::StudentMinimumAge, command.start)?;
    let (minimum_age_after_two_years_secondary, after_two_years_rule) = rule_book::age(
        ctx,
        Parameter::StudentMinimumAgeAfterTwoYearsSecondary,
        command.start,
    )?;
    rules.extend([minimum_rule, after_two_years_rule]);
    let limit = if worker.completed_two_years_secondary {
        minimum_age_after_two_years_secondary
    } else {
        minimum_age
    };
    let age = crate::values::age_on(worker.birth_date, command.start);
    if age < limit {
        return Err(Reason::StudentTooYoung {
            age,
            minimum_age,
            minimum_age_after_two_years_secondary,
        }
        .into());
    }
    Ok(())
}

/// F-03: a volunteer is paid only through an agreement with an erkende vrijwilligersorganisatie
/// (recognised in the registry on the start), never as a natural person.
fn check_volunteer(command: &RegisterAgreement, ctx: &Context<'_>) -> Result<(), Rejection> {
    let via_organisation = command.kind == AgreementKind::VolunteerOrganisation;
    if !via_organisation && !command.volunteer {
        return Ok(());
    }
    let recognised = via_organisation
        && command.provider.organisation().is_some_and(|organisation| {
            ctx.registry
                .active(
                    organisation,
                    OrganisationKind::RecognisedVolunteerOrganisation,
                    command.start,
                )
                .is_some()
        });
    if recognised {
        Ok(())
    } else {
        Err(Reason::VolunteerRequiresOrganisation.into())
    }
}

/// V-02: for an agreement starting on or after `ouderinitiatief.registration_required_from`
/// (2019-01-01), VAPH accepts PVB agreements for collective support only from an ouderinitiatief
/// registered in the registry on the start. Cash only: a voucher is already refused by
/// [`check_voucher_provider`], an ouderinitiatief being no licensed provider.
fn check_parent_initiative(
    command: &RegisterAgreement,
    ctx: &Context<'_>,
    rules: &mut Vec<AppliedParameter>,
) -> Result<(), Rejection> {
    if command.kind != AgreementKind::ParentInitiative {
        return Ok(());
    }
    let Some(version) = rule_book::optional(
        ctx,
        Parameter::ParentInitiativeRegistrationRequiredFrom,
        command.start,
    ) else {
        return Ok(());
    };
    let ParameterValue::Date(registration_required_from) = version.value else {
        return Err(Reason::RuleParameterMissing {
            parameter: Parameter::ParentInitiativeRegistrationRequiredFrom,
            on: command.start,
        }
        .into());
    };
    rules.push(version.applied());
    if command.start < registration_required_from {
        return Ok(());
    }
    let registered = command.provider.organisation().is_some_and(|organisation| {
        ctx.registry
            .active(
                organisation,
                OrganisationKind::RegisteredParentInitiative,
                command.start,
            )
            .is_some()
    });
    if registered {
        Ok(())
    } else {
        Err(Reason::ParentInitiativeNotRegistered {
            registration_required_from,
        }
        .into())
    }
}

/// IDO (BVR 4 februari 2011): an IDO is signed before the support starts (on the start day at
/// the latest); in an emergency at most `ido.emergency_signing_max_days` (5) days after.
fn check_ido_signature(
    command: &RegisterAgreement,
    ctx: &Context<'_>,
    rules: &mut Vec<AppliedParameter>,
) -> Result<(), Rejection> {
    if command.kind != AgreementKind::Ido {
        return Ok(());
    }
    let Some(signed_on) = command.signed_on else {
        return Err(Reason::AgreementFieldMissing {
            field: AgreementField::SigningDate,
        }
        .into());
    };
    if signed_on <= command.start {
        return Ok(());
    }
    let refusal = |emergency_max_days| {
        Err(Reason::IdoMustPrecedeSupport {
            start: command.start,
            signed_on,
            emergency_max_days,
        }
        .into())
    };
    if !command.emergency {
        return refusal(None);
    }
    let (max_days, rule) =
        rule_book::days(ctx, Parameter::IdoEmergencySigningMaxDays, command.start)?;
    rules.push(rule);
    if (signed_on - command.start).num_days() > i64::from(max_days) {
        return refusal(Some(max_days));
    }
    Ok(())
}

/// a PAB agreement states the parties (with the rijksregisternummer of the assistant or the
/// ondernemingsnummer of the company, unless the provider is an organisation of the registry),
/// its start, duration and notice rules, a concrete task description, the weekly hours, the
/// hourly cost and the payment terms. The first missing field is named.
fn check_pab_content(command: &RegisterAgreement) -> Result<(), Rejection> {
    let stated = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
    let missing =
        if command.provider.organisation().is_none() && command.party_identification.is_none() {
            Some(AgreementField::PartyIdentification)
        } else if !stated(&command.notice_terms) {
            Some(AgreementField::NoticeTerms)
        } else if command.task_description.trim().is_empty() {
            Some(AgreementField::TaskDescription)
        } else if command
            .weekly_hours
            .is_none_or(|hours| hours <= Decimal::ZERO)
        {
            Some(AgreementField::WeeklyHours)
        } else if !command.hourly_cost.is_some_and(Euro::is_positive) {
            Some(AgreementField::HourlyCost)
        } else if !stated(&command.payment_terms) {
            Some(AgreementField::PaymentTerms)
        } else {
            None
        };
    match missing {
        Some(field) => Err(Reason::AgreementFieldMissing { field }.into()),
        None => Ok(()),
    }
}

/// COVID-19 agreements: cash (S004-12), one-to-one or one family at one address (S004-03), the
/// "COVID-19" mention (S004-12/13/18), within the versioned window (S004-10, C-03), and the VZA
/// conditions of S004-04 (b) and (c). S004-04 lists allowed agreements "onder andere": the list is
/// not exhaustive, so no kind is refused for being absent from it.
fn check_covid(
    command: &RegisterAgreement,
    basis: CovidBasis,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Result<Vec<AppliedParameter>, Rejection> {
    if command.payment != PaymentForm::Cash {
        return Err(Reason::CovidAgreementMustBeCash.into());
    }
    if command.care_relation == CareRelation::Group {
        return Err(Reason::CovidAgreementNotOneToOne.into());
    }
    if !command
        .task_description
        .to_lowercase()
        .contains(COVID_MENTION)
    {
        return Err(Reason::CovidMentionMissing.into());
    }
    // The window is an eligibility window: the version is chosen by the last service date.
    let last_service_date = command.end.unwrap_or(NaiveDate::MAX);
    let ((from, to), window_rule) = rule_book::period(
        ctx,
        Parameter::CovidAgreementWindow,
        command.end.unwrap_or(command.start),
    )?;
    if command.start < from || last_service_date > to {
        return Err(Reason::CovidAgreementOutsideWindow { from, to }.into());
    }
    let provider = command.provider.organisation();
    match basis {
        CovidBasis::New => {
            let running_ido = state.agreements.values().any(|a| {
                a.kind == AgreementKind::Ido
                    && a.provider.organisation() == provider
                    && a.is_running_on(command.start)
            });
            if command.kind == AgreementKind::Ido && running_ido {
                return Err(Reason::CovidUseIdoExtension.into());
            }
        }
        CovidBasis::IdoExtension { ido } => {
            let existing = state.agreement(ido)?;
            if existing.kind != AgreementKind::Ido
                || existing.provider.organisation() != provider
                || !existing.is_running_on(command.start)
            {
                return Err(Reason::UnknownAgreement.into());
            }
            if existing.care_relation != CareRelation::OneToOne {
                return Err(Reason::CovidIdoExtensionRequiresOneToOne.into());
            }
        }
        CovidBasis::ExtraHours { of } => {
            let existing = state.agreement(of)?;
            if !existing.is_running_on(command.start) {
                return Err(Reason::UnknownAgreement.into());
            }
        }
    }
    Ok(vec![window_rule])
}

pub(super) fn approve(command: &ApproveAgreement, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("approve an agreement", "een overeenkomst goed te keuren"),
    )?;
    pending(state, command.agreement)?;
    Ok(vec![
        AgreementApproved {
            agreement: command.agreement,
            approved_on: ctx.today,
        }
        .into(),
    ])
}

pub(super) fn reject(command: &RejectAgreement, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("reject an agreement", "een overeenkomst af te wijzen"),
    )?;
    pending(state, command.agreement)?;
    Ok(vec![
        AgreementRejected {
            agreement: command.agreement,
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

fn pending(state: &Dossier, id: crate::AgreementId) -> Result<&Agreement, Rejection> {
    let agreement = state.agreement(id)?;
    if agreement.status == AgreementStatus::Pending {
        Ok(agreement)
    } else {
        Err(Reason::AgreementNotPending.into())
    }
}

fn in_force(state: &Dossier, id: crate::AgreementId) -> Result<&Agreement, Rejection> {
    let agreement = state.agreement(id)?;
    if matches!(
        agreement.status,
        AgreementStatus::Pending | AgreementStatus::Approved
    ) {
        Ok(agreement)
    } else {
        Err(Reason::AgreementNotActive.into())
    }
}

/// The COVID-19 freeze of an IDO as governs `on`: the period in which it runs on unchanged.
fn frozen_period(
    ctx: &Context<'_>,
    on: NaiveDate,
) -> Option<((NaiveDate, NaiveDate), AppliedParameter)> {
    let version = ctx
        .rule_book
        .version(Parameter::CovidIdoFrozenPeriod, on, ctx.today)?;
    match version.value {
        ParameterValue::Period { from, to } => Some(((from, to), version.applied())),
        _ => None,
    }
}

/// S004-06: an IDO running into the freeze cannot end before its last day.
fn check_ido_end(
    agreement: &Agreement,
    end_date: NaiveDate,
    ctx: &Context<'_>,
    rules: &mut Vec<AppliedParameter>,
) -> Result<(), Rejection> {
    if agreement.kind != AgreementKind::Ido {
        return Ok(());
    }
    if let Some(((from, to), rule)) = frozen_period(ctx, end_date) {
        if !rules.contains(&rule) {
            rules.push(rule);
        }
        if agreement.start < from && (from..to).contains(&end_date) {
            return Err(Reason::IdoFrozen {
                rule: "S004-06",
                frozen_until: to,
            }
            .into());
        }
    }
    Ok(())
}

/// S004-06: an IDO cannot be changed during the freeze; from the day after, it can.
pub(super) fn amend(command: &AmendAgreement, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("amend an agreement", "een overeenkomst te wijzigen"),
    )?;
    let agreement = in_force(state, command.agreement)?;
    let mut rules_applied = Vec::new();
    if agreement.kind == AgreementKind::Ido
        && let Some(((from, to), rule)) = frozen_period(ctx, command.effective_from)
    {
        rules_applied.push(rule);
        if agreement.start < from && (from..=to).contains(&command.effective_from) {
            return Err(Reason::IdoFrozen {
                rule: "S004-06",
                frozen_until: to,
            }
            .into());
        }
    }
    Ok(vec![
        AgreementAmended {
            agreement: command.agreement,
            effective_from: command.effective_from,
            task_description: command.task_description.clone(),
            weekly_hours: command.weekly_hours,
            rules_applied,
        }
        .into(),
    ])
}

/// S004-07: during the freeze notice of an IDO can be given from 2020-07-01, and the IDO ends on
/// 2020-09-30 at the earliest.
pub(super) fn give_notice(command: &GiveNotice, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new(
            "give notice of an agreement",
            "een overeenkomst op te zeggen",
        ),
    )?;
    let agreement = in_force(state, command.agreement)?;
    if command.end_date < command.notice_date {
        return Err(Reason::AgreementPeriodInvalid.into());
    }
    let mut rules_applied = Vec::new();
    if agreement.kind == AgreementKind::Ido
        && let Some(((from, to), period_rule)) = frozen_period(ctx, command.notice_date)
        && agreement.start < from
        && command.notice_date <= to
    {
        let (notice_from, notice_rule) =
            rule_book::date(ctx, Parameter::CovidIdoNoticeFrom, command.notice_date)?;
        rules_applied.extend([period_rule, notice_rule]);
        if command.notice_date < notice_from {
            return Err(Reason::IdoNoticeTooEarly { notice_from }.into());
        }
    }
    check_ido_end(agreement, command.end_date, ctx, &mut rules_applied)?;
    Ok(vec![
        AgreementNoticeGiven {
            agreement: command.agreement,
            notice_date: command.notice_date,
            end_date: command.end_date,
            rules_applied,
        }
        .into(),
    ])
}

pub(super) fn terminate(
    command: &TerminateAgreement,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("terminate an agreement", "een overeenkomst te beëindigen"),
    )?;
    let agreement = in_force(state, command.agreement)?;
    if command.end_date < agreement.start {
        return Err(Reason::AgreementPeriodInvalid.into());
    }
    let mut rules_applied = Vec::new();
    check_ido_end(agreement, command.end_date, ctx, &mut rules_applied)?;
    Ok(vec![
        AgreementTerminated {
            agreement: command.agreement,
            end_date: command.end_date,
            reason: command.reason.clone(),
            rules_applied,
        }
        .into(),
    ])
}

/// An agreement entered in the wrong dossier (or twice) is voided, once nothing rests on it: no
/// claim that is not voided cites it (a paid claim cannot be voided, so money that moved keeps it)
/// and no COVID-19 increase was granted on it.
pub(super) fn void(command: &VoidAgreement, state: &Dossier, ctx: &Context<'_>) -> Decision {
    super::require_staff(
        ctx,
        Action::new("void an agreement", "een overeenkomst te vernietigen"),
    )?;
    let agreement = state.agreement(command.agreement)?;
    if agreement.status == AgreementStatus::Voided {
        return Err(Reason::AgreementVoided.into());
    }
    let cited = state
        .claims
        .values()
        .filter(|claim| claim.voided_on.is_none())
        .flat_map(|claim| claim.lines.values())
        .any(|line| line.line.agreement == Some(command.agreement));
    let covid_rests_on_it = state
        .covid_allowances
        .values()
        .any(|allowance| allowance.trigger_agreement == command.agreement);
    if cited || covid_rests_on_it {
        return Err(Reason::AgreementInUse.into());
    }
    Ok(vec![
        AgreementVoided {
            agreement: command.agreement,
            voided_on: ctx.today,
        }
        .into(),
    ])
}
