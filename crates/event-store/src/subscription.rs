//! Catch-up subscriptions: read the global log from a position, then follow it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use crate::error::StoreError;
use crate::port::EventStore;
use crate::types::{Position, RecordedEvent};

/// Follows the global log: catches up from a position, then yields new events as they are
/// recorded. Built on [`EventStore::read_all`], so it inherits its promise that no event is
/// ever skipped.
pub struct Subscription {
    store: Arc<dyn EventStore>,
    next: Position,
    buffer: VecDeque<RecordedEvent>,
    page_size: usize,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// Starts at `from`: the first event yielded is the first one at or after it.
    pub fn new(store: Arc<dyn EventStore>, from: Position) -> Self {
        Self {
            store,
            next: from,
            buffer: VecDeque::new(),
            page_size: 1024,
        }
    }

    /// The next event of the log, waiting for one to be recorded if the reader has caught up.
    ///
    /// # Errors
    /// When the store cannot be read; the subscription can be polled again afterwards.
    pub async fn next(&mut self) -> Result<RecordedEvent, StoreError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                return Ok(event);
            }
            let page = self.store.read_all(self.next, self.page_size).await?;
            match page.last() {
                Some(last) => {
                    self.next = last.position.next();
                    self.buffer.extend(page);
                }
                None => {
                    self.store
                        .wait_for_events(self.next, Duration::from_secs(1))
                        .await
                }
            }
        }
    }

    /// Where the next read of the log starts (past everything already handed out or buffered).
    pub fn read_position(&self) -> Position {
        self.next
    }
}
