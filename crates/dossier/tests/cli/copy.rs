//! Moving a whole log: `dossier store copy` (killed and resumed), `export` and `import`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use event_store::{EventStore, Position, RecordedEvent};

use super::{access_log_entries, dossier, generated_store};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `dossier verify` and returns its digest.
fn verify_digest(store: &str) -> String {
    let out = dossier()
        .args(["verify", "--store", store])
        .output()
        .unwrap();
    let line = text(&out.stdout);
    assert!(out.status.success(), "{line}{}", text(&out.stderr));
    assert!(line.starts_with("verify: ok events="), "{line}");
    line.trim().rsplit("digest=").next().unwrap().to_owned()
}

fn verify_line(store: &str) -> String {
    let out = dossier()
        .args(["verify", "--store", store])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// The digest at the end of a command's closing line.
fn closing_digest(out: &Output) -> String {
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    last.split_whitespace()
        .find_map(|w| w.strip_prefix("digest="))
        .unwrap_or_else(|| panic!("no digest in {last:?}"))
        .to_owned()
}

/// The whole log of a store, read through the library.
fn read_log(url: &str) -> Vec<RecordedEvent> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store: Box<dyn EventStore> = match url.strip_prefix("sqlite:") {
            Some(path) => Box::new(store_sqlite::SqliteStore::open(path).unwrap()),
            None => Box::new(store_postgres::PostgresStore::connect(url).await.unwrap()),
        };
        let mut all = Vec::new();
        let mut from = Position::START;
        loop {
            let page = store.read_all(from, 4096).await.unwrap();
            let Some(last) = page.last() else { break };
            from = last.position.next();
            all.extend(page);
        }
        all
    })
}

/// Every event the same but for its position.
fn assert_same_events(source: &[RecordedEvent], target: &[RecordedEvent]) {
    assert_eq!(source.len(), target.len());
    for (s, t) in source.iter().zip(target) {
        assert_eq!(
            (s.event_id, &s.stream, s.stream_version, s.recorded_at),
            (t.event_id, &t.stream, t.stream_version, t.recorded_at)
        );
        assert_eq!(
            (
                &s.event_type,
                s.schema_version,
                &s.payload,
                &s.metadata,
                s.hash
            ),
            (
                &t.event_type,
                t.schema_version,
                &t.payload,
                &t.metadata,
                t.hash
            ),
            "event {}",
            s.event_id
        );
    }
}

/// Starts `store copy`, waits for its first progress line (one batch is committed), lets it
/// run a little longer (into later batches, so the kill lands mid-run, likely inside an
/// import), kills it with SIGKILL and returns what it printed on standard output.
fn copy_then_kill(from: &str, to: &str, batch: &str) -> String {
    let mut child = dossier()
        .args([
            "store", "copy", "--from", from, "--to", to, "--batch", batch,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start store copy");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(line) if line.contains("events copied") => break,
            Ok(line) => seen.push(line),
            Err(e) => panic!(
                "no progress line from store copy in {:?} ({e}): {seen:?}",
                started.elapsed()
            ),
        }
    }
    // The whole copy takes over a second here; 100 ms is a few dozen batches.
    std::thread::sleep(Duration::from_millis(100));
    child.kill().expect("SIGKILL store copy"); // std's kill is SIGKILL on Unix
    let out = child.wait_with_output().expect("reap store copy");
    reader.join().unwrap();
    assert!(!out.status.success(), "the copy ended before the kill");
    text(&out.stdout)
}

#[test]
fn a_copy_to_postgres_killed_mid_run_resumes_and_both_sides_agree() {
    let dir = tempfile::tempdir().unwrap();
    let source = generated_store(dir.path(), 50);
    let target = store_postgres::fresh_test_url("");

    let first = copy_then_kill(&source, &target, "20");
    let total: u64 = first
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("store copy: copying "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{first}"));
    assert!(total > 3000, "several thousand events: {total}");

    let again = dossier()
        .args(["store", "copy", "--from", &source, "--to", &target])
        .args(["--batch", "500"])
        .output()
        .unwrap();
    let stdout = text(&again.stdout);
    assert!(again.status.success(), "{stdout}{}", text(&again.stderr));
    // It went on where the killed run stopped, not from the start.
    let resumed_after: u64 = stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("store copy: resuming after "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    eprintln!("the killed copy had written {resumed_after} of {total} events");
    assert!(
        resumed_after >= 20 && resumed_after < total,
        "resumed after {resumed_after} of {total}: {stdout}"
    );
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .contains(&format!(" of {total} events")),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("store copy: events={total} streams="))
            && last.ends_with("(source and target agree)"),
        "{last}"
    );

    let digest = closing_digest(&again);
    assert_eq!(verify_digest(&source), digest);
    assert_eq!(verify_digest(&target), digest);
    assert_same_events(&read_log(&source), &read_log(&target));
}

