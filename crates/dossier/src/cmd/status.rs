//! `dossier status`: where each read model stands against the log, read from the read-model
//! database itself: the position it has applied, how many events it is behind, whether its
//! stored version is the code's (else it needs a rebuild), and whether a process follows it now.

use std::sync::Arc;

use anyhow::Context;
use event_store::{EventStore, Position, ReadPages};
use projections::ReadModelSink;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// One read model's standing.
#[derive(Debug, Serialize)]
struct Standing {
    projection: &'static str,
    /// The version this code builds.
    version: u32,
    /// The version its tables were built with; `None`: never built here.
    stored_version: Option<u32>,
    /// The last log position applied.
    position: Option<u64>,
    /// Events in the log after that position.
    behind: u64,
    /// `up to date`, `behind`, `never built` or `rebuild needed`.
    state: &'static str,
    /// Whether another process (a `serve`) holds it now.
    followed: bool,
}

pub async fn run(
    store: Arc<dyn EventStore>,
    store_url: &str,
    args: &StatusArgs,
) -> anyhow::Result<()> {
    let sink = crate::cmd::rebuild::open_read_sink(store_url).await?;
    let mut standings = Vec::new();
    for projection in projections::read::all() {
        let name = projection.name();
        let checkpoint = sink
            .checkpoint(name)
            .await
            .with_context(|| format!("cannot read the checkpoint of {name}"))?;
        standings.push(Standing {
            projection: name,
            version: projection.version(),
            stored_version: checkpoint.as_ref().map(|c| c.version),
            position: checkpoint.as_ref().and_then(|c| c.position).map(|p| p.0),
            behind: 0,
            state: "",
            followed: followed(sink.as_ref(), name).await?,
        });
    }
    count_behind(store.as_ref(), &mut standings).await?;
    for standing in &mut standings {
        standing.state = match standing.stored_version {
            None => "never built",
            Some(v) if v != standing.version => "rebuild needed",
            Some(_) if standing.behind > 0 => "behind",
            Some(_) => "up to date",
        };
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&standings)?);
        return Ok(());
    }
    println!(
        "{:<24} {:>7} {:>10} {:>8}  {:<14} followed",
        "projection", "version", "position", "behind", "state"
    );
    for s in &standings {
        println!(
            "{:<24} {:>7} {:>10} {:>8}  {:<14} {}",
            s.projection,
            s.stored_version
                .map_or_else(|| "-".to_owned(), |v| format!("{v}/{}", s.version)),
            s.position.map_or_else(|| "-".to_owned(), |p| p.to_string()),
            s.behind,
            s.state,
            if s.followed {
                "by a running process"
            } else {
                "no"
            }
        );
    }
    Ok(())
}

/// Whether another process holds the projection: a claim this process cannot take.
async fn followed(sink: &dyn ReadModelSink, name: &str) -> anyhow::Result<bool> {
    if sink.claim(name).await? {
        sink.release(name).await?;
        Ok(false)
    } else {
        Ok(true)
    }
}

/// How many events of the log each read model has not applied: one read of the log from the
/// earliest checkpoint on.
async fn count_behind(store: &dyn EventStore, standings: &mut [Standing]) -> anyhow::Result<()> {
    let from = standings
        .iter()
        .map(|s| s.position.map_or(Position::START, |p| Position(p).next()))
        .min()
        .unwrap_or(Position::START);
    let mut pages = store.log_pages(from, 4096);
    while let Some(page) = pages.next_page().await.context("cannot read the log")? {
        for event in &page {
            for standing in standings.iter_mut() {
                if standing.position.is_none_or(|p| event.position.0 > p) {
                    standing.behind += 1;
                }
            }
        }
    }
    Ok(())
}
