//! `dossier store copy --from URL --to URL`: move a whole log to another store (SQLite →
//! PostgreSQL → KurrentDB, any pair) through the import path, so every event keeps its id,
//! stream version, recorded-at, metadata and hash. Stopped at any moment, it is started again
//! with the same arguments and goes on where it stopped (see `event_store::copy`). At the end
//! it verifies both logs and compares their digests.
//!
//! With `--seal` it copies a log written before personal data was sealed into an empty store,
//! sealing that data on the way: the hashes then chain anew, and the new log records the
//! source's digest (`domain::lineage`).
//!
//! The progress and verification helpers here serve `dossier import` as well.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use app::{Keyring, SealedStore, Service, WriteContext};
use domain::lineage::LogResealed;
use event_store::copy::{CopyError, LogCopy, LogReader, StoreReader, count_events};
use event_store::hash::expected_hash;
use event_store::verify::{VerifyError, VerifyFailure, VerifyReport, verify_store};
use event_store::{EventHash, EventStore, StoreError, StreamName};

use crate::store_url::{RawStore, StoreUrl, open_raw, redact};
use crate::{Outcome, UsageError, progress};

const LABEL: &str = "store copy";

#[derive(Debug, clap::Args)]
pub struct CopyArgs {
    /// The store to copy from (only read): sqlite:PATH, postgres://…, esdb://…
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The store to copy to: empty, or holding what an earlier, stopped copy of the same
    /// source wrote (the copy then resumes).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Events per import call. Each call is one transaction in SQLite and PostgreSQL.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,
    /// Seal on the way the personal data the source holds in plain text (a log written before
    /// personal data was sealed), so that it can be erased. The copy's hashes chain anew: it
    /// goes into an empty store (a stopped one is started again into a new one), and the new
    /// log records the source's digest in its `store-lineage` stream.
    #[arg(long)]
    pub seal: bool,
}

pub async fn run(args: &CopyArgs) -> anyhow::Result<Outcome> {
    if args.from == args.to {
        return Err(UsageError("--from and --to name the same store".into()).into());
    }
    // Opening a SQLite URL creates the file: a mistyped source path would copy nothing.
    if let StoreUrl::Sqlite(path) = StoreUrl::parse(&args.from)?
        && !std::path::Path::new(&path).exists()
    {
        return Err(UsageError(format!("the source {path} does not exist")).into());
    }
    // The log byte for byte, sealed personal data sealed: the keys follow below.
    let source_store = open_raw(&args.from).await.context("the source")?;
    let target_store = open_raw(&args.to).await.context("the target")?;
    let (source, target) = (&source_store.events, &target_store.events);

    let counting = progress::bar(None, "source events counted");
    let total = count_events(source.as_ref())
        .await
        .context("cannot read the source")?;
    counting.finish_and_clear();
    if total == 0 {
        return Err(UsageError(format!(
            "the source {} holds no events: nothing to copy",
            redact(&args.from)
        ))
        .into());
    }

    let batch = usize::try_from(args.batch).unwrap_or(usize::MAX);
    if args.seal {
        return sealing_copy(&source_store, &target_store, total, batch).await;
    }
    let mut copy = start(
        LABEL,
        StoreReader::new(source.as_ref()),
        target.as_ref(),
        total,
    )
    .await?;
    if copy_batches(LABEL, &mut copy, batch, total)
        .await?
        .is_none()
    {
        return Ok(Outcome::Finding);
    }

    // The keys, so the copy reads the personal data; a key destroyed in either store stays
    // destroyed in the target.
    let keys = source_store
        .keys
        .export_keys()
        .await
        .context("cannot read the source's keys")?;
    target_store
        .keys
        .import_keys(&keys)
        .await
        .context("cannot write the keys into the target")?;
    println!("{LABEL}: {} keys copied", keys.len());

    let source_report = match verify_side(LABEL, "source", source.as_ref(), total).await? {
        Ok(report) => report,
        Err(failure) => return Ok(failed(&format!("the source does not verify: {failure}"))),
    };
    let target_report = match verify_side(LABEL, "target", target.as_ref(), total).await? {
        Ok(report) => report,
        Err(failure) => return Ok(failed(&format!("the target does not verify: {failure}"))),
    };
    Ok(compare(
        LABEL,
        ("source", &source_report),
        ("target", &target_report),
    ))
}

