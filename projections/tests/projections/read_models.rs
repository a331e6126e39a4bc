//! The read models on fixture histories, and through the runner: rebuilt equals incremental.

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::dossier::*;
use domain::{AgreementId, ControlId, RecoveryId};
use event_store::{EventStore, ExpectedVersion, MemoryStore};
use projections::read::agreements::{AGREEMENTS, Agreements};
use projections::read::audit::{AUDIT_TRAIL, AuditTrail};
use projections::read::budgets::{BUDGET_MONTH_REDUCTIONS, BUDGET_YEARS, Budgets};
use projections::read::claim_lines::{CLAIM_LINES, ClaimLines};
use projections::read::controls::{CONTROL_CASES, CONTROL_FINDINGS, Controls};
use projections::read::covid::{COVID_OVERRUN, COVID_OVERRUN_TOTALS, CovidOverrun};
use projections::read::dossiers::{DOSSIERS, Dossiers};
use projections::read::fold::Folding;
use projections::{Runner, Value};
use read_sqlite::SqliteSink;

use crate::fixtures::*;

fn money(text: &str) -> Value {
    Value::Decimal(eur(text).amount())
}

/// A PAB with a combination reduction, a COVID-19 increase, lines of every outcome and a
/// payment.
fn rich_history() -> (History, Case) {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "12000.00");
    let mfc = organisation(&mut h);
    let combination = domain::CombinationId::from_uuid(h.id());
    h.dossier(
        &case,
        PabCombinationStarted {
            combination,
            budget: case.budget,
            provider: mfc,
            care: CombinedCare::MfcDayCare {
                day_care: DayCareType::SchoolSupplementary,
                half_days_per_month: 4,
            },
            effective_from: date(2020, 7, 1),
            monthly_reduction: eur("100.00"),
            rate_per_half_day: Some(eur("25.00")),
            reason: None,
            rules_applied: vec![],
        },
    );
    let covid_agreement = AgreementId::from_uuid(h.id());
    register_agreement(
        &mut h,
        &case,
        covid_agreement,
        AgreementKind::IndividualAssistant,
        date(2020, 3, 14),
        Some(CovidBasis::New),
        None,
    );
    h.dossier(
        &case,
        CovidOverrunAllowanceGranted {
            budget: case.budget,
            year: 2020,
            cap_percent: "25.5".parse().unwrap(),
            base_date: date(2020, 4, 23),
            base_budget: eur("12000.00"),
            management_costs: eur("0.00"),
            cap: eur("3060.00"),
            trigger_agreement: covid_agreement,
            rules_applied: vec![domain::rule_book::AppliedParameter {
                parameter: domain::rule_book::Parameter::CovidOverrunCapPercent,
                version: 3,
            }],
        },
    );
    let mut covid_line = line(2, &case, date(2020, 4, 1), date(2020, 4, 30), "2000.00");
    covid_line.agreement = Some(covid_agreement);
    covid_line.category = CostCategory::Covid;
    let claim = accepted_claim(
        &mut h,
        &case,
        vec![
            line(1, &case, date(2020, 1, 1), date(2020, 6, 30), "12000.00"),
            covid_line,
        ],
    );
    let payment = domain::PaymentId::from_uuid(h.id());
    h.dossier(
        &case,
        PaymentOrdered {
            payment,
            budget: case.budget,
            year: 2020,
            ordered_on: date(2021, 1, 10),
            due_by: date(2021, 2, 9),
            lines: vec![
                PaidLine {
                    claim,
                    line: 1,
                    amount: eur("12000.00"),
                },
                PaidLine {
                    claim,
                    line: 2,
                    amount: eur("2000.00"),
                },
            ],
            costs: eur("14000.00"),
            credit_notes: eur("0.00"),
            deductions: eur("0.00"),
            net: eur("14000.00"),
            rules_applied: vec![],
        },
    );
    let held = domain::ClaimId::from_uuid(h.id());
    h.dossier(
        &case,
        CostClaimSubmitted {
            claim: held,
            budget: case.budget,
            budget_year: 2020,
            sequence_no: 2,
            submitted_on: date(2020, 12, 31),
            channel: ClaimChannel::Paper,
            late_exception: None,
            lines: vec![line(1, &case, date(2020, 7, 1), date(2020, 7, 31), "30.00")],
            submitted_by: domain::Actor::System,
        },
    );
    h.dossier(
        &case,
        CostLineHeld {
            claim: held,
            line: 1,
            reason: LineReason::CovidDeadlineConflict,
            rule: "S004-11".into(),
            rules_applied: vec![],
        },
    );
    (h, case)
}

