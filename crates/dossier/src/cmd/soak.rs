//! `dossier store soak` and `soak-check`: prove that every acknowledged append survives a
//! crash. Run `soak`, kill it (or the machine) at any moment, then run `soak-check` with
//! what `soak` printed: every event it acknowledged must be in the log, the chains must
//! verify, and the store must take new appends.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

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
    let writers = args.writers.max(1);
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (store, stdout, run) = (store.clone(), stdout.clone(), run.clone());
            // Each writer has its own share, so how many streams a run fills does not
            // depend on which task the scheduler starts first.
            let mut remaining = writer_share(args.events, writers, w);
            tokio::spawn(async move {
                let stream = StreamName::parse(format!("soak-{run}-{w}"))?;
                for n in 0u64.. {
                    let size = remaining.min(1 + n % 3);
                    if size == 0 {
                        return Ok::<_, anyhow::Error>(());
                    }
                    remaining -= size;
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

/// How many events writer `w` of `writers` appends: an even split of `events`, the first
/// writers taking one more of the remainder; without a limit, every writer runs until killed.
fn writer_share(events: Option<u64>, writers: usize, w: usize) -> u64 {
    let Some(events) = events else {
        return u64::MAX;
    };
    let (writers, w) = (writers as u64, w as u64);
    events / writers + u64::from(w < events % writers)
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

#[cfg(test)]
mod tests {
    use super::writer_share;

    #[test]
    fn shares_add_up_and_every_writer_gets_one_when_there_are_enough() {
        let shares: Vec<u64> = (0..4).map(|w| writer_share(Some(30), 4, w)).collect();
        assert_eq!(shares, [8, 8, 7, 7]);
        assert_eq!(writer_share(Some(2), 4, 3), 0);
        assert_eq!(writer_share(None, 4, 3), u64::MAX);
    }
}
