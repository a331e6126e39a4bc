//! A dossier as known at a recorded time, as effective on a business date, and both.

use std::sync::Arc;

use chrono::Duration;
use domain::dossier::PersonDeceased;
use event_store::{EventStore, ExpectedVersion, MemoryStore};
use projections::as_of::{AsOf, dossier_as_of, fold_dossier};

use crate::fixtures::*;

/// A PAB of 2020 with a claim of 300 (accepted) and, recorded a day later, a death on
/// 31/05/2020 that turns a June line into an F9 signal.
fn history() -> (History, Case, chrono::DateTime<chrono::Utc>) {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    accepted_claim(
        &mut h,
        &case,
        vec![
            line(1, &case, date(2020, 2, 1), date(2020, 2, 29), "100.00"),
            line(2, &case, date(2020, 6, 1), date(2020, 6, 30), "200.00"),
        ],
    );
    let before_death = h.now;
    h.now += Duration::days(1);
    h.dossier(
        &case,
        PersonDeceased {
            date_of_death: date(2020, 5, 31),
            certificate_ref: "akte".into(),
        },
    );
    (h, case, before_death)
}

fn split(
    h: &History,
    case: &Case,
) -> (
    Vec<event_store::RecordedEvent>,
    Vec<event_store::RecordedEvent>,
) {
    let stream = format!("dossier-{}", case.dossier.as_uuid());
    let rules = h
        .events
        .iter()
        .filter(|e| e.stream.as_str() == "rulebook")
        .cloned()
        .collect();
    let own = h
        .events
        .iter()
        .filter(|e| e.stream.as_str() == stream)
        .cloned()
        .collect();
    (rules, own)
}

#[test]
fn as_known_at_a_time_only_events_recorded_by_then_count() {
    let (h, case, before_death) = history();
    let (rules, own) = split(&h, &case);
    let dossier = case.dossier.as_uuid().to_string();
    let now = fold_dossier(&dossier, &rules, &own, AsOf::default());
    assert_eq!(now.events, own.len());
    assert!(now.signals.iter().any(|s| s.rule == "F9"));
    let then = fold_dossier(
        &dossier,
        &rules,
        &own,
        AsOf {
            known_at: Some(before_death),
            effective_on: None,
        },
    );
    assert_eq!(then.events, own.len() - 1);
    assert!(then.state.person.as_ref().unwrap().date_of_death.is_none());
    assert!(!then.signals.iter().any(|s| s.rule == "F9"));
    assert_eq!(then.budget_lines[0].accepted, eur("300.00"));
}

#[test]
fn as_effective_on_a_date_only_facts_of_that_date_count_and_the_two_combine() {
    let (h, case, before_death) = history();
    let (rules, own) = split(&h, &case);
    let dossier = case.dossier.as_uuid().to_string();
    // On 30/05/2020 the death had not happened and the claim (31/12/2020) was not submitted.
    let effective = fold_dossier(
        &dossier,
        &rules,
        &own,
        AsOf {
            known_at: None,
            effective_on: Some(date(2020, 5, 30)),
        },
    );
    assert!(
        effective
            .state
            .person
            .as_ref()
            .unwrap()
            .date_of_death
            .is_none()
    );
    assert_eq!(effective.budget_lines[0].accepted, eur("0.00"));
    // On 31/12/2020, as known before the death was recorded: the claim, no death.
    let both = fold_dossier(
        &dossier,
        &rules,
        &own,
        AsOf {
            known_at: Some(before_death),
            effective_on: Some(date(2020, 12, 31)),
        },
    );
    assert_eq!(both.budget_lines[0].accepted, eur("300.00"));
    assert!(both.state.person.as_ref().unwrap().date_of_death.is_none());
}

#[tokio::test]
async fn the_store_answer_reads_the_dossier_stream_and_the_rule_book() {
    let (h, case, _) = history();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    for (stream, event) in h.new_events() {
        store
            .append(&stream, ExpectedVersion::Any, &[event])
            .await
            .unwrap();
    }
    let dossier = case.dossier.as_uuid().to_string();
    let view = dossier_as_of(store.as_ref(), &dossier, AsOf::default())
        .await
        .unwrap();
    assert_eq!(view.budget_lines.len(), 1);
    assert_eq!(view.budget_lines[0].accepted, eur("300.00"));
    assert!(view.signals.iter().any(|s| s.rule == "F9"));
}