fn one(rows: Vec<BTreeMap<&'static str, Value>>) -> BTreeMap<&'static str, Value> {
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.into_iter().next().unwrap()
}

#[test]
fn the_budget_year_shows_the_domain_figures() {
    let (h, _) = rich_history();
    let row = one(rows(&mut Folding::<Budgets>::default(), &h, &BUDGET_YEARS));
    assert_eq!(row["annual_budget"], money("12000.00"));
    // Six months (July to December) of a 100.00 reduction.
    assert_eq!(row["reductions"], money("600.00"));
    assert_eq!(row["net_annual"], money("11400.00"));
    assert_eq!(row["covid_increase"], money("3060.00"));
    assert_eq!(row["covid_regime_version"], Value::Integer(3));
    assert_eq!(row["covid_base_date"], Value::Date(date(2020, 4, 23)));
    assert_eq!(row["accepted"], money("14000.00"));
    assert_eq!(row["held"], money("30.00"));
    assert_eq!(row["paid"], money("14000.00"));
    assert_eq!(row["overrun"], money("2600.00"));
    assert_eq!(row["covid_attributable"], money("2000.00"));
    assert_eq!(row["unexplained_overrun"], money("600.00"));
    assert_eq!(row["other_costs_limit"], money("600.00"));
}

#[test]
fn combination_reductions_are_shown_per_month_and_sum_to_the_year() {
    let (h, _) = rich_history();
    let months = rows(
        &mut Folding::<Budgets>::default(),
        &h,
        &BUDGET_MONTH_REDUCTIONS,
    );
    assert_eq!(months.len(), 12);
    let reduction = |month: i64| {
        months
            .iter()
            .find(|r| r["month"] == Value::Integer(month))
            .map(|r| r["reduction"].clone())
            .unwrap()
    };
    // The combination starts on 1 July: no reduction before, 100.00 from then on.
    assert_eq!(reduction(6), money("0.00"));
    assert_eq!(reduction(7), money("100.00"));
    assert_eq!(reduction(12), money("100.00"));
    let year = one(rows(&mut Folding::<Budgets>::default(), &h, &BUDGET_YEARS));
    let Value::Decimal(total) = year["reductions"] else {
        panic!("reductions is a decimal")
    };
    let sum: rust_decimal::Decimal = months
        .iter()
        .map(|r| match r["reduction"] {
            Value::Decimal(d) => d,
            _ => rust_decimal::Decimal::ZERO,
        })
        .sum();
    assert_eq!(sum, total);
}

#[test]
fn covid_overrun_has_a_row_per_budget_year_and_totals() {
    let (mut h, _) = rich_history();
    let second = pab_case(&mut h, 2020, "1000.00");
    let mut l = line(1, &second, date(2020, 5, 1), date(2020, 5, 31), "10.00");
    l.category = CostCategory::Covid;
    accepted_claim(&mut h, &second, vec![l]);
    let per_dossier = rows(&mut Folding::<CovidOverrun>::default(), &h, &COVID_OVERRUN);
    assert_eq!(per_dossier.len(), 2);
    let totals = one(rows(
        &mut Folding::<CovidOverrun>::default(),
        &h,
        &COVID_OVERRUN_TOTALS,
    ));
    assert_eq!(totals["budget_lines"], Value::Integer(2));
    assert_eq!(totals["covid_accepted"], money("2010.00"));
    assert_eq!(totals["unexplained_overrun"], money("600.00"));
}

#[test]
fn agreements_show_their_state_and_the_ido_freeze() {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let ido = AgreementId::from_uuid(h.id());
    register_agreement(
        &mut h,
        &case,
        ido,
        AgreementKind::Ido,
        date(2019, 1, 1),
        None,
        None,
    );
    h.dossier(
        &case,
        AgreementNoticeGiven {
            agreement: ido,
            notice_date: date(2020, 7, 1),
            end_date: date(2020, 9, 30),
            rules_applied: vec![],
        },
    );
    let all = rows(&mut Folding::<Agreements>::default(), &h, &AGREEMENTS);
    let row = all
        .iter()
        .find(|r| r["agreement"] == Value::from(ido.to_string()))
        .unwrap();
    assert_eq!(row["status"], Value::from("notice_given"));
    assert_eq!(row["covid_frozen"], Value::Boolean(true));
    assert_eq!(row["frozen_until"], Value::Date(date(2020, 9, 30)));
    assert_eq!(row["notice_possible_from"], Value::Date(date(2020, 7, 1)));
    assert_eq!(row["may_change_from"], Value::Date(date(2020, 10, 1)));
    let other = all
        .iter()
        .find(|r| r["agreement"] == Value::from(case.agreement.to_string()))
        .unwrap();
    assert_eq!(other["status"], Value::from("approved"));
    assert_eq!(other["covid_frozen"], Value::Boolean(false));
}

#[test]
fn held_lines_are_queued_and_dossiers_are_found_by_insz() {
    let (h, case) = rich_history();
    let lines = rows(&mut Folding::<ClaimLines>::default(), &h, &CLAIM_LINES);
    let held: Vec<_> = lines
        .iter()
        .filter(|r| r["status"] == Value::from("held"))
        .collect();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["reason"], Value::from("COVID_DEADLINE_CONFLICT"));
    assert!(lines.iter().any(|r| r["paid"] == money("2000.00")));
    let dossier = one(rows(&mut Folding::<Dossiers>::default(), &h, &DOSSIERS));
    assert_eq!(dossier["insz"], Value::from(INSZ));
    assert_eq!(
        dossier["dossier"],
        Value::from(case.dossier.as_uuid().to_string())
    );
    assert_eq!(dossier["budgets"], Value::from("PAB started"));
}

