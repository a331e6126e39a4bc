//! Each signal: a fixture that raises it and one that just misses.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use domain::dossier::*;
use domain::{Actor, AgreementId, PersonId};
use projections::Value;
use projections::read::fold::Folding;
use projections::read::signals::{SIGNALS, Signals, signal_id};

use crate::fixtures::*;

fn signals(history: &History, rule: &str) -> Vec<BTreeMap<&'static str, Value>> {
    rows(&mut Folding::<Signals>::default(), history, &SIGNALS)
        .into_iter()
        .filter(|row| row["rule"] == Value::from(rule))
        .collect()
}

fn amount(row: &BTreeMap<&'static str, Value>) -> Value {
    row["amount"].clone()
}

fn text(row: &BTreeMap<&'static str, Value>, column: &str) -> String {
    match &row[column] {
        Value::Text(t) => t.clone(),
        other => panic!("{column} is {other:?}"),
    }
}

fn money(text: &str) -> Value {
    Value::Decimal(eur(text).amount())
}

// F1 ------------------------------------------------------------------------------------------

fn covid_year(regular: &str, covid: &str) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "1000.00");
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
    let mut covid_line = line(2, &case, date(2020, 4, 1), date(2020, 4, 30), covid);
    covid_line.agreement = Some(covid_agreement);
    covid_line.category = CostCategory::Covid;
    accepted_claim(
        &mut h,
        &case,
        vec![
            line(1, &case, date(2020, 2, 1), date(2020, 2, 29), regular),
            covid_line,
        ],
    );
    h
}

#[test]
fn f1_an_overrun_that_covid_costs_do_not_explain_is_signalled() {
    // 1,000 budget; 1,100 regular + 50 COVID-19 accepted: 150 over, 50 explained.
    let raised = signals(&covid_year("1100.00", "50.00"), "F1");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("100.00"));
    assert!(text(&raised[0], "explanation").contains("€ 100,00"));
    assert_eq!(text(&raised[0], "evidence").split(',').count(), 3);
}

#[test]
fn f1_an_overrun_fully_explained_by_covid_costs_is_not_signalled() {
    assert!(signals(&covid_year("1000.00", "150.00"), "F1").is_empty());
}

// F2 ------------------------------------------------------------------------------------------

fn covid_line_in(from: NaiveDate, to: NaiveDate) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2021, "10000.00");
    let mut covid_line = line(1, &case, from, to, "80.00");
    covid_line.category = CostCategory::Covid;
    accepted_claim(&mut h, &case, vec![covid_line]);
    h
}

#[test]
fn f2_a_covid_cost_after_the_extended_window_is_signalled() {
    let raised = signals(&covid_line_in(date(2021, 7, 1), date(2021, 7, 31)), "F2");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("80.00"));
    assert!(text(&raised[0], "explanation").contains("30/06/2021"));
}

#[test]
fn f2_a_covid_cost_on_the_last_day_of_the_window_is_not_signalled() {
    assert!(signals(&covid_line_in(date(2021, 6, 1), date(2021, 6, 30)), "F2").is_empty());
}

// F5 ------------------------------------------------------------------------------------------

fn extra_charges(from: NaiveDate, to: NaiveDate) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let mut l = line(1, &case, from, to, "40.00");
    l.nature = CostNature::ExtraCharges;
    accepted_claim(&mut h, &case, vec![l]);
    h
}

#[test]
fn f5_extra_charges_during_the_freeze_are_signalled() {
    let raised = signals(&extra_charges(date(2020, 9, 1), date(2020, 9, 30)), "F5");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("40.00"));
}

#[test]
fn f5_extra_charges_the_day_after_the_freeze_are_not_signalled() {
    assert!(signals(&extra_charges(date(2020, 10, 1), date(2020, 10, 31)), "F5").is_empty());
}

// F7 ------------------------------------------------------------------------------------------

fn ido_ending(notice: Option<NaiveDate>, end: NaiveDate) -> History {
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
    match notice {
        Some(notice_date) => h.dossier(
            &case,
            AgreementNoticeGiven {
                agreement: ido,
                notice_date,
                end_date: end,
                rules_applied: vec![],
            },
        ),
        None => h.dossier(
            &case,
            AgreementTerminated {
                agreement: ido,
                end_date: end,
                reason: "einde".into(),
                rules_applied: vec![],
            },
        ),
    };
    h
}

#[test]
fn f7_an_ido_terminated_inside_the_freeze_is_signalled() {
    let raised = signals(&ido_ending(None, date(2020, 8, 31)), "F7");
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("30/09/2020"));
}

#[test]
fn f7_an_ido_terminated_on_the_last_day_of_the_freeze_is_not_signalled() {
    assert!(signals(&ido_ending(None, date(2020, 9, 30)), "F7").is_empty());
}

