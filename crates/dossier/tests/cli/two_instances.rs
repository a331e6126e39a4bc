//! Two `dossier serve` on one PostgreSQL schema: both take writes, exactly one runs the read
//! models, and when that one is killed the other takes over and catches up, every event in
//! every read model once.

use std::process::Child;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use event_store::EventStore;
use projections::Runner;
use read_postgres::PostgresSink;
use store_postgres::PostgresUrl;
use tokio_postgres::Client;

use super::{dossier, http_with_body};

/// Queries on the test server from a synchronous test.
struct Database {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl Database {
    fn connect() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let client = runtime.block_on(async {
            let (client, connection) =
                tokio_postgres::connect(&store_postgres::test_server_url(), tokio_postgres::NoTls)
                    .await
                    .expect("the test PostgreSQL must be reachable");
            tokio::spawn(connection);
            client
        });
        Self { runtime, client }
    }

    fn strings(&self, sql: &str) -> Vec<String> {
        self.runtime
            .block_on(self.client.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    fn number(&self, sql: &str) -> i64 {
        self.runtime
            .block_on(self.client.query_one(sql, &[]))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    }

    /// The application name of the session holding each projection's lock ("" when none).
    fn lock_holders(&self, read_schema: &str) -> Vec<String> {
        projections::read::names()
            .iter()
            .map(|name| {
                let key = read_postgres::projection_lock_key(read_schema, name).cast_unsigned();
                self.strings(&format!(
                    "SELECT coalesce((SELECT a.application_name FROM pg_locks l \
                     JOIN pg_stat_activity a ON a.pid = l.pid \
                     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
                     AND l.classid = {} AND l.objid = {}), '')",
                    key >> 32,
                    key & 0xffff_ffff
                ))
                .remove(0)
            })
            .collect()
    }
}

/// A running `dossier serve` and its address.
struct Instance {
    child: Child,
    address: String,
}

fn serve(store: &str) -> Instance {
    let (child, address, lines) = super::start_serve(store);
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Instance { child, address }
}

/// Waits (bounded) until `done` holds, naming what never happened.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while !done() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn staff_token(store: &str, name: &str) -> String {
    let out = dossier()
        .args([
            "user", "add", name, "--role", "staff", "--store", store, "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issued: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    issued["secret"].as_str().unwrap().to_owned()
}

/// Opens `count` dossiers over HTTP (persons born on `birth` YYMMDD, after 2000), telling
/// `progress` after each.
fn open_dossiers(
    address: String,
    token: String,
    birth: u64,
    count: u64,
    progress: mpsc::Sender<u64>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for serial in 1..=count {
            let base = birth * 1000 + serial;
            let insz = format!("{base:09}{:02}", 97 - (2_000_000_000 + base) % 97);
            let (status, body) = http_with_body(
                &address,
                "POST",
                "/api/dossiers",
                Some(&token),
                Some(&format!("{{\"insz\": \"{insz}\"}}")),
            );
            assert_eq!(status, 201, "{body}");
            let _ = progress.send(serial);
        }
    })
}

#[test]
fn two_instances_share_the_writes_and_one_runs_the_read_models_until_it_is_killed() {
    let schema_url = store_postgres::fresh_test_url("");
    let schema = schema_url.rsplit("schema=").next().unwrap().to_owned();
    let read_schema = PostgresUrl::parse(&schema_url).unwrap().read_schema();
    let token = staff_token(&schema_url, "writer");
    let db = Database::connect();

    let mut first = serve(&format!("{schema_url}&application_name=instance_a"));
    wait_until("the first instance claiming every read model", || {
        db.lock_holders(&read_schema)
            .iter()
            .all(|h| h == "instance_a")
    });
    let mut second = serve(&format!("{schema_url}&application_name=instance_b"));

    let (to_first, first_progress) = mpsc::channel();
    let (to_second, second_progress) = mpsc::channel();
    let first_writer = open_dossiers(first.address.clone(), token.clone(), 120_517, 15, to_first);
    let second_writer = open_dossiers(second.address.clone(), token, 120_518, 40, to_second);
    // Both take writes at once; the first instance is killed while the second still does.
    first_writer.join().expect("writes to the first instance");
    assert_eq!(first_progress.iter().count(), 15);
    let mut written_to_second = 0;
    while written_to_second < 10 {
        written_to_second = second_progress
            .recv()
            .expect("writes to the second instance");
    }
    first.child.kill().expect("SIGKILL the first instance");
    first.child.wait().unwrap();

    wait_until("the second instance taking every read model over", || {
        db.lock_holders(&read_schema)
            .iter()
            .all(|h| h == "instance_b")
    });
    second_writer.join().expect("writes to the second instance");
    let log_end = db.number(&format!("SELECT max(position) FROM {schema}.events"));
    wait_until("every checkpoint reaching the end of the log", || {
        db.number(&format!(
            "SELECT count(*) FROM {read_schema}.projection_checkpoints WHERE position = {log_end}"
        )) == i64::try_from(projections::read::names().len()).unwrap()
    });

    // The audit trail holds one row per event of the log, none missing, none extra.
    assert_eq!(
        db.strings(&format!(
            "SELECT position::text FROM {read_schema}.audit_trail ORDER BY position"
        )),
        db.strings(&format!(
            "SELECT position::text FROM {schema}.events ORDER BY position"
        ))
    );
    // Each dossier counts its stream's events: an event applied twice would show.
    let dossiers = db.strings(&format!(
        "SELECT d.dossier || ':' || d.events || ':' || \
         (SELECT count(*) FROM {schema}.events e WHERE e.stream = 'dossier-' || d.dossier) \
         FROM {read_schema}.dossiers d ORDER BY 1"
    ));
    assert_eq!(dossiers.len(), 55, "{dossiers:?}");
    for row in &dossiers {
        let parts: Vec<&str> = row.split(':').collect();
        assert_eq!(parts[1], parts[2], "dossier {}", parts[0]);
    }

    // Every table equals a rebuild from the log into a fresh schema.
    let rebuilt_url = store_postgres::fresh_test_url("");
    let rebuilt = PostgresUrl::parse(&rebuilt_url).unwrap();
    let rebuilt_schema = rebuilt.read_schema();
    db.runtime.block_on(async {
        // The log as the service reads it: personal data opened with the store's own keys.
        let raw = Arc::new(
            store_postgres::PostgresStore::connect(&schema_url)
                .await
                .unwrap(),
        );
        let keys = app::Keyring::new(raw.clone());
        let store: Arc<dyn EventStore> = Arc::new(app::SealedStore::new(raw, Arc::new(keys)));
        let sink = Arc::new(PostgresSink::connect(&rebuilt).await.unwrap());
        Runner::new(store, sink)
            .rebuild(&mut projections::read::all(), |_| {})
            .await
            .unwrap();
    });
    let mut compared = 0;
    for projection in projections::read::all() {
        for table in projection.tables() {
            let dump = |schema: &str| {
                db.strings(&format!(
                    "SELECT row_to_json(t)::text FROM {schema}.{} t ORDER BY 1",
                    table.name
                ))
            };
            let followed = dump(&read_schema);
            compared += followed.len();
            assert_eq!(followed, dump(&rebuilt_schema), "table {}", table.name);
        }
    }
    assert!(compared > 110, "{compared} rows compared");

    let pid = second.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(second.child.wait().unwrap().success());
}
