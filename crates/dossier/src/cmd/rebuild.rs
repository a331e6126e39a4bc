//! `dossier rebuild`: drop read models and rebuild them from the log.

use std::sync::Arc;

use anyhow::Context;
use event_store::EventStore;
use projections::{Projection, ReadModelSink, Runner};
use read_postgres::PostgresSink;
use read_sqlite::SqliteSink;

use crate::UsageError;
use crate::progress;
use crate::store_url::{StoreUrl, redact};

#[derive(Debug, clap::Args)]
pub struct RebuildArgs {
    /// Rebuild only this read model (repeatable); all of them by default.
    #[arg(long = "projection", value_name = "NAME")]
    pub projections: Vec<String>,
}

/// Where the read models of a store live: a SQLite file `<store>-read.db` beside the embedded
/// store (so its single writer stays free), the store's own database for PostgreSQL (schema
/// `<store schema>_read`), `data/dossier-read.db` for KurrentDB (not an SQL store), an
/// in-memory SQLite database for `memory:`.
///
/// # Errors
/// When the read-model database cannot be opened.
pub async fn open_read_sink(store_url: &str) -> anyhow::Result<Arc<dyn ReadModelSink>> {
    let sink: Arc<dyn ReadModelSink> = match StoreUrl::parse(store_url)? {
        StoreUrl::Sqlite(path) => {
            let path = std::path::PathBuf::from(path);
            let stem = path
                .file_stem()
                .map_or_else(|| "dossier".into(), |s| s.to_string_lossy().into_owned());
            let read = path.with_file_name(format!("{stem}-read.db"));
            Arc::new(
                tokio::task::spawn_blocking(move || SqliteSink::open(read))
                    .await?
                    .context("cannot open the read-model database")?,
            )
        }
        StoreUrl::Postgres(url) => {
            let parsed = store_postgres::PostgresUrl::parse(&url)?;
            Arc::new(
                PostgresSink::connect(&parsed)
                    .await
                    .with_context(|| format!("cannot open the read models of {}", redact(&url)))?,
            )
        }
        StoreUrl::Memory => Arc::new(SqliteSink::open(":memory:")?),
        StoreUrl::Kurrent(_) => Arc::new(
            tokio::task::spawn_blocking(|| SqliteSink::open("data/dossier-read.db"))
                .await?
                .context("cannot open the read-model database")?,
        ),
    };
    Ok(sink)
}

/// The read models named, or all of them.
///
/// # Errors
/// A [`UsageError`] for an unknown name.
pub fn selected(names: &[String]) -> anyhow::Result<Vec<Box<dyn Projection>>> {
    if names.is_empty() {
        return Ok(projections::read::all());
    }
    let wanted: Vec<&str> = names.iter().map(String::as_str).collect();
    projections::read::by_names(&wanted).ok_or_else(|| {
        UsageError(format!(
            "unknown projection in {}; known: {}",
            names.join(", "),
            projections::read::names().join(", ")
        ))
        .into()
    })
}

pub async fn run(
    store: Arc<dyn EventStore>,
    store_url: &str,
    args: &RebuildArgs,
) -> anyhow::Result<()> {
    let mut chosen = selected(&args.projections)?;
    let sink = open_read_sink(store_url).await?;
    let bar = progress::bar(None, "events");
    let stats = Runner::new(store, sink)
        .rebuild(&mut chosen, |n| bar.set_position(n))
        .await
        .context("rebuild failed")?;
    bar.finish_and_clear();
    let names: Vec<&str> = chosen.iter().map(|p| p.name()).collect();
    println!(
        "rebuild: projections={} events={} seconds={:.2} events_per_s={:.0}",
        names.join(","),
        stats.events,
        stats.seconds,
        stats.events_per_second()
    );
    Ok(())
}
