//! Erasing a person in the embedded store: `dossier verify --against` the digest taken before
//! passes after, and the database file holds none of the person's plaintext.

use std::sync::Arc;

use app::{Keyring, SealedStore, Service, WriteContext};
use domain::persons::{Contact, ErasePersonData, ErasureBasis, IdentifyPerson, PersonCommand};
use domain::{Actor, PersonId, UserId};
use event_store::EventStore;
use uuid::Uuid;

fn staff() -> (Actor, WriteContext) {
    let user = UserId::from_uuid(Uuid::now_v7());
    let write = WriteContext {
        actor_id: user.as_uuid().to_string(),
        actor_role: "staff".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        reason: None,
        confirmation: None,
    };
    (Actor::Staff { user }, write)
}

/// The service over the SQLite store at `path`, as `dossier` opens it: sealed with the
/// store's own keys.
fn sealed_service(path: &std::path::Path) -> Service {
    let raw = store_sqlite::SqliteStore::open(path).unwrap();
    let keys = Arc::new(raw.keys());
    let store: Arc<dyn EventStore> = Arc::new(SealedStore::new(
        Arc::new(raw),
        Arc::new(Keyring::new(keys)),
    ));
    Service::new(store, 10)
}

/// `dossier verify` with extra arguments; panics unless the log verifies.
fn verify(store_url: &str, extra: &[&str]) {
    let out = super::dossier()
        .args(["verify", "--store", store_url])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(more) = std::fs::read(std::path::PathBuf::from(name)) {
            bytes.extend(more);
        }
    }
    bytes
}

#[test]
fn erasing_a_person_keeps_the_digest_and_leaves_no_plaintext_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.db");
    let url = format!("sqlite:{}", path.display());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let person = PersonId::from_uuid(Uuid::now_v7());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let service = sealed_service(&path);
        service.ensure_rule_book(today).await.unwrap();
        let (actor, write) = staff();
        service
            .identify_person(
                &IdentifyPerson {
                    person,
                    family_name: "Vanderstraeten".into(),
                    given_names: "Griet".into(),
                    insz: None,
                    birth_date: Some(chrono::NaiveDate::from_ymd_opt(1979, 11, 3).unwrap()),
                    no_insz_reason: Some("woont in Maastricht".into()),
                    contact: Contact::default(),
                },
                actor,
                today,
                &write,
            )
            .await
            .unwrap();
    });
    let holds = |needle: &str| {
        file_bytes(&path)
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    assert!(
        !holds("Vanderstraeten") && !holds("Maastricht"),
        "plaintext in the file"
    );
    let before = dir.path().join("before.digest");
    verify(&url, &["--digest-out", before.to_str().unwrap()]);

    runtime.block_on(async {
        let service = sealed_service(&path);
        let erase = PersonCommand::Erase(ErasePersonData {
            basis: ErasureBasis::ErasureRequest,
        });
        // Two staff members: one proposes the erasure, the other confirms it.
        let (maker, write) = staff();
        let proposed = service
            .propose_person_command(person, &erase, maker, today, &write)
            .await
            .unwrap();
        let (checker, write) = staff();
        service
            .confirm_proposal(&proposed.target, proposed.proposal, checker, today, &write)
            .await
            .unwrap();
        let (record, _) = service.person(person).await.unwrap();
        assert_eq!(record.identity.unwrap().family_name, "gewist");
    });
    // The erasure and its proposal are more events; every event before them, and so the digest over them,
    // is unchanged.
    verify(&url, &["--against", before.to_str().unwrap()]);
    assert!(!holds("Vanderstraeten") && !holds("Maastricht"));
}

/// The family name of `person` as a service over the SQLite store at `path` reads it.
fn family_name_in(path: &std::path::Path, person: PersonId) -> String {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let (record, _) = sealed_service(path).person(person).await.unwrap();
        record.identity.unwrap().family_name
    })
}

