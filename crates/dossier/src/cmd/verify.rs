//! `dossier verify`: check every hash chain and print the digest of the log.

use std::path::PathBuf;

use anyhow::Context;
use event_store::EventStore;
use event_store::verify::{DigestList, VerifyError, verify_store};

use crate::Outcome;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Also write the list the digest is computed over (one `stream<TAB>version<TAB>hash`
    /// line per stream), to check later with --against.
    #[arg(long, value_name = "FILE")]
    pub digest_out: Option<PathBuf>,
    /// Prove the log still extends an earlier --digest-out list: every listed stream still
    /// has that hash at that version.
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// One JSON object instead of the text line: `ok`, and `events`, `streams`,
    /// `last_position` and `digest`, or `failure`.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(store: &dyn EventStore, args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let against = match &args.against {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            match DigestList::parse(&text) {
                Ok(list) => Some(list),
                Err(e) => {
                    eprintln!("verify: {}: {e}", path.display());
                    return Ok(Outcome::Usage);
                }
            }
        }
        None => None,
    };
    let bar = progress::bar(None, "events");
    let result = verify_store(store, against.as_ref(), |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            if let Some(path) = &args.digest_out {
                std::fs::write(path, report.digest_list().to_text())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            if args.json {
                let summary = serde_json::json!({
                    "ok": true,
                    "events": report.events,
                    "streams": report.heads.len(),
                    "last_position": report.last_position.map(|p| p.0),
                    "digest": report.digest(),
                });
                println!("{summary}");
            } else {
                println!("{}", report.summary_line());
            }
            Ok(Outcome::Ok)
        }
        Err(VerifyError::Failed(failure)) => {
            if args.json {
                let finding = serde_json::json!({ "ok": false, "failure": failure.to_string() });
                println!("{finding}");
            } else {
                println!("verify: FAILED {failure}");
            }
            Ok(Outcome::Finding)
        }
        Err(VerifyError::Store(e)) => Err(e).context("verify could not read the log"),
    }
}
