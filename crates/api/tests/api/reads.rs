//! Reads over HTTP: a PAB case built through the command routes, the read models brought up to
//! date by the runner, then every read checked against the facts that went in.

use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::access::Role;
use domain::dossier::*;
use domain::examples;
use domain::{AgreementId, BudgetId, ClaimId, Euro, Iban, PersonId, VoucherId};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{World, world};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn euro(text: &str) -> Euro {
    Euro::parse(text).unwrap()
}

/// The INSZ of a child born on 17/05/2012, serial `serial`.
/// The INSZ of "An Peeters", the mother in the case.
fn mother_insz() -> String {
    examples::insz(examples::date(1984, 2, 29), 3)
        .expose_digits()
        .to_owned()
}

fn child_insz(serial: u32) -> String {
    examples::insz(examples::date(2012, 5, 17), serial)
        .expose_digits()
        .to_owned()
}

/// A cash agreement with an individual assistant from `start`.
fn agreement(agreement: AgreementId, budget: BudgetId, start: NaiveDate) -> DossierCommand {
    let assistant = examples::insz(examples::date(1985, 7, 30), 1);
    DossierCommand::RegisterAgreement(examples::cash_agreement(
        agreement, budget, start, assistant,
    ))
}

fn cost_line(n: u32, agreement: AgreementId, month: u32, amount: &str) -> CostLine {
    let (from, to) = (
        examples::date(2025, month, 1),
        examples::month_end(2025, month),
    );
    examples::care_line(n, agreement, from, to, euro(amount))
}

/// The case: a child's PAB granted and started in 2025, an approved agreement, a second one
/// awaiting approval, and a claim with two lines under the first and one under the second.
struct Case {
    dossier: String,
    insz: String,
    mother: PersonId,
    approved: AgreementId,
    pending: AgreementId,
}

impl World {
    /// Records a person by name and INSZ; their id, as the server made it.
    async fn person(&self, family_name: &str, given_names: &str, insz: &str) -> PersonId {
        let answer = self
            .call(
                "POST",
                "/api/persons",
                Some(self.token(Role::Staff)),
                Some(
                    &json!({ "family_name": family_name, "given_names": given_names, "insz": insz })
                        .to_string(),
                ),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        PersonId::parse(answer.body["person"]["person"].as_str().unwrap()).unwrap()
    }

    async fn command(&self, dossier: &str, command: &DossierCommand) {
        let answer = self
            .call(
                "POST",
                &format!("/api/dossiers/{dossier}/commands"),
                Some(self.token(Role::Staff)),
                Some(&serde_json::to_string(command).unwrap()),
                &[],
            )
            .await;
        if answer.status == StatusCode::ACCEPTED {
            self.confirmed_by_second(Role::Staff, &answer).await;
            return;
        }
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{command:?}: {}",
            answer.body
        );
    }

    async fn get(&self, role: Role, uri: &str) -> crate::Answer {
        self.call("GET", uri, Some(self.token(role)), None, &[])
            .await
    }