#[test]
fn f7_notice_before_the_first_allowed_day_is_signalled() {
    let raised = signals(
        &ido_ending(Some(date(2020, 6, 30)), date(2020, 9, 30)),
        "F7",
    );
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("01/07/2020"));
}

#[test]
fn f7_notice_on_the_first_allowed_day_is_not_signalled() {
    assert!(signals(&ido_ending(Some(date(2020, 7, 1)), date(2020, 9, 30)), "F7").is_empty());
}

// F8 ------------------------------------------------------------------------------------------

fn service_from(from: NaiveDate) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    accepted_claim(
        &mut h,
        &case,
        vec![line(1, &case, from, date(2020, 1, 31), "100.00")],
    );
    h
}

#[test]
fn f8_a_cost_before_the_agreement_starts_is_signalled() {
    let raised = signals(&service_from(date(2019, 12, 31)), "F8");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("100.00"));
    // Evidence: the claim, the line decision, the agreement's registration and approval.
    assert_eq!(text(&raised[0], "evidence").split(',').count(), 4);
}

#[test]
fn f8_a_cost_from_the_agreement_start_is_not_signalled() {
    assert!(signals(&service_from(date(2020, 1, 1)), "F8").is_empty());
}

// F9 ------------------------------------------------------------------------------------------

fn after_death(service_from: NaiveDate) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    h.dossier(
        &case,
        PersonDeceased {
            date_of_death: date(2020, 5, 31),
            certificate_ref: "akte".into(),
        },
    );
    accepted_claim(
        &mut h,
        &case,
        vec![line(1, &case, service_from, date(2020, 6, 30), "100.00")],
    );
    h
}

#[test]
fn f9_a_cost_after_death_is_signalled() {
    let raised = signals(&after_death(date(2020, 6, 1)), "F9");
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("31/05/2020"));
}

#[test]
fn f9_a_cost_from_the_day_of_death_is_not_signalled() {
    assert!(signals(&after_death(date(2020, 5, 31)), "F9").is_empty());
}

// F11 -----------------------------------------------------------------------------------------

fn other_costs(amount: &str) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "1000.00");
    let mut l = line(1, &case, date(2020, 3, 1), date(2020, 3, 31), amount);
    l.category = CostCategory::Other;
    accepted_claim(&mut h, &case, vec![l]);
    h
}

#[test]
fn f11_other_costs_over_five_percent_are_signalled() {
    let raised = signals(&other_costs("60.00"), "F11");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("10.00"));
    assert!(text(&raised[0], "explanation").contains("€ 50,00"));
}

#[test]
fn f11_other_costs_of_exactly_five_percent_are_not_signalled() {
    assert!(signals(&other_costs("50.00"), "F11").is_empty());
}

// F13 -----------------------------------------------------------------------------------------

fn with_agreement(kind: AgreementKind) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let agreement = AgreementId::from_uuid(h.id());
    register_agreement(&mut h, &case, agreement, kind, date(2020, 2, 1), None, None);
    h
}

#[test]
fn f13_a_pab_with_mobile_guidance_is_signalled() {
    assert_eq!(
        signals(
            &with_agreement(AgreementKind::MobileOrAmbulantGuidance),
            "F13"
        )
        .len(),
        1
    );
}

#[test]
fn f13_a_pab_with_short_stay_is_not_signalled() {
    assert!(signals(&with_agreement(AgreementKind::ShortStay), "F13").is_empty());
}

#[test]
fn f13_a_pab_started_before_the_deregistration_attest_is_signalled() {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    h.dossier(
        &case,
        HomeGuidanceDeregistrationAttested {
            attest_ref: "late".into(),
            received_on: date(2020, 1, 2),
        },
    );
    let raised = signals(&h, "F13");
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("01/01/2020"));
}

// F14, F17, F18 -------------------------------------------------------------------------------

fn pab_line(kind: AgreementKind, nature: CostNature) -> History {
    let mut h = History::new();
    let mut case = pab_case(&mut h, 2020, "10000.00");
    case.agreement = AgreementId::from_uuid(h.id());
    register_agreement(
        &mut h,
        &case,
        case.agreement,
        kind,
        date(2020, 1, 1),
        None,
        None,
    );
    let mut l = line(1, &case, date(2020, 2, 1), date(2020, 2, 29), "75.00");
    l.nature = nature;
    accepted_claim(&mut h, &case, vec![l]);
    h
}

#[test]
fn f14_a_pab_line_for_day_care_is_signalled() {
    let raised = signals(&pab_line(AgreementKind::DayCare, CostNature::Care), "F14");
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("75.00"));
}