#[test]
fn control_cases_carry_evidence_and_findings() {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let control = ControlId::from_uuid(h.id());
    h.dossier(
        &case,
        ControlCaseOpened {
            control,
            budget: case.budget,
            selection: ControlSelection::Zorginspectie,
            kind: ControlKind::Standard,
            period_from: date(2020, 1, 1),
            period_to: date(2020, 12, 31),
            opened_on: date(2021, 3, 1),
        },
    );
    h.dossier(
        &case,
        EvidenceReceived {
            control,
            documents: vec![EvidenceDocument {
                reference: "rekeninguittreksels".into(),
                sha256: "ab".repeat(32),
            }],
            received_on: date(2021, 3, 20),
        },
    );
    let recovery = RecoveryId::from_uuid(h.id());
    h.dossier(
        &case,
        ControlConcluded {
            control,
            concluded_on: date(2021, 4, 1),
            findings: vec![Finding {
                rule: "K-02".into(),
                severity: Severity::Irregularity,
                amount: Some(eur("120.00")),
                description: "kosten zonder bewijs".into(),
            }],
            letter_ref: "brief-1".into(),
            recovery: Some(recovery),
        },
    );
    let case_row = one(rows(
        &mut Folding::<Controls>::default(),
        &h,
        &CONTROL_CASES,
    ));
    assert_eq!(case_row["selection"], Value::from("zorginspectie"));
    assert_eq!(case_row["findings"], Value::Integer(1));
    assert!(
        matches!(&case_row["evidence_received"], Value::Text(t) if t.starts_with("rekeninguittreksels ab"))
    );
    let finding = one(rows(
        &mut Folding::<Controls>::default(),
        &h,
        &CONTROL_FINDINGS,
    ));
    assert_eq!(finding["rule"], Value::from("K-02"));
    assert_eq!(finding["amount"], money("120.00"));
}