    /// Searches dossiers with `criteria` in the body, as `role`; the answer must be 200.
    pub(crate) async fn search(&self, role: Role, criteria: &Value) -> Value {
        let answer = self
            .call(
                "POST",
                "/api/dossiers/search",
                Some(self.token(role)),
                Some(&criteria.to_string()),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{criteria}: {}", answer.body);
        answer.body
    }

    pub(crate) async fn ok(&self, role: Role, uri: &str) -> Value {
        let answer = self.get(role, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "GET {uri}: {}", answer.body);
        answer.body
    }

    async fn case(&self) -> Case {
        let insz = child_insz(7);
        let opened = self
            .call(
                "POST",
                "/api/dossiers",
                Some(self.token(Role::Staff)),
                Some(
                    &json!({
                        "insz": insz,
                        "family_name": "Peeters-Claes",
                        "given_names": "Lotte Marié",
                    })
                    .to_string(),
                ),
                &[],
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
        let birth = day(2012, 5, 17);
        let mother = self.person("Peeters", "An", &mother_insz()).await;
        let pab = BudgetId::from_uuid(Uuid::now_v7());
        let approved = AgreementId::from_uuid(Uuid::now_v7());
        let pending = AgreementId::from_uuid(Uuid::now_v7());
        let mut commands = Vec::new();
        commands.extend(
            examples::minors_pab(&examples::MinorsPab {
                parent: mother,
                birth,
                registered_on: birth,
                iban: Iban::parse("BE68 5390 0754 7034").unwrap(),
                budget: pab,
                voucher: VoucherId::from_uuid(Uuid::now_v7()),
                start_year: 2025,
                annual: euro("30000.00"),
            })
            .into_iter()
            .map(|(_, command)| command),
        );
        commands.extend([
            agreement(approved, pab, day(2025, 2, 1)),
            DossierCommand::ApproveAgreement(ApproveAgreement {
                agreement: approved,
            }),
            agreement(pending, pab, day(2025, 6, 1)),
            DossierCommand::SubmitCostClaim(SubmitCostClaim {
                claim: ClaimId::from_uuid(Uuid::now_v7()),
                budget: pab,
                budget_year: 2025,
                submitted_on: day(2026, 1, 10),
                channel: ClaimChannel::Mijnvaph,
                late_exception: None,
                lines: vec![
                    cost_line(1, approved, 3, "1200.00"),
                    cost_line(2, approved, 4, "1350.50"),
                    // Under an agreement not yet approved: not accepted.
                    cost_line(3, pending, 6, "400.00"),
                ],
            }),
        ]);
        for command in &commands {
            self.command(&dossier, command).await;
        }
        Case {
            dossier,
            insz,
            mother,
            approved,
            pending,
        }
    }
}

fn decimal(value: &Value) -> rust_decimal::Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a decimal as a string: {value}"))
        .parse()
        .unwrap()
}

/// The position of the last event of the log.
async fn last_position(w: &World) -> u64 {
    w.store
        .read_all(event_store::Position::START, 100_000)
        .await
        .unwrap()
        .last()
        .unwrap()
        .position
        .0
}

#[tokio::test]
async fn budgets_agreements_and_claims_read_back_the_facts_that_went_in() {
    let w = world().await;
    let case = w.case().await;
    w.catch_up().await;
    let d = &case.dossier;

    let claims = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/claims"))
        .await;
    let lines = claims["rows"].as_array().unwrap();
    assert_eq!(lines.len(), 3, "{claims}");
    assert_eq!(lines[0]["amount"], "1200.00", "decimals as exact strings");
    assert_eq!(lines[0]["service_from"], "2025-03-01", "dates ISO");
    let accepted_lines: rust_decimal::Decimal = lines
        .iter()
        .filter(|l| l["status"] == "accepted")
        .map(|l| decimal(&l["amount"]))
        .sum();
    assert_eq!(accepted_lines, "2550.50".parse().unwrap(), "{claims}");
    assert_eq!(
        (lines[2]["status"].as_str(), lines[2]["reason"].as_str()),
        (Some("rejected"), Some("NO_VALID_AGREEMENT"))
    );

    let budgets = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/budgets"))
        .await;
    let years = budgets["years"].as_array().unwrap();
    let year_2025 = years
        .iter()
        .find(|y| y["year"] == 2025)
        .unwrap_or_else(|| panic!("{budgets}"));
    assert_eq!(decimal(&year_2025["accepted"]), accepted_lines);
    assert_eq!(year_2025["rejected"], "400.00");
    assert_eq!(year_2025["kind"], "PAB");
    assert_eq!(
        decimal(&year_2025["remaining"]),
        decimal(&year_2025["total"]) - accepted_lines
    );
    assert!(budgets["categories"].is_array() && budgets["month_reductions"].is_array());
    assert_eq!(
        budgets["checkpoint"],
        last_position(&w).await,
        "the read model is as current as the log"
    );

    let agreements = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/agreements"))
        .await;
    let status_of = |id: AgreementId| {
        agreements["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agreement"] == id.to_string())
            .map(|a| a["status"].clone())
    };
    assert_eq!(status_of(case.approved), Some(json!("approved")));
    assert_eq!(status_of(case.pending), Some(json!("registered")));
    let queue = w
        .ok(Role::Staff, "/api/work-queues/agreements-to-approve")
        .await;
    let queued: Vec<&Value> = queue["rows"].as_array().unwrap().iter().collect();
    assert_eq!((queued.len(), &queue["count"]), (1, &json!(1)), "{queue}");
    assert_eq!(queued[0]["item"], case.pending.to_string());
    assert_eq!(queued[0]["dossier"], d.as_str());
    assert!(
        queued[0]["due_on"].is_null(),
        "no rule sets a date to approve by"
    );

    let held = w.ok(Role::Staff, "/api/work-queues/held-claim-lines").await;
    let held_count = lines
        .iter()
        .filter(|l| l["status"] == "held" || l["status"] == "undecided")
        .count();
    assert_eq!(held["rows"].as_array().unwrap().len(), held_count);
    assert_eq!(held["count"], held_count);

