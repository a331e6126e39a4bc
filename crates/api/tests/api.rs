//! The HTTP API through its router (no socket): roles × routes, a case end to end, bad input,
//! idempotency, the public endpoints, and the reads of the read models (`api/reads.rs`).

#[path = "api/e2e.rs"]
mod e2e;
#[path = "api/reads.rs"]
mod reads;

use std::collections::HashMap;
use std::sync::Arc;

use api::{Access, ApiState, Kind, Route, router, routes};
use app::{Service, WriteContext};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use domain::Actor;
use domain::access::Role;
use event_store::{EventStore, MemoryStore, Position};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct World {
    app: Router,
    store: Arc<dyn EventStore>,
    tokens: HashMap<Role, String>,
    /// A second user of each role: who confirms what the first proposes (four-eyes).
    seconds: HashMap<Role, String>,
    /// The read models the API reads, brought up to date by [`World::catch_up`].
    runner: projections::Runner,
    _read_models: tempfile::TempDir,
}

async fn world() -> World {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(store.clone(), 100));
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    service.ensure_rule_book(today).await.unwrap();
    let mut tokens = HashMap::new();
    for role in Role::ALL {
        let issued = service
            .add_user(
                role.as_str(),
                role,
                Actor::System,
                &WriteContext::system("test users"),
            )
            .await
            .unwrap();
        tokens.insert(role, issued.secret);
    }
    let mut seconds = HashMap::new();
    for role in Role::ALL {
        let issued = service
            .add_user(
                &format!("{}-2", role.as_str()),
                role,
                Actor::System,
                &WriteContext::system("test users"),
            )
            .await
            .unwrap();
        seconds.insert(role, issued.secret);
    }
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(read_sqlite::SqliteSink::open(dir.path().join("read.db")).unwrap());
    let state =
        ApiState::with_clock(service, Arc::new(move || today)).with_read_models(sink.clone());
    World {
        app: router(state),
        runner: projections::Runner::new(store.clone(), sink),
        store,
        tokens,
        seconds,
        _read_models: dir,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl World {
    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Answer {
            status,
            headers,
            body,
        }
    }

    fn token(&self, role: Role) -> &str {
        &self.tokens[&role]
    }

    /// The second user of `role`, who confirms what the first proposes.
    fn second(&self, role: Role) -> &str {
        &self.seconds[&role]
    }

    /// The second user of `role` confirms the proposal a 202 answered; asserts it is decided
    /// and answers the confirmation.
    async fn confirmed_by_second(&self, role: Role, proposed: &Answer) -> Value {
        assert_eq!(proposed.status, StatusCode::ACCEPTED, "{}", proposed.body);
        let uri = format!(
            "/api/proposals/{}/{}/confirm",
            proposed.body["target"].as_str().unwrap(),
            proposed.body["proposal"].as_str().unwrap()
        );
        let confirmed = self
            .call("POST", &uri, Some(self.second(role)), None, &[])
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        confirmed.body
    }

    /// The service started again on the same store: nothing in memory survives.
    fn restarted(&self) -> World {
        let service = Arc::new(Service::new(self.store.clone(), 100));
        let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let sink = Arc::new(read_sqlite::SqliteSink::open(dir.path().join("read.db")).unwrap());
        World {
            app: router(
                ApiState::with_clock(service, Arc::new(move || today))
                    .with_read_models(sink.clone()),
            ),
            store: self.store.clone(),
            tokens: self.tokens.clone(),
            seconds: self.seconds.clone(),
            runner: projections::Runner::new(self.store.clone(), sink),
            _read_models: dir,
        }
    }

    /// Applies every event of the log to the read models.
    async fn catch_up(&self) {
        self.runner
            .catch_up(&mut projections::read::all())
            .await
            .unwrap();
    }

    async fn events(&self) -> usize {
        self.store
            .read_all(Position::START, 100_000)
            .await
            .unwrap()
            .len()
    }
}