#[test]
fn the_audit_trail_says_who_did_what_when_and_why() {
    let (h, case) = rich_history();
    let trail = rows(&mut AuditTrail::default(), &h, &AUDIT_TRAIL);
    assert_eq!(trail.len(), h.events.len());
    let dossier = Value::from(case.dossier.as_uuid().to_string());
    let first = trail.iter().find(|r| r["dossier"] == dossier).unwrap();
    assert_eq!(first["event_type"], Value::from("PersonRegistered"));
    assert_eq!(first["actor_id"], Value::from("staff-1"));
    assert_eq!(first["actor_role"], Value::from("staff"));
    assert_eq!(first["reason"], Value::from("fixture"));
}

/// Every table of every read model, as sorted text rows.
fn dump(sink: &SqliteSink) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(sink.path()).unwrap();
    let mut out = BTreeMap::new();
    for projection in projections::read::all() {
        for table in projection.tables() {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {} ORDER BY 1, 2, 3", table.name))
                .unwrap();
            let n = stmt.column_count();
            let rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            out.insert(table.name.to_owned(), rows);
        }
    }
    out
}

#[tokio::test]
async fn every_read_model_rebuilt_equals_the_incrementally_built_one() {
    let (mut h, _) = rich_history();
    for _ in 0..3 {
        let case = pab_case(&mut h, 2020, "1000.00");
        accepted_claim(
            &mut h,
            &case,
            vec![line(
                1,
                &case,
                date(2019, 12, 1),
                date(2020, 1, 31),
                "1200.00",
            )],
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let incremental = SqliteSink::open(dir.path().join("incremental.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(incremental.clone()));
    let events = h.new_events();
    for chunk in events.chunks(7) {
        for (stream, event) in chunk {
            store
                .append(stream, ExpectedVersion::Any, std::slice::from_ref(event))
                .await
                .unwrap();
        }
        runner
            .catch_up(&mut projections::read::all())
            .await
            .unwrap();
    }
    let rebuilt = SqliteSink::open(dir.path().join("rebuilt.db")).unwrap();
    let stats = Runner::new(store, Arc::new(rebuilt.clone()))
        .rebuild(&mut projections::read::all(), |_| {})
        .await
        .unwrap();
    assert_eq!(stats.events, h.events.len() as u64);
    let built = dump(&incremental);
    assert!(built["signals"].len() >= 3, "{:?}", built["signals"]);
    assert_eq!(dump(&rebuilt), built);
    // The rebuild fills the tables first and adds the secondary indexes at the end.
    let indexes = |file: &str| -> Vec<String> {
        let db = rusqlite::Connection::open(dir.path().join(file)).unwrap();
        let mut statement = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_%' ORDER BY name")
            .unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(indexes("rebuilt.db").contains(&"signals_by_triage".to_owned()));
    assert_eq!(indexes("rebuilt.db"), indexes("incremental.db"));
}

#[test]
fn the_direct_decode_of_current_events_equals_the_upcaster() {
    let (h, _) = rich_history();
    let mut dossier_events = 0;
    for event in &h.events {
        let payload = serde_json::from_slice(&event.payload).unwrap();
        let upcast = domain::upcast(&event.event_type, event.schema_version, payload).unwrap();
        if matches!(upcast, domain::Event::Dossier(_)) {
            dossier_events += 1;
        }
        assert_eq!(projections::read::fold::decode(event), Some(upcast));
    }
    assert!(dossier_events > 10);
}
