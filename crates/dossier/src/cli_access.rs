//! Reads of personal data from the command line (replays, reports, exports) go to the access log
//! like reads over HTTP, with the operating-system user as the reader: inspectors see who
//! looked at whose data, whichever way they looked.

use std::sync::Arc;

use anyhow::Context;
use app::{Service, WriteContext};
use domain::DossierId;
use domain::access::DataAccessed;
use event_store::EventStore;

/// Where to record command-line reads when not in the store being read (e.g. reading from a
/// read-only replica): a store URL.
pub const ACCESS_LOG_STORE: &str = "DOSSIER_ACCESS_LOG_STORE";

/// The operating-system user running this command, as the access log names a reader.
pub fn os_reader() -> String {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("os:{name}")
}

/// Records one command-line read of `dossier` (or of many dossiers, `None`) before anything is
/// printed: a read that cannot be recorded is not served.
///
/// # Errors
/// When the store refuses the entry.
pub async fn record(
    store: Arc<dyn EventStore>,
    dossier: Option<DossierId>,
    view: &str,
) -> anyhow::Result<()> {
    let reader = os_reader();
    let access = DataAccessed {
        dossier,
        reader: reader.clone(),
        role: "system".to_owned(),
        view: view.to_owned(),
        channel: "cli".to_owned(),
    };
    let write = WriteContext {
        actor_id: reader,
        ..WriteContext::system(format!("command line: {view}"))
    };
    // A read-only store (a streaming replica) cannot take the entry: the operator names the
    // primary to record it on.
    let store = match std::env::var(ACCESS_LOG_STORE) {
        Ok(url) if !url.is_empty() => crate::store_url::open_store(&url).await?,
        _ => store,
    };
    Service::new(store, 1)
        .record_access(access, chrono::Local::now().date_naive(), &write)
        .await
        .context("cannot record this read in the access log; nothing was shown")
}