#[test]
fn a_target_that_is_not_the_start_of_the_source_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let source = generated_store(dir.path(), 2);
    let target = format!("sqlite:{}", dir.path().join("other.db").display());
    let soak = dossier()
        .args(["store", "soak", "--store", &target, "--events", "7"])
        .output()
        .unwrap();
    assert!(soak.status.success());
    let before = verify_line(&target);

    let out = dossier()
        .args(["store", "copy", "--from", &source, "--to", &target])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not the start of this log") && stderr.contains("event #1 of the target"),
        "{stderr}"
    );
    assert_eq!(verify_line(&target), before);

    // A source that is not there is bad usage too, and is not created.
    let missing = dir.path().join("missing.db");
    let out = dossier()
        .args(["store", "copy", "--to", &target, "--from"])
        .arg(format!("sqlite:{}", missing.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!missing.exists());
}

/// Replaces line `number` (1-based) of a file.
fn with_line(path: &Path, number: usize, change: impl FnOnce(&str) -> String) -> String {
    let content = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = content.lines().map(str::to_owned).collect();
    lines[number - 1] = change(&lines[number - 1]);
    lines.join("\n") + "\n"
}

#[test]
fn export_then_import_gives_the_same_log_and_bad_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = generated_store(dir.path(), 3);
    let file = dir.path().join("log.jsonl");
    let exported = dossier()
        .args(["export", "--store", &source, "--out"])
        .arg(&file)
        .env("USER", "beheerder-an")
        .output()
        .unwrap();
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert!(
        text(&exported.stdout).starts_with("export: events="),
        "{}",
        text(&exported.stdout)
    );
    let digest = closing_digest(&exported);
    // The export was recorded in the access log before anything was read, so the file holds
    // that entry too and its digest is the store's.
    let entries = access_log_entries(&source);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["view"], "export");
    assert_eq!(entries[0]["reader"], "os:beheerder-an");
    assert_eq!(verify_digest(&source), digest);
    let lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(lines[0].starts_with(r#"{"header":{"format":"dossier-export","version":1"#));
    assert!(lines.last().unwrap().contains(&digest));

    // Into a fresh store: the same log.
    let fresh = format!("sqlite:{}", dir.path().join("fresh.db").display());
    let imported = dossier()
        .args(["import", "--store", &fresh])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = text(&imported.stdout);
    assert!(
        imported.status.success(),
        "{stdout}{}",
        text(&imported.stderr)
    );
    assert!(stdout.starts_with("import: copying "), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("(store and file agree)"),
        "{stdout}"
    );
    assert_eq!(closing_digest(&imported), digest);
    assert_eq!(verify_digest(&fresh), digest);
    assert_same_events(&read_log(&source), &read_log(&fresh));

    // Into a store that holds the start of the file (an import that was stopped): it resumes.
    let partial = dir.path().join("partial.db");
    let start = read_log(&source)[..100].to_vec();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = store_sqlite::SqliteStore::open(&partial).unwrap();
        store.import(&start).await.unwrap();
    });
    let partial = format!("sqlite:{}", partial.display());
    let resumed = dossier()
        .args(["import", "--store", &partial, "--batch", "64"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = text(&resumed.stdout);
    assert!(
        resumed.status.success(),
        "{stdout}{}",
        text(&resumed.stderr)
    );
    assert!(
        stdout.starts_with("import: resuming after 100 of "),
        "{stdout}"
    );
    assert_eq!(verify_digest(&partial), digest);

    // A corrupted line: refused as bad input, naming the line; the store stays empty.
    let empty = format!("sqlite:{}", dir.path().join("empty.db").display());
    assert!(verify_line(&empty).starts_with("verify: ok events=0 "));
    let corrupt = dir.path().join("corrupt.jsonl");
    std::fs::write(
        &corrupt,
        with_line(&file, 7, |l| l[..l.len() / 2].to_owned()),
    )
    .unwrap();
    let out = dossier()
        .args(["import", "--store", &empty])
        .arg(&corrupt)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("corrupt.jsonl line 7: "), "{stderr}");
    assert!(verify_line(&empty).starts_with("verify: ok events=0 "));

    // A changed payload that is still valid JSON: the hash check catches it (exit 1).
    let tampered = dir.path().join("tampered.jsonl");
    let line = lines
        .iter()
        .position(|l| l.contains(r#""type":"PersonRegistered""#))
        .unwrap();
    std::fs::write(
        &tampered,
        with_line(&file, line + 1, |l| {
            let mut value: serde_json::Value = serde_json::from_str(l).unwrap();
            let payload = value["event"]["payload"].as_str().unwrap().to_owned();
            let mut parsed: serde_json::Value = serde_json::from_str(&payload).unwrap();
            parsed["insz"] = "00010100197".into();
            value["event"]["payload"] = parsed.to_string().into();
            value.to_string()
        }),
    )
    .unwrap();
    let out = dossier()
        .args(["import", "--store", &empty])
        .arg(&tampered)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!("tampered.jsonl line {}: ", line + 1))
            && stdout.contains("do not match its hash"),
        "{stdout}"
    );
    assert!(verify_line(&empty).starts_with("verify: ok events=0 "));

    // A file cut short (no end line) is refused too.
    let short = dir.path().join("short.jsonl");
    std::fs::write(&short, lines[..lines.len() / 2].join("\n") + "\n").unwrap();
    let out = dossier()
        .args(["import", "--store", &empty])
        .arg(&short)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cut short"));
    assert!(verify_line(&empty).starts_with("verify: ok events=0 "));
}