    let all_2025 = w.ok(Role::Staff, "/api/budgets?year=2025").await;
    assert_eq!(all_2025["rows"].as_array().unwrap().len(), 1);
    assert!(
        w.ok(Role::Staff, "/api/budgets?year=2024").await["rows"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let covid = w.ok(Role::Inspector, "/api/covid-overrun?year=2025").await;
    assert!(
        covid["rows"].is_array() && covid["totals"].is_array(),
        "{covid}"
    );

    let summary = w.ok(Role::Staff, &format!("/api/dossiers/{d}")).await;
    assert_eq!(summary["summary"]["dossier"], case.dossier.as_str());
    assert_eq!(summary["summary"]["budgets"], "PAB started");
    let history = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/events"))
        .await;
    assert_eq!(
        summary["summary"]["events"],
        history.as_array().unwrap().len()
    );
}

#[tokio::test]
async fn dossiers_are_found_by_insz_part_of_their_number_or_part_of_the_name() {
    let w = world().await;
    let case = w.case().await;
    w.catch_up().await;
    let by_insz = w.search(Role::Staff, &json!({ "insz": case.insz })).await;
    let found = by_insz["rows"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{by_insz}");
    assert_eq!(found[0]["dossier"], case.dossier.as_str());
    let dotted = format!(
        "{}.{}.{}-{}.{}",
        &case.insz[0..2],
        &case.insz[2..4],
        &case.insz[4..6],
        &case.insz[6..9],
        &case.insz[9..]
    );
    let by_dotted = w.search(Role::Staff, &json!({ "insz": dotted })).await;
    assert_eq!(by_dotted["rows"], by_insz["rows"]);
    let other = w
        .search(Role::Staff, &json!({ "insz": child_insz(8) }))
        .await;
    assert!(other["rows"].as_array().unwrap().is_empty());

    let part = case.dossier[9..18].to_uppercase();
    let by_number = w
        .ok(Role::Staff, &format!("/api/dossiers?number={part}"))
        .await;
    assert_eq!(
        by_number["rows"], by_insz["rows"],
        "part of the number, any case"
    );

    let by_name = w
        .ok(Role::Staff, "/api/dossiers?name=marie%20peeters")
        .await;
    assert_eq!(
        by_name["rows"], by_insz["rows"],
        "part of the name, any case, without its accent"
    );
    assert_eq!(by_name["rows"][0]["family_name"], "Peeters-Claes");
    assert_eq!(by_name["rows"][0]["given_names"], "Lotte Marié");
    for name in [
        "PEETERS%20lotte",
        "Peeters-Claes%20Mari%C3%A9",
        "claes%20%20LOT",
    ] {
        let found = w
            .ok(Role::Staff, &format!("/api/dossiers?name={name}"))
            .await;
        assert_eq!(found["rows"], by_insz["rows"], "{name}: words in any order");
    }
    let one_word_wrong = w
        .ok(Role::Staff, "/api/dossiers?name=peeters%20karolien")
        .await;
    assert!(
        one_word_wrong["rows"].as_array().unwrap().is_empty(),
        "every word must be in the name: {one_word_wrong}"
    );
    let nobody = w.ok(Role::Staff, "/api/dossiers?name=Janssens").await;
    assert!(nobody["rows"].as_array().unwrap().is_empty());
    assert_eq!(nobody["count"], 0, "a list says how many rows it holds");
    // The count is of the whole list, not of the page.
    let past_the_end = w
        .ok(Role::Staff, "/api/dossiers?name=peeters&offset=50")
        .await;
    assert!(past_the_end["rows"].as_array().unwrap().is_empty());
    assert_eq!(past_the_end["count"], 1, "{past_the_end}");

    // Each problem names the parameter at fault in `invalidParams`, as the ZGW APIs do.
    for (uri, code, param) in [
        (
            "/api/dossiers",
            "SEARCH_CRITERION_REQUIRED",
            "nonFieldErrors",
        ),
        // An INSZ is searched in a body: it never goes in an address or a proxy's log.
        (
            &*format!("/api/dossiers?insz={}", case.insz),
            "INSZ_NOT_IN_ADDRESS",
            "insz",
        ),
        ("/api/dossiers?number=1&limit=0", "INVALID_LIMIT", "limit"),
        ("/api/dossiers?number=1&limit=101", "INVALID_LIMIT", "limit"),
        ("/api/dossiers?number=1&limit=ten", "INVALID_QUERY", "limit"),
        ("/api/dossiers?nummer=1", "INVALID_QUERY", "nummer"),
    ] {
        let answer = w.get(Role::Staff, uri).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.body
        );
        assert_eq!(answer.body["code"], code, "{uri}");
        assert_eq!(
            answer.headers[axum::http::header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_one_invalid_param(&answer.body, param, code);
    }
    // In a body, what cannot be taken is a field: 422.
    for (criteria, code, param) in [
        (json!({}), "SEARCH_CRITERION_REQUIRED", "nonFieldErrors"),
        (
            json!({ "name": " \u{301} " }),
            "SEARCH_CRITERION_REQUIRED",
            "nonFieldErrors",
        ),
        (json!({ "insz": "12051700799" }), "INVALID_INSZ", "insz"),
        (
            json!({ "name": "peeters", "limit": 101 }),
            "INVALID_LIMIT",
            "limit",
        ),
        (json!({ "naam": "peeters" }), "INVALID_BODY", "naam"),
        (json!({ "name": 7 }), "INVALID_BODY", "name"),
    ] {
        let answer = w
            .call(
                "POST",
                "/api/dossiers/search",
                Some(w.token(Role::Staff)),
                Some(&criteria.to_string()),
                &[],
            )
            .await;
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{criteria}: {}",
            answer.body
        );
        assert_one_invalid_param(&answer.body, param, code);
    }
    // The reason is Dutch, and English when the client asks for it, as the detail is.
    let english = w
        .call(
            "GET",
            "/api/dossiers?number=1&limit=0",
            Some(w.token(Role::Staff)),
            None,
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert_eq!(
        english.body["invalidParams"][0]["reason"],
        "limit must be between 1 and 100"
    );
    assert_eq!(
        english.body["detail"],
        english.body["invalidParams"][0]["reason"]
    );
    // An inspector finds the dossier by its INSZ but sees it masked in the list.
    let inspected = w
        .search(Role::Inspector, &json!({ "insz": case.insz }))
        .await;
    assert_eq!(inspected["rows"][0]["dossier"], case.dossier.as_str());
    assert_eq!(
        inspected["rows"][0]["insz"],
        format!("{}*****", &case.insz[..6])
    );
}

#[tokio::test]
async fn as_of_shows_the_budget_before_the_claim_and_replay_shows_each_step() {
    let w = world().await;
    let case = w.case().await;
    w.catch_up().await;
    let d = &case.dossier;
    let history = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/events"))
        .await;
    let events = history.as_array().unwrap();
    let claim_at = events
        .iter()
        .position(|e| e["event_type"] == "CostClaimSubmitted")
        .unwrap();
    let before_claim = events[claim_at - 1]["recorded_at"].as_str().unwrap();
    assert!(before_claim < events[claim_at]["recorded_at"].as_str().unwrap());

    let now = w
        .ok(
            Role::Investigator,
            &format!("/api/dossiers/{d}/as-of?as_known_at=2100-01-01T00:00:00Z"),
        )
        .await;
    let then = w
        .ok(
            Role::Investigator,
            &format!("/api/dossiers/{d}/as-of?as_known_at={before_claim}"),
        )
        .await;
    let budgets = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/budgets"))
        .await;
    let year = |view: &Value| {
        view["budget_years"]
            .as_array()
            .unwrap()
            .iter()
            .find(|y| y["year"] == 2025)
            .cloned()
            .unwrap_or_else(|| panic!("{view}"))
    };
    let live = budgets["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2025)
        .unwrap()
        .clone();
    assert_eq!(year(&now), live, "as of now, the read model's own row");
    assert_eq!(year(&then)["accepted"], "0", "{then}");
    assert_eq!(year(&then)["total"], live["total"]);
    assert_eq!(then["events"], claim_at);
    assert_eq!(then["last_position"], events[claim_at - 1]["position"]);
    let effective = w
        .ok(
            Role::Inspector,
            &format!("/api/dossiers/{d}/as-of?effective_on=2025-12-31"),
        )
        .await;
    assert_eq!(year(&effective)["accepted"], "0", "the claim is dated 2026");
    assert_eq!(effective["effective_on"], "2025-12-31");

    for (query, code) in [
        ("as_known_at=gisteren", "INVALID_TIME"),
        ("effective_on=31/12/2025", "INVALID_DATE"),
        ("", "AS_OF_REQUIRED"),
    ] {
        let answer = w
            .get(
                Role::Investigator,
                &format!("/api/dossiers/{d}/as-of?{query}"),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.body
        );
        assert_eq!(answer.body["code"], code, "{query}");
    }

    let replay = w
        .ok(Role::Investigator, &format!("/api/dossiers/{d}/replay"))
        .await;
    let steps = replay["events"].as_array().unwrap();
    assert_eq!(steps.len(), events.len());
    assert_eq!(steps[0]["event_type"], "PersonRegistered");
    let approved = steps
        .iter()
        .find(|s| s["event_type"] == "AgreementApproved")
        .unwrap();
    assert!(
        approved["proposed"]["proposed_by"].is_string()
            && approved["proposed"]["proposed_by"] != approved["actor_id"],
        "the replay names who proposed it beside who confirmed it: {approved}"
    );
    assert_eq!(
        steps[0]["payload"]["insz"],
        case.insz.as_str(),
        "an investigator sees the INSZ in full on the dossier's own pages"
    );
    let inspected = w
        .ok(Role::Inspector, &format!("/api/dossiers/{d}/replay"))
        .await;
    assert_eq!(
        inspected["events"][0]["payload"]["insz"],
        format!("{}*****", &case.insz[..6]),
        "an inspector sees it masked"
    );
    assert_eq!(steps[0]["actor_role"], "staff");
    let last = &steps.last().unwrap()["state_after"];
    assert_eq!(last["agreements"]["approved"], 1);
    assert_eq!(last["agreements"]["registered"], 1);
    let cut = steps[3]["position"].as_u64().unwrap();
    let until = w
        .ok(
            Role::Investigator,
            &format!("/api/dossiers/{d}/replay?until={cut}"),
        )
        .await;
    assert_eq!(until["events"].as_array().unwrap().len(), 4);
    let bad = w
        .get(
            Role::Investigator,
            &format!("/api/dossiers/{d}/replay?until=gisteren"),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_UNTIL"))
    );
    let staff = w
        .get(Role::Staff, &format!("/api/dossiers/{d}/replay"))
        .await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN, "staff do not replay");
    let unknown = w
        .get(
            Role::Investigator,
            &format!("/api/dossiers/{}/replay", Uuid::now_v7()),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_inspectors_read_is_in_the_access_log_and_the_audit_trail_names_the_actor() {
    let w = world().await;
    let case = w.case().await;
    w.catch_up().await;
    let d = &case.dossier;
    let log_uri = format!("/api/access-log?dossier={d}");
    let logged = |body: &Value| body.as_array().unwrap().len();
    let before = logged(&w.ok(Role::Inspector, &log_uri).await);
    w.ok(Role::Staff, &format!("/api/dossiers/{d}/budgets"))
        .await;
    assert_eq!(
        logged(&w.ok(Role::Inspector, &log_uri).await),
        before,
        "staff reads are not logged"
    );
    w.ok(Role::Inspector, &format!("/api/dossiers/{d}/budgets"))
        .await;
    let log = w.ok(Role::Inspector, &log_uri).await;
    assert_eq!(logged(&log), before + 1);
    let entry = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        (entry["view"].as_str(), entry["role"].as_str()),
        (Some("dossier budgets"), Some("inspector"))
    );
    w.search(Role::Investigator, &json!({ "insz": case.insz }))
        .await;
    let log = w.ok(Role::Inspector, &log_uri).await;
    assert_eq!(logged(&log), before + 2, "a search that finds the dossier");
    assert!(
        !log.to_string().contains(&case.insz),
        "the INSZ is not in the access log"
    );

    let audit = w.ok(Role::Staff, &format!("/api/dossiers/{d}/audit")).await;
    let history = w
        .ok(Role::Staff, &format!("/api/dossiers/{d}/events"))
        .await;
    let trail = audit["rows"].as_array().unwrap();
    // The trail holds the dossier's events, and the approval's proposal and confirmation.
    assert_eq!(trail.len(), history.as_array().unwrap().len() + 2);
    assert!(trail.iter().all(|r| r["actor_role"] == "staff"));
    let staff_user = w.ok(Role::Staff, "/api/me").await["user"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(trail[0]["actor_id"], staff_user.as_str());
    let by_actor = w
        .ok(
            Role::Inspector,
            &format!("/api/audit?actor={staff_user}&limit=5"),
        )
        .await;
    assert_eq!(by_actor["rows"].as_array().unwrap().len(), 5, "a page");
    assert!(
        by_actor["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["actor_id"] == staff_user.as_str())
    );
    let missing = w.get(Role::Inspector, "/api/audit").await;
    assert_eq!(missing.body["code"], "ACTOR_REQUIRED");
    assert_eq!(
        w.get(Role::Staff, "/api/audit?actor=x").await.status,
        StatusCode::FORBIDDEN
    );

    let signals = w
        .ok(Role::Investigator, "/api/work-queues/signals-to-triage")
        .await;
    assert!(signals["rows"].is_array(), "{signals}");
    assert_eq!(
        w.get(Role::Staff, "/api/work-queues/signals-to-triage")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad_triage = w.get(Role::Investigator, "/api/signals?triage=maybe").await;
    assert_eq!(bad_triage.body["code"], "INVALID_TRIAGE");
    let unknown = w
        .get(
            Role::Staff,
            &format!("/api/dossiers/{}/budgets", Uuid::now_v7()),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NOT_FOUND"))
    );
}

/// Every GET route of the route table, for every role it admits, on a dossier with a case:
/// the full INSZ appears only on the dossier's own pages, and only for staff and investigators
/// (the one rule, `domain::access::sees_full_insz`); elsewhere it is masked.
#[tokio::test]
async fn no_read_shows_a_full_insz_to_a_role_that_may_not_see_it() {
    use domain::access::{Showing, sees_full_insz};
    let w = world().await;
    let case = w.case().await;
    // A corrected INSZ puts both, the mistyped and the right one, in the history.
    let corrected = child_insz(9);
    w.command(
        &case.dossier,
        &DossierCommand::CorrectInsz(CorrectInsz {
            corrected: domain::Insz::parse(&corrected).unwrap(),
            reason: "rijksregister nagekeken".into(),
        }),
    )
    .await;
    w.catch_up().await;
    let masked = format!("{}*****", &case.insz[..6]);
    let mother = mother_insz();
    let staff_user = w.ok(Role::Staff, "/api/me").await["user"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut seen_full = Vec::new();
    let mut seen_masked = Vec::new();
    let mut named = Vec::new();
    for route in api::routes() {
        let api::Access::Roles(roles) = route.access else {
            continue;
        };
        if route.method != axum::http::Method::GET || route.kind != api::Kind::Api {
            continue;
        }
        // A route of every work queue is asked of each queue.
        let queues: Vec<Option<domain::work::Queue>> = if route.path.contains("{queue}") {
            domain::work::Queue::ALL.iter().copied().map(Some).collect()
        } else {
            vec![None]
        };
        for queue in queues {
            let mut uri = route
                .path
                .replace("{dossier}", &case.dossier)
                .replace("{person}", &case.mother.to_string())
                .replace("{target}", &format!("dossier-{}", case.dossier))
                .replace("{queue}", queue.map_or("", |q| q.code()));
            match route.handler {
                "reads::search" => uri.push_str("?name=peeters"),
                "reads::as_of" => uri.push_str("?effective_on=2026-01-31"),
                "reads::audit" => uri.push_str(&format!("?actor={staff_user}")),
                _ => {}
            }
            let showing = if route.handler == "persons::subject_access" {
                Showing::SubjectAccess
            } else if route.path.starts_with("/api/dossiers/{dossier}") {
                Showing::DossierPage
            } else {
                Showing::List
            };
            for role in roles {
                let answer = w.get(*role, &uri).await;
                if queue.is_some_and(|q| q.definition().visible_to(*role).is_none()) {
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?} GET {uri}");
                    continue;
                }
                assert_eq!(
                    answer.status,
                    StatusCode::OK,
                    "{role:?} GET {uri}: {}",
                    answer.body
                );
                let unnamed = persons_without_a_name(&answer.body);
                assert!(
                    unnamed.is_empty(),
                    "{role:?} GET {uri}: person ids with no name beside them: {unnamed:?}"
                );
                let text = answer.body.to_string();
                if text.contains("An Peeters") {
                    named.push(route.handler);
                }
                if text.contains(&case.insz) || text.contains(&corrected) || text.contains(&mother)
                {
                    assert!(
                        sees_full_insz(*role, showing),
                        "{role:?} sees the full INSZ on GET {uri}"
                    );
                    seen_full.push((*role, route.handler));
                }
                if text.contains(&masked) {
                    seen_masked.push((*role, route.handler));
                }
            }
        }
    }
    // Not vacuous: the INSZ is there in full where it may be, masked where it may not.
    for (role, handler) in [
        (Role::Staff, "dossiers::history"),
        (Role::Staff, "reads::summary"),
        (Role::Investigator, "reads::replay_dossier"),
        (Role::Staff, "persons::subject_access"),
    ] {
        assert!(
            seen_full.contains(&(role, handler)),
            "{role:?} {handler}: {seen_full:?}"
        );
    }
    // Not vacuous either: the mother's name stands beside her id in the history and the
    // dossier's persons.
    for handler in ["dossiers::history", "persons::of_dossier", "persons::show"] {
        assert!(named.contains(&handler), "{handler}: {named:?}");
    }
    for (role, handler) in [
        (Role::Inspector, "dossiers::history"),
        (Role::Admin, "reads::summary"),
        (Role::Staff, "reads::search"),
    ] {
        assert!(
            seen_masked.contains(&(role, handler)),
            "{role:?} {handler}: {seen_masked:?}"
        );
    }
}

/// A claim's answer names the claim the server made and how each line was decided, with the
/// amount in Dutch notation and, for a refused line, the reason code and its Dutch text.
#[tokio::test]
async fn a_claims_answer_says_how_each_line_was_decided() {
    let w = world().await;
    let case = w.case().await;
    let pab = w
        .ok(
            Role::Staff,
            &format!("/api/dossiers/{}/events", case.dossier),
        )
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "PabGranted")
        .map(|e| e["payload"]["budget"].clone())
        .unwrap();
    let mut claim = serde_json::to_value(DossierCommand::SubmitCostClaim(SubmitCostClaim {
        claim: ClaimId::from_uuid(Uuid::now_v7()),
        budget: BudgetId::from_uuid(Uuid::now_v7()),
        budget_year: 2025,
        submitted_on: day(2026, 1, 12),
        channel: ClaimChannel::Mijnvaph,
        late_exception: None,
        lines: vec![
            CostLine {
                invoice_no: "F-2025-07-A".into(),
                ..cost_line(1, case.approved, 7, "1234.56")
            },
            CostLine {
                invoice_no: "F-2025-07-B".into(),
                ..cost_line(2, case.pending, 7, "400.00")
            },
        ],
    }))
    .unwrap();
    claim["budget"] = pab;
    claim.as_object_mut().unwrap().remove("claim");
    let answer = w
        .call(
            "POST",
            &format!("/api/dossiers/{}/commands", case.dossier),
            Some(w.token(Role::Staff)),
            Some(&claim.to_string()),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let made = answer.body["created"]["claim"].clone();
    assert!(made.is_string(), "{}", answer.body);
    let decided = &answer.body["decided"];
    assert_eq!(decided["claim"], made);
    let lines = decided["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{decided}");
    assert_eq!(lines[0]["outcome"], "accepted", "{decided}");
    assert_eq!(lines[0]["amount_nl"], "€ 1.234,56");
    assert_eq!(lines[0]["reason"], Value::Null);
    assert_eq!(lines[1]["outcome"], "rejected", "{decided}");
    assert_eq!(lines[1]["reason"], "NO_VALID_AGREEMENT", "{decided}");
    assert!(
        !lines[1]["message_nl"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{decided}"
    );
}

/// Every person id in `value` (under a key of `api::PERSON_ID_KEYS`) with no `<key>_name`
/// beside it.
fn persons_without_a_name(value: &Value) -> Vec<String> {
    let mut unnamed = Vec::new();
    match value {
        Value::Object(object) => {
            for key in api::PERSON_ID_KEYS {
                if let Some(id) = object.get(*key).and_then(Value::as_str)
                    && PersonId::parse(id).is_ok()
                    && !object.contains_key(&format!("{key}_name"))
                {
                    unnamed.push(id.to_owned());
                }
            }
            object
                .values()
                .for_each(|v| unnamed.extend(persons_without_a_name(v)));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| unnamed.extend(persons_without_a_name(v))),
        _ => {}
    }
    unnamed
}

#[tokio::test]
async fn a_work_queue_answers_count_age_due_date_and_taker_and_an_item_is_taken_and_released() {
    let w = world().await;
    let case = w.case().await;
    w.catch_up().await;
    let queues = w.ok(Role::Staff, "/api/work-queues").await;
    let codes: Vec<&str> = queues
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["queue"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "agreements-to-approve",
            "held-claim-lines",
            "proposals-to-confirm",
            "erasure-due",
            "deadlines"
        ],
        "staff do not triage signals"
    );
    let of = |code: &str| {
        queues
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["queue"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(of("agreements-to-approve")["count"], 1);

    // The PAB's waardebon, issued at the grant, is valid for two years (S003-28).
    let deadlines = w.ok(Role::Staff, "/api/work-queues/deadlines").await;
    let voucher = &deadlines["rows"][0];
    assert_eq!(deadlines["count"], 1, "{deadlines}");
    assert_eq!(
        (
            &voucher["due_rule"],
            &voucher["opened_on"],
            &voucher["due_on"],
            &voucher["age_days"],
            &voucher["overdue"]
        ),
        (
            &json!("S003-28"),
            &json!("2025-01-15"),
            &json!("2027-01-15"),
            &json!(365),
            &json!(false)
        ),
        "{deadlines}"
    );
    assert!(voucher["item"].as_str().unwrap().starts_with("voucher:"));

    let item = case.pending.to_string();
    let queue_uri = "/api/work-queues/agreements-to-approve";
    let row = |queue: &Value| queue["rows"][0].clone();
    let before = w.ok(Role::Staff, queue_uri).await;
    assert!(row(&before)["taken_by"].is_null(), "{before}");
    assert!(row(&before)["age_days"].as_i64().is_some_and(|a| a >= 0));
    assert!(row(&before)["opened_on"].is_string());

    let take = format!("{queue_uri}/items/{item}/take");
    let release = format!("{queue_uri}/items/{item}/release");
    let world = &w;
    let post = move |uri: String, token: String| async move {
        world.call("POST", &uri, Some(&token), None, &[]).await
    };
    let (first, second) = (
        w.token(Role::Staff).to_owned(),
        w.second(Role::Staff).to_owned(),
    );
    let taken = post(take.clone(), first.clone()).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(taken.body["events"].as_array().map(Vec::len), Some(1));
    let again = post(take.clone(), first.clone()).await;
    assert_eq!(
        again.body["events"].as_array().map(Vec::len),
        Some(0),
        "taking it twice changes nothing"
    );
    w.catch_up().await;
    let taken_row = row(&w.ok(Role::Staff, queue_uri).await);
    assert_eq!(taken_row["taken_role"], "staff", "{taken_row}");
    assert!(taken_row["taken_by"].is_string() && taken_row["taken_on"].is_string());

    let by_colleague = post(take.clone(), second.clone()).await;
    assert_eq!(
        (by_colleague.status, by_colleague.body["code"].as_str()),
        (StatusCode::CONFLICT, Some("WORK_ITEM_TAKEN"))
    );
    let released_by_colleague = post(release.clone(), second.clone()).await;
    assert_eq!(
        released_by_colleague.body["code"], "WORK_ITEM_NOT_YOURS",
        "{}",
        released_by_colleague.body
    );
    let released = post(release.clone(), first.clone()).await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    w.catch_up().await;
    assert!(row(&w.ok(Role::Staff, queue_uri).await)["taken_by"].is_null());
    // Now the colleague may take it.
    let taken_by_colleague = post(take.clone(), second.clone()).await;
    assert_eq!(
        taken_by_colleague.status,
        StatusCode::OK,
        "{}",
        taken_by_colleague.body
    );

    let unknown = post(
        format!("{queue_uri}/items/{}/take", Uuid::now_v7()),
        first.clone(),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("UNKNOWN_WORK_ITEM"))
    );
    // Inspectors see every queue and take nothing; staff do not see the signals.
    assert_eq!(w.ok(Role::Inspector, queue_uri).await["count"], 1);
    assert_eq!(
        post(take, w.token(Role::Inspector).to_owned()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.get(Role::Staff, "/api/work-queues/signals-to-triage")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.get(Role::Staff, "/api/work-queues/nope").await.status,
        StatusCode::NOT_FOUND
    );
}

/// `problem` names one invalid parameter, `name`, with `code` and a Dutch reason that its
/// Dutch detail gives too.
fn assert_one_invalid_param(problem: &Value, name: &str, code: &str) {
    let params = problem["invalidParams"].as_array();
    let params = params.unwrap_or_else(|| panic!("no invalidParams: {problem}"));
    assert_eq!(params.len(), 1, "{problem}");
    assert_eq!(
        (params[0]["name"].as_str(), params[0]["code"].as_str()),
        (Some(name), Some(code)),
        "{problem}"
    );
    let reason = params[0]["reason"].as_str().unwrap();
    assert!(
        !reason.is_empty() && problem["detail"].as_str().unwrap().contains(reason),
        "{problem}"
    );
}
