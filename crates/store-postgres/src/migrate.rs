//! Embedded migrations, applied once per schema under an advisory lock.

use deadpool_postgres::Object;
use event_store::StoreError;

use crate::error::unavailable;

/// (version, name, SQL), in the order they are applied. Never edit one that has shipped: add
/// the next.
const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "events", include_str!("../migrations/0001_events.sql")),
    (
        2,
        "subject_keys",
        include_str!("../migrations/0002_subject_keys.sql"),
    ),
];

/// Whether every migration is applied already, found by reading only: a hot standby (a
/// streaming replica) or a read-only role can then use the schema, and a start writes nothing.
async fn is_current(client: &Object, schema: &str) -> Result<bool, StoreError> {
    let err = |context: &'static str| move |e: tokio_postgres::Error| unavailable(context, &e);
    let exists: bool = client
        .query_one(
            "SELECT to_regclass(quote_ident($1) || '.schema_migrations') IS NOT NULL",
            &[&schema],
        )
        .await
        .map_err(err("look for applied migrations"))?
        .get(0);
    if !exists {
        return Ok(false);
    }
    // `schema` is checked to be a plain lower-case identifier (see url.rs).
    let applied: Vec<i32> = client
        .query(
            &format!("SELECT version FROM {schema}.schema_migrations"),
            &[],
        )
        .await
        .map_err(err("read applied migrations"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(MIGRATIONS.iter().all(|(v, _, _)| applied.contains(v)))
}

/// Creates `schema` if missing and applies the migrations it lacks, in one transaction. The
/// transaction-scoped advisory lock makes a second process that starts at the same moment wait
/// and then find everything applied. A schema that is current is left alone; a server in
/// recovery (a hot standby) is never written to: its schema comes from the primary.
pub(crate) async fn migrate(
    client: &mut Object,
    schema: &str,
    in_recovery: bool,
) -> Result<(), StoreError> {
    let err = |context: &'static str| move |e: tokio_postgres::Error| unavailable(context, &e);
    let encoding: String = client
        .query_one("SHOW server_encoding", &[])
        .await
        .map_err(err("read the server encoding"))?
        .get(0);
    if encoding != "UTF8" && encoding != "SQL_ASCII" {
        // Payloads are TEXT: another encoding would convert or refuse their bytes.
        return Err(StoreError::Unavailable(format!(
            "the database encoding is {encoding}; the event store needs UTF8"
        )));
    }
    if is_current(client, schema).await? {
        return Ok(());
    }
    if in_recovery {
        return Err(StoreError::Unavailable(format!(
            "schema {schema} on this read-only replica lacks migrations: start dossier on the \
             primary first, the replica receives the schema from it"
        )));
    }
    let tx = client
        .transaction()
        .await
        .map_err(err("begin migrations"))?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('dossier/store-postgres/migrate:' || $1, 0))",
        &[&schema],
    )
    .await
    .map_err(err("take the migration lock"))?;
    // `schema` is checked to be a plain lower-case identifier (see url.rs).
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
         SET LOCAL search_path TO {schema};
         CREATE TABLE IF NOT EXISTS schema_migrations (
             version    integer     PRIMARY KEY,
             name       text        NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         );"
    ))
    .await
    .map_err(err("create the schema"))?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .await
        .map_err(err("read applied migrations"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for &(version, name, sql) in MIGRATIONS {
        if applied.contains(&version) {
            continue;
        }
        tx.batch_execute(sql)
            .await
            .map_err(|e| unavailable(&format!("apply migration {version} {name}"), &e))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await
        .map_err(err("record a migration"))?;
        tracing::info!(schema, version, name, "applied event-store migration");
    }
    tx.commit().await.map_err(err("commit migrations"))
}
