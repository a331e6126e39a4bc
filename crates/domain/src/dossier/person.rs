//! The person, legal representatives, the budgethouder and the budget account.

use super::commands::*;
use super::events::*;
use super::state::Dossier;
use super::{require_agency, require_holder_or_agency};
use crate::Context;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};

type Decision = Result<Vec<DossierEvent>, Rejection>;

pub(super) fn register(command: &RegisterPerson, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("register a person", "een persoon te registreren"),
    )?;
    if state.person.is_some() {
        return Err(Reason::DuplicatePerson.into());
    }
    let (birth_date, from_insz) = match command.birth_date {
        Some(date) => (date, false),
        None => (
            command.insz.birth_date().ok_or(Reason::BirthDateRequired)?,
            true,
        ),
    };
    if birth_date > ctx.today {
        return Err(Reason::DateInFuture { date: birth_date }.into());
    }
    Ok(vec![
        PersonRegistered {
            dossier: command.dossier,
            person: command.person,
            insz: Some(command.insz.clone()),
            birth_date: Some(birth_date),
            birth_date_from_insz: from_insz,
        }
        .into(),
    ])
}

/// A dossier opened by mistake is voided; once money moved in it (a payment was ordered) only a
/// recovery can put it right (an advance counts).
pub(super) fn void_dossier(command: &VoidDossier, state: &Dossier, ctx: &Context<'_>) -> Decision {
    super::require_staff(
        ctx,
        Action::new("void a dossier", "een dossier te vernietigen"),
    )?;
    state.registered_person()?;
    if !state.payments.is_empty() || !state.advances.is_empty() {
        return Err(Reason::VoidAfterPayment.into());
    }
    Ok(vec![
        DossierVoided {
            voided_on: ctx.today,
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

pub(super) fn correct_insz(command: &CorrectInsz, state: &Dossier, ctx: &Context<'_>) -> Decision {
    super::require_staff(
        ctx,
        Action::new("correct an INSZ", "een INSZ te verbeteren"),
    )?;
    let person = state.registered_person()?;
    if command.corrected == person.insz {
        return Err(Reason::CorrectionUnchanged.into());
    }
    Ok(vec![
        InszCorrected {
            previous_insz: Some(person.insz.clone()),
            corrected_insz: Some(command.corrected.clone()),
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

pub(super) fn correct_birth_date(
    command: &CorrectBirthDate,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new("correct a birth date", "een geboortedatum te verbeteren"),
    )?;
    let person = state.registered_person()?;
    if command.corrected == person.birth_date {
        return Err(Reason::CorrectionUnchanged.into());
    }
    if command.corrected > ctx.today {
        return Err(Reason::DateInFuture {
            date: command.corrected,
        }
        .into());
    }
    Ok(vec![
        BirthDateCorrected {
            previous: Some(person.birth_date),
            corrected: Some(command.corrected),
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

pub(super) fn record_death(command: &RecordDeath, state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("record a death", "een overlijden te registreren"),
    )?;
    let person = state.registered_person()?;
    if person.date_of_death.is_some() {
        return Err(Reason::PersonDeceased.into());
    }
    if command.date_of_death > ctx.today {
        return Err(Reason::DateInFuture {
            date: command.date_of_death,
        }
        .into());
    }
    Ok(vec![
        PersonDeceased {
            date_of_death: command.date_of_death,
            certificate_ref: command.certificate_ref.clone(),
        }
        .into(),
    ])
}

/// Who may represent whom: parents, adoptive parents and a guardian for a minor (S003-22/23);
/// never a plusouder or another relative (S003-24/25); no court arrangement for a minor
/// (S003-26); for an adult a bewindvoerder or a zorgvolmacht (E-05).
pub(super) fn assign_representative(
    command: &AssignLegalRepresentative,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "record a legal representative",
            "een wettelijk vertegenwoordiger te registreren",
        ),
    )?;
    let person = state.registered_person()?;
    let minor = person.is_minor_on(command.valid_from);
    match command.role {
        RepresentativeRole::PlusParent => {
            return Err(Reason::RepNotLegalRepresentative {
                role: command.role,
                rule: "S003-24",
            }
            .into());
        }
        RepresentativeRole::OtherRelative => {
            return Err(Reason::RepNotLegalRepresentative {
                role: command.role,
                rule: "S003-25",
            }
            .into());
        }
        RepresentativeRole::CourtAdministrator { .. } if minor => {
            return Err(Reason::CourtBewindNotAllowedForMinor.into());
        }
        RepresentativeRole::CareMandate if minor => {
            return Err(Reason::RepNotLegalRepresentative {
                role: command.role,
                rule: "E-05",
            }
            .into());
        }
        role if role.represents_minor() && !minor => {
            return Err(Reason::RepNotLegalRepresentative { role, rule: "E-05" }.into());
        }
        _ => {}
    }
    if command.representative == person.id {
        return Err(Reason::RepNotLegalRepresentative {
            role: command.role,
            rule: "S003-22",
        }
        .into());
    }
    if state
        .representatives_on(command.valid_from)
        .any(|r| r.representative == command.representative && r.role == command.role)
    {
        return Err(Reason::RepresentativeAlreadyAssigned.into());
    }
    Ok(vec![
        LegalRepresentativeAssigned {
            representative: command.representative,
            role: command.role,
            valid_from: command.valid_from,
            evidence_ref: command.evidence_ref.clone(),
        }
        .into(),
    ])
}

pub(super) fn end_representative(
    command: &EndLegalRepresentative,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "end a legal representation",
            "een wettelijke vertegenwoordiging te beëindigen",
        ),
    )?;
    state.registered_person()?;
    let events: Vec<DossierEvent> = state
        .representations
        .iter()
        .filter(|r| r.representative == command.representative && r.ended_on.is_none())
        .map(|r| {
            LegalRepresentativeEnded {
                representative: r.representative,
                role: r.role,
                ended_on: command.ended_on,
                reason: command.reason.clone(),
            }
            .into()
        })
        .collect();
    if events.is_empty() {
        return Err(Reason::UnknownRepresentative.into());
    }
    Ok(events)
}

/// The budgethouder: for a minor a current parent, adoptive parent or guardian (S003-22..25);
/// for an adult the person, unless a bewindvoerder over person and goods is the holder (E-06),
/// or the holder of a zorgvolmacht (E-05).
pub(super) fn designate_holder(
    command: &DesignateBudgetHolder,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "designate the budget holder",
            "de budgethouder aan te duiden",
        ),
    )?;
    let person = state.registered_person()?;
    let on = command.from;
    let role_of = |id| {
        state
            .representatives_on(on)
            .find(|r| r.representative == id)
            .map(|r| r.role)
    };
    let allowed = if person.is_minor_on(on) {
        role_of(command.holder).is_some_and(RepresentativeRole::represents_minor)
    } else {
        let administrator = state.representatives_on(on).find(|r| {
            r.role
                == RepresentativeRole::CourtAdministrator {
                    scope: AdministrationScope::PersonAndGoods,
                }
        });
        match administrator {
            Some(a) => a.representative == command.holder,
            None => {
                command.holder == person.id
                    || role_of(command.holder) == Some(RepresentativeRole::CareMandate)
            }
        }
    };
    if !allowed {
        return Err(Reason::InvalidBudgetHolder {
            minor: person.is_minor_on(on),
        }
        .into());
    }
    Ok(vec![
        BudgetHolderDesignated {
            holder: command.holder,
            from: command.from,
        }
        .into(),
    ])
}

/// The account is in the name of the holder, a representative, a notarial appointee or the minor
/// (A-03, S003-27), and is dedicated to the budget.
fn check_account_holder(
    state: &Dossier,
    account_holder: crate::PersonId,
    relation: &AccountHolderRelation,
    on: chrono::NaiveDate,
) -> Result<(), Rejection> {
    let person = state.registered_person()?;
    let matches = match relation {
        AccountHolderRelation::BudgetHolder => state.holder == Some(account_holder),
        AccountHolderRelation::LegalRepresentative => {
            state.is_representative_on(account_holder, on)
        }
        AccountHolderRelation::NotarialAppointee { deed_ref } => !deed_ref.trim().is_empty(),
        AccountHolderRelation::ThePerson => {
            account_holder == person.id
                && (person.is_minor_on(on) || state.holder == Some(person.id))
        }
    };
    if matches {
        Ok(())
    } else {
        Err(Reason::AccountNameMismatch.into())
    }
}

pub(super) fn register_account(
    command: &RegisterBudgetAccount,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new(
            "register the budget account",
            "de budgetrekening te registreren",
        ),
    )?;
    if !command.dedicated {
        return Err(Reason::AccountNotDedicated.into());
    }
    check_account_holder(
        state,
        command.account_holder,
        &command.relation,
        command.registered_on,
    )?;
    Ok(vec![
        BudgetAccountRegistered {
            iban: Some(command.iban.clone()),
            account_holder: command.account_holder,
            relation: command.relation.clone(),
            registered_on: command.registered_on,
        }
        .into(),
    ])
}

pub(super) fn correct_account(
    command: &CorrectBudgetAccount,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_agency(
        ctx,
        Action::new(
            "correct the budget account",
            "de budgetrekening te verbeteren",
        ),
    )?;
    let account = state.account.as_ref().ok_or(Reason::NoBudgetAccount)?;
    if account.iban == command.corrected {
        return Err(Reason::CorrectionUnchanged.into());
    }
    Ok(vec![
        BudgetAccountCorrected {
            previous: Some(account.iban.clone()),
            corrected: Some(command.corrected.clone()),
            reason: command.reason.clone(),
        }
        .into(),
    ])
}

pub(super) fn change_account_proxy(
    command: &ChangeAccountProxy,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new(
            "change the account proxy",
            "de gevolmachtigde van de rekening te wijzigen",
        ),
    )?;
    state.account.as_ref().ok_or(Reason::NoBudgetAccount)?;
    check_account_holder(
        state,
        command.account_holder,
        &command.relation,
        command.changed_on,
    )?;
    Ok(vec![
        BudgetAccountProxyChanged {
            account_holder: command.account_holder,
            relation: command.relation.clone(),
            changed_on: command.changed_on,
        }
        .into(),
    ])
}

/// At 18 the parents' representation ends; the person becomes budgethouder unless a bewindvoerder
/// over person and goods or a zorgvolmacht holder represents them (E-05); the account proxy must
/// change when it was a parent who no longer represents (S003-27).
pub(super) fn record_majority(state: &Dossier, ctx: &Context<'_>) -> Decision {
    require_agency(
        ctx,
        Action::new("record majority", "de meerderjarigheid te registreren"),
    )?;
    let person = state.registered_person()?;
    let reached_on = person.majority_date();
    if state.majority_recorded || reached_on > ctx.today || person.date_of_death.is_some() {
        return Err(Reason::NothingDue.into());
    }
    let ending: Vec<_> = state
        .representatives_on(reached_on)
        .filter(|r| r.role.represents_minor())
        .map(|r| (r.representative, r.role))
        .collect();
    let adult_representative = state
        .representatives_on(reached_on)
        .find(|r| {
            matches!(
                r.role,
                RepresentativeRole::CourtAdministrator {
                    scope: AdministrationScope::PersonAndGoods
                } | RepresentativeRole::CareMandate
            )
        })
        .map(|r| r.representative);
    let new_holder = adult_representative.unwrap_or(person.id);
    let account_proxy_must_change = state.account.as_ref().is_some_and(|a| {
        ending.iter().any(|(rep, _)| *rep == a.account_holder)
            && Some(a.account_holder) != adult_representative
    });
    let mut events: Vec<DossierEvent> = vec![
        PersonReachedMajority {
            reached_on,
            account_proxy_must_change,
        }
        .into(),
    ];
    events.extend(ending.iter().map(|(representative, role)| {
        LegalRepresentativeEnded {
            representative: *representative,
            role: *role,
            ended_on: reached_on,
            reason: "majority".into(),
        }
        .into()
    }));
    if state.holder.is_some() && state.holder != Some(new_holder) {
        events.push(
            BudgetHolderDesignated {
                holder: new_holder,
                from: reached_on,
            }
            .into(),
        );
    }
    Ok(events)
}
