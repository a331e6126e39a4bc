//! The organisation registry: one stream holding every licence (vergunning) of a
//! bijstandsorganisatie (BO), vergunde zorgaanbieder (VZA) or multifunctioneel centrum (MFC), and
//! every registration or recognition an agreement depends on: the registration of an
//! ouderinitiatief with VAPH (V-02) and the recognition of a vrijwilligersorganisatie (F-03).
//!
//! One stream, because the cap "at most five licensed BOs" (S000-03) spans organisations: the
//! application layer appends with the expected version of this stream, so two concurrent
//! licences cannot both pass the cap.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Context;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::{self, AppliedParameter, Parameter};
use crate::values::OrganisationId;

/// The kinds of licensed organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// Bijstandsorganisatie: assists budget holders (S000-01..14).
    AssistanceOrganisation,
    /// Vergunde zorgaanbieder: licensed provider, may be paid in voucher (P-09).
    LicensedProvider,
    /// Multifunctioneel centrum for minors; a recognised MFC also counts as a VZA for adults.
    MultifunctionalCentre,
    /// Ouderinitiatief registered with VAPH: from 2019-01-01 the only kind VAPH accepts PVB
    /// agreements for collective support from (V-02). The "licence" date is the registration date.
    RegisteredParentInitiative,
    /// Erkende vrijwilligersorganisatie: volunteers are paid only through an agreement with one
    /// (F-03). The "licence" date is the recognition date.
    RecognisedVolunteerOrganisation,
}

/// One licence as the registry knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    pub organisation: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub licensed_from: NaiveDate,
    /// First day without licence.
    pub withdrawn_from: Option<NaiveDate>,
}

impl Licence {
    /// Licensed on `on`: from the licence date, until the day before a withdrawal.
    pub fn is_active_on(&self, on: NaiveDate) -> bool {
        self.licensed_from <= on && self.withdrawn_from.is_none_or(|w| on < w)
    }
}

/// State of the registry stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    licences: BTreeMap<OrganisationId, Licence>,
}

impl Registry {
    pub fn licence(&self, organisation: OrganisationId) -> Option<&Licence> {
        self.licences.get(&organisation)
    }

    /// The licence of `organisation` if it is of `kind` and active on `on`.
    pub fn active(
        &self,
        organisation: OrganisationId,
        kind: OrganisationKind,
        on: NaiveDate,
    ) -> Option<&Licence> {
        self.licence(organisation)
            .filter(|l| l.kind == kind && l.is_active_on(on))
    }

    /// A licensed provider for voucher purposes: a VZA or an MFC (a recognised MFC is also a VZA).
    pub fn is_licensed_provider(&self, organisation: OrganisationId, on: NaiveDate) -> bool {
        self.active(organisation, OrganisationKind::LicensedProvider, on)
            .is_some()
            || self
                .active(organisation, OrganisationKind::MultifunctionalCentre, on)
                .is_some()
    }

    fn active_count(&self, kind: OrganisationKind, on: NaiveDate) -> usize {
        self.licences
            .values()
            .filter(|l| l.kind == kind && l.is_active_on(on))
            .count()
    }
}

/// Commands on the registry (staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum RegistryCommand {
    /// Grant a licence (vergunning).
    License {
        organisation: OrganisationId,
        kind: OrganisationKind,
        name: String,
        licensed_from: NaiveDate,
    },
    /// Withdraw a licence (intrekking).
    Withdraw {
        organisation: OrganisationId,
        withdrawn_from: NaiveDate,
        reason: String,
    },
}

/// An organisation was licensed by VAPH.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OrganisationLicensed {
    pub organisation: OrganisationId,
    pub kind: OrganisationKind,
    /// Legal name of the organisation.
    pub name: String,
    /// First day of the licence.
    pub licensed_from: NaiveDate,
    /// The licence cap applied (BO only).
    pub rules_applied: Vec<AppliedParameter>,
}

/// A licence was withdrawn; the organisation is unlicensed from `withdrawn_from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OrganisationLicenceWithdrawn {
    pub organisation: OrganisationId,
    /// First day without licence.
    pub withdrawn_from: NaiveDate,
    /// Why, as written in the decision.
    pub reason: String,
}

