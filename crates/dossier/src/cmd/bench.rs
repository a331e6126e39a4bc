//! `dossier bench store`: append and read-back throughput of a store.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::Context;
use event_store::{EventMetadata, EventStore, ExpectedVersion, NewEvent, Position, StreamName};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::progress;
use crate::store_url::StoreUrl;

#[derive(Debug, clap::Args)]
pub struct StoreBenchArgs {
    /// Events to append (about 300 bytes each, one event per append).
    #[arg(long, default_value_t = 20_000)]
    pub events: u64,
    /// Fresh streams to spread them over.
    #[arg(long, default_value_t = 1_000)]
    pub streams: u64,
    /// Concurrent appending tasks.
    #[arg(long, default_value_t = 32)]
    pub writers: usize,
    /// For a SQLite store: also time a plain loop committing one INSERT per transaction with
    /// the same settings, as the yardstick for one writer.
    #[arg(long)]
    pub baseline: bool,
}

/// What a benchmark event carries: the size and shape of a small cost-claim line. Strings
/// are borrowed from the stored bytes when decoding, as a projection that only inspects them
/// would do.
#[derive(Debug, Serialize, Deserialize)]
struct BenchPayload<'a> {
    claim_id: Uuid,
    line: u64,
    #[serde(borrow)]
    invoice_number: Cow<'a, str>,
    #[serde(borrow)]
    amount: Cow<'a, str>,
    service_from: &'a str,
    service_to: &'a str,
    category: &'a str,
    #[serde(borrow)]
    description: Cow<'a, str>,
}

fn payload(k: u64) -> BenchPayload<'static> {
    BenchPayload {
        claim_id: Uuid::now_v7(),
        line: k,
        invoice_number: format!("F2020-{k:08}").into(),
        amount: format!("{}.{:02}", 100 + k % 900, k % 100).into(),
        service_from: "2020-03-14",
        service_to: "2020-03-31",
        category: "direct",
        description: "Persoonlijke assistentie thuis, 12 uur per week volgens overeenkomst".into(),
    }
}

pub async fn run(
    store: Arc<dyn EventStore>,
    url: &str,
    args: &StoreBenchArgs,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.writers > 0 && args.streams > 0,
        "--writers and --streams must be at least 1"
    );
    let prefix = format!("bench-{}", Uuid::now_v7().simple());
    let streams: Arc<Vec<StreamName>> = Arc::new(
        (0..args.streams)
            .map(|i| StreamName::parse(format!("{prefix}-{i}")))
            .collect::<Result<_, _>>()?,
    );
    let metadata = EventMetadata {
        actor_id: "bench".into(),
        actor_role: "system".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        reason: None,
        proposed: None,
    };

    let bar = progress::bar(Some(args.events), "appended");
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.writers)
        .map(|_| {
            let (store, streams, next, metadata, bar) = (
                store.clone(),
                streams.clone(),
                next.clone(),
                metadata.clone(),
                bar.clone(),
            );
            let total = args.events;
            tokio::spawn(async move {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= total {
                        return Ok::<_, anyhow::Error>(());
                    }
                    let event = NewEvent::new(
                        Uuid::now_v7(),
                        "BenchLineRecorded",
                        1,
                        &payload(k),
                        &metadata,
                    )?;
                    let stream = &streams[usize::try_from(k % streams.len() as u64)?];
                    store.append(stream, ExpectedVersion::Any, &[event]).await?;
                    bar.inc(1);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.context("writer task panicked")??;
    }
    let append_secs = started.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let (read, read_secs) = read_back(store.clone()).await?;
    let mut line = format!(
        "bench store: append_eps={:.0} read_eps={:.0} events={} writers={} store={}",
        args.events as f64 / append_secs,
        read as f64 / read_secs,
        args.events,
        args.writers,
        store.describe(),
    );
    if args.baseline {
        let StoreUrl::Sqlite(path) = StoreUrl::parse(url)? else {
            anyhow::bail!(
                "--baseline compares against a plain SQLite loop: use it with a sqlite: store"
            );
        };
        let dir = std::path::Path::new(&path)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let inserts = u32::try_from(args.events.min(5_000))?;
        let baseline =
            tokio::task::spawn_blocking(move || store_sqlite::plain_insert_loop(&dir, inserts))
                .await??;
        line.push_str(&format!(
            " baseline_eps={baseline:.0} vs_baseline={:.2}",
            args.events as f64 / append_secs / baseline
        ));
    }
    println!("{line}");
    Ok(())
}

/// Reads the whole log in global order, decoding every payload; returns (events, seconds).
/// The next page is fetched while the current one is decoded.
async fn read_back(store: Arc<dyn EventStore>) -> anyhow::Result<(u64, f64)> {
    const PAGE: usize = 8_192;
    let bar = progress::bar(None, "read");
    let started = Instant::now();
    let mut count = 0u64;
    let fetch = |from: Position| {
        let store = store.clone();
        tokio::spawn(async move { store.read_all(from, PAGE).await })
    };
    let mut pending = fetch(Position::START);
    loop {
        let page = pending.await??;
        let Some(last) = page.last() else { break };
        pending = fetch(last.position.next());
        for event in &page {
            if event.event_type == "BenchLineRecorded" {
                let _: BenchPayload<'_> = serde_json::from_slice(&event.payload)?;
            } else {
                let _: serde::de::IgnoredAny = serde_json::from_slice(&event.payload)?;
            }
        }
        count += page.len() as u64;
        bar.set_position(count);
    }
    bar.finish_and_clear();
    Ok((count, started.elapsed().as_secs_f64()))
}
