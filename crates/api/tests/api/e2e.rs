//! The whole of a minor's PAB through HTTP with no id made by the client: the server makes every
//! id and names it in its answer, and each answer says what was decided. A mistyped INSZ is
//! corrected, and a dossier opened by mistake is voided, freeing its INSZ.

use axum::http::StatusCode;
use domain::access::Role;
use domain::dossier::*;
use domain::examples;
use domain::{AgreementId, BudgetId, ClaimId, Euro, Iban, PersonId, VoucherId};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{World, world};

fn child_insz(serial: u32) -> String {
    examples::insz(examples::date(2012, 5, 17), serial)
        .expose_digits()
        .to_owned()
}

/// A command as JSON, with the fields the server makes left out.
fn without(command: &DossierCommand, made_by_server: &[&str]) -> Value {
    let mut json = serde_json::to_value(command).unwrap();
    for field in made_by_server {
        assert!(
            json.as_object_mut().unwrap().remove(*field).is_some(),
            "{field}"
        );
    }
    json
}

impl World {
    async fn post(&self, uri: &str, body: &Value) -> crate::Answer {
        self.call(
            "POST",
            uri,
            Some(self.token(Role::Staff)),
            Some(&body.to_string()),
            &[],
        )
        .await
    }

    /// Posts a dossier command; asserts it was recorded with at least one event, and answers
    /// the ids the server made, by field.
    async fn decide(&self, dossier: &str, command: &Value) -> Value {
        let answer = self
            .post(&format!("/api/dossiers/{dossier}/commands"), command)
            .await;
        if answer.status == StatusCode::ACCEPTED {
            // A weighty decision: a second staff member confirms it.
            let confirmed = self.confirmed_by_second(Role::Staff, &answer).await;
            assert!(!confirmed["events"].as_array().unwrap().is_empty());
            return json!({ "dossier": dossier, "events": confirmed["events"] });
        }
        assert_eq!(answer.status, StatusCode::OK, "{command}: {}", answer.body);
        assert!(
            !answer.body["events"].as_array().unwrap().is_empty(),
            "{command}: nothing recorded: {}",
            answer.body
        );
        assert_eq!(answer.body["dossier"], dossier);
        answer.body
    }

    async fn open(&self, insz: &str, given_names: &str) -> crate::Answer {
        self.post(
            "/api/dossiers",
            &json!({ "insz": insz, "family_name": "Peeters", "given_names": given_names }),
        )
        .await
    }
}

fn made(answer: &Value, field: &str) -> Uuid {
    answer["created"][field]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok())
        .unwrap_or_else(|| panic!("no {field} made: {answer}"))
}