/// `--seal`: copies the whole log into an empty target, sealing on the way what the source holds
/// in plain text, chains every stream anew, and records the source's digest in the new log.
async fn sealing_copy(
    source: &RawStore,
    target: &RawStore,
    total: u64,
    batch: usize,
) -> anyhow::Result<Outcome> {
    let held = count_events(target.events.as_ref())
        .await
        .context("cannot read the target")?;
    if held > 0 {
        return Err(UsageError(format!(
            "{LABEL} --seal: {} already holds {held} events. A sealing copy chains to new \
             hashes, so it goes into an empty store (a stopped one is started again into a new \
             one); nothing was written.",
            target.events.describe()
        ))
        .into());
    }
    // A broken log is not chained anew: that would hide the break.
    let source_report = match verify_side(LABEL, "source", source.events.as_ref(), total).await? {
        Ok(report) => report,
        Err(failure) => {
            return Ok(failed(&format!(
                "the source does not verify: {failure}; nothing was copied"
            )));
        }
    };
    // The source's keys first: what it holds sealed already stays readable, and sealed.
    let keys = source
        .keys
        .export_keys()
        .await
        .context("cannot read the source's keys")?;
    target
        .keys
        .import_keys(&keys)
        .await
        .context("cannot write the keys into the target")?;
    let sealer = SealedStore::new(
        target.events.clone(),
        Arc::new(Keyring::new(target.keys.clone())),
    );

    let bar = progress::bar(Some(total), "events sealed and copied");
    let mut ticker = progress::Ticker::new();
    let mut reader = StoreReader::new(source.events.as_ref());
    let mut heads: HashMap<StreamName, EventHash> = HashMap::new();
    let (mut copied, mut sealed) = (0_u64, 0_u64);
    loop {
        let page = reader
            .next_page(batch)
            .await
            .context("cannot read the source")?;
        if page.is_empty() {
            break;
        }
        let mut copies = Vec::with_capacity(page.len());
        for event in &page {
            let mut copy = sealer.reseal(event).await.with_context(|| {
                format!("cannot seal event {} of {}", event.event_id, event.stream)
            })?;
            if copy.payload != event.payload || copy.metadata != event.metadata {
                sealed += 1;
            }
            let previous = heads
                .get(&copy.stream)
                .copied()
                .unwrap_or(EventHash::GENESIS);
            copy.hash = expected_hash(&copy, &previous);
            heads.insert(copy.stream.clone(), copy.hash);
            copies.push(copy);
        }
        target
            .events
            .import(&copies)
            .await
            .context("cannot write into the target; start again into a new, empty store")?;
        copied += copies.len() as u64;
        bar.set_position(copied);
        ticker.report(|| format!("{LABEL}: {copied} of {total} events sealed and copied"));
    }
    bar.finish_and_clear();

    let copy_report = match verify_side(LABEL, "target", target.events.as_ref(), copied).await? {
        Ok(report) if report.events == source_report.events => report,
        Ok(report) => {
            return Ok(failed(&format!(
                "the target holds {} events, the source {}",
                report.events, source_report.events
            )));
        }
        Err(failure) => return Ok(failed(&format!("the target does not verify: {failure}"))),
    };
    let write = WriteContext {
        actor_id: crate::cli_access::os_reader(),
        ..WriteContext::system("store copy --seal")
    };
    Service::new(target.events.clone(), 1)
        .record_lineage(
            LogResealed {
                source_digest: source_report.digest(),
                source_events: source_report.events,
                sealed_events: sealed,
                copy_digest: copy_report.digest(),
            },
            &write,
        )
        .await
        .context("cannot record the source's digest in the new log")?;
    let new_report = match verify_side(LABEL, "target", target.events.as_ref(), copied + 1).await? {
        Ok(report) => report,
        Err(failure) => return Ok(failed(&format!("the target does not verify: {failure}"))),
    };
    println!(
        "{LABEL}: sealed {sealed} of {} events on the way; source digest={}",
        source_report.events,
        source_report.digest()
    );
    println!(
        "{LABEL}: the new log: events={} streams={} digest={} (store-lineage names the source \
         digest)",
        new_report.events,
        new_report.heads.len(),
        new_report.digest()
    );
    Ok(Outcome::Ok)
}

