//! `dossier store soak` and `soak-check`: prove that every acknowledged append survives a
//! crash. Run `soak`, kill it (or the machine) at any moment, then run `soak-check` with
//! what `soak` printed: every event it acknowledged must be in the log, the chains must
//! verify, and the store must take new appends.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use event_store::verify::{VerifyError, verify_store};
use event_store::{EventStore, ExpectedVersion, Position, ReadPages, StreamName};
use uuid::Uuid;

use crate::Outcome;

#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// Stop after this many events (default: run until killed).
    #[arg(long)]
    pub events: Option<u64>,
    /// Concurrent appending tasks (several, so group commits are interrupted too).
    #[arg(long, default_value_t = 4)]
    pub writers: usize,
}

#[derive(Debug, clap::Args)]
pub struct SoakCheckArgs {
    /// What `dossier store soak` printed: one `acked <event id>` line per acknowledged event.
    #[arg(long, value_name = "FILE")]
    pub acked: PathBuf,
}

/// Appends probe events (batches of one to three) and prints `acked <id>` for each event of
/// an append as soon as the store acknowledged it.
pub async fn soak(store: Arc<dyn EventStore>, args: &SoakArgs) -> anyhow::Result<()> {
    let run = Uuid::now_v7().simple().to_string();
    let stdout = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let remaining = Arc::new(AtomicU64::new(args.events.unwrap_or(u64::MAX)));
    let tasks: Vec<_> = (0..args.writers.max(1))
        .map(|w| {
            let (store, stdout, remaining, run) = (
                store.clone(),
                stdout.clone(),
                remaining.clone(),
                run.clone(),
            );
            tokio::spawn(async move {
                let stream = StreamName::parse(format!("soak-{run}-{w}"))?;
                for n in 0u64.. {
                    let size = take_budget(&remaining, 1 + n % 3);
                    if size == 0 {
                        return Ok::<_, anyhow::Error>(());
                    }
                    let batch: Vec<_> = (0..size)
                        .map(|i| store_conformance::sample_event(&format!("soak {w}/{n}/{i}")))
                        .collect();
                    store.append(&stream, ExpectedVersion::Any, &batch).await?;
                    let mut out = stdout
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    for e in &batch {
                        writeln!(out, "acked {}", e.event_id)?;
                    }
                    out.flush()?;
                }
                Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await.context("soak writer panicked")??;
    }
    Ok(())
}

/// Takes up to `wanted` events from the shared budget; returns how many it got (0: used up).
fn take_budget(remaining: &AtomicU64, wanted: u64) -> u64 {
    match remaining.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| {
        (r > 0).then(|| r - r.min(wanted))
    }) {
        Ok(before) => before.min(wanted),
        Err(_) => 0,
    }
}

pub async fn check(store: Arc<dyn EventStore>, args: &SoakCheckArgs) -> anyhow::Result<Outcome> {
    let text = std::fs::read_to_string(&args.acked)
        .with_context(|| format!("cannot read {}", args.acked.display()))?;
    // A line cut short by the kill was never fully printed, so never acknowledged to anyone.
    let acked: Vec<Uuid> = text
        .lines()
        .filter_map(|l| l.strip_prefix("acked "))
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();

    let mut present = HashSet::new();
    let mut pages = store.log_pages(Position::START, 4096);
    while let Some(page) = pages.next_page().await? {
        present.extend(page.iter().map(|e| e.event_id));
    }
    let missing: Vec<&Uuid> = acked.iter().filter(|id| !present.contains(id)).collect();
    if let Some(first) = missing.first() {
        println!(
            "soak-check: FAILED {} acknowledged events are missing, first {first}",
            missing.len()
        );
        return Ok(Outcome::Finding);
    }
    match verify_store(store.as_ref(), None, |_| {}).await {
        Ok(_) => {}
        Err(VerifyError::Failed(f)) => {
            println!("soak-check: FAILED {f}");
            return Ok(Outcome::Finding);
        }
        Err(VerifyError::Store(e)) => return Err(e.into()),
    }
    let probe = StreamName::parse(format!("soak-check-{}", Uuid::now_v7().simple()))?;
    store
        .append(
            &probe,
            ExpectedVersion::NoStream,
            &[store_conformance::sample_event("after crash")],
        )
        .await
        .context("the store does not take new appends")?;
    println!(
        "soak-check: ok acked={} events={}",
        acked.len(),
        present.len()
    );
    Ok(Outcome::Ok)
}
