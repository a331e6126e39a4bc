//! `dossier demo` on a fresh SQLite store: the history verifies, raises every implemented fraud
//! signal, shows budgets with accepted claims, a COVID-19 overrun and a combination reduction,
//! and a second run is refused.

use std::path::Path;

use serde_json::Value;

use super::dossier;

/// Every rule `projections::read::signals` implements.
const SIGNAL_RULES: [&str; 15] = [
    "F1", "F2", "F5", "F7", "F8", "F9", "F11", "F13", "F14", "F17", "F18", "F19", "F21", "F23",
    "F32",
];

fn report(store: &str, kind: &str) -> Vec<Value> {
    let out = dossier()
        .args(["report", kind, "--format", "json", "--store", store])
        .output()
        .expect("run report");
    assert!(
        out.status.success(),
        "report {kind}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("report is JSON");
    json["rows"].as_array().expect("rows").clone()
}

/// Whether a report's amount column holds more than zero (amounts are exact decimal strings).
fn positive(row: &Value, column: &str) -> bool {
    row[column]
        .as_str()
        .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
        .is_some_and(|d| d > rust_decimal::Decimal::ZERO)
}

fn run_demo(store: &str, dossiers: &str) -> std::process::Output {
    dossier()
        .args(["demo", "--dossiers", dossiers, "--store", store])
        .output()
        .expect("run demo")
}

fn sqlite_store(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("dossier.db").display())
}

#[test]
fn demo_fills_a_fresh_store_with_a_history_that_raises_every_signal() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_store(dir.path());

    let demo = run_demo(&store, "24");
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(
        demo.status.success(),
        "demo failed: {stdout}{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.starts_with("demo: dossiers=24 "), "{summary}");

    let verify = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    // Every dossier's person has a record of their own with a name staff can search by.
    let db = rusqlite::Connection::open(dir.path().join("dossier.db")).unwrap();
    let named: i64 = db
        .query_row(
            "SELECT count(*) FROM events AS registered WHERE registered.event_type = 'PersonRegistered' \
             AND EXISTS (SELECT 1 FROM events AS identified \
               WHERE identified.event_type = 'PersonIdentified' \
               AND identified.stream = 'person-record-' || json_extract(CAST(registered.payload AS TEXT), '$.person'))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(named, 24);

    let signals = report(&store, "signals");
    for rule in SIGNAL_RULES {
        assert!(
            signals.iter().any(|s| s["rule"] == rule),
            "no {rule} signal among {:?}",
            signals.iter().map(|s| &s["rule"]).collect::<Vec<_>>()
        );
    }
    assert!(
        signals.iter().any(|s| s["triage"] == "escalated"),
        "the investigator's escalation is in the log"
    );

    let budgets = report(&store, "budgets");
    assert!(budgets.iter().filter(|b| positive(b, "accepted")).count() >= 15);
    assert!(budgets.iter().any(|b| positive(b, "reductions")));
    assert!(budgets.iter().any(|b| positive(b, "rejected")));

    // Every work queue has at least three items on the last day, and one past its due date
    // where the rules give items one (the signals queue is the open signals).
    let today = chrono::Utc::now().date_naive().to_string();
    let items = report(&store, "work-queues");
    let in_queue = |queue: &str| -> Vec<&Value> {
        items
            .iter()
            .filter(|i| i["queue"] == queue)
            // An erasure is due only once the retention period has ended.
            .filter(|i| queue != "erasure-due" || i["due_on"].as_str() <= Some(today.as_str()))
            .collect()
    };
    for queue in [
        "agreements-to-approve",
        "held-claim-lines",
        "proposals-to-confirm",
        "erasure-due",
        "deadlines",
    ] {
        let queued = in_queue(queue);
        assert!(queued.len() >= 3, "{queue}: {queued:?}");
        let dated = queued.iter().any(|i| i["due_on"].is_string());
        let overdue = queued
            .iter()
            .any(|i| i["due_on"].as_str().is_some_and(|d| d < today.as_str()));
        assert_eq!(dated, overdue, "{queue}: one past its due date: {queued:?}");
    }
    assert!(
        in_queue("held-claim-lines")
            .iter()
            .all(|i| i["due_rule"] == "P-05")
    );
    assert!(signals.iter().filter(|s| s["triage"] == "open").count() >= 3);

    let covid = report(&store, "covid-overrun");
    assert!(
        covid
            .iter()
            .any(|c| positive(c, "overrun") && positive(c, "covid_attributable")),
        "{covid:?}"
    );
}

#[test]
fn demo_refuses_a_store_that_already_holds_dossiers() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_store(dir.path());
    assert!(run_demo(&store, "3").status.success());
    let events_before = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap()
        .stdout;

    let again = run_demo(&store, "3");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds dossiers"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let events_after = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(events_before, events_after, "nothing written");
}
