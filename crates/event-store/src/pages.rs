//! Reading the whole log, or a whole stream, page by page: the one loop every reader of "all of
//! it" shares, so none of them gets the next position or the end condition wrong.

use crate::error::StoreError;
use crate::port::EventStore;
use crate::types::{Position, RecordedEvent, StreamName};

/// Pagers over any [`EventStore`], `dyn` ones included.
pub trait ReadPages: EventStore {
    /// The log from `from` on, `size` events a page, up to the end as it is when each page is
    /// read. A page that comes back empty ends it: a reader that must follow the log as it grows
    /// uses a [`Subscription`](crate::Subscription) instead.
    fn log_pages(&self, from: Position, size: usize) -> LogPages<'_, Self> {
        LogPages {
            store: self,
            next: from,
            last: None,
            size: size.max(1),
            ended: false,
        }
    }

    /// The events of `stream` from `from_version` on, `size` events a page.
    fn stream_pages(
        &self,
        stream: &StreamName,
        from_version: u64,
        size: usize,
    ) -> StreamPages<'_, Self> {
        StreamPages {
            store: self,
            stream: stream.clone(),
            next: from_version,
            size: size.max(1),
            ended: false,
        }
    }

    /// Every event of `stream`, in pages of a size that suits any stream; end it with
    /// [`StreamPages::read_to_end`] to have them in one list.
    fn whole_stream(&self, stream: &StreamName) -> StreamPages<'_, Self> {
        /// Most streams fit in one page; a long one costs a read per this many events.
        const STREAM_PAGE: usize = 4096;
        self.stream_pages(stream, 0, STREAM_PAGE)
    }
}

impl<S: EventStore + ?Sized> ReadPages for S {}

/// The log, one page at a time (see [`ReadPages::log_pages`]).
#[derive(Debug)]
pub struct LogPages<'a, S: ?Sized> {
    store: &'a S,
    next: Position,
    last: Option<Position>,
    size: usize,
    ended: bool,
}

impl<S: EventStore + ?Sized> LogPages<'_, S> {
    /// The next page, or `None` once a read found nothing more.
    ///
    /// # Errors
    /// When the store fails; the pager can be asked again and reads the same page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<RecordedEvent>>, StoreError> {
        if self.ended {
            return Ok(None);
        }
        let page = self.store.read_all(self.next, self.size).await?;
        match page.last() {
            Some(last) => {
                self.next = last.position.next();
                self.last = Some(last.position);
                Ok(Some(page))
            }
            None => {
                self.ended = true;
                Ok(None)
            }
        }
    }

    /// Where the next page starts: past every event handed out so far.
    pub fn next_position(&self) -> Position {
        self.next
    }

    /// The position of the last event handed out, if any was.
    pub fn last_position(&self) -> Option<Position> {
        self.last
    }
}

/// A stream, one page at a time (see [`ReadPages::stream_pages`]).
#[derive(Debug)]
pub struct StreamPages<'a, S: ?Sized> {
    store: &'a S,
    stream: StreamName,
    next: u64,
    size: usize,
    ended: bool,
}

impl<S: EventStore + ?Sized> StreamPages<'_, S> {
    /// The next page, or `None` once the stream has no more events.
    ///
    /// # Errors
    /// When the store fails; the pager can be asked again and reads the same page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<RecordedEvent>>, StoreError> {
        if self.ended {
            return Ok(None);
        }
        let page = self
            .store
            .read_stream(&self.stream, self.next, self.size)
            .await?;
        // A short page is the stream's end: versions have no gaps.
        if page.len() < self.size {
            self.ended = true;
        }
        match page.last() {
            Some(last) => {
                self.next = last.stream_version + 1;
                Ok(Some(page))
            }
            None => {
                self.ended = true;
                Ok(None)
            }
        }
    }

    /// Every remaining event of the stream, in version order.
    ///
    /// # Errors
    /// When the store fails.
    pub async fn read_to_end(mut self) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryStore;
    use uuid::Uuid;

    use crate::types::{EventMetadata, ExpectedVersion, NewEvent};

    fn event(n: u32) -> NewEvent {
        let meta = EventMetadata {
            actor_id: "t".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        NewEvent::new(
            Uuid::now_v7(),
            "Tested",
            1,
            &serde_json::json!({ "n": n }),
            &meta,
        )
        .unwrap()
    }

    async fn store_with(streams: &[(&str, u32)]) -> MemoryStore {
        let store = MemoryStore::new();
        for (name, count) in streams {
            let events: Vec<NewEvent> = (0..*count).map(event).collect();
            store
                .append(
                    &StreamName::parse(*name).unwrap(),
                    ExpectedVersion::Any,
                    &events,
                )
                .await
                .unwrap();
        }
        store
    }

    #[tokio::test]
    async fn log_pages_hand_out_every_event_once_in_position_order() {
        let store = store_with(&[("a", 5), ("b", 3), ("a", 2)]).await;
        let dyn_store: &dyn EventStore = &store;
        let mut pages = dyn_store.log_pages(Position::START, 3);
        let mut sizes = Vec::new();
        let mut positions = Vec::new();
        while let Some(page) = pages.next_page().await.unwrap() {
            sizes.push(page.len());
            positions.extend(page.iter().map(|e| e.position));
        }
        assert_eq!(sizes, [3, 3, 3, 1]);
        assert_eq!(positions.len(), 10);
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(pages.next_position(), positions[9].next());
        assert_eq!(pages.last_position(), Some(positions[9]));
        assert!(
            pages.next_page().await.unwrap().is_none(),
            "ended stays ended"
        );
    }

    #[tokio::test]
    async fn log_pages_start_where_they_are_told() {
        let store = store_with(&[("a", 4)]).await;
        let all = store.read_all(Position::START, 10).await.unwrap();
        let mut pages = store.log_pages(all[2].position, 100);
        let page = pages.next_page().await.unwrap().unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page[0].event_id, all[2].event_id);
    }

    #[tokio::test]
    async fn stream_pages_read_one_stream_to_its_end() {
        let store = store_with(&[("a", 7), ("b", 2)]).await;
        let a = StreamName::parse("a").unwrap();
        let all = store.stream_pages(&a, 0, 3).read_to_end().await.unwrap();
        let versions: Vec<u64> = all.iter().map(|e| e.stream_version).collect();
        assert_eq!(versions, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(store.whole_stream(&a).read_to_end().await.unwrap(), all);
        let rest = store.stream_pages(&a, 5, 2).read_to_end().await.unwrap();
        assert_eq!(rest.len(), 2);
        let none = store
            .stream_pages(&StreamName::parse("never").unwrap(), 0, 2)
            .read_to_end()
            .await
            .unwrap();
        assert!(none.is_empty());
    }
}