#[tokio::test]
async fn a_minors_pab_from_registration_to_claim_with_no_id_made_by_the_client() {
    let w = world().await;
    let mistyped = child_insz(7);
    let opened = w.open(&mistyped, "Lotte").await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
    made(&opened.body, "person");

    // The mother, by name and INSZ: representative, budgethouder and account holder.
    let mother = w
        .post(
            "/api/persons",
            &json!({ "family_name": "Peeters", "given_names": "An",
                     "insz": examples::insz(examples::date(1984, 2, 29), 3).expose_digits() }),
        )
        .await;
    assert_eq!(mother.status, StatusCode::CREATED, "{}", mother.body);
    assert_eq!(
        mother.body["person"]["name"], "An Peeters",
        "{}",
        mother.body
    );
    let mother = PersonId::parse(mother.body["person"]["person"].as_str().unwrap()).unwrap();

    // The examples' commands, with the ids the server makes left out.
    let nil_budget = BudgetId::from_uuid(Uuid::nil());
    let setup = examples::minors_pab(&examples::MinorsPab {
        parent: mother,
        birth: examples::date(2012, 5, 17),
        registered_on: examples::date(2012, 5, 17),
        iban: Iban::parse("BE68 5390 0754 7034").unwrap(),
        budget: nil_budget,
        voucher: VoucherId::from_uuid(Uuid::nil()),
        start_year: 2025,
        annual: Euro::parse("30000.00").unwrap(),
    });
    let mut budget = None;
    for (_, command) in setup {
        let answer = match (&command, budget) {
            (DossierCommand::SubmitPabApplication(_), _) => {
                let answer = w.decide(&dossier, &without(&command, &["budget"])).await;
                budget = Some(BudgetId::from_uuid(made(&answer, "budget")));
                answer
            }
            (DossierCommand::GrantPab(grant), Some(budget)) => {
                let grant = DossierCommand::GrantPab(GrantPab {
                    budget,
                    ..grant.clone()
                });
                let answer = w.decide(&dossier, &without(&grant, &["voucher"])).await;
                made(&answer, "voucher");
                answer
            }
            (DossierCommand::StartBudget(start), Some(budget)) => {
                let start = DossierCommand::StartBudget(StartBudget {
                    budget,
                    ..start.clone()
                });
                w.decide(&dossier, &serde_json::to_value(start).unwrap())
                    .await
            }
            _ => {
                w.decide(&dossier, &serde_json::to_value(&command).unwrap())
                    .await
            }
        };
        assert!(answer["version"].as_u64().is_some(), "{answer}");
    }
    let budget = budget.expect("the application made the budget");

    let assistant = examples::insz(examples::date(1985, 7, 30), 1);
    let agreement = DossierCommand::RegisterAgreement(examples::cash_agreement(
        AgreementId::from_uuid(Uuid::nil()),
        budget,
        examples::date(2025, 2, 1),
        assistant,
    ));
    let answer = w
        .decide(&dossier, &without(&agreement, &["agreement"]))
        .await;
    let agreement = AgreementId::from_uuid(made(&answer, "agreement"));
    // Four-eyes: the approval is a proposal; its maker cannot confirm it, a second can.
    let events_uri = format!("/api/dossiers/{dossier}/events");
    let before = w
        .ok(Role::Staff, &events_uri)
        .await
        .as_array()
        .unwrap()
        .len();
    let proposed = w
        .post(
            &format!("/api/dossiers/{dossier}/commands"),
            &json!({ "command": "approve_agreement", "agreement": agreement }),
        )
        .await;
    assert_eq!(proposed.status, StatusCode::ACCEPTED, "{}", proposed.body);
    assert_eq!(proposed.body["target"], format!("dossier-{dossier}"));
    assert_eq!(proposed.body["preview"][0]["type"], "AgreementApproved");
    let confirm = format!(
        "/api/proposals/dossier-{dossier}/{}/confirm",
        proposed.body["proposal"].as_str().unwrap()
    );
    let own = w
        .call("POST", &confirm, Some(w.token(Role::Staff)), None, &[])
        .await;
    assert_eq!(own.body["code"], "FOUR_EYES_SAME_USER", "{}", own.body);
    assert_eq!(
        w.ok(Role::Staff, &events_uri)
            .await
            .as_array()
            .unwrap()
            .len(),
        before,
        "neither the refusal nor the proposal is a dossier event"
    );
    let confirmed = w.confirmed_by_second(Role::Staff, &proposed).await;
    assert_eq!(confirmed["events"].as_array().unwrap().len(), 1);
    let events = w
        .ok(Role::Staff, &format!("/api/dossiers/{dossier}/events"))
        .await;
    let approved = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "AgreementApproved")
        .expect("in force");
    let staff_ids: Vec<String> = {
        let mut ids = Vec::new();
        for token in [w.token(Role::Staff), w.second(Role::Staff)] {
            let me = w.call("GET", "/api/me", Some(token), None, &[]).await;
            ids.push(me.body["user"].as_str().unwrap().to_owned());
        }
        ids
    };
    assert_eq!(approved["actor_id"], staff_ids[1], "the checker acted");
    assert_eq!(
        approved["proposed"]["actor_id"], staff_ids[0],
        "the maker proposed"
    );
    let proposals = w
        .ok(Role::Staff, &format!("/api/proposals/dossier-{dossier}"))
        .await;
    assert_eq!(proposals[0]["status"], "confirmed", "{proposals}");
    assert_eq!(proposals[0]["decided_by"], staff_ids[1]);
    w.catch_up().await;
    let trail = w
        .ok(Role::Staff, &format!("/api/dossiers/{dossier}/audit"))
        .await;
    let approval = trail["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_type"] == "AgreementApproved")
        .expect("the audit trail holds the approval");
    assert_eq!(approval["actor_id"], staff_ids[1]);
    assert_eq!(approval["proposed_by"], staff_ids[0]);
    assert!(
        trail["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["event_type"] == "DecisionProposed"),
        "the proposal is in the dossier's trail: {trail}"
    );

    let claim = DossierCommand::SubmitCostClaim(SubmitCostClaim {
        claim: ClaimId::from_uuid(Uuid::nil()),
        budget,
        budget_year: 2025,
        submitted_on: examples::date(2026, 1, 10),
        channel: ClaimChannel::Mijnvaph,
        late_exception: None,
        lines: vec![examples::care_line(
            1,
            agreement,
            examples::date(2025, 3, 1),
            examples::month_end(2025, 3),
            Euro::parse("1200.00").unwrap(),
        )],
    });
    let answer = w.decide(&dossier, &without(&claim, &["claim"])).await;
    made(&answer, "claim");
    let decided = answer["decided"].to_string();
    assert!(
        decided.contains("accepted") && decided.contains("1.200,00"),
        "{decided}"
    );

    // A claim entered by mistake (it belongs to another child's dossier) is voided with a
    // reason, which the history shows in the event's metadata; it counts for nothing.
    let mistaken = DossierCommand::SubmitCostClaim(SubmitCostClaim {
        lines: vec![examples::care_line(
            2,
            agreement,
            examples::date(2025, 4, 1),
            examples::month_end(2025, 4),
            Euro::parse("300.00").unwrap(),
        )],
        ..match &claim {
            DossierCommand::SubmitCostClaim(c) => c.clone(),
            _ => unreachable!(),
        }
    });
    let answer = w.decide(&dossier, &without(&mistaken, &["claim"])).await;
    let mistaken = made(&answer, "claim");
    w.decide(
        &dossier,
        &json!({ "command": "void_cost_claim", "claim": mistaken,
                 "reason": "hoort bij het dossier van de broer" }),
    )
    .await;
    let history = w
        .ok(Role::Staff, &format!("/api/dossiers/{dossier}/events"))
        .await;
    let last = history.as_array().and_then(|events| events.last()).unwrap();
    assert_eq!(
        (last["event_type"].as_str(), last["reason"].as_str()),
        (
            Some("CostClaimVoided"),
            Some("hoort bij het dossier van de broer")
        ),
        "{last}"
    );

    // The mistyped INSZ is corrected: the dossier is found by the right one, not the old one.
    let right = child_insz(8);
    w.decide(
        &dossier,
        &json!({ "command": "correct_insz", "corrected": right,
                 "reason": "rijksregister nagekeken" }),
    )
    .await;
    w.catch_up().await;
    let found = w.search(Role::Staff, &json!({ "insz": right })).await;
    assert_eq!(found["rows"][0]["dossier"], dossier, "{found}");
    let stale = w.search(Role::Staff, &json!({ "insz": mistyped })).await;
    assert!(stale["rows"].as_array().unwrap().is_empty(), "{stale}");

    // A dossier opened by mistake is voided with a reason; its INSZ is free again.
    let other = child_insz(9);
    let wrong = w.open(&other, "Mila").await;
    assert_eq!(wrong.status, StatusCode::CREATED, "{}", wrong.body);
    let wrong = wrong.body["dossier"].as_str().unwrap().to_owned();
    let refused = w
        .post(
            &format!("/api/dossiers/{wrong}/commands"),
            &json!({ "command": "void_dossier", "reason": " " }),
        )
        .await;
    assert_eq!(refused.body["code"], "REASON_REQUIRED", "{}", refused.body);
    w.decide(
        &wrong,
        &json!({ "command": "void_dossier", "reason": "geopend voor het verkeerde kind" }),
    )
    .await;
    // The mother's data is kept while the child's dossier runs.
    let erase = w
        .post(
            &format!("/api/persons/{mother}/commands"),
            &json!({ "command": "erase", "basis": "erasure_request" }),
        )
        .await;
    // Refused at once, not first proposed to a second.
    assert_eq!(
        (erase.status, erase.body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("PERSON_KEPT_FOR_DOSSIER")
        ),
        "{}",
        erase.body
    );
    w.catch_up().await;
    let queue = w.ok(Role::Staff, "/api/work-queues/erasure-due").await;
    assert_eq!(
        (
            queue["count"].as_u64(),
            queue["rows"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0)),
        "{queue}"
    );

    let again = w.open(&other, "Mila").await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_ne!(again.body["dossier"], wrong);
}