/// `export --keys` writes the keys beside the log (owner-only), `import --keys` brings them
/// in: the imported personal data reads; imported without them it reads "sleutel ontbreekt".
#[test]
fn an_export_carries_its_keys_only_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let person = PersonId::from_uuid(Uuid::now_v7());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let service = sealed_service(&source);
        service.ensure_rule_book(today).await.unwrap();
        let (actor, write) = staff();
        service
            .identify_person(
                &IdentifyPerson {
                    person,
                    family_name: "Wouters".into(),
                    given_names: "Jef".into(),
                    insz: Some(domain::examples::insz(
                        domain::examples::date(1970, 4, 2),
                        5,
                    )),
                    birth_date: None,
                    no_insz_reason: None,
                    contact: Contact::default(),
                },
                actor,
                today,
                &write,
            )
            .await
            .unwrap();
    });
    let export = dir.path().join("log.jsonl");
    let keys = dir.path().join("keys.jsonl");
    let run = |args: &[&str]| {
        let out = super::dossier().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let source_url = format!("sqlite:{}", source.display());
    run(&[
        "export",
        "--store",
        &source_url,
        "--out",
        export.to_str().unwrap(),
        "--keys",
        keys.to_str().unwrap(),
    ]);
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(
        !exported.contains("Wouters"),
        "the export holds the ciphertext only"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the keys file is for its owner only: {mode:o}"
        );
    }

    let with_keys = dir.path().join("with-keys.db");
    let url = format!("sqlite:{}", with_keys.display());
    run(&[
        "import",
        "--store",
        &url,
        "--keys",
        keys.to_str().unwrap(),
        export.to_str().unwrap(),
    ]);
    assert_eq!(family_name_in(&with_keys, person), "Wouters");

    let without_keys = dir.path().join("without-keys.db");
    let url = format!("sqlite:{}", without_keys.display());
    run(&["import", "--store", &url, export.to_str().unwrap()]);
    assert_eq!(
        family_name_in(&without_keys, person),
        domain::personal_data::KEY_MISSING
    );
}

/// The `digest=` a successful `dossier verify` prints.
fn digest_of(store_url: &str) -> String {
    let out = super::dossier()
        .args(["verify", "--store", store_url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .split_whitespace()
        .find_map(|word| word.strip_prefix("digest="))
        .unwrap_or_else(|| panic!("no digest in {stdout}"))
        .to_owned()
}

/// A log written before personal data was sealed (the fixture of commit 8c80519) holds its
/// INSZ and names in plain text, which no key can erase. `store copy --seal` copies it into a
/// new store, sealing them on the way; the new log verifies, reads the same, names the old
/// log's digest in its lineage stream, and its file holds none of the plaintext.
#[test]
fn a_log_from_before_sealing_is_copied_sealed_and_the_new_log_names_the_old_digest() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/store-8c80519.db"
        ),
        &old,
    )
    .unwrap();
    let new = dir.path().join("new.db");
    let (old_url, new_url) = (
        format!("sqlite:{}", old.display()),
        format!("sqlite:{}", new.display()),
    );
    let dossier = domain::DossierId::parse("01970000-0000-7000-8000-000000000001").unwrap();
    let read = |path: &std::path::Path| {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let (state, _) = sealed_service(path).dossier(dossier).await.unwrap();
            state.person.expect("the person reads")
        })
    };
    let person = read(&old);
    let insz = person.insz.expose_digits();
    let family_name = person.name.as_ref().unwrap().family_name.clone();
    let holds = |path: &std::path::Path, needle: &str| {
        file_bytes(path)
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    assert!(
        holds(&old, insz) && holds(&old, &family_name),
        "the fixture holds its personal data in plain text"
    );
    let old_digest = digest_of(&old_url);

    let out = super::dossier()
        .args([
            "store", "copy", "--from", &old_url, "--to", &new_url, "--seal",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("source digest={old_digest}")),
        "{stdout}"
    );

    // The new log reads the same, and holds the plaintext no more.
    let copied = read(&new);
    assert_eq!(copied.insz.expose_digits(), insz);
    assert_eq!(copied.name.unwrap().family_name, family_name);
    assert!(
        !holds(&new, insz) && !holds(&new, &family_name),
        "plaintext in the sealed copy"
    );
    // Its lineage names the old digest; it verifies, with a digest of its own.
    let new_digest = digest_of(&new_url);
    assert_ne!(new_digest, old_digest);
    let lineage = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let raw = store_sqlite::SqliteStore::open(&new).unwrap();
        let stream = event_store::StreamName::parse(domain::lineage::STREAM).unwrap();
        raw.read_stream(&stream, 0, 10).await.unwrap()
    });
    let [resealed] = &lineage[..] else {
        panic!("one lineage event, not {}", lineage.len())
    };
    let payload: serde_json::Value = serde_json::from_slice(&resealed.payload).unwrap();
    assert_eq!(payload["source_digest"], old_digest.as_str(), "{payload}");
    assert!(payload["sealed_events"].as_u64().unwrap() > 0, "{payload}");

    // A second sealing copy into the same store is refused: it is not empty.
    let again = super::dossier()
        .args([
            "store", "copy", "--from", &old_url, "--to", &new_url, "--seal",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("empty store"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
