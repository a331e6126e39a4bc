//! `dossier replay`: a dossier's events in order, with who/when/why and the state after each
//! (the replay itself is `projections::replay`, shared with the HTTP API).

use std::sync::Arc;

use anyhow::Context;
use event_store::{EventStore, ReadPages};
use projections::replay::{Until, replay};
use serde_json::Value;

use crate::UsageError;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The dossier number (UUID), with or without the `dossier-` prefix.
    pub dossier: String,
    /// Stop after this log position, or after this recorded time (RFC 3339).
    #[arg(long, value_name = "POSITION|TIME")]
    pub until: Option<String>,
    /// One JSON object per event instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses `--until`.
///
/// # Errors
/// A [`UsageError`] for text that is neither a position nor an RFC 3339 time.
fn parse_until(text: &str) -> anyhow::Result<Until> {
    Until::parse(text).map_err(|_| {
        UsageError(format!(
            "--until {text:?} is neither a log position nor an RFC 3339 time"
        ))
        .into()
    })
}

fn text_summary(summary: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(budgets) = summary["budgets"].as_array() {
        for b in budgets {
            parts.push(format!(
                "{} {}",
                b["kind"].as_str().unwrap_or(""),
                b["status"].as_str().unwrap_or("")
            ));
        }
    }
    let a = &summary["agreements"];
    parts.push(format!(
        "overeenkomsten: {} geregistreerd, {} goedgekeurd, {} geweigerd, {} beëindigd",
        a["registered"], a["approved"], a["rejected"], a["terminated"]
    ));
    let l = &summary["cost_lines"];
    parts.push(format!(
        "kostenlijnen: {} aanvaard, {} geweigerd, {} in behandeling",
        l["accepted"], l["rejected"], l["held"]
    ));
    if let Some(years) = summary["budget_years"].as_array() {
        for y in years {
            parts.push(format!(
                "{}: aanvaard {}, resterend {}, overschrijding {}",
                y["year"],
                y["accepted"].as_str().unwrap_or(""),
                y["remaining"].as_str().unwrap_or(""),
                y["overrun"].as_str().unwrap_or("")
            ));
        }
    }
    parts.join("; ")
}

pub async fn run(store: Arc<dyn EventStore>, args: &ReplayArgs) -> anyhow::Result<()> {
    let id = args
        .dossier
        .strip_prefix(projections::read::fold::DOSSIER_STREAM_PREFIX)
        .unwrap_or(&args.dossier);
    let uuid = uuid::Uuid::parse_str(id)
        .map_err(|_| UsageError(format!("{:?} is not a dossier number", args.dossier)))?;
    let until = args.until.as_deref().map(parse_until).transpose()?;
    let stream = app::models::dossier_stream(domain::DossierId::from_uuid(uuid));
    let (rule_events, events) = futures::future::try_join(
        store
            .whole_stream(&app::models::rule_book_stream())
            .read_to_end(),
        store.whole_stream(&stream).read_to_end(),
    )
    .await
    .context("cannot read the dossier")?;
    if events.is_empty() {
        return Err(UsageError(format!("dossier {uuid} has no events")).into());
    }
    crate::cli_access::record(
        store.clone(),
        Some(domain::DossierId::from_uuid(uuid)),
        "replay",
    )
    .await?;
    let steps = replay(&rule_events, &events, until)?;
    for step in &steps {
        if args.json {
            // The command line knows no role: it shows what a list shows, the INSZ masked.
            let mut json = step.json.clone();
            domain::access::mask_insz(&mut json);
            println!("{json}");
        } else {
            println!(
                "#{} positie {} {} {} ({}){} {}{}",
                step.stream_version,
                step.position.0,
                step.recorded_at.format("%d/%m/%Y %H:%M:%S UTC"),
                step.actor_id,
                step.actor_role,
                step.proposed
                    .as_ref()
                    .map(|p| format!(
                        ", voorgesteld door {} ({}) op {}",
                        p.actor_id,
                        p.actor_role,
                        domain::values::dutch_date(p.proposed_on)
                    ))
                    .unwrap_or_default(),
                step.event_type,
                step.reason
                    .as_ref()
                    .map(|r| format!(" — reden: {r}"))
                    .unwrap_or_default()
            );
            println!("    toestand: {}", text_summary(step.state_after()));
        }
    }
    Ok(())
}