crate::event::event_enum! {
    /// Events of the registry stream.
    RegistryEvent {
        OrganisationLicensed = 1,
        OrganisationLicenceWithdrawn = 1,
    }
}

/// Decides a registry command.
///
/// # Errors
/// `NOT_AUTHORISED` unless staff; `ORGANISATION_ALREADY_LICENSED`; `BO_LICENCE_CAP_REACHED`
/// (S000-03); `UNKNOWN_ORGANISATION`; `LICENCE_NOT_ACTIVE`; `REASON_REQUIRED`.
pub fn decide(
    command: &RegistryCommand,
    state: &Registry,
    ctx: &Context<'_>,
) -> Result<Vec<RegistryEvent>, Rejection> {
    if !ctx.actor.is_agency() {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "change the organisation registry",
                "het register van organisaties te wijzigen",
            ),
        }
        .into());
    }
    match command {
        RegistryCommand::License {
            organisation,
            kind,
            name,
            licensed_from,
        } => {
            if state
                .licence(*organisation)
                .is_some_and(|l| l.withdrawn_from.is_none())
            {
                return Err(Reason::OrganisationAlreadyLicensed.into());
            }
            let mut rules_applied = Vec::new();
            if *kind == OrganisationKind::AssistanceOrganisation {
                let (cap, applied) = rule_book::count(
                    ctx,
                    Parameter::AssistanceOrganisationLicenceCap,
                    *licensed_from,
                )?;
                rules_applied.push(applied);
                let active = state.active_count(*kind, *licensed_from);
                if active >= usize::try_from(cap).unwrap_or(usize::MAX) {
                    return Err(Reason::AssistanceOrganisationLicenceCapReached {
                        cap,
                        on: *licensed_from,
                    }
                    .into());
                }
            }
            Ok(vec![
                OrganisationLicensed {
                    organisation: *organisation,
                    kind: *kind,
                    name: name.clone(),
                    licensed_from: *licensed_from,
                    rules_applied,
                }
                .into(),
            ])
        }
        RegistryCommand::Withdraw {
            organisation,
            withdrawn_from,
            reason,
        } => {
            let licence = state
                .licence(*organisation)
                .ok_or(Reason::UnknownOrganisation)?;
            if licence.withdrawn_from.is_some() {
                return Err(Reason::LicenceNotActive.into());
            }
            Ok(vec![
                OrganisationLicenceWithdrawn {
                    organisation: *organisation,
                    withdrawn_from: *withdrawn_from,
                    reason: reason.clone(),
                }
                .into(),
            ])
        }
    }
}

/// The name of the one registry stream (one stream, so the licence cap is one invariant).
pub const STREAM: &str = "registry-organisations";

/// The registry of organisation licences.
#[derive(Debug, Clone, Copy)]
pub struct RegistryStream;

impl crate::Decider for RegistryStream {
    type Id = ();
    type Command = RegistryCommand;
    type Event = RegistryEvent;
    type State = Registry;
    const KIND: &'static str = "registry";

    fn stream((): &()) -> String {
        STREAM.to_owned()
    }

    fn decide(
        command: &RegistryCommand,
        state: &Registry,
        ctx: &Context<'_>,
    ) -> Result<Vec<RegistryEvent>, Rejection> {
        decide(command, state, ctx)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn weighty(command: &Self::Command) -> Option<&'static crate::four_eyes::WeightyDecision> {
        crate::four_eyes::decision_for(Self::KIND, command)
    }

    fn evolve(state: Registry, event: &RegistryEvent) -> Registry {
        evolve(state, event)
    }
}

/// Applies a registry event.
pub fn evolve(mut state: Registry, event: &RegistryEvent) -> Registry {
    match event {
        RegistryEvent::OrganisationLicensed(e) => {
            state.licences.insert(
                e.organisation,
                Licence {
                    organisation: e.organisation,
                    kind: e.kind,
                    name: e.name.clone(),
                    licensed_from: e.licensed_from,
                    withdrawn_from: None,
                },
            );
        }
        RegistryEvent::OrganisationLicenceWithdrawn(e) => {
            if let Some(licence) = state.licences.get_mut(&e.organisation) {
                licence.withdrawn_from = Some(e.withdrawn_from);
            }
        }
    }
    state
}
