//! The conformance suite of the event-store port.
//!
//! Every check is a function of a store and a [`Namespace`]: it writes only streams inside its
//! namespace and looks only at events of those streams, so the same suite runs against a fresh
//! test store (`cargo test`) and against a live store with other traffic (`dossier selftest`).
//! [`conformance_tests!`] expands to one `#[tokio::test]` per check for an adapter.
//!
//! Architecture invariant: depends on the port only, never on an adapter.

mod checks;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use event_store::{EventMetadata, EventStore, NewEvent, RecordedEvent, StreamName};
use uuid::Uuid;

pub use checks::*;

/// A check's verdict: `Err` says what the store did wrong.
pub type CheckResult = Result<(), String>;

type CheckFuture = Pin<Box<dyn Future<Output = CheckResult> + Send>>;

/// One named check of the suite.
#[derive(Clone, Copy)]
pub struct Check {
    pub name: &'static str,
    pub run: fn(Arc<dyn EventStore>, Namespace) -> CheckFuture,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Calls `$callback!` with the name of every check, so the list lives in one place.
#[doc(hidden)]
#[macro_export]
macro_rules! __with_check_names {
    ($callback:path ; $($args:tt)*) => {
        $callback!($($args)* ;
            round_trip_keeps_exact_bytes,
            expected_version_cases,
            append_is_atomic,
            event_ids_are_unique_across_streams,
            retry_is_idempotent,
            read_stream_pages,
            read_all_pages_in_order,
            read_all_pages_inside_appends,
            subscription_catches_up_then_follows,
            one_writer_wins_each_version,
            concurrent_writers_and_reader_see_everything_once,
            import_keeps_ids_times_and_hashes,
            import_refuses_a_broken_chain,
            chains_verify
        );
    };
}

macro_rules! __check_list {
    ($($name:ident),* $(,)?) => {
        /// Every check of the suite, in the order they are run.
        pub const ALL_CHECKS: &[Check] = &[
            $(Check { name: stringify!($name), run: |store, ns| Box::pin(checks::$name(store, ns)) }),*
        ];
    };
}
macro_rules! __check_list_cb {
    (; $($name:ident),* $(,)?) => { __check_list!($($name),*); };
}
__with_check_names!(__check_list_cb;);

/// Expands to one `#[tokio::test]` per check. `$make_store` is an async expression giving a
/// fresh `Arc<dyn EventStore>`.
#[macro_export]
macro_rules! conformance_tests {
    ($make_store:expr) => {
        $crate::__with_check_names!($crate::__conformance_test_fns; $make_store);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_test_fns {
    ($make_store:expr ; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let store: ::std::sync::Arc<dyn ::event_store::EventStore> = $make_store.await;
                if let Err(failure) =
                    $crate::$name(store, $crate::Namespace::fresh()).await
                {
                    panic!("conformance check {} failed: {failure}", stringify!($name));
                }
            }
        )*
    };
}

/// Streams a check may write: all named `<prefix>-…`, unique per run.
#[derive(Debug, Clone)]
pub struct Namespace {
    prefix: String,
}

impl Namespace {
    /// A namespace no other run uses.
    pub fn fresh() -> Self {
        Self {
            prefix: format!("conformance-{}", Uuid::now_v7().simple()),
        }
    }

    pub fn stream(&self, name: &str) -> StreamName {
        StreamName::parse(format!("{}-{name}", self.prefix)).expect("namespace names are valid")
    }

    pub fn contains(&self, event: &RecordedEvent) -> bool {
        event.stream.as_str().starts_with(&self.prefix)
            && event.stream.as_str().as_bytes().get(self.prefix.len()) == Some(&b'-')
    }
}

/// An event with a small JSON payload, like the ones the suite writes.
pub fn sample_event(label: &str) -> NewEvent {
    let meta = EventMetadata {
        actor_id: "conformance".into(),
        actor_role: "system".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        reason: Some("store conformance check".into()),
        proposed: None,
    };
    NewEvent::new(
        Uuid::now_v7(),
        "ConformanceProbeRecorded",
        1,
        &serde_json::json!({ "label": label }),
        &meta,
    )
    .expect("sample events are valid")
}

/// The outcome of one check in [`run_suite`].
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub name: &'static str,
    pub result: CheckResult,
    pub millis: u128,
}

