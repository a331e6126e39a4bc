//! Controls: reproducible random samples, the control case in the dossier (evidence, visit,
//! findings, recovery) and reports of suspected fraud by staff and inspectors.

use domain::controls::{ControlsCommand, DrawControlSample, select};
use domain::dossier::*;
use domain::testing::Scenario;
use domain::*;
use uuid::Uuid;

use crate::fixtures::*;

fn population(n: u128) -> Vec<DossierId> {
    (1..=n)
        .map(|i| {
            DossierId::from_uuid(Uuid::from_u128(
                0x0196_0000_0000_7000_8000_0000_1000_0000 + i,
            ))
        })
        .chain(std::iter::once(DOSSIER))
        .collect()
}

fn draw(seed: u64, population: Vec<DossierId>, size: u32) -> ControlsCommand {
    ControlsCommand::DrawSample(DrawControlSample {
        sample: SAMPLE,
        year: 2022,
        kind: ControlKind::Standard,
        seed,
        population,
        size,
    })
}

#[test]
fn k01_a_random_sample_records_seed_and_population_and_replays_to_the_same_selection() {
    let (events, scenario) = world()
        .today(d(2023, 5, 2))
        .when(draw(20_230_502, population(299), 30))
        .then_accepted();
    let Event::Controls(domain::controls::ControlsEvent::ControlSampleDrawn(drawn)) = &events[0]
    else {
        panic!("expected a sample")
    };
    assert_eq!(drawn.seed, 20_230_502);
    assert_eq!(drawn.population.len(), 300);
    assert_eq!(drawn.selected.len(), 30);
    assert_eq!(drawn.selected, select(drawn.seed, &drawn.population, 30));
    assert_eq!(drawn.algorithm, domain::controls::ALGORITHM);
    // The same seed and population in any order select the same dossiers.
    let mut reversed = population(299);
    reversed.reverse();
    let again = world()
        .today(d(2023, 5, 2))
        .when(draw(20_230_502, reversed, 30))
        .then_accepted()
        .0;
    assert_eq!(again, events);
    scenario
        .clone()
        .when(draw(1, population(10), 1))
        .then_rejected("DUPLICATE_SAMPLE");
    world()
        .when(draw(1, population(10), 12))
        .then_rejected("SAMPLE_SIZE_INVALID");
    world()
        .when(draw(1, population(10), 0))
        .then_rejected("SAMPLE_SIZE_INVALID");
    world()
        .when(draw(1, vec![DOSSIER, DOSSIER], 1))
        .then_rejected("POPULATION_HAS_DUPLICATES");
    world()
        .by(holder(MOTHER))
        .when(draw(1, population(10), 1))
        .then_rejected("NOT_AUTHORISED");
}

fn open_case(selection: ControlSelection) -> DossierCommand {
    DossierCommand::OpenControlCase(OpenControlCase {
        control: CONTROL,
        budget: PAB,
        selection,
        kind: ControlKind::Standard,
        period_from: d(2020, 1, 1),
        period_to: d(2020, 12, 31),
    })
}

fn opened() -> Scenario {
    pab_with_agreement()
        .after(claim(
            CLAIM,
            PAB,
            2020,
            d(2021, 1, 10),
            vec![cost_line(1, "2000.00", d(2020, 3, 1), d(2020, 3, 31))],
        ))
        .today(d(2021, 6, 1))
        .after(open_case(ControlSelection::RandomSample {
            sample: SAMPLE,
            seed: 42,
        }))
}

const HASH_A: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const HASH_B: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

fn evidence(reference: &str, hash: &str) -> DossierCommand {
    DossierCommand::RecordEvidence(RecordEvidence {
        control: CONTROL,
        documents: vec![EvidenceDocument {
            reference: reference.into(),
            sha256: hash.into(),
        }],
        received_on: d(2021, 6, 20),
    })
}

#[test]
fn k01_a_control_case_requests_evidence_whose_content_never_changes() {
    let scenario = opened();
    scenario
        .clone()
        .when(open_case(ControlSelection::Zorginspectie))
        .then_rejected("DUPLICATE_CONTROL");
    scenario
        .clone()
        .when(DossierCommand::RequestEvidence(RequestEvidence {
            control: CONTROL,
            documents: vec![],
            due_by: d(2021, 7, 1),
        }))
        .then_rejected("EVIDENCE_LIST_EMPTY");
    let received = scenario
        .after(DossierCommand::RequestEvidence(RequestEvidence {
            control: CONTROL,
            documents: vec![
                "lopende overeenkomsten".into(),
                "rekeninguittreksels 2020".into(),
            ],
            due_by: d(2021, 7, 1),
        }))
        .by(holder(MOTHER))
        .after(evidence("rekeninguittreksels 2020", HASH_A));
    received
        .clone()
        .when(evidence("rekeninguittreksels 2020", HASH_B))
        .then_rejected("EVIDENCE_HASH_MISMATCH");
    received
        .clone()
        .when(evidence("overeenkomst", "not-a-hash"))
        .then_rejected("EVIDENCE_HASH_INVALID");
    received.after(evidence("rekeninguittreksels 2020", HASH_A));
}

#[test]
fn k02_an_inspection_visit_is_announced_beforehand() {
    let visit = |announced_on, visited_on| {
        DossierCommand::RecordInspectionVisit(RecordInspectionVisit {
            control: CONTROL,
            inspector: STAFF_USER,
            announced_on,
            visited_on,
            location: VisitLocation::Home,
            duration_minutes: 150,
        })
    };
    opened()
        .when(visit(d(2021, 6, 10), d(2021, 6, 10)))
        .then_rejected("INSPECTION_NOT_ANNOUNCED");
    opened().after(visit(d(2021, 6, 3), d(2021, 6, 10)));
}

