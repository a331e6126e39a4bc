//! Bijstandsorganisaties: licences (the registry stream), membership, fees and reports.

use domain::dossier::*;
use domain::registry::{OrganisationKind, RegistryCommand};
use domain::rule_book::Parameter;
use domain::testing::{Scenario, given, seed_rule_book};
use domain::*;
use uuid::Uuid;

use crate::fixtures::*;

fn bo(n: u128) -> OrganisationId {
    OrganisationId::from_uuid(Uuid::from_u128(
        0x0196_0000_0000_7000_8000_0000_0000_1000 + n,
    ))
}

/// Five BOs licensed from 2017-01-01, one VZA.
fn five_bos() -> Scenario {
    (1..=5).fold(
        given(seed_rule_book()).by(admin()).after(license(
            VZA,
            OrganisationKind::LicensedProvider,
            d(2015, 1, 1),
        )),
        |scenario, n| {
            scenario.after(license(
                bo(n),
                OrganisationKind::AssistanceOrganisation,
                d(2017, 1, 1),
            ))
        },
    )
}

#[test]
fn s000_03_at_most_five_bijstandsorganisaties_are_licensed() {
    let rejection = five_bos()
        .when(license(
            bo(6),
            OrganisationKind::AssistanceOrganisation,
            d(2020, 1, 1),
        ))
        .then_rejected("BO_LICENCE_CAP_REACHED");
    assert_eq!(rejection.rule(), "S000-03");
    // Other kinds do not count.
    five_bos().after(license(
        bo(7),
        OrganisationKind::LicensedProvider,
        d(2020, 1, 1),
    ));
}

#[test]
fn s000_03_a_withdrawn_licence_frees_a_place_from_its_withdrawal_date() {
    let withdrawn = five_bos().after(RegistryCommand::Withdraw {
        organisation: bo(1),
        withdrawn_from: d(2020, 7, 1),
        reason: "kwaliteitseisen niet gehaald".into(),
    });
    withdrawn
        .clone()
        .when(license(
            bo(6),
            OrganisationKind::AssistanceOrganisation,
            d(2020, 6, 30),
        ))
        .then_rejected("BO_LICENCE_CAP_REACHED");
    withdrawn
        .clone()
        .when(license(
            bo(6),
            OrganisationKind::AssistanceOrganisation,
            d(2020, 7, 1),
        ))
        .then_events(vec![Event::Registry(
            domain::registry::OrganisationLicensed {
                organisation: bo(6),
                kind: OrganisationKind::AssistanceOrganisation,
                name: format!("organisation {}", bo(6)),
                licensed_from: d(2020, 7, 1),
                rules_applied: vec![applied(Parameter::AssistanceOrganisationLicenceCap, 1)],
            }
            .into(),
        )]);
    withdrawn
        .when(RegistryCommand::Withdraw {
            organisation: bo(1),
            withdrawn_from: d(2020, 8, 1),
            reason: "again".into(),
        })
        .then_rejected("LICENCE_NOT_ACTIVE");
}

#[test]
fn only_staff_changes_the_registry() {
    given(seed_rule_book())
        .by(holder(MOTHER))
        .when(license(
            BO,
            OrganisationKind::AssistanceOrganisation,
            d(2020, 1, 1),
        ))
        .then_rejected("NOT_AUTHORISED");
}

fn assistance(threshold: AssistanceThreshold, fee: &str) -> DossierCommand {
    DossierCommand::RecordAssistance(RecordAssistance {
        organisation: BO,
        threshold,
        description: "advies over opstart".into(),
        fee: euro(fee),
        provided_on: d(2021, 2, 1),
    })
}

#[test]
fn s000_08_low_threshold_assistance_is_never_charged() {
    let scenario = child_with_started_pab().by(organisation(BO));
    let rejection = scenario
        .clone()
        .when(assistance(AssistanceThreshold::LowThreshold, "0.01"))
        .then_rejected("LOW_THRESHOLD_ASSISTANCE_IS_FREE");
    assert_eq!(rejection.rule(), "S000-08");
    scenario.after(assistance(AssistanceThreshold::LowThreshold, "0"));
}

#[test]
fn s000_10_high_threshold_assistance_may_be_charged() {
    child_with_started_pab()
        .by(organisation(BO))
        .after(assistance(AssistanceThreshold::HighThreshold, "45.00"));
}

#[test]
fn s000_12_s000_14_the_collective_task_is_never_charged() {
    let scenario = child_with_started_pab().by(organisation(BO));
    scenario
        .clone()
        .when(assistance(AssistanceThreshold::CollectiveTask, "10.00"))
        .then_rejected("COLLECTIVE_TASK_IS_FREE");
    scenario.after(assistance(AssistanceThreshold::CollectiveTask, "0"));
}

#[test]
fn assistance_is_recorded_by_the_organisation_itself_or_vaph() {
    child_with_started_pab()
        .by(organisation(VZA))
        .when(assistance(AssistanceThreshold::HighThreshold, "45.00"))
        .then_rejected("NOT_AUTHORISED");
}

fn report(organisation: OrganisationId, narrative: &str) -> DossierCommand {
    DossierCommand::ReportSuspectedMisuse(ReportSuspectedMisuse {
        report: REPORT,
        organisation,
        suspicion: Suspicion::Fraud,
        narrative: narrative.into(),
        reported_on: d(2021, 5, 3),
    })
}

#[test]
fn s000_13_a_bijstandsorganisatie_reports_suspected_misuse_or_fraud() {
    let scenario = child_with_started_pab();
    scenario
        .clone()
        .by(organisation(BO))
        .when(report(BO, "assistent gefactureerd na overlijden"))
        .then_events(vec![dossier_event(SuspectedMisuseReported {
            report: REPORT,
            organisation: BO,
            suspicion: Suspicion::Fraud,
            narrative: "assistent gefactureerd na overlijden".into(),
            reported_on: d(2021, 5, 3),
        })]);
    scenario
        .clone()
        .by(organisation(BO))
        .when(report(BO, " "))
        .then_rejected("REASON_REQUIRED");
    scenario
        .clone()
        .by(organisation(VZA))
        .when(report(VZA, "vermoeden"))
        .then_rejected("NOT_A_LICENSED_BO");
    scenario
        .by(organisation(VZA))
        .when(report(BO, "vermoeden"))
        .then_rejected("NOT_AUTHORISED");
}

#[test]
fn membership_is_with_a_licensed_bijstandsorganisatie_once() {
    let join = |organisation| {
        DossierCommand::JoinAssistanceOrganisation(JoinAssistanceOrganisation {
            organisation,
            joined_on: d(2021, 6, 1),
        })
    };
    let scenario = child_with_started_pab().by(holder(MOTHER));
    scenario
        .clone()
        .when(join(VZA))
        .then_rejected("NOT_A_LICENSED_BO");
    scenario
        .after(join(BO))
        .when(join(BO))
        .then_rejected("ALREADY_MEMBER");
}
