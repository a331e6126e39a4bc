//! The `dossier` binary end to end: crash safety, verify and selftest on real stores.

#[path = "cli/two_instances.rs"]
mod two_instances;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "cli/copy.rs"]
mod copy;
#[path = "cli/demo.rs"]
mod demo;
#[path = "cli/e2e.rs"]
mod e2e;
#[path = "cli/erasure.rs"]
mod erasure;

fn dossier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

/// Runs `dossier store soak`, lets it acknowledge a first few events (so start-up is behind
/// it, however loaded the machine), then for `run_for` more, kills it with SIGKILL and returns
/// the lines it printed (each an acknowledged event).
fn soak_then_kill(store: &str, run_for: Duration) -> Vec<String> {
    let mut child = dossier()
        .args(["store", "soak", "--store", store])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start soak");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let started = Instant::now();
    while lines.len() < 10 {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => lines.push(line),
            Err(e) => panic!(
                "soak acknowledged {} events in {:?}, then {e}",
                lines.len(),
                started.elapsed()
            ),
        }
    }
    std::thread::sleep(run_for);
    child.kill().expect("SIGKILL soak"); // std's kill is SIGKILL on Unix
    child.wait().expect("reap soak");
    reader.join().expect("reader thread");
    lines.extend(rx.try_iter());
    lines
}

/// Kills a writer at several moments and checks after each restart that every acknowledged
/// event is there, the chains verify and the store takes new appends.
fn acknowledged_events_survive_sigkill(store: &str, scratch: &Path) {
    let acked_file = scratch.join("acked.txt");
    let mut all_acked = Vec::new();
    // Varied kill moments; a fixed list keeps failures reproducible.
    for (round, millis) in [350u64, 120, 800, 60, 500, 230].into_iter().enumerate() {
        let lines = soak_then_kill(store, Duration::from_millis(millis));
        all_acked.extend(lines);
        std::fs::write(&acked_file, all_acked.join("\n")).expect("write acked");
        let check = dossier()
            .args(["store", "soak-check", "--store", store, "--acked"])
            .arg(&acked_file)
            .output()
            .expect("run soak-check");
        let stdout = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "round {round} (killed after {millis} ms): soak-check failed: {stdout}{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(stdout.contains("soak-check: ok"), "round {round}: {stdout}");
    }
}

#[test]
fn sqlite_keeps_every_acknowledged_event_through_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let started = Instant::now();
    acknowledged_events_survive_sigkill(&store, dir.path());
    eprintln!("crash test took {:?}", started.elapsed());
}

/// The PostgreSQL store through the binary: killing the client never loses an acknowledged
/// append (the server commits or rolls back whole transactions).
#[test]
fn postgres_keeps_every_acknowledged_event_when_the_client_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_postgres::fresh_test_url("");
    acknowledged_events_survive_sigkill(&store, dir.path());
}

#[test]
fn verify_and_selftest_run_against_postgres() {
    let store = store_postgres::fresh_test_url("");
    let soak = dossier()
        .args(["store", "soak", "--store", &store, "--events", "20"])
        .output()
        .unwrap();
    assert!(
        soak.status.success(),
        "{}",
        String::from_utf8_lossy(&soak.stderr)
    );
    let out = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{line}");
    assert!(
        line.starts_with("verify: ok events=20 streams=4 digest="),
        "{line}"
    );
    let selftest = dossier()
        .args(["selftest", "--store", &store])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&selftest.stdout);
    assert!(text.contains("selftest: 14 passed, 0 failed"), "{text}");
}

