//! `dossier selftest`: the store conformance suite against a live store, for operators.

use std::sync::Arc;

use event_store::EventStore;

use crate::Outcome;

#[derive(Debug, clap::Args)]
pub struct SelftestArgs {
    /// Run only the checks whose name contains this text.
    #[arg(long)]
    pub only: Option<String>,
}

pub async fn run(store: Arc<dyn EventStore>, args: &SelftestArgs) -> Outcome {
    println!(
        "selftest: {} (every check writes only streams named conformance-<id>-…)",
        store.describe()
    );
    let reports = store_conformance::run_suite(store, args.only.as_deref()).await;
    let mut failed = 0;
    for r in &reports {
        match &r.result {
            Ok(()) => println!("  ok    {:<55} {:>6} ms", r.name, r.millis),
            Err(why) => {
                failed += 1;
                println!("  FAIL  {:<55} {:>6} ms\n        {why}", r.name, r.millis);
            }
        }
    }
    println!(
        "selftest: {} passed, {failed} failed",
        reports.len() - failed
    );
    if reports.is_empty() {
        eprintln!("selftest: no check matches --only");
        return Outcome::Usage;
    }
    if failed == 0 {
        Outcome::Ok
    } else {
        Outcome::Finding
    }
}