#[test]
fn f14_a_pab_line_for_short_stay_is_not_signalled() {
    assert!(signals(&pab_line(AgreementKind::ShortStay, CostNature::Care), "F14").is_empty());
}

#[test]
fn f17_a_pab_line_for_toah_is_signalled() {
    let h = pab_line(
        AgreementKind::IndividualAssistant,
        CostNature::TemporaryHomeEducation,
    );
    assert_eq!(signals(&h, "F17").len(), 1);
}

#[test]
fn f17_f18_a_pab_line_for_care_is_not_signalled() {
    let h = pab_line(AgreementKind::IndividualAssistant, CostNature::Care);
    assert!(signals(&h, "F17").is_empty());
    assert!(signals(&h, "F18").is_empty());
}

#[test]
fn f18_a_pab_line_for_a_go_boarding_school_is_signalled() {
    let h = pab_line(
        AgreementKind::IndividualAssistant,
        CostNature::GoBoardingSchool,
    );
    assert_eq!(signals(&h, "F18").len(), 1);
}

// F19 -----------------------------------------------------------------------------------------

fn two_dossiers_invoicing(second_invoice: &str) -> History {
    let mut h = History::new();
    let first = pab_case(&mut h, 2020, "10000.00");
    let second = pab_case(&mut h, 2020, "10000.00");
    let mut a = line(1, &first, date(2020, 2, 1), date(2020, 2, 29), "75.00");
    a.invoice_no = "F-2020-001".into();
    let mut b = line(1, &second, date(2020, 2, 1), date(2020, 2, 29), "75.00");
    b.invoice_no = second_invoice.into();
    accepted_claim(&mut h, &first, vec![a]);
    accepted_claim(&mut h, &second, vec![b]);
    h
}

#[test]
fn f19_the_same_invoice_accepted_in_two_dossiers_is_signalled_in_both() {
    let raised = signals(&two_dossiers_invoicing("F-2020-001"), "F19");
    assert_eq!(raised.len(), 2);
    assert_ne!(raised[0]["dossier"], raised[1]["dossier"]);
    assert_eq!(text(&raised[0], "evidence").split(',').count(), 4);
}

#[test]
fn f19_another_invoice_number_is_not_signalled() {
    assert!(signals(&two_dossiers_invoicing("F-2020-002"), "F19").is_empty());
}

#[test]
fn f19_a_duplicate_that_is_later_rejected_is_withdrawn() {
    let mut h = two_dossiers_invoicing("F-2020-001");
    // Reject the second dossier's line by an override.
    let (stream, claim) = h
        .events
        .iter()
        .rev()
        .find(|e| e.event_type == "CostClaimSubmitted")
        .map(|e| {
            let payload: serde_json::Value = serde_json::from_slice(&e.payload).unwrap();
            (
                e.stream.to_string(),
                payload["claim"].as_str().unwrap().to_owned(),
            )
        })
        .unwrap();
    h.push(
        &stream,
        domain::event::Event::Dossier(
            CostLineDecisionOverridden {
                claim: domain::ClaimId::parse(&claim).unwrap(),
                line: 1,
                previous: LineOutcome::Accepted,
                outcome: LineOutcome::Rejected {
                    reason: LineReason::DuplicateInvoice,
                },
                reason: "dubbel".into(),
                decided_by: Actor::System,
                decided_on: date(2021, 1, 5),
            }
            .into(),
        ),
    );
    assert!(signals(&h, "F19").is_empty());
}

// F21 -----------------------------------------------------------------------------------------

fn family_worker_born(birth_date: NaiveDate) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let agreement = AgreementId::from_uuid(h.id());
    register_agreement(
        &mut h,
        &case,
        agreement,
        AgreementKind::FamilyMember,
        date(2020, 1, 1),
        None,
        Some(Worker {
            birth_date,
            family_within_second_degree: true,
            completed_two_years_secondary: false,
        }),
    );
    h
}

#[test]
fn f21_a_family_member_of_seventeen_is_signalled() {
    let raised = signals(&family_worker_born(date(2002, 1, 2)), "F21");
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("17 jaar"));
}

#[test]
fn f21_a_family_member_turning_eighteen_that_day_is_not_signalled() {
    assert!(signals(&family_worker_born(date(2002, 1, 1)), "F21").is_empty());
}

// F23 -----------------------------------------------------------------------------------------

fn bo_assistance(threshold: AssistanceThreshold, fee: &str) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2021, "10000.00");
    let organisation = organisation(&mut h);
    h.dossier(
        &case,
        AssistanceRecorded {
            organisation,
            threshold,
            description: "advies".into(),
            fee: eur(fee),
            provided_on: date(2021, 6, 1),
        },
    );
    h
}