/// Compares the target with the start of the source and says where the copy starts: one line
/// on standard output.
///
/// # Errors
/// A [`UsageError`] when the target holds anything but the start of the source.
pub async fn start<'a, R: LogReader>(
    label: &str,
    source: R,
    target: &'a dyn EventStore,
    total: u64,
) -> anyhow::Result<LogCopy<'a, R>> {
    let checking = progress::bar(None, "target events checked");
    let started = LogCopy::start(source, target, |n| checking.set_position(n)).await;
    checking.finish_and_clear();
    let copy = match started {
        Ok(copy) => copy,
        Err(CopyError::NotAPrefix(mismatch)) => {
            return Err(UsageError(format!(
                "{label}: {} already holds events that are not the start of this log, so it \
                 is not a stopped copy of it ({mismatch}); nothing was written. Copy into an \
                 empty store.",
                target.describe()
            ))
            .into());
        }
        Err(e) => return Err(e).context(format!("{label}: cannot compare the target")),
    };
    let held = copy.already_in_target();
    if held == 0 {
        println!("{label}: copying {total} events into {}", target.describe());
    } else {
        println!(
            "{label}: resuming after {held} of {total} events ({} holds the first {held} \
             already)",
            target.describe()
        );
    }
    Ok(copy)
}

/// Imports every batch that is left, with a bar (or, off a terminal, a line now and then on
/// standard error). Returns the number of events written, or `None` when the target refused an
/// event that does not continue its chain (printed as a finding: the source's log is broken
/// there, or something else wrote to the target meanwhile).
///
/// # Errors
/// When reading the source or importing fails; running the command again resumes.
pub async fn copy_batches<R: LogReader>(
    label: &str,
    copy: &mut LogCopy<'_, R>,
    batch: usize,
    total: u64,
) -> anyhow::Result<Option<u64>> {
    let bar = progress::bar(Some(total.max(copy.in_target())), "events");
    bar.set_position(copy.in_target());
    let mut ticker = progress::Ticker::new();
    let mut imported = 0;
    loop {
        match copy.next_batch(batch).await {
            Ok(Some(outcome)) => {
                imported += outcome.imported;
                let done = copy.in_target();
                if done > bar.length().unwrap_or(0) {
                    bar.set_length(done);
                }
                bar.set_position(done);
                ticker.report(|| format!("{label}: {done} of {total} events copied"));
            }
            Ok(None) => break,
            Err(CopyError::Target(refused @ StoreError::ImportChainBroken { .. })) => {
                bar.abandon();
                println!(
                    "{label}: FAILED {refused}; the target holds the first {} of {total} events",
                    copy.in_target()
                );
                return Ok(None);
            }
            Err(e) => {
                bar.abandon();
                return Err(e).with_context(|| {
                    format!(
                        "{label} stopped with {} of {total} events in the target; run it again \
                         to resume",
                        copy.in_target()
                    )
                });
            }
        }
    }
    bar.finish_and_clear();
    Ok(Some(imported))
}

/// Verifies one store's whole log, with a bar; `Err` inside is the first failure.
///
/// # Errors
/// When the store cannot be read.
pub async fn verify_side(
    label: &str,
    side: &str,
    store: &dyn EventStore,
    total: u64,
) -> anyhow::Result<Result<VerifyReport, VerifyFailure>> {
    let bar = progress::bar(Some(total), &format!("{side} events verified"));
    let result = verify_store(store, None, |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    match result {
        Ok(report) => Ok(Ok(report)),
        Err(VerifyError::Failed(failure)) => Ok(Err(failure)),
        Err(VerifyError::Store(e)) => {
            Err(e).with_context(|| format!("{label}: cannot verify the {side}"))
        }
    }
}

/// The closing line: the count, stream count and digest both sides agree on, or the finding.
pub fn compare(label: &str, a: (&str, &VerifyReport), b: (&str, &VerifyReport)) -> Outcome {
    let (a_name, a) = a;
    let (b_name, b) = b;
    if a.digest() == b.digest() && a.events == b.events {
        println!(
            "{label}: events={} streams={} digest={} ({a_name} and {b_name} agree)",
            a.events,
            a.heads.len(),
            a.digest()
        );
        Outcome::Ok
    } else {
        println!(
            "{label}: FAILED the {a_name} (events={} streams={} digest={}) and the {b_name} \
             (events={} streams={} digest={}) differ",
            a.events,
            a.heads.len(),
            a.digest(),
            b.events,
            b.heads.len(),
            b.digest()
        );
        Outcome::Finding
    }
}

fn failed(what: &str) -> Outcome {
    println!("{LABEL}: FAILED {what}");
    Outcome::Finding
}
