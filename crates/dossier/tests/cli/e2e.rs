//! A whole case over HTTP against a real `dossier serve` on port 0, on the embedded store and on
//! PostgreSQL: a child's PAB with a parent, grant, an approved agreement, a combination form, a
//! claim, a refusal that writes nothing, an override that raises a fraud signal, then the
//! budget, the signal, the replay and the verification, each read by the role that would.

use std::process::Child;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use domain::dossier::*;
use domain::examples;
use domain::registry::{OrganisationKind, RegistryCommand};
use domain::{AgreementId, BudgetId, ClaimId, CombinationId, Euro, Iban, OrganisationId, PersonId};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{dossier, http_with_body};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn euro(text: &str) -> Euro {
    Euro::parse(text).unwrap()
}

/// Adds a user with `role` through the command line and returns their token.
fn token(store: &str, name: &str, role: &str) -> String {
    let out = dossier()
        .args([
            "user", "add", name, "--role", role, "--store", store, "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issued: Value = serde_json::from_slice(&out.stdout).unwrap();
    issued["secret"].as_str().unwrap().to_owned()
}

/// A running `dossier serve`, stopped with SIGTERM when dropped.
struct Served {
    child: Child,
    address: String,
}

impl Served {
    fn start(store: &str) -> Self {
        let (child, address, lines) = super::start_serve(store);
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Self { child, address }
    }

    fn call(&self, method: &str, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(Value::to_string);
        let (status, text) =
            http_with_body(&self.address, method, path, Some(token), body.as_deref());
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    fn get(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.call("GET", path, token, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    fn command(&self, dossier: &str, token: &str, command: &DossierCommand) -> Value {
        let path = format!("/api/dossiers/{dossier}/commands");
        let (status, body) = self.call(
            "POST",
            &path,
            token,
            Some(&serde_json::to_value(command).unwrap()),
        );
        assert_eq!(status, 200, "{command:?}: {body}");
        body
    }

    /// A weighty decision: `maker` proposes it (202), `checker` confirms it.
    fn by_two(&self, path: &str, maker: &str, checker: &str, body: &Value) -> Value {
        let (status, proposed) = self.call("POST", path, maker, Some(body));
        assert_eq!(status, 202, "{body}: {proposed}");
        let confirm = format!(
            "/api/proposals/{}/{}/confirm",
            proposed["target"].as_str().unwrap(),
            proposed["proposal"].as_str().unwrap()
        );
        let (status, own) = self.call("POST", &confirm, maker, None);
        assert_eq!(
            (status, own["code"].as_str()),
            (422, Some("FOUR_EYES_SAME_USER")),
            "{own}"
        );
        let (status, confirmed) = self.call("POST", &confirm, checker, None);
        assert_eq!(status, 200, "{confirmed}");
        confirmed
    }

    /// Polls (bounded) until `read` gives an answer `done` accepts: the read models follow
    /// the log asynchronously.
    fn eventually(
        &self,
        what: &str,
        mut read: impl FnMut() -> Value,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let answer = read();
            if done(&answer) {
                return answer;
            }
            assert!(Instant::now() < deadline, "{what} never happened: {answer}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "serve stopped with {status}");
    }
}

/// A cash agreement with an individual assistant from `start`.
fn cash_agreement(agreement: AgreementId, budget: BudgetId, start: NaiveDate) -> DossierCommand {
    let assistant = examples::insz(examples::date(1985, 7, 30), 1);
    DossierCommand::RegisterAgreement(examples::cash_agreement(
        agreement, budget, start, assistant,
    ))
}

fn month_line(n: u32, agreement: AgreementId, month: u32, amount: &str) -> CostLine {
    let (from, to) = (
        examples::date(2025, month, 1),
        examples::month_end(2025, month),
    );
    examples::care_line(n, agreement, from, to, euro(amount))
}

fn decimal(value: &Value) -> rust_decimal::Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn events_of(service: &Served, dossier: &str, token: &str) -> usize {
    let history = service.get(&format!("/api/dossiers/{dossier}/events"), token);
    history.as_array().map_or(0, Vec::len)
}

fn whole_case_over_http(store: &str) {
    // The operator adds users until the second administrator (the bootstrap): them last.
    let staff = token(store, "e2e-staff", "staff");
    // The second of each, who confirms what the first proposes (four-eyes).
    let staff2 = token(store, "e2e-staff-2", "staff");
    let inspector = token(store, "e2e-inspector", "inspector");
    let investigator = token(store, "e2e-investigator", "investigator");
    let admin = token(store, "e2e-admin", "admin");
    let admin2 = token(store, "e2e-admin-2", "admin");
    let service = Served::start(store);

    // The MFC of the combination form is a licensed organisation (an administrator's task).
    let mfc = OrganisationId::from_uuid(Uuid::now_v7());
    let licence = RegistryCommand::License {
        organisation: mfc,
        kind: OrganisationKind::MultifunctionalCentre,
        name: "MFC De Vlinder".into(),
        licensed_from: day(2015, 1, 1),
    };
    service.by_two(
        "/api/registry/commands",
        &admin,
        &admin2,
        &serde_json::to_value(&licence).unwrap(),
    );

    // A child born on 17/05/2012 and the mother as parent and budget holder.
    let base = 120_517_101u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let (status, opened) = service.call(
        "POST",
        "/api/dossiers",
        &staff,
        Some(&json!({ "insz": insz, "family_name": "Vermeulen", "given_names": "Noor" })),
    );
    assert_eq!(status, 201, "{opened}");
    let dossier = opened["dossier"].as_str().unwrap().to_owned();
    let birth = day(2012, 5, 17);
    let mother_base = 840_229_003u64;
    let mother_insz = format!("{mother_base:09}{:02}", 97 - mother_base % 97);
    let (status, recorded) = service.call(
        "POST",
        "/api/persons",
        &staff,
        Some(&json!({ "insz": mother_insz, "family_name": "Vermeulen", "given_names": "An" })),
    );
    assert_eq!(status, 201, "{recorded}");
    let mother = PersonId::parse(recorded["person"]["person"].as_str().unwrap()).unwrap();
    let pab = BudgetId::from_uuid(Uuid::now_v7());
    let agreement = AgreementId::from_uuid(Uuid::now_v7());
    let claim = ClaimId::from_uuid(Uuid::now_v7());
    let mut case = Vec::new();
    case.extend(
        examples::minors_pab(&examples::MinorsPab {
            parent: mother,
            birth,
            registered_on: birth,
            iban: Iban::parse("BE68 5390 0754 7034").unwrap(),
            budget: pab,
            voucher: domain::VoucherId::from_uuid(Uuid::now_v7()),
            start_year: 2025,
            annual: euro("30000.00"),
        })
        .into_iter()
        .map(|(_, command)| command),
    );
    case.extend([
        cash_agreement(agreement, pab, day(2025, 2, 1)),
        DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
            combination: CombinationId::from_uuid(Uuid::now_v7()),
            budget: pab,
            change: CombinationChange::Start {
                provider: mfc,
                care: CombinedCare::MfcDayCare {
                    day_care: DayCareType::SchoolSupplementary,
                    half_days_per_month: 8,
                },
            },
            effective_from: day(2025, 9, 1),
            signed_by_holder: true,
            signed_by_provider: true,
            reason: None,
        }),
        DossierCommand::SubmitCostClaim(SubmitCostClaim {
            claim,
            budget: pab,
            budget_year: 2025,
            submitted_on: day(2026, 1, 10),
            channel: ClaimChannel::Mijnvaph,
            late_exception: None,
            lines: vec![
                month_line(1, agreement, 3, "1200.00"),
                month_line(2, agreement, 4, "1350.50"),
                // January: before the agreement started on 1 February.
                month_line(3, agreement, 1, "700.00"),
            ],
        }),
    ]);
    let commands = format!("/api/dossiers/{dossier}/commands");
    for command in &case {
        if matches!(command, DossierCommand::ApproveAgreement(_)) {
            let body = serde_json::to_value(command).unwrap();
            service.by_two(&commands, &staff, &staff2, &body);
        } else {
            service.command(&dossier, &staff, command);
        }
    }

    // A refusal: the agreement is approved already. A problem document, and nothing written.
    let before = events_of(&service, &dossier, &staff);
    let (status, refused) = service.call(
        "POST",
        &format!("/api/dossiers/{dossier}/commands"),
        &staff,
        Some(
            &serde_json::to_value(DossierCommand::ApproveAgreement(ApproveAgreement {
                agreement,
            }))
            .unwrap(),
        ),
    );
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["code"], "AGREEMENT_NOT_PENDING", "{refused}");
    assert_eq!(refused["detail"], "Over deze overeenkomst is al beslist.");
    assert_eq!(
        events_of(&service, &dossier, &staff),
        before,
        "a refusal writes nothing"
    );

    // Staff accept the January line after all: a fraud signal (F8) follows.
    service.by_two(
        &commands,
        &staff,
        &staff2,
        &serde_json::to_value(DossierCommand::OverrideCostLineDecision(
            OverrideCostLineDecision {
                claim,
                line: 3,
                outcome: LineOutcome::Accepted,
                reason: "prestaties vóór de start; toch aanvaard".into(),
            },
        ))
        .unwrap(),
    );

    // The budget, once the read models have caught up: three accepted lines, and the
    // combination's reductions from September.
    let budgets_path = format!("/api/dossiers/{dossier}/budgets");
    let budgets = service.eventually(
        "the budget showing the override",
        || service.get(&budgets_path, &staff),
        |b| {
            b["years"]
                .as_array()
                .and_then(|years| years.iter().find(|y| y["year"] == 2025))
                .is_some_and(|y| decimal(&y["accepted"]) == decimal(&json!("3250.50")))
        },
    );
    let year = budgets["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2025)
        .unwrap();
    assert_eq!(decimal(&year["annual_budget"]), decimal(&json!("30000.00")));
    let months = budgets["month_reductions"].as_array().unwrap();
    let reduction = |month: u64| {
        months
            .iter()
            .find(|m| m["year"] == 2025 && m["month"] == month)
            .map(|m| decimal(&m["reduction"]))
            .unwrap()
    };
    assert!(reduction(8).is_zero());
    assert!(reduction(9) > rust_decimal::Decimal::ZERO);
    assert_eq!(
        decimal(&year["reductions"]),
        reduction(9) * rust_decimal::Decimal::from(4)
    );

    // The investigator sees the signal with the events that raised it, and replays the case.
    let signals_path = format!("/api/dossiers/{dossier}/signals");
    let signals = service.eventually(
        "signal F8",
        || service.get(&signals_path, &investigator),
        |s| {
            s["rows"]
                .as_array()
                .is_some_and(|rows| rows.iter().any(|r| r["rule"] == "F8"))
        },
    );
    let f8 = signals["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "F8")
        .unwrap();
    assert!(f8["explanation"].as_str().is_some_and(|e| !e.is_empty()));
    let replay = service.get(&format!("/api/dossiers/{dossier}/replay"), &investigator);
    let steps = replay["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in {replay}"));
    assert_eq!(steps.len(), events_of(&service, &dossier, &staff));
    let (status, _) = service.call(
        "GET",
        &format!("/api/dossiers/{dossier}/replay"),
        &staff,
        None,
    );
    assert_eq!(status, 403, "staff do not replay");

    // The inspector verifies the log; the service stops cleanly and the log verifies offline.
    let verified = service.get("/api/log/verify", &inspector);
    assert!(verified["events"].as_u64().unwrap() > 20, "{verified}");
    assert_eq!(verified["digest"].as_str().unwrap().len(), 64);
    service.stop();
    let offline = super::dossier()
        .args(["verify", "--json", "--store", store])
        .output()
        .unwrap();
    assert!(offline.status.success());
    let offline: Value = serde_json::from_slice(&offline.stdout).unwrap();
    assert_eq!(offline["ok"], true);
}

#[test]
fn a_whole_case_over_http_on_the_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    whole_case_over_http(&store);
}

#[test]
fn a_whole_case_over_http_on_postgres() {
    whole_case_over_http(&store_postgres::fresh_test_url(""));
}

/// A store written by `main` before person records (commit 8c80519, `dossier demo --dossiers
/// 2`) reads without error: the mother, a representative recorded as a bare id, shows "naam
/// onbekend" with an action to complete her; completing her names her everywhere.
#[test]
fn a_store_from_before_person_records_shows_a_bare_id_as_naam_onbekend_until_completed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/store-8c80519.db"
        ),
        &path,
    )
    .unwrap();
    let store = format!("sqlite:{}", path.display());
    let staff = token(&store, "fixture-staff", "staff");
    let service = Served::start(&store);
    let dossier = "01970000-0000-7000-8000-000000000001";
    let mother = "01970000-0000-7000-8000-000000000003";
    let persons = service.get(&format!("/api/dossiers/{dossier}/persons"), &staff);
    let of = |persons: &Value, id: &str| {
        persons
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} not among {persons}"))
    };
    let bare = of(&persons, mother);
    assert_eq!(bare["name"], "naam onbekend", "{bare}");
    assert_eq!(bare["actions"][0]["name"], "complete_person", "{bare}");
    assert!(
        bare["roles_nl"].as_str().unwrap().contains("ouder"),
        "{bare}"
    );
    // The person of the dossier keeps the name the dossier recorded.
    let child = &persons[0];
    assert_eq!(child["name"], "Lies Aerts", "{child}");
    assert!(events_of(&service, dossier, &staff) > 10);

    let (status, completed) = service.call(
        "POST",
        &format!("/api/persons/{mother}/commands"),
        &staff,
        Some(&json!({
            "command": "identify",
            "family_name": "Aerts",
            "given_names": "Sofie",
            "insz": examples::insz(examples::date(1980, 4, 18), 5).expose_digits(),
        })),
    );
    assert_eq!(status, 200, "{completed}");
    let persons = service.get(&format!("/api/dossiers/{dossier}/persons"), &staff);
    assert_eq!(of(&persons, mother)["name"], "Sofie Aerts");
    let history = service.get(&format!("/api/dossiers/{dossier}/events"), &staff);
    assert!(
        history
            .to_string()
            .contains("\"representative_name\":\"Sofie Aerts\""),
        "{history}"
    );
    service.stop();
}
