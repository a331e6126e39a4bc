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

    #[tokio::test]
    async fn key_store_contract() {
        let keys = event_store::MemoryKeyStore::new();
        let ns = store_conformance::Namespace::fresh();
        store_conformance::key_store_contract(&keys, &ns)
            .await
            .unwrap();
    }
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

    #[tokio::test]
    async fn key_store_contract() {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("keys-{}", uuid::Uuid::now_v7()))
            .join("dossier.db");
        let store = store_sqlite::SqliteStore::open(path).expect("open a SQLite store");
        let ns = store_conformance::Namespace::fresh();
        store_conformance::key_store_contract(&store.keys(), &ns)
            .await
            .unwrap();
    }
}

mod postgres {
    use super::*;

    async fn fresh() -> Arc<dyn EventStore> {
        Arc::new(store_postgres::fresh_test_store().await)
    }

    store_conformance::conformance_tests!(fresh());

    #[tokio::test]
    async fn key_store_contract() {
        let store = store_postgres::fresh_test_store().await;
        let ns = store_conformance::Namespace::fresh();
        store_conformance::key_store_contract(&store, &ns)
            .await
            .unwrap();
    }
}
