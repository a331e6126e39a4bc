//! `dossier tick`: the daily job. Issues, as the `system` actor, every command that is due
//! because a date passed (an 18th birthday, a start deadline, a waardebon's expiry, a new
//! rate). Idempotent per date: run it again and it finds nothing more to do.

use std::sync::Arc;

use app::Service;
use chrono::NaiveDate;
use event_store::EventStore;
use serde::Serialize;

use crate::progress;

#[derive(Debug, clap::Args)]
pub struct TickArgs {
    /// The business date to run for (default: today on this machine's clock).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct TickSummary {
    date: NaiveDate,
    dossiers: usize,
    commands: usize,
    refused: Vec<Refused>,
}

#[derive(Debug, Serialize)]
struct Refused {
    dossier: String,
    code: String,
}

pub async fn run(store: Arc<dyn EventStore>, args: &TickArgs) -> anyhow::Result<()> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let service = Service::new(store, 1_000);
    service.ensure_rule_book(today).await?;
    let bar = progress::bar(None, "dossiers");
    let report = service
        .tick(today, |done, _| bar.set_position(done as u64))
        .await?;
    bar.finish_and_clear();
    let summary = TickSummary {
        date: today,
        dossiers: report.dossiers,
        commands: report.commands,
        refused: report
            .refused
            .iter()
            .map(|(dossier, code)| Refused {
                dossier: dossier.as_uuid().to_string(),
                code: code.clone(),
            })
            .collect(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "tick: date={} dossiers={} commands={} refused={}",
            summary.date,
            summary.dossiers,
            summary.commands,
            summary.refused.len()
        );
        for r in &summary.refused {
            println!("  refused {} {}", r.dossier, r.code);
        }
    }
    Ok(())
}