/// Runs every check (or those whose name contains `filter`) against `store`, each in its own
/// fresh namespace, and reports each verdict.
pub async fn run_suite(store: Arc<dyn EventStore>, filter: Option<&str>) -> Vec<CheckReport> {
    let mut reports = Vec::new();
    for check in ALL_CHECKS
        .iter()
        .filter(|c| filter.is_none_or(|f| c.name.contains(f)))
    {
        let started = Instant::now();
        let result = (check.run)(store.clone(), Namespace::fresh()).await;
        reports.push(CheckReport {
            name: check.name,
            result,
            millis: started.elapsed().as_millis(),
        });
    }
    reports
}

/// The key-store contract (see [`event_store::KeyStore`]): every adapter's tests call it with
/// its own key store; `namespace` keeps its names apart from other runs'.
///
/// # Errors
/// What the key store did wrong.
pub async fn key_store_contract(
    keys: &dyn event_store::KeyStore,
    namespace: &Namespace,
) -> CheckResult {
    use event_store::KeyState;
    let id = format!("{}-subject", namespace.prefix);
    let other = format!("{}-other", namespace.prefix);
    let err = |what: &str, e: event_store::StoreError| format!("{what}: {e}");
    if keys.key(&id).await.map_err(|e| err("read", e))? != KeyState::Absent {
        return Err("a name never used has a key".into());
    }
    let first = keys
        .create(&id, [7; event_store::KEY_LEN])
        .await
        .map_err(|e| err("create", e))?;
    if first != KeyState::Live([7; event_store::KEY_LEN]) {
        return Err(format!(
            "create answered {first:?}, not the key it was given"
        ));
    }
    let second = keys
        .create(&id, [9; event_store::KEY_LEN])
        .await
        .map_err(|e| err("create again", e))?;
    if second != first {
        return Err("a second create replaced the first key".into());
    }
    keys.create(&other, [3; event_store::KEY_LEN])
        .await
        .map_err(|e| err("create another", e))?;
    let at = event_store::truncate_to_micros(chrono::Utc::now());
    keys.destroy(&id, at).await.map_err(|e| err("destroy", e))?;
    keys.destroy(&id, at + chrono::Duration::seconds(5))
        .await
        .map_err(|e| err("destroy again", e))?;
    let destroyed = keys.key(&id).await.map_err(|e| err("read", e))?;
    if destroyed != (KeyState::Destroyed { at }) {
        return Err(format!("after two destroys the key reads {destroyed:?}"));
    }
    let revived = keys
        .create(&id, [7; event_store::KEY_LEN])
        .await
        .map_err(|e| err("create after destroy", e))?;
    if revived != destroyed {
        return Err("a destroyed key came back by create".into());
    }
    keys.import_keys(&[event_store::KeyRecord {
        id: id.clone(),
        state: KeyState::Live([7; event_store::KEY_LEN]),
    }])
    .await
    .map_err(|e| err("import", e))?;
    if keys.key(&id).await.map_err(|e| err("read", e))? != destroyed {
        return Err("a destroyed key came back by import".into());
    }
    if keys.key(&other).await.map_err(|e| err("read", e))?
        != KeyState::Live([3; event_store::KEY_LEN])
    {
        return Err("destroying one key changed another".into());
    }
    let exported = keys.export_keys().await.map_err(|e| err("export", e))?;
    let mine: Vec<_> = exported
        .iter()
        .filter(|r| r.id.starts_with(&namespace.prefix))
        .collect();
    if mine.len() != 2 || mine[0].id != other || mine[1].id != id {
        return Err(format!("export lists {mine:?}, not both names in order"));
    }
    Ok(())
}
