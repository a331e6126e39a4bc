//! One conformance suite, every event store: each check of `store-conformance` runs against the
//! in-memory store, the embedded SQLite store and PostgreSQL (a fresh schema per check; the
//! server named by `DOSSIER_TEST_POSTGRES_URL`, which CI starts). Behaviour that only one
//! store has (group commit, gap handling, triggers) is tested in that store's own crate.

use std::sync::Arc;

use event_store::EventStore;

mod memory {
    use super::*;

    async fn fresh() -> Arc<dyn EventStore> {
        Arc::new(event_store::MemoryStore::new())
    }

    store_conformance::conformance_tests!(fresh());
}

mod sqlite {
    use super::*;

    /// A fresh file under cargo's scratch directory for integration tests.
    async fn fresh() -> Arc<dyn EventStore> {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("conformance-{}", uuid::Uuid::now_v7()))
            .join("dossier.db");
        Arc::new(store_sqlite::SqliteStore::open(path).expect("open a SQLite store"))
    }

    store_conformance::conformance_tests!(fresh());
}

mod postgres {
    use super::*;

    async fn fresh() -> Arc<dyn EventStore> {
        Arc::new(store_postgres::fresh_test_store().await)
    }

    store_conformance::conformance_tests!(fresh());
}