#[test]
fn verify_prints_counts_and_digest_and_fails_on_a_tampered_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dossier.db");
    let store = format!("sqlite:{}", db.display());
    let soak = dossier()
        .args(["store", "soak", "--store", &store, "--events", "30"])
        .output()
        .unwrap();
    assert!(soak.status.success());

    let digest_file = dir.path().join("digest.tsv");
    let ok = dossier()
        .args(["verify", "--store", &store, "--digest-out"])
        .arg(&digest_file)
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{line}");
    assert!(
        line.starts_with("verify: ok events=30 streams=4 digest="),
        "{line}"
    );
    let digest = line.trim().rsplit('=').next().unwrap().to_owned();
    assert_eq!(digest.len(), 64);
    assert_eq!(
        std::fs::read_to_string(&digest_file)
            .unwrap()
            .lines()
            .count(),
        4
    );

    // Same digest on a second run; the log still extends its own digest list.
    let again = dossier()
        .args(["verify", "--store", &store, "--against"])
        .arg(&digest_file)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .trim()
            .ends_with(&digest)
    );

    // Tamper with one stored byte; verify must exit 1 naming the event.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, stream): (Vec<u8>, String) = conn
        .query_row(
            "SELECT event_id, stream FROM events WHERE position = 17",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update; UPDATE events SET metadata = replace(metadata, 'system', 'sysadm') WHERE position = 17;").unwrap();
    let bad = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    let id = uuid::Uuid::from_slice(&id).unwrap();
    assert!(
        out.contains(&format!("stream={stream}")) && out.contains(&format!("event={id}")),
        "{out}"
    );
    let bad_json = dossier()
        .args(["verify", "--json", "--store", &store])
        .output()
        .unwrap();
    assert_eq!(bad_json.status.code(), Some(1));
    let finding: serde_json::Value = serde_json::from_slice(&bad_json.stdout).unwrap();
    assert_eq!(finding["ok"], false);
    assert!(
        finding["failure"]
            .as_str()
            .unwrap()
            .contains(&id.to_string())
    );
}

#[test]
fn verify_answers_in_json_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let soak = dossier()
        .args(["store", "soak", "--store", &store, "--events", "12"])
        .output()
        .unwrap();
    assert!(soak.status.success());
    let text = dossier()
        .args(["verify", "--store", &store])
        .output()
        .unwrap();
    let json = dossier()
        .args(["verify", "--json", "--store", &store])
        .output()
        .unwrap();
    assert!(json.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(summary["ok"], true);
    assert_eq!(summary["events"], 12);
    let digest = summary["digest"].as_str().unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .trim()
            .ends_with(digest),
        "text and JSON name the same digest"
    );
}

#[test]
fn selftest_runs_the_conformance_suite_against_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let out = dossier()
        .args(["selftest", "--store", &store])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("selftest: 14 passed, 0 failed"), "{text}");
}

#[test]
fn unknown_store_urls_are_usage_errors_without_secrets() {
    let out = dossier()
        .args(["verify", "--store", "mysql://app:s3cret@db/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad URL is bad usage");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown store URL"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn tick_issues_what_is_due_once_per_date() {
    use domain::dossier::{DossierCommand, RegisterPerson};
    use domain::{Actor, DossierId, Insz, PersonId, UserId};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dossier.db");
    let store_url = format!("sqlite:{}", db.display());
    // A person born 2008-03-14 (INSZ 080314 001 + check digits, 2000+ rule).
    let base = 80_314_001u64;
    let insz = Insz::parse(&format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97)).unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store: std::sync::Arc<dyn event_store::EventStore> =
            std::sync::Arc::new(store_sqlite::SqliteStore::open(&db).unwrap());
        let service = app::Service::new(store, 10);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        service.ensure_rule_book(today).await.unwrap();
        let dossier = DossierId::from_uuid(uuid::Uuid::now_v7());
        let register = DossierCommand::RegisterPerson(RegisterPerson {
            dossier,
            person: PersonId::from_uuid(uuid::Uuid::now_v7()),
            insz,
            birth_date: None,
        });
        let actor = Actor::Staff {
            user: UserId::from_uuid(uuid::Uuid::now_v7()),
        };
        service
            .dossier_command(
                dossier,
                &register,
                actor,
                today,
                &app::WriteContext::system("test setup"),
                Some(None),
            )
            .await
            .unwrap();
    });

    let tick = |date: &str| {
        let out = dossier()
            .args(["tick", "--store", &store_url, "--today", date])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(
        tick("2026-03-13"),
        "tick: date=2026-03-13 dossiers=1 commands=0 refused=0"
    );
    assert_eq!(
        tick("2026-03-14"),
        "tick: date=2026-03-14 dossiers=1 commands=1 refused=0"
    );
    assert_eq!(
        tick("2026-03-14"),
        "tick: date=2026-03-14 dossiers=1 commands=0 refused=0"
    );

    let json = dossier()
        .args([
            "tick",
            "--store",
            &store_url,
            "--today",
            "2026-03-15",
            "--json",
        ])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["dossiers"], 1);
    assert_eq!(value["commands"], 0);

    let bad = dossier()
        .args(["tick", "--store", &store_url, "--today", "14/03/2026"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "a malformed date is bad usage");
}

