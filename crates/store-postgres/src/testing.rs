//! Helpers for tests: a fresh store in a schema of its own on the test server.
//!
//! The server is `$DOSSIER_TEST_POSTGRES_URL`, or a local one with trust auth. Tests fail,
//! never skip, when it cannot be reached. Test schemas are named `dossier_test_<uuid v7>`;
//! schemas of runs older than a day are dropped so the test database does not grow forever.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use uuid::Uuid;

use crate::PostgresStore;

const URL_VAR: &str = "DOSSIER_TEST_POSTGRES_URL";
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const PREFIX: &str = "dossier_test_";
const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The test server's URL, without a schema.
pub fn test_server_url() -> String {
    std::env::var(URL_VAR).unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A URL for a schema no other test uses (created on connect), with `extra` query
/// parameters (e.g. `pool_size=48`) appended.
pub fn fresh_test_url(extra: &str) -> String {
    let base = test_server_url();
    let separator = if base.contains('?') { '&' } else { '?' };
    let mut url = format!(
        "{base}{separator}schema={PREFIX}{}",
        Uuid::now_v7().simple()
    );
    if !extra.is_empty() {
        url.push('&');
        url.push_str(extra);
    }
    url
}

/// A store in a fresh schema of the test server.
///
/// # Panics
/// When the test server cannot be reached: tests must not pass without it.
pub async fn fresh_test_store() -> PostgresStore {
    let url = fresh_test_url("");
    let store = PostgresStore::connect(&url).await.unwrap_or_else(|e| {
        panic!(
            "cannot connect to the test PostgreSQL at {} (set {URL_VAR}): {e}",
            crate::url::redact(&url)
        )
    });
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if !SWEPT.swap(true, Ordering::AcqRel) {
        drop_stale_schemas(&store).await;
    }
    store
}

/// Best effort: a failure here must not fail the test that happened to trigger it.
async fn drop_stale_schemas(store: &PostgresStore) {
    let Ok(client) = store.pool.get().await else {
        return;
    };
    let Ok(rows) = client
        .query(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)",
            &[&PREFIX],
        )
        .await
    else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    for row in rows {
        let name: String = row.get(0);
        let created = Uuid::parse_str(&name[PREFIX.len()..])
            .ok()
            .and_then(|id| id.get_timestamp())
            .map(|t| {
                let (secs, nanos) = t.to_unix();
                Duration::new(secs, nanos)
            });
        if created.is_some_and(|c| now.saturating_sub(c) > STALE_AFTER) {
            // The name came from the catalogue and starts with our prefix of [a-z_].
            let _ = client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"))
                .await;
        }
    }
}