#[test]
fn f23_a_fee_for_low_threshold_help_is_signalled() {
    let raised = signals(
        &bo_assistance(AssistanceThreshold::LowThreshold, "25.00"),
        "F23",
    );
    assert_eq!(raised.len(), 1);
    assert_eq!(amount(&raised[0]), money("25.00"));
}

#[test]
fn f23_a_fee_for_high_threshold_help_is_not_signalled() {
    assert!(
        signals(
            &bo_assistance(AssistanceThreshold::HighThreshold, "25.00"),
            "F23"
        )
        .is_empty()
    );
    assert!(
        signals(
            &bo_assistance(AssistanceThreshold::LowThreshold, "0.00"),
            "F23"
        )
        .is_empty()
    );
}

// F32 -----------------------------------------------------------------------------------------

fn claim_signed_by(signer: impl FnOnce(&Case) -> PersonId, plus_parent: PersonId) -> History {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    h.dossier(
        &case,
        LegalRepresentativeAssigned {
            representative: plus_parent,
            role: RepresentativeRole::PlusParent,
            valid_from: date(2019, 1, 1),
            evidence_ref: "akte".into(),
        },
    );
    let person = signer(&case);
    claim_by(
        &mut h,
        &case,
        vec![line(1, &case, date(2020, 2, 1), date(2020, 2, 29), "10.00")],
        Actor::Holder { person },
        false,
    );
    h
}

#[test]
fn f32_a_claim_signed_by_a_plus_parent_is_signalled() {
    let plus_parent = PersonId::from_uuid(uuid::Uuid::from_u128(999));
    let raised = signals(&claim_signed_by(|_| plus_parent, plus_parent), "F32");
    assert_eq!(raised.len(), 1);
    assert!(text(&raised[0], "explanation").contains("31/12/2020"));
}

#[test]
fn f32_a_claim_signed_by_the_holder_is_not_signalled() {
    let plus_parent = PersonId::from_uuid(uuid::Uuid::from_u128(999));
    assert!(signals(&claim_signed_by(|c| c.person, plus_parent), "F32").is_empty());
}

// Identity and triage -------------------------------------------------------------------------

#[test]
fn a_signal_id_depends_on_rule_dossier_and_subject_only() {
    let a = signals(&service_from(date(2019, 12, 31)), "F8");
    let b = signals(&service_from(date(2019, 12, 31)), "F8");
    assert_eq!(a[0]["signal"], b[0]["signal"]);
    assert_eq!(
        text(&a[0], "signal"),
        signal_id("F8", &text(&a[0], "dossier"), &text(&a[0], "subject"))
    );
    assert_ne!(signal_id("F8", "d", "s"), signal_id("F9", "d", "s"));
}

#[test]
fn a_dismissal_is_an_event_and_survives_a_rebuild() {
    let mut h = service_from(date(2019, 12, 31));
    let id = text(&signals(&h, "F8")[0], "signal");
    h.push_raw(
        "signals",
        "RiskSignalDismissed",
        1,
        serde_json::to_vec(&serde_json::json!({"signal": id, "reason": "factuur gecorrigeerd"}))
            .unwrap(),
        "investigator-7",
        "investigator",
    );
    // A rebuild folds the same log from scratch: the dismissal is applied again.
    let raised = signals(&h, "F8");
    assert_eq!(raised[0]["triage"], Value::from("dismissed"));
    assert_eq!(
        raised[0]["triage_reason"],
        Value::from("factuur gecorrigeerd")
    );
    assert_eq!(raised[0]["triage_by"], Value::from("investigator-7"));
}

#[test]
fn an_escalation_recorded_before_the_signal_is_shown_once_it_is_raised() {
    let mut h = History::new();
    let case = pab_case(&mut h, 2020, "10000.00");
    let l = line(1, &case, date(2019, 12, 31), date(2020, 1, 31), "100.00");
    let dossier = case.dossier.as_uuid().to_string();
    // The subject is known from the claim: compute the id the signal will have.
    let claim = accepted_claim(&mut h, &case, vec![l]);
    let id = signal_id("F8", &dossier, &format!("kostenstaat {claim} lijn 1"));
    let mut early = History::new();
    early.push_raw(
        "signals",
        "RiskSignalEscalated",
        1,
        serde_json::to_vec(&serde_json::json!({"signal": id, "reason": "patroon"})).unwrap(),
        "investigator-7",
        "investigator",
    );
    early.events.extend(h.events.iter().cloned().map(|mut e| {
        e.position = event_store::Position(e.position.0 + 1);
        e
    }));
    let raised = signals(&early, "F8");
    assert_eq!(raised[0]["signal"], Value::from(id.as_str()));
    assert_eq!(raised[0]["triage"], Value::from("escalated"));
}