/// Starts `dossier serve` on a free port: the process, the address it logged, and the rest of
/// its standard output.
fn start_serve(
    store: &str,
) -> (
    std::process::Child,
    String,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
) {
    let mut child = dossier()
        .args(["serve", "--bind", "127.0.0.1:0", "--store", store])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let address = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (child, address, lines)
}

/// A plain HTTP/1.1 request over a socket: enough for the service's own smoke test.
fn http(address: &str, method: &str, path: &str, token: Option<&str>) -> (u16, String) {
    http_with_body(address, method, path, token, None)
}

fn http_with_body(
    address: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<&str>,
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect to the service");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let body = json.map_or_else(String::new, |b| {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
            b.len()
        )
    });
    let end = if json.is_some() { "" } else { "\r\n" };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{auth}Connection: close\r\n{body}{end}"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn the_operator_adds_users_only_until_two_administrators_can_keep_four_eyes() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let add = |name: &str, role: &str| {
        dossier()
            .args(["user", "add", name, "--role", role, "--store", &store])
            .output()
            .unwrap()
    };
    for (name, role) in [("ann", "admin"), ("bart", "staff"), ("cas", "admin")] {
        let added = add(name, role);
        assert!(
            added.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&added.stderr)
        );
    }
    let refused = add("dirk", "staff");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("BOOTSTRAP_CLOSED"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let listed = dossier()
        .args(["user", "list", "--store", &store])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("bart") && !listed.contains("dirk"),
        "{listed}"
    );
}

#[test]
fn serve_answers_on_a_free_port_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let added = dossier()
        .args([
            "user",
            "add",
            "ann",
            "--role",
            "inspector",
            "--store",
            &store,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let issued: serde_json::Value = serde_json::from_slice(&added.stdout).unwrap();
    let secret = issued["secret"].as_str().unwrap().to_owned();
    let twice = dossier()
        .args(["user", "add", "ann", "--role", "staff", "--store", &store])
        .output()
        .unwrap();
    assert_eq!(
        twice.status.code(),
        Some(2),
        "a taken name is refused as bad usage"
    );

    let (mut child, address, lines) = start_serve(&store);
    let (status, body) = http(&address, "GET", "/health", None);
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&address, "GET", "/api/me", Some(&secret));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"inspector\""), "{body}");
    assert_eq!(http(&address, "GET", "/api/me", None).0, 401);

    // A dossier opened over HTTP reaches the read models the service keeps following the log.
    let staff = dossier()
        .args([
            "user", "add", "bart", "--role", "staff", "--store", &store, "--json",
        ])
        .output()
        .unwrap();
    let staff: serde_json::Value = serde_json::from_slice(&staff.stdout).unwrap();
    let base = 120_517_001u64;
    let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
    let (status, body) = http_with_body(
        &address,
        "POST",
        "/api/dossiers",
        staff["secret"].as_str(),
        Some(&format!("{{\"insz\": \"{insz}\"}}")),
    );
    assert_eq!(status, 201, "{body}");
    let opened: serde_json::Value = serde_json::from_str(&body).unwrap();
    let dossier_id = opened["dossier"].as_str().unwrap().to_owned();
    let read_db = dir.path().join("dossier-read.db");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = rusqlite::Connection::open(&read_db)
            .and_then(|c| {
                c.query_row(
                    "SELECT count(*) FROM dossiers WHERE dossier = ?1",
                    [&dossier_id],
                    |r| r.get::<_, i64>(0),
                )
            })
            .unwrap_or(0);
        if found == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the read models never showed dossier {dossier_id}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The service reads the same read models over HTTP.
    let (status, body) = http(
        &address,
        "GET",
        &format!("/api/dossiers/{dossier_id}"),
        Some(&secret),
    );
    assert_eq!(status, 200, "{body}");
    let summary: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(summary["summary"]["dossier"], dossier_id.as_str(), "{body}");
    assert!(summary["checkpoint"].is_u64(), "{body}");

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "serve exits 0 on SIGTERM: {status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");

    let list = dossier()
        .args(["user", "list", "--store", &store])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("ann"));
}

