//! `dossier bench rebuild`: generate years of history for many dossiers with the demo's history
//! builder, import it, rebuild every read model, and time as-of answers.
//!
//! The history is the demo's (`cmd::demo`): its showcase cases (every fraud signal, a COVID-19
//! overrun, a combination form, a control case) and then ordinary PAB and PVB holders with
//! grants, yearly amounts, agreements, monthly cost claims with a decision per line, payments,
//! IDO, COVID-19 agreements and changes of assistant, 2019–2026. Every event is decided by the
//! domain through `app::Service`, on an in-memory scratch store that records each at its
//! business date; the scratch log is then imported into the store under test, so "what was
//! known on T" has an answer there as it would in production.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use event_store::{EventStore, HistoryClock, MemoryStore, Position};
use projections::Runner;
use projections::as_of::{AsOf, dossier_as_of};

use crate::cmd::demo::{self, Recording};
use crate::cmd::rebuild::open_read_sink;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct BenchRebuildArgs {
    /// Dossiers to generate.
    #[arg(long, default_value_t = 20_000)]
    pub dossiers: u32,
    /// Dossiers whose as-of answer is timed (the median is reported).
    #[arg(long, default_value_t = 201)]
    pub asof_samples: u32,
}

/// Events handed to the target's import at once.
const IMPORT_BATCH: usize = 20_000;

fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

pub async fn run(
    store: Arc<dyn EventStore>,
    store_url: &str,
    args: &BenchRebuildArgs,
) -> anyhow::Result<()> {
    if !store.read_all(Position::START, 1).await?.is_empty() {
        anyhow::bail!("bench rebuild needs an empty store: it writes a generated history");
    }
    let started = Instant::now();
    let clock = HistoryClock::starting_at(noon(demo::FIRST_DAY));
    let scratch = Arc::new(MemoryStore::recording_at(clock.clone()));
    let service = Arc::new(app::Service::new(scratch.clone(), 10_000));
    let summary = demo::populate(
        service.clone(),
        args.dossiers,
        Recording::AtBusinessDates(clock),
        true,
    )
    .await?;
    let generated = started.elapsed();
    let bar = progress::bar(Some(summary.events as u64), "events imported");
    let copied = event_store::copy::copy_log(scratch.as_ref(), store.as_ref(), IMPORT_BATCH, |n| {
        bar.set_position(n)
    })
    .await?;
    bar.finish_and_clear();
    let dossiers = service.dossier_ids().await?;
    drop(service);
    drop(scratch);
    eprintln!(
        "bench rebuild: generated {} events of {} dossiers in {:.1} s, imported in {:.1} s",
        copied.imported,
        dossiers.len(),
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64()
    );

    let sink = open_read_sink(store_url).await?;
    let bar = progress::bar(None, "events");
    let stats = Runner::new(store.clone(), sink)
        .rebuild(&mut projections::read::all(), |n| bar.set_position(n))
        .await?;
    bar.finish_and_clear();

    // "What did we know at the end of 2022 about 30/09/2020": dossiers opened later have no
    // answer and are not timed.
    let question = AsOf {
        known_at: Some(noon(demo::date(2022, 12, 31))),
        effective_on: Some(demo::date(2020, 9, 30)),
    };
    let mut timings = Vec::new();
    let step = (dossiers.len() / args.asof_samples.max(1) as usize).max(1);
    for dossier in dossiers.iter().step_by(step) {
        let id = dossier.as_uuid().to_string();
        let asked = Instant::now();
        let view = dossier_as_of(store.as_ref(), &id, question).await?;
        if view.events > 0 {
            timings.push(asked.elapsed().as_secs_f64() * 1000.0);
        }
    }
    anyhow::ensure!(
        !timings.is_empty(),
        "no sampled dossier was known at the end of 2022"
    );
    timings.sort_by(f64::total_cmp);
    let median = timings[timings.len() / 2];
    println!(
        "bench rebuild: events={} rebuild_eps={:.0} asof_ms={median:.2}",
        stats.events,
        stats.events_per_second()
    );
    Ok(())
}
