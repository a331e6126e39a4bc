//! Bijstandsorganisaties seen from a dossier: membership, the assistance they give and what they
//! may charge for it, and their reports of suspected misuse or fraud.

use super::commands::*;
use super::events::*;
use super::require_holder_or_agency;
use super::state::Dossier;
use crate::registry::OrganisationKind;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::{Actor, Context, OrganisationId};

type Decision = Result<Vec<DossierEvent>, Rejection>;

fn require_licensed_bo(
    ctx: &Context<'_>,
    organisation: OrganisationId,
    on: chrono::NaiveDate,
) -> Result<(), Rejection> {
    ctx.registry
        .active(organisation, OrganisationKind::AssistanceOrganisation, on)
        .map(|_| ())
        .ok_or_else(|| Reason::NotALicensedAssistanceOrganisation.into())
}

/// VAPH, or the bijstandsorganisatie itself.
fn require_organisation_or_agency(
    ctx: &Context<'_>,
    organisation: OrganisationId,
    action: Action,
) -> Result<(), Rejection> {
    match ctx.actor {
        Actor::Organisation {
            organisation: actor,
        } if actor == organisation => Ok(()),
        actor if actor.is_agency() => Ok(()),
        _ => Err(Reason::NotAuthorised { action }.into()),
    }
}

pub(super) fn join(
    command: &JoinAssistanceOrganisation,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_holder_or_agency(
        state,
        ctx,
        Action::new("record a membership", "een lidmaatschap te registreren"),
    )?;
    state.registered_person()?;
    require_licensed_bo(ctx, command.organisation, command.joined_on)?;
    if state.memberships.contains_key(&command.organisation) {
        return Err(Reason::AlreadyMember.into());
    }
    Ok(vec![
        AssistanceOrganisationJoined {
            organisation: command.organisation,
            joined_on: command.joined_on,
        }
        .into(),
    ])
}

/// S000-08: low-threshold assistance is never charged; S000-10: higher-threshold assistance may
/// be; S000-12/14: the collective tasks are never charged.
pub(super) fn record_assistance(
    command: &RecordAssistance,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_organisation_or_agency(
        ctx,
        command.organisation,
        Action::new("record assistance", "bijstand te registreren"),
    )?;
    state.registered_person()?;
    require_licensed_bo(ctx, command.organisation, command.provided_on)?;
    if command.fee.amount().is_sign_negative() {
        return Err(Reason::AmountMustBePositive {
            amount: command.fee,
        }
        .into());
    }
    let charged = !command.fee.amount().is_zero();
    match command.threshold {
        AssistanceThreshold::LowThreshold if charged => {
            return Err(Reason::LowThresholdAssistanceIsFree.into());
        }
        AssistanceThreshold::CollectiveTask if charged => {
            return Err(Reason::CollectiveTaskIsFree.into());
        }
        _ => {}
    }
    Ok(vec![
        AssistanceRecorded {
            organisation: command.organisation,
            threshold: command.threshold,
            description: command.description.clone(),
            fee: command.fee,
            provided_on: command.provided_on,
        }
        .into(),
    ])
}

/// S000-13: a bijstandsorganisatie reports situations of misuse or fraud.
pub(super) fn report_misuse(
    command: &ReportSuspectedMisuse,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Decision {
    require_organisation_or_agency(
        ctx,
        command.organisation,
        Action::new(
            "report suspected misuse",
            "een vermoeden van oneigenlijk gebruik te melden",
        ),
    )?;
    state.registered_person()?;
    require_licensed_bo(ctx, command.organisation, command.reported_on)?;
    if state
        .misuse_reports
        .iter()
        .any(|r| r.report == command.report)
    {
        return Err(Reason::DuplicateReport.into());
    }
    Ok(vec![
        SuspectedMisuseReported {
            report: command.report,
            organisation: command.organisation,
            suspicion: command.suspicion,
            narrative: command.narrative.clone(),
            reported_on: command.reported_on,
        }
        .into(),
    ])
}