#[test]
fn an_unreachable_kurrentdb_is_an_unusable_store_and_keeps_its_password() {
    let out = dossier()
        .args([
            "selftest",
            "--store",
            "esdb://admin:changeit@127.0.0.1:1?tls=false",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the event store"), "{err}");
    assert!(!err.contains("changeit"), "{err}");
}

// Read models: bench rebuild, rebuild, replay, report ------------------------------------------

/// A store holding the demo's history of `dossiers` dossiers, recorded at its business dates
/// (deterministic ids, times and log order: `dossier bench rebuild` imports it), returned with
/// its URL.
fn generated_store(dir: &Path, dossiers: u32) -> String {
    let store_url = format!("sqlite:{}", dir.join("dossier.db").display());
    let out = dossier()
        .args([
            "bench",
            "rebuild",
            "--store",
            &store_url,
            "--dossiers",
            &dossiers.to_string(),
            "--asof-samples",
            "3",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout.lines().last().unwrap_or_default();
    assert!(
        line.starts_with("bench rebuild: events=")
            && line.contains(" rebuild_eps=")
            && line.contains(" asof_ms="),
        "{line}"
    );
    store_url
}

/// Every read-model table of a SQLite read-model file, as sorted text rows.
fn read_model_dump(path: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for projection in projections::read::all() {
        for table in projection.tables() {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {}", table.name))
                .unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            out.insert(table.name.to_owned(), rows);
        }
    }
    out
}

#[test]
fn rebuild_from_the_cli_equals_the_incrementally_built_read_models() {
    use event_store::{EventStore, Position};

    let dir = tempfile::tempdir().unwrap();
    let store_url = generated_store(dir.path(), 12);
    let out = dossier()
        .args(["rebuild", "--store", &store_url])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("rebuild: projections=budgets,"),
        "{stdout}"
    );
    assert!(stdout.contains(" events_per_s="), "{stdout}");

    // The same log, delivered a page at a time to a runner that commits after each.
    let incremental = dir.path().join("incremental-read.db");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let source = store_sqlite::SqliteStore::open(dir.path().join("dossier.db")).unwrap();
        let all = source.read_all(Position::START, 1_000_000).await.unwrap();
        let copy: std::sync::Arc<dyn EventStore> =
            std::sync::Arc::new(event_store::MemoryStore::new());
        let sink = read_sqlite::SqliteSink::open(&incremental).unwrap();
        let runner = projections::Runner::new(copy.clone(), std::sync::Arc::new(sink));
        for chunk in all.chunks(97) {
            copy.import(chunk).await.unwrap();
            runner
                .catch_up(&mut projections::read::all())
                .await
                .unwrap();
        }
    });
    let rebuilt = read_model_dump(&dir.path().join("dossier-read.db"));
    assert!(rebuilt["budget_years"].len() >= 12 * 3);
    assert!(!rebuilt["signals"].is_empty());
    assert_eq!(read_model_dump(&incremental), rebuilt);

    let unknown = dossier()
        .args(["rebuild", "--store", &store_url, "--projection", "nope"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    let one = dossier()
        .args(["rebuild", "--store", &store_url, "--projection", "signals"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&one.stdout).starts_with("rebuild: projections=signals "));
}

/// The first generated dossier's number (the demo's first showcase, a COVID-19 overrun).
const FIRST_DOSSIER: &str = "01970000-0000-7000-8000-000000000001";

#[test]
fn replay_prints_every_event_with_who_when_why_and_the_state_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let store_url = generated_store(dir.path(), 3);
    let text = dossier()
        .args(["replay", FIRST_DOSSIER, "--store", &store_url])
        .output()
        .unwrap();
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let events: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert!(events.len() > 30, "{text}");
    assert!(events[0].starts_with("#0 positie "), "{}", events[0]);
    assert!(
        events[0].contains(
            "15/10/2018 09:00:00 UTC 01960000-0000-7000-8000-000000000020 (staff) \
             PersonRegistered — reden: demo history"
        ),
        "{}",
        events[0]
    );
    // A weighty decision names both: the colleague who confirmed it and the one who proposed.
    let approved = events
        .iter()
        .find(|l| l.contains("AgreementApproved"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        approved.contains(
            "01960000-0000-7000-8000-000000000023 (staff), voorgesteld door \
             01960000-0000-7000-8000-000000000020 (staff) op "
        ),
        "{approved}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("    toestand: "))
            .count(),
        events.len()
    );

    let json = dossier()
        .args(["replay", FIRST_DOSSIER, "--store", &store_url, "--json"])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), events.len());
    assert_eq!(lines[0]["event_type"], "PersonRegistered");
    assert!(
        lines[0]["payload"]["insz"]
            .as_str()
            .unwrap()
            .ends_with("*****")
    );
    assert!(
        lines.last().unwrap()["state_after"]["cost_lines"]["accepted"]
            .as_u64()
            .unwrap()
            > 20
    );

    // --until a position stops there; --until a time too.
    let cut = lines[5]["position"].as_u64().unwrap();
    let until = dossier()
        .args([
            "replay",
            FIRST_DOSSIER,
            "--store",
            &store_url,
            "--json",
            "--until",
            &cut.to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&until.stdout).lines().count(), 6);
    let until_time = dossier()
        .args([
            "replay",
            FIRST_DOSSIER,
            "--store",
            &store_url,
            "--until",
            "2019-01-01T23:59:59Z",
        ])
        .output()
        .unwrap();
    let early = String::from_utf8_lossy(&until_time.stdout).into_owned();
    assert!(early.lines().filter(|l| l.starts_with('#')).count() < events.len());
    let bad = dossier()
        .args([
            "replay",
            FIRST_DOSSIER,
            "--store",
            &store_url,
            "--until",
            "gisteren",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The access-log entries of a SQLite store, as JSON payloads in log order.
fn access_log_entries(store_url: &str) -> Vec<serde_json::Value> {
    let path = store_url.strip_prefix("sqlite:").unwrap();
    let db = rusqlite::Connection::open(path).unwrap();
    let mut statement = db
        .prepare("SELECT payload FROM events WHERE stream LIKE 'access-log-%' ORDER BY position")
        .unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|payload| serde_json::from_str(&payload.unwrap()).unwrap())
        .collect()
}

#[test]
fn command_line_replays_and_reports_are_recorded_in_the_access_log_as_the_os_user() {
    let dir = tempfile::tempdir().unwrap();
    let store_url = generated_store(dir.path(), 2);
    assert!(access_log_entries(&store_url).is_empty());
    let replay = dossier()
        .args(["replay", FIRST_DOSSIER, "--store", &store_url])
        .env("USER", "inspecteur-jan")
        .output()
        .unwrap();
    assert!(replay.status.success());
    // A refused request reads nothing, so it records nothing.
    let refused = dossier()
        .args(["report", "signals", "--year", "2020", "--format", "json"])
        .args(["--store", &store_url])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let report = dossier()
        .args([
            "report", "budgets", "--format", "json", "--store", &store_url,
        ])
        .env("USER", "inspecteur-jan")
        .output()
        .unwrap();
    assert!(report.status.success());

    let entries = access_log_entries(&store_url);
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0]["dossier"], FIRST_DOSSIER);
    assert_eq!(entries[0]["reader"], "os:inspecteur-jan");
    assert_eq!(entries[0]["view"], "replay");
    assert_eq!(entries[0]["channel"], "cli");
    assert_eq!(entries[1]["dossier"], serde_json::Value::Null);
    assert_eq!(entries[1]["view"], "report budgets");
}

#[test]
fn reports_carry_position_and_digest_in_csv_for_excel_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let store_url = generated_store(dir.path(), 12);
    let verify = dossier()
        .args(["verify", "--store", &store_url])
        .output()
        .unwrap();
    let verify = String::from_utf8_lossy(&verify.stdout).into_owned();
    let digest = verify.trim().rsplit("digest=").next().unwrap().to_owned();

    let csv = dossier()
        .args([
            "report", "budgets", "--year", "2020", "--format", "csv", "--store", &store_url,
        ])
        .output()
        .unwrap();
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    assert!(
        csv.stdout.starts_with("\u{feff}".as_bytes()),
        "UTF-8 with BOM"
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.contains(&digest));
    assert!(
        text.lines().skip(1).all(|row| row.contains(";2020;"))
            && text.contains(";2020;PAB;")
            && text.contains(";2020;PVB;"),
        "{text}"
    );
    // Event ids are fresh in every run, so the digest is checked above, not in the snapshot.
    insta::assert_snapshot!("report_budgets_2020_csv", text.replace(&digest, "(digest)"));

    // The CSV report was recorded in the access log: the log moved on, and so did its digest.
    let verify = dossier()
        .args(["verify", "--store", &store_url])
        .output()
        .unwrap();
    let verify = String::from_utf8_lossy(&verify.stdout).into_owned();
    let digest_after = verify.trim().rsplit("digest=").next().unwrap().to_owned();
    assert_ne!(digest_after, digest);
    let out = dir.path().join("covid.json");
    let json = dossier()
        .args([
            "report",
            "covid-overrun",
            "--format",
            "json",
            "--store",
            &store_url,
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(value["verify_digest"], digest_after.as_str());
    assert!(value["log_position"].as_u64().unwrap() > 100);
    // The access-log entry has a fresh id and time: its digest differs from run to run.
    value["verify_digest"] = "(checked above)".into();
    insta::assert_json_snapshot!("report_covid_overrun_json", value);

    let signals = dossier()
        .args([
            "report", "signals", "--format", "json", "--store", &store_url,
        ])
        .output()
        .unwrap();
    let signals: serde_json::Value = serde_json::from_slice(&signals.stdout).unwrap();
    assert!(signals["rows"].as_array().is_some());
    let no_year = dossier()
        .args([
            "report", "signals", "--year", "2020", "--format", "csv", "--store", &store_url,
        ])
        .output()
        .unwrap();
    assert_eq!(no_year.status.code(), Some(2));
}

#[test]
fn postgres_read_models_rebuild_in_the_store_database() {
    let store_url = store_postgres::fresh_test_url("");
    let out = dossier()
        .args([
            "bench",
            "rebuild",
            "--store",
            &store_url,
            "--dossiers",
            "4",
            "--asof-samples",
            "2",
        ])
        .output()
        .unwrap();
    let bench = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = bench
        .split_whitespace()
        .find_map(|w| w.strip_prefix("events="))
        .unwrap()
        .to_owned();
    // The bench already built every read model in `<schema>_read`; a rebuild of one drops and
    // refills its tables there and reads the whole log once.
    let rebuilt = dossier()
        .args(["rebuild", "--store", &store_url, "--projection", "budgets"])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&rebuilt.stdout).into_owned();
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
    assert!(
        line.starts_with(&format!("rebuild: projections=budgets events={events} ")),
        "{line} after {bench}"
    );
}

/// The README's first command: `serve --demo` on port 0 prints its example with the real
/// port and ends with the address; run again on the store it filled, it names the command that
/// gives a demo user a new token (tokens are shown once).
#[test]
fn serve_demo_prints_the_real_port_and_on_a_filled_store_how_to_get_a_token_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let run = |what: &str| -> Vec<String> {
        let mut child = dossier()
            .args([
                "serve",
                "--demo",
                "--demo-dossiers",
                "2",
                "--bind",
                "127.0.0.1:0",
                "--store",
                &store,
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = Vec::new();
        let mut output = BufReader::new(child.stdout.take().unwrap()).lines();
        for line in output.by_ref() {
            let line = line.unwrap();
            let last = line.starts_with("dossier: listening on");
            lines.push(line);
            if last {
                break;
            }
        }
        let pid = child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        output.map_while(Result::ok).for_each(drop);
        assert!(
            child.wait().unwrap().success(),
            "{what}: serve stops cleanly"
        );
        assert!(
            lines
                .last()
                .is_some_and(|l| l.starts_with("dossier: listening on http://127.0.0.1:")),
            "{what}: {lines:#?}"
        );
        lines
    };
    let first = run("first start");
    let port = first
        .last()
        .unwrap()
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .unwrap()
        .to_owned();
    assert_ne!(port, "0");
    let example = first
        .iter()
        .find(|l| l.starts_with("demo: try"))
        .unwrap_or_else(|| panic!("{first:#?}"));
    assert!(
        example.contains(&format!("http://127.0.0.1:{port}/api/me")),
        "{example}"
    );
    // Two administrators by the bootstrap, the other four by four-eyes: each with a token.
    let users: Vec<&String> = first.iter().filter(|l| l.starts_with("  demo-")).collect();
    assert_eq!(users.len(), 6, "{first:#?}");
    for user in users {
        let secret = user.split_whitespace().last().unwrap_or_default();
        assert!(
            secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
            "{user}"
        );
    }
    let again = run("second start");
    assert!(
        again
            .iter()
            .any(|l| l.contains("dossier user token demo-staff --store")),
        "{again:#?}"
    );
}

/// On the embedded store, as on PostgreSQL, a rebuild is refused while a `serve` follows the
/// log into the same read models; once it stopped, the rebuild runs.
#[test]
fn rebuild_is_refused_while_serve_follows_the_same_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let (mut child, _address, lines) = start_serve(&store);
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    let lock = dir.path().join("dossier-read.db.lock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !lock.exists() {
        assert!(
            Instant::now() < deadline,
            "serve never claimed its read models"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let refused = dossier()
        .args(["rebuild", "--store", &store])
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "a rebuild beside a running serve"
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("run by another process"), "{stderr}");
    // `status` sees the serve following every read model.
    let status = status_of(&store);
    assert!(status.iter().all(|s| s["followed"] == true), "{status:#?}");

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(child.wait().unwrap().success());
    let rebuilt = dossier()
        .args(["rebuild", "--store", &store])
        .output()
        .unwrap();
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
}

/// Completions and the manual page come from the same definitions as the command line.
#[test]
fn completions_and_the_man_page_name_every_subcommand() {
    let completions = dossier().args(["completions", "bash"]).output().unwrap();
    assert!(completions.status.success());
    let script = String::from_utf8_lossy(&completions.stdout);
    let man = dossier().arg("man").output().unwrap();
    assert!(man.status.success());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH dossier 1"),
        "{page}"
    );
    for subcommand in [
        "serve", "verify", "rebuild", "replay", "report", "export", "store",
    ] {
        assert!(script.contains(subcommand), "completions lack {subcommand}");
        assert!(page.contains(subcommand), "the man page lacks {subcommand}");
    }
    let zsh = dossier().args(["completions", "zsh"]).output().unwrap();
    assert!(String::from_utf8_lossy(&zsh.stdout).starts_with("#compdef dossier"));
    let unknown = dossier().args(["completions", "cmd.exe"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

/// `dossier status --json` on `store`.
fn status_of(store: &str) -> Vec<serde_json::Value> {
    let out = dossier()
        .args(["status", "--json", "--store", store])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `dossier status` tells, per read model, whether it was built, how far behind the log it is
/// and whether its version is the code's.
#[test]
fn status_shows_each_read_model_against_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("dossier.db").display());
    let demo = dossier()
        .args(["demo", "--dossiers", "2", "--store", &store])
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let before = status_of(&store);
    assert_eq!(before.len(), projections::read::names().len());
    for s in &before {
        assert_eq!(s["state"], "never built", "{s}");
        assert!(s["behind"].as_u64().unwrap() > 0, "{s}");
        assert_eq!(s["followed"], false, "{s}");
    }
    let rebuilt = dossier()
        .args(["rebuild", "--store", &store])
        .output()
        .unwrap();
    assert!(rebuilt.status.success());
    for s in status_of(&store) {
        assert_eq!(
            (s["state"].as_str(), s["behind"].as_u64()),
            (Some("up to date"), Some(0)),
            "{s}"
        );
        assert_eq!(s["stored_version"], s["version"], "{s}");
    }
    // Facts appended after the rebuild (a user and their first token) leave every read model
    // two events behind.
    let tick = dossier()
        .args(["user", "add", "nieuw", "--role", "staff", "--store", &store])
        .output()
        .unwrap();
    assert!(tick.status.success());
    for s in status_of(&store) {
        assert_eq!(
            (s["state"].as_str(), s["behind"].as_u64()),
            (Some("behind"), Some(2)),
            "{s}"
        );
    }
}
