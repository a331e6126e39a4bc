//! The in-memory adapter against the conformance suite.

use std::sync::Arc;

use event_store::{EventStore, MemoryStore};

async fn memory() -> Arc<dyn EventStore> {
    Arc::new(MemoryStore::new())
}

store_conformance::conformance_tests!(memory());