/// The rows of the route table that need a token, with the roles they admit.
fn guarded() -> impl Iterator<Item = (&'static Route, &'static [Role])> {
    routes().iter().filter_map(|route| match route.access {
        Access::Roles(roles) => Some((route, roles)),
        Access::Public => None,
    })
}

fn concrete(path: &str) -> String {
    path.replace("{dossier}", &uuid::Uuid::now_v7().to_string())
        .replace("{token}", &uuid::Uuid::now_v7().to_string())
}

#[tokio::test]
async fn every_route_admits_exactly_the_roles_in_the_table() {
    let w = world().await;
    for (route, roles) in guarded() {
        let uri = concrete(&route.path);
        let method = route.method.as_str();
        let body = (method == "POST").then_some("{}");
        let anonymous = w.call(method, &uri, None, body, &[]).await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{method} {uri} without a token"
        );
        assert_eq!(anonymous.body["code"], "UNAUTHENTICATED");
        if method == "GET" {
            // axum answers HEAD with the GET handler: it is guarded as the GET is.
            let head = w.call("HEAD", &uri, None, None, &[]).await;
            assert_eq!(
                head.status,
                StatusCode::UNAUTHORIZED,
                "HEAD {uri} without a token"
            );
            let wrong_role = Role::ALL.into_iter().find(|r| !roles.contains(r));
            if let Some(role) = wrong_role {
                let head = w.call("HEAD", &uri, Some(w.token(role)), None, &[]).await;
                assert_eq!(
                    head.status,
                    StatusCode::FORBIDDEN,
                    "HEAD {uri} as {}",
                    role.as_str()
                );
            }
        }
        for role in Role::ALL {
            let answer = w.call(method, &uri, Some(w.token(role)), body, &[]).await;
            if roles.contains(&role) {
                assert!(
                    answer.status != StatusCode::UNAUTHORIZED
                        && answer.status != StatusCode::FORBIDDEN,
                    "{method} {} as {}: {} {}",
                    route.path,
                    role.as_str(),
                    answer.status,
                    answer.body
                );
                assert_eq!(
                    answer.headers[header::CACHE_CONTROL],
                    "no-store",
                    "{method} {} may hold personal data: never cached",
                    route.path
                );
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{method} {} as {}",
                    route.path,
                    role.as_str()
                );
                assert_eq!(
                    answer.headers[header::CONTENT_TYPE],
                    "application/problem+json"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_case_through_http_with_versions_refusals_and_history() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    // A child born 2012-05-17 (INSZ with valid 2000+ check digits).
    let base = 120_517_001u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let opened = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&json!({ "insz": insz }).to_string()),
            &[],
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    assert_eq!(opened.headers[header::ETAG], "\"0\"");
    let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
    assert!(
        opened.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .ends_with(&dossier)
    );

    let apply = json!({ "command": "submit_pab_application", "budget": uuid::Uuid::now_v7(), "submitted_on": "2026-01-10", "urgent": null }).to_string();
    let uri = format!("/api/dossiers/{dossier}/commands");
    let applied = w
        .call(
            "POST",
            &uri,
            Some(staff),
            Some(&apply),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(applied.body["version"], 1);

    // The same If-Match again: the dossier moved on.
    let before = w.events().await;
    let again = json!({ "command": "submit_pab_application", "budget": uuid::Uuid::now_v7(), "submitted_on": "2026-01-11", "urgent": null }).to_string();
    let stale = w
        .call(
            "POST",
            &uri,
            Some(staff),
            Some(&again),
            &[("if-match", "\"0\"")],
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    assert_eq!(stale.body["code"], "STALE_VERSION");
    assert_eq!(
        w.events().await,
        before,
        "nothing written on a stale If-Match"
    );

    // The same person in another dossier: refused with the code, the rule and a Dutch message.
    let twice = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&json!({ "insz": insz }).to_string()),
            &[],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice.body["code"], "DUPLICATE_PERSON");
    assert!(
        twice.body["detail"].as_str().unwrap().contains(&dossier),
        "{}",
        twice.body
    );
    assert_eq!(
        twice.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );

    let history = w
        .call(
            "GET",
            &format!("/api/dossiers/{dossier}/events"),
            Some(w.token(Role::Investigator)),
            None,
            &[],
        )
        .await;
    assert_eq!(history.status, StatusCode::OK);
    let events = history.body.as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["event_type"], "PersonRegistered");
    assert_eq!(events[1]["actor_role"], "staff");

    let verified = w
        .call(
            "GET",
            "/api/log/verify",
            Some(w.token(Role::Inspector)),
            None,
            &[],
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    assert_eq!(verified.body["digest"].as_str().unwrap().len(), 64);
    assert_eq!(verified.body["events"], w.events().await);

    let unknown = w
        .call(
            "GET",
            &format!("/api/dossiers/{}/events", uuid::Uuid::now_v7()),
            Some(staff),
            None,
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_input_gets_a_problem_document_and_leaves_the_log_unchanged() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    let before = w.events().await;
    let huge = format!("{{\"insz\": \"{}\"}}", "9".repeat(api::BODY_LIMIT + 1));
    let cases: Vec<(&str, Option<&str>, StatusCode, &str)> = vec![
        (
            "malformed JSON",
            Some("{\"insz\": "),
            StatusCode::BAD_REQUEST,
            "MALFORMED_JSON",
        ),
        (
            "unknown field",
            Some("{\"insz\": \"12051700125\", \"nickname\": \"x\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_BODY",
        ),
        (
            "wrong type",
            Some("{\"insz\": 12051700125}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_BODY",
        ),
        (
            "bad date",
            Some("{\"insz\": \"12051700125\", \"birth_date\": \"31/02/2012\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_BODY",
        ),
        (
            "bad INSZ",
            Some("{\"insz\": \"12051700199\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_INSZ",
        ),
        (
            "huge body",
            Some(huge.as_str()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_TOO_LARGE",
        ),
    ];
    for (what, body, status, code) in cases {
        let answer = w
            .call("POST", "/api/dossiers", Some(staff), body, &[])
            .await;
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        assert_eq!(answer.body["code"], code, "{what}");
        assert_eq!(
            answer.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{what}"
        );
        let detail = answer.body["detail"].as_str().unwrap_or_default();
        assert!(!detail.is_empty(), "{what}: a message for staff");
        // Wholly Dutch: serde's English words stay in detail_en.
        for english in ["expected", "invalid", "Failed", "field", "type", "line"] {
            assert!(!detail.contains(english), "{what}: {detail:?} is not Dutch");
        }
    }
    // A client asking for English gets the detail in English.
    let english = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some("{\"insz\": \"12051700125\", \"nickname\": \"x\"}"),
            &[("accept-language", "en-GB,en;q=0.9,nl;q=0.8")],
        )
        .await;
    assert!(
        english.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("unknown field `nickname`")),
        "{}",
        english.body
    );
    assert_eq!(english.body["detail"], english.body["detail_en"]);
    assert_eq!(
        english.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let bad_insz = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(r#"{"insz": "12051700199"}"#),
            &[],
        )
        .await;
    assert_eq!(
        bad_insz.body["detail"],
        "De controlecijfers van het rijksregisternummer (INSZ) kloppen niet.",
        "staff read the reason in Dutch"
    );
    let no_json = Request::builder()
        .method("POST")
        .uri("/api/dossiers")
        .header(header::AUTHORIZATION, format!("Bearer {staff}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("insz=1"))
        .unwrap();
    assert_eq!(
        w.app.clone().oneshot(no_json).await.unwrap().status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let bad_amount = json!({ "command": "set_annual_amount", "budget": uuid::Uuid::now_v7(), "year": 2026, "amount": "12,50" }).to_string();
    let answer = w
        .call(
            "POST",
            &format!("/api/dossiers/{}/commands", uuid::Uuid::now_v7()),
            Some(staff),
            Some(&bad_amount),
            &[],
        )
        .await;
    assert!(answer.status.is_client_error(), "{}", answer.body);
    assert_eq!(w.events().await, before, "no bad request wrote an event");

    // A valid command for a dossier that was never opened: 404, nothing written.
    let apply = json!({ "command": "submit_pab_application", "budget": uuid::Uuid::now_v7(),
        "submitted_on": "2026-01-10", "urgent": null })
    .to_string();
    let unknown = w
        .call(
            "POST",
            &format!("/api/dossiers/{}/commands", uuid::Uuid::now_v7()),
            Some(staff),
            Some(&apply),
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    assert_eq!(w.events().await, before);
}

#[tokio::test]
async fn a_retried_post_gets_the_first_answer_and_writes_once() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    let base = 130_101_001u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let body = json!({ "insz": insz }).to_string();
    let first = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&body),
            &[("idempotency-key", "k-1")],
        )
        .await;
    let before = w.events().await;
    let retry = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&body),
            &[("idempotency-key", "k-1")],
        )
        .await;
    assert_eq!(
        (first.status, retry.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(w.events().await, before, "the retry wrote nothing");
    let other = json!({ "insz": insz, "birth_date": "2013-01-01" }).to_string();
    let reused = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&other),
            &[("idempotency-key", "k-1")],
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.body["code"], "IDEMPOTENCY_KEY_REUSED");
}

#[tokio::test]
async fn a_retry_after_a_restart_gets_the_first_answer_from_the_log_and_writes_once() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    let base = 130_101_002u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let open = json!({ "insz": insz }).to_string();
    let key = [("idempotency-key", "open-1")];
    let opened = w
        .call("POST", "/api/dossiers", Some(staff), Some(&open), &key)
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
    let uri = format!("/api/dossiers/{dossier}/commands");
    // The client names no budget: the server makes its id and answers with it.
    let apply = json!({ "command": "submit_pab_application",
        "submitted_on": "2026-01-10", "urgent": null })
    .to_string();
    let apply_key = [("idempotency-key", "apply-1")];
    let applied = w
        .call("POST", &uri, Some(staff), Some(&apply), &apply_key)
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let budget = applied.body["created"]["budget"]
        .as_str()
        .unwrap_or_else(|| panic!("the new budget's id: {}", applied.body))
        .to_owned();
    assert_eq!(
        opened.body["created"]["dossier"], opened.body["dossier"],
        "{}",
        opened.body
    );
    assert!(opened.body["created"]["person"].is_string());
    let before = w.events().await;

    let restarted = w.restarted();
    let reopened = restarted
        .call("POST", "/api/dossiers", Some(staff), Some(&open), &key)
        .await;
    assert_eq!(reopened.status, StatusCode::CREATED, "{}", reopened.body);
    assert_eq!(
        reopened.body, opened.body,
        "the same dossier, version and events"
    );
    let reapplied = restarted
        .call("POST", &uri, Some(staff), Some(&apply), &apply_key)
        .await;
    assert_eq!(reapplied.status, StatusCode::OK, "{}", reapplied.body);
    assert_eq!(reapplied.body, applied.body);
    assert_eq!(
        reapplied.body["created"]["budget"], budget,
        "the retry names the budget the first request made"
    );
    assert_eq!(
        restarted.events().await,
        before,
        "the retries wrote nothing"
    );
    let history = restarted
        .call(
            "GET",
            &format!("/api/dossiers/{dossier}/events"),
            Some(staff),
            None,
            &[],
        )
        .await;
    let applications: Vec<_> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "PabApplicationSubmitted")
        .collect();
    assert_eq!(applications.len(), 1, "one application: {}", history.body);
    assert_eq!(applications[0]["payload"]["budget"], budget);

    // Without a key, or with another one, the same body is a new request and is decided again.
    let unkeyed = restarted
        .call("POST", "/api/dossiers", Some(staff), Some(&open), &[])
        .await;
    assert_eq!(unkeyed.body["code"], "DUPLICATE_PERSON", "{}", unkeyed.body);
}

#[tokio::test]
async fn an_administrator_issues_and_revokes_tokens() {
    let w = world().await;
    let admin = w.token(Role::Admin);
    let added = w
        .call(
            "POST",
            "/api/users",
            Some(admin),
            Some(r#"{"name": "karel", "role": "investigator"}"#),
            &[],
        )
        .await;
    // Giving a user a role takes two administrators: the proposer cannot confirm it.
    assert_eq!(added.status, StatusCode::ACCEPTED, "{}", added.body);
    let own = w
        .call(
            "POST",
            &format!(
                "/api/proposals/access/{}/confirm",
                added.body["proposal"].as_str().unwrap()
            ),
            Some(admin),
            None,
            &[],
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
    assert_eq!(own.body["code"], "FOUR_EYES_SAME_USER");
    let confirmed = w.confirmed_by_second(Role::Admin, &added).await;
    let added = &confirmed["issued"];
    let secret = added["secret"].as_str().unwrap().to_owned();
    let me = w.call("GET", "/api/me", Some(&secret), None, &[]).await;
    assert_eq!(
        (me.body["name"].as_str(), me.body["role"].as_str()),
        (Some("karel"), Some("investigator"))
    );
    let token = added["token"].as_str().unwrap();
    let revoked = w
        .call(
            "POST",
            &format!("/api/tokens/{token}/revoke"),
            Some(admin),
            Some(r#"{"reason": "test over"}"#),
            &[],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        w.call("GET", "/api/me", Some(&secret), None, &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let bad_role = w
        .call(
            "POST",
            "/api/users",
            Some(admin),
            Some(r#"{"name": "x", "role": "boss"}"#),
            &[],
        )
        .await;
    assert_eq!(bad_role.body["code"], "INVALID_ROLE");
}

#[tokio::test]
async fn health_metrics_and_the_api_description_are_public() {
    let w = world().await;
    let health = w.call("GET", "/health", None, None, &[]).await;
    assert_eq!(
        (health.status, health.body["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    api::metrics_handle();
    let _ = w.call("GET", "/health", None, None, &[]).await;
    let metrics = w.call("GET", "/metrics", None, None, &[]).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics
            .body
            .as_str()
            .unwrap()
            .contains("dossier_http_requests_total"),
        "{}",
        metrics.body
    );
    let doc = w.call("GET", "/api/openapi.json", None, None, &[]).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(
        !doc.headers.contains_key(header::CACHE_CONTROL),
        "the description holds no personal data and may be cached"
    );
    assert!(doc.body["components"]["schemas"]["DossierCommand"].is_object());
    assert_eq!(
        doc.body["paths"]["/api/dossiers/{dossier}/commands"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/DossierCommand"
    );
    let ui = w.call("GET", "/api/docs/", None, None, &[]).await;
    assert_eq!(ui.status, StatusCode::OK);
    assert!(
        ui.body.as_str().unwrap().contains("swagger"),
        "Swagger UI page"
    );
    let nowhere = w.call("GET", "/nowhere", None, None, &[]).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.body["code"], "NOT_FOUND");
    // A browser at the root gets a page in Dutch that says where the API is, not a JSON error.
    let home = w.call("GET", "/", None, None, &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    let page = home.body.as_str().unwrap();
    assert!(
        page.contains(r#"<html lang="nl-BE">"#) && page.contains(r#"href="/api/docs""#),
        "{page}"
    );
}

#[tokio::test]
async fn reads_by_inspectors_and_investigators_are_in_the_access_log() {
    let w = world().await;
    let base = 140_303_001u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let opened = w
        .call(
            "POST",
            "/api/dossiers",
            Some(w.token(Role::Staff)),
            Some(&json!({ "insz": insz }).to_string()),
            &[],
        )
        .await;
    let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
    let history = format!("/api/dossiers/{dossier}/events");
    for role in [Role::Staff, Role::Investigator, Role::Inspector] {
        assert_eq!(
            w.call("GET", &history, Some(w.token(role)), None, &[])
                .await
                .status,
            StatusCode::OK
        );
    }
    let log = w
        .call(
            "GET",
            &format!("/api/access-log?dossier={dossier}"),
            Some(w.token(Role::Inspector)),
            None,
            &[],
        )
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let entries = log.body.as_array().unwrap();
    let roles: Vec<&str> = entries
        .iter()
        .map(|e| e["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["investigator", "inspector"],
        "staff reads are not logged; the others are, in order"
    );
    assert!(
        entries
            .iter()
            .all(|e| e["view"] == "dossier history" && e["channel"] == "http")
    );
    let other_month = w
        .call(
            "GET",
            "/api/access-log?month=2025-12-01",
            Some(w.token(Role::Admin)),
            None,
            &[],
        )
        .await;
    assert_eq!(other_month.body.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn every_documented_route_is_public_by_name_or_in_the_permission_table() {
    let doc = api::openapi::document();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    let api_guarded = || guarded().filter(|(route, _)| route.kind == Kind::Api);
    assert!(documented.len() >= api_guarded().count());
    for (method, path) in &documented {
        let row = |route: &Route| route.method.as_str() == method && route.path == *path;
        let public = routes()
            .iter()
            .any(|route| row(route) && route.access == Access::Public);
        let guarded = guarded().any(|(route, _)| row(route));
        assert!(
            public ^ guarded,
            "{method} {path}: public={public}, in the permission table={guarded}"
        );
    }
    for (route, _) in api_guarded() {
        assert!(
            documented
                .iter()
                .any(|(m, p)| m == route.method.as_str() && *p == route.path),
            "{} {} is in the table but not documented",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn an_investigator_dismisses_a_signal_as_an_event_with_a_reason() {
    let w = world().await;
    let signal = "0123456789abcdef0123456789abcdef";
    let uri = format!("/api/signals/{signal}/dismiss");
    let done = w
        .call(
            "POST",
            &uri,
            Some(w.token(Role::Investigator)),
            Some(r#"{"reason": "verklaard door creditnota"}"#),
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let stored = w
        .store
        .read_stream(&app::models::signals_stream(), 0, 10)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].event_type, "RiskSignalDismissed");
    let payload: Value = serde_json::from_slice(&stored[0].payload).unwrap();
    assert_eq!(
        payload,
        json!({ "signal": signal, "reason": "verklaard door creditnota" })
    );
    assert_eq!(stored[0].metadata().unwrap().actor_role, "investigator");
    let no_reason = w
        .call(
            "POST",
            &format!("/api/signals/{signal}/escalate"),
            Some(w.token(Role::Investigator)),
            Some(r#"{"reason": ""}"#),
            &[],
        )
        .await;
    assert_eq!(no_reason.body["code"], "REASON_REQUIRED");
}

/// An INSZ with valid check digits for someone born in 19YY-MM-DD, serial 001.
fn insz_born_19(yymmdd: u64) -> String {
    let base = yymmdd * 1000 + 1;
    format!("{base:09}{:02}", 97 - base % 97)
}

#[tokio::test]
async fn k01_staff_draw_a_sample_that_opens_a_control_case_in_each_selected_dossier() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    let mut with_budget = Vec::new();
    for (n, born) in [800_309u64, 810_412, 820_515].into_iter().enumerate() {
        let opened = w
            .call(
                "POST",
                "/api/dossiers",
                Some(staff),
                Some(&json!({ "insz": insz_born_19(born) }).to_string()),
                &[],
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let dossier = opened.body["dossier"].as_str().unwrap().to_owned();
        if n == 2 {
            continue; // no budget: not in the population
        }
        let available = json!({ "command": "make_pvb_available", "budget": uuid::Uuid::now_v7(),
            "letter_date": "2024-02-01", "annual_amount": "30000.00", "route": "priority_group" });
        let made = w
            .call(
                "POST",
                &format!("/api/dossiers/{dossier}/commands"),
                Some(staff),
                Some(&available.to_string()),
                &[],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        with_budget.push(dossier);
    }

    let before = w.events().await;
    let too_many = json!({ "year": 2024, "kind": "standard", "size": 3 }).to_string();
    let refused = w
        .call(
            "POST",
            "/api/controls/samples",
            Some(staff),
            Some(&too_many),
            &[],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["code"], "SAMPLE_SIZE_INVALID");
    assert_eq!(w.events().await, before, "a refused draw writes nothing");

    let draw = json!({ "year": 2024, "kind": "standard", "size": 2 }).to_string();
    let drawn = w
        .call(
            "POST",
            "/api/controls/samples",
            Some(staff),
            Some(&draw),
            &[],
        )
        .await;
    assert_eq!(drawn.status, StatusCode::CREATED, "{}", drawn.body);
    assert_eq!(drawn.body["population"], 2);
    let mut selected: Vec<String> = drawn.body["opened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["dossier"].as_str().unwrap().to_owned())
        .collect();
    selected.sort();
    with_budget.sort();
    assert_eq!(selected, with_budget);

    // The read side shows each case in its dossier, over the budget year.
    w.catch_up().await;
    for dossier in &with_budget {
        let controls = w
            .call(
                "GET",
                &format!("/api/dossiers/{dossier}/controls"),
                Some(staff),
                None,
                &[],
            )
            .await;
        assert_eq!(controls.status, StatusCode::OK, "{}", controls.body);
        let text = controls.body.to_string();
        assert!(
            text.contains("2024-01-01") && text.contains("2024-12-31"),
            "{text}"
        );
    }
    let doc = w.call("GET", "/api/openapi.json", None, None, &[]).await;
    assert!(doc.body["paths"]["/api/controls/samples"]["post"].is_object());
    assert!(doc.body["components"]["schemas"]["DrawSample"].is_object());
}

#[tokio::test]
async fn a_birth_date_that_differs_from_the_insz_is_recorded_with_a_warning() {
    let w = world().await;
    let staff = w.token(Role::Staff);
    let insz = domain::examples::insz(domain::examples::date(2012, 5, 17), 41);
    let insz = insz.expose_digits();
    let opened = w
        .call(
            "POST",
            "/api/dossiers",
            Some(staff),
            Some(&json!({ "insz": insz, "birth_date": "2012-05-18" }).to_string()),
            &[],
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let warnings = opened.body["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{}", opened.body);
    assert_eq!(warnings[0]["code"], "BIRTH_DATE_DIFFERS_FROM_INSZ");
    assert!(
        warnings[0]["message_nl"]
            .as_str()
            .unwrap()
            .contains("18/05/2012"),
        "{}",
        opened.body
    );
    let dossier = opened.body["dossier"].as_str().unwrap();
    let correct = |corrected: &str| {
        json!({ "command": "correct_birth_date", "corrected": corrected,
                "reason": "geboorteakte nagekeken" })
        .to_string()
    };
    let uri = format!("/api/dossiers/{dossier}/commands");
    let corrected = w
        .call("POST", &uri, Some(staff), Some(&correct("2012-05-17")), &[])
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
    assert!(
        corrected.body.get("warnings").is_none(),
        "the date now agrees with the INSZ: {}",
        corrected.body
    );
    let again = w
        .call("POST", &uri, Some(staff), Some(&correct("2012-06-17")), &[])
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        again.body["warnings"][0]["code"],
        "BIRTH_DATE_DIFFERS_FROM_INSZ"
    );
}