fn finding(rule: &str, amount: Option<&str>) -> Finding {
    Finding {
        rule: rule.into(),
        severity: Severity::Irregularity,
        amount: amount.map(euro),
        description: "kost zonder prestatie op het rekeninguittreksel".into(),
    }
}

fn conclude(findings: Vec<Finding>, recovery: Option<&str>) -> DossierCommand {
    DossierCommand::ConcludeControl(ConcludeControl {
        control: CONTROL,
        findings,
        letter_ref: "conclusiebrief 2021-07".into(),
        recovery: recovery.map(|amount| ControlRecovery {
            recovery: RECOVERY,
            amount: euro(amount),
            legal_basis: "K-02".into(),
        }),
    })
}

#[test]
fn k01_findings_cite_rule_ids_and_amounts_and_a_recovery_never_exceeds_them() {
    let scenario = opened().after(evidence("rekeninguittreksels 2020", HASH_A));
    scenario
        .clone()
        .when(conclude(vec![finding("", Some("500.00"))], None))
        .then_rejected("FINDING_WITHOUT_RULE");
    scenario
        .clone()
        .when(conclude(
            vec![finding("K-02", Some("500.00"))],
            Some("500.01"),
        ))
        .then_rejected("RECOVERY_EXCEEDS_FINDINGS");
    let (events, concluded) = scenario
        .today(d(2021, 7, 15))
        .when(conclude(
            vec![finding("K-02", Some("500.00")), finding("P-12", None)],
            Some("500.00"),
        ))
        .then_accepted();
    assert!(matches!(
        &events[0],
        Event::Dossier(DossierEvent::ControlConcluded(c)) if c.recovery == Some(RECOVERY) && c.findings.len() == 2
    ));
    assert!(matches!(
        &events[1],
        Event::Dossier(DossierEvent::RecoveryDecided(r))
            if r.amount == euro("500.00")
                && r.reasons == vec![RecoveryReason::ControlFinding]
                && r.year == Some(2020)
                && r.evidence.contains(&"rekeninguittreksels 2020".to_owned())
    ));
    concluded
        .clone()
        .when(conclude(vec![], None))
        .then_rejected("CONTROL_ALREADY_CONCLUDED");
    assert_eq!(
        line_of(&concluded, PAB, 2020).recovery_outstanding,
        euro("500.00")
    );
}

fn fraud_report(reporter: Reporter) -> DossierCommand {
    DossierCommand::ReportSuspectedFraud(ReportSuspectedFraud {
        report: REPORT,
        reporter,
        suspicion: Suspicion::Fraud,
        narrative: "assistent werkt volgens de kostenstaten 60 uur per week".into(),
        reported_on: d(2021, 5, 1),
    })
}

#[test]
fn staff_and_inspectors_report_suspected_fraud_in_their_own_name() {
    let scenario = pab_with_agreement();
    scenario
        .clone()
        .when(fraud_report(Reporter::Inspector { user: OTHER_USER }))
        .then_rejected("NOT_AUTHORISED");
    scenario
        .clone()
        .by(holder(MOTHER))
        .when(fraud_report(Reporter::Staff { user: STAFF_USER }))
        .then_rejected("NOT_AUTHORISED");
    let reported = scenario.after(fraud_report(Reporter::Inspector { user: STAFF_USER }));
    reported
        .clone()
        .when(fraud_report(Reporter::Staff { user: STAFF_USER }))
        .then_rejected("DUPLICATE_REPORT");
    reported.after(open_case(ControlSelection::Report { report: REPORT }));
}

#[test]
fn k01_a_drawn_sample_opens_a_case_over_the_budget_year_in_each_selected_dossier() {
    let holder = adult_with_started_pvb();
    let dossier = holder.world.dossier.clone();
    assert_eq!(
        domain::controls::budget_controlled(&dossier, 2019),
        Some(PVB)
    );
    assert_eq!(
        domain::controls::budget_controlled(&dossier, 2018),
        None,
        "no budget year 2018: not in the population of a 2018 draw"
    );
    let (events, _) = holder
        .clone()
        .today(d(2020, 3, 2))
        .when(ControlsCommand::DrawSample(DrawControlSample {
            year: 2019,
            ..match draw(7, vec![DOSSIER], 1) {
                ControlsCommand::DrawSample(draw) => draw,
            }
        }))
        .then_accepted();
    let Event::Controls(domain::controls::ControlsEvent::ControlSampleDrawn(drawn)) = &events[0]
    else {
        panic!("expected a sample")
    };
    let control = ControlId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_2000_0001));
    let open = domain::controls::control_case(drawn, DOSSIER, &dossier, control)
        .expect("the selected dossier gets a case");
    assert_eq!(
        (open.budget, open.period_from, open.period_to, open.kind),
        (PVB, d(2019, 1, 1), d(2019, 12, 31), ControlKind::Standard)
    );
    assert_eq!(
        open.selection,
        ControlSelection::RandomSample {
            sample: drawn.sample,
            seed: 7
        }
    );
    let other = DossierId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_1000_0001));
    assert_eq!(
        domain::controls::control_case(drawn, other, &dossier, control),
        None,
        "a dossier the sample did not select gets no case"
    );
    // The case the sample makes is one the dossier's decider accepts.
    holder
        .today(d(2020, 3, 2))
        .by(staff())
        .after(DossierCommand::OpenControlCase(open));
}
