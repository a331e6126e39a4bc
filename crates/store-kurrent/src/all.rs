//! Reading our events out of `$all`, one page at a time, without skipping or repeating any.
//!
//! The algorithm works on any [`AllLog`], so the tests below run it against a model of the
//! server's `$all` (inclusive starts, refusal of starts inside a record, system and foreign
//! events, a foreign explicit transaction whose events share one commit).

use async_trait::async_trait;
use event_store::{Position, RecordedEvent, StoreError};

use crate::mapping::{Decoded, RawEvent, decode};
use crate::position::{AllPosition, resume_point};

/// A forward reader of `$all`.
#[async_trait]
pub(crate) trait AllLog: Send + Sync {
    /// Up to `count` events of `$all` outside `$`-prefixed streams, in `$all` order, from
    /// `from` inclusive (`None`: the start of `$all`). Fewer than `count` only at the end of
    /// `$all` as far as the server has indexed it.
    async fn read_forward(
        &self,
        from: Option<AllPosition>,
        count: usize,
    ) -> Result<Vec<RawEvent>, StoreError>;
}

/// Up to `max_count` of our events at or after `from`, in position order, reading `$all` in
/// batches of `batch` events.
///
/// System and foreign events are skipped, and the reading goes on past them until the page is
/// full or `$all` ends: the page is empty only when `$all` holds no event of ours at or after
/// `from` (yet). Every read after
/// the first starts at the last event already read, which is always a valid place to start
/// (whatever kind of event it is) and is dropped when it comes back.
pub(crate) async fn read_page(
    log: &dyn AllLog,
    from: Position,
    max_count: usize,
    batch: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    if max_count == 0 {
        return Ok(Vec::new());
    }
    // A re-read returns the last event read again; a batch of one would never move on.
    let batch = batch.max(2);
    let mut start = resume_point(from);
    let mut read_up_to: Option<AllPosition> = None;
    let mut page: Vec<RecordedEvent> = Vec::new();
    loop {
        let events = log.read_forward(start, batch).await?;
        let at_end = events.len() < batch;
        let before = read_up_to;
        for raw in &events {
            if read_up_to.is_some_and(|seen| raw.position <= seen) {
                continue;
            }
            read_up_to = Some(raw.position);
            let Decoded::Ours(event) = decode(raw)? else {
                continue;
            };
            if event.position < from {
                continue;
            }
            if let Some(previous) = page.last()
                && event.position <= previous.position
            {
                return Err(StoreError::Corrupt(format!(
                    "$all returned position {} after {}",
                    event.position, previous.position
                )));
            }
            page.push(event);
            if page.len() == max_count {
                return Ok(page);
            }
        }
        if at_end {
            return Ok(page);
        }
        if read_up_to == before {
            return Err(StoreError::Unavailable(
                "$all read did not move past an event it had already returned".into(),
            ));
        }
        start = read_up_to;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    use chrono::Utc;
    use event_store::append::seal;
    use event_store::{NewEvent, StreamName};
    use uuid::Uuid;

    use super::*;
    use crate::mapping::Outgoing;

    /// The server's `$all` as far as this adapter can tell: records in (commit, prepare)
    /// order; a read may start only where a commit record or a self-committed event begins.
    #[derive(Default)]
    pub(crate) struct ModelAll {
        events: Vec<RawEvent>,
        starts: BTreeSet<u64>,
        pub reads: Mutex<Vec<Option<AllPosition>>>,
    }

    impl ModelAll {
        pub fn push(&mut self, event: RawEvent) {
            self.starts.insert(event.position.commit);
            self.events.push(event);
            self.events.sort_by_key(|e| e.position);
        }
    }

    #[async_trait]
    impl AllLog for ModelAll {
        async fn read_forward(
            &self,
            from: Option<AllPosition>,
            count: usize,
        ) -> Result<Vec<RawEvent>, StoreError> {
            self.reads.lock().unwrap().push(from);
            if let Some(p) = from
                && !self.starts.contains(&p.commit)
            {
                return Err(StoreError::InvalidRequest(format!(
                    "model: C:{}/P:{} is inside a record",
                    p.commit, p.prepare
                )));
            }
            Ok(self
                .events
                .iter()
                .filter(|e| from.is_none_or(|p| e.position >= p))
                .filter(|e| !e.stream.starts_with('$'))
                .take(count)
                .cloned()
                .collect())
        }
    }

    fn at(commit: u64, prepare: u64) -> AllPosition {
        AllPosition { commit, prepare }
    }

    fn new_event(label: &str) -> NewEvent {
        conformance_like_event(label)
    }

    pub(crate) fn conformance_like_event(label: &str) -> NewEvent {
        let meta = event_store::EventMetadata {
            actor_id: "model".into(),
            actor_role: "system".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        NewEvent::new(
            Uuid::now_v7(),
            "ModelEventRecorded",
            1,
            &serde_json::json!({ "label": label }),
            &meta,
        )
        .unwrap()
    }

    /// Appends `n` events of ours to `stream` (whose head is `version`) at log positions
    /// `logs`, as one append: one self-committed record each.
    fn append_ours(all: &mut ModelAll, stream: &str, first_version: u64, logs: &[u64]) {
        let name = StreamName::parse(stream).unwrap();
        let events: Vec<NewEvent> = logs.iter().map(|l| new_event(&l.to_string())).collect();
        let mut sealed = seal(&name, None, &events, Utc::now());
        for (i, (e, &l)) in sealed.iter_mut().zip(logs).enumerate() {
            e.stream_version = first_version + i as u64;
            let out = Outgoing::of(e).unwrap();
            all.push(RawEvent {
                stream: stream.into(),
                revision: e.stream_version,
                event_id: e.event_id,
                event_type: out.event_type,
                data: out.data,
                custom_metadata: out.custom_metadata,
                position: at(l, l),
            });
        }
    }

    fn other(all: &mut ModelAll, stream: &str, event_type: &str, position: AllPosition) {
        all.push(RawEvent {
            stream: stream.into(),
            revision: 0,
            event_id: Uuid::now_v7(),
            event_type: event_type.into(),
            data: b"{}".to_vec(),
            custom_metadata: br#"{"$correlationId":"x"}"#.to_vec(),
            position,
        });
    }

    /// Ours in multi-event appends, between system events, foreign events (one of them an
    /// explicit transaction whose events share commit 900 and sit before a self-committed
    /// foreign event at 700 in the log), and a long foreign stretch.
    pub(crate) fn mixed_log() -> ModelAll {
        let mut all = ModelAll::default();
        other(
            &mut all,
            "$stats-127.0.0.1:2113",
            "$statsCollected",
            at(100, 100),
        );
        append_ours(&mut all, "dossier-a", 0, &[200, 300, 400]);
        other(&mut all, "orders", "OrderPlaced", at(700, 700));
        other(&mut all, "orders", "OrderLine", at(900, 500));
        other(&mut all, "orders", "OrderLine", at(900, 600));
        append_ours(&mut all, "dossier-b", 0, &[1000]);
        for l in (1100..=5000).step_by(100) {
            other(&mut all, "sensor-7", "Reading", at(l, l));
        }
        append_ours(&mut all, "dossier-a", 3, &[5100, 5200]);
        other(&mut all, "orders-by-day", "$>", at(5300, 5300));
        other(&mut all, "$$dossier-a", "$metadata", at(5350, 5350));
        append_ours(&mut all, "dossier-c", 0, &[5400, 5500, 5600, 5700]);
        all
    }

    fn ours_in(all: &ModelAll) -> Vec<RecordedEvent> {
        all.events
            .iter()
            .filter_map(|e| match decode(e).unwrap() {
                Decoded::Ours(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    async fn page_through(
        all: &ModelAll,
        from: Position,
        page: usize,
        batch: usize,
    ) -> Vec<RecordedEvent> {
        let mut seen = Vec::new();
        let mut next = from;
        loop {
            let got = read_page(all, next, page, batch).await.unwrap();
            assert!(got.len() <= page);
            let Some(last) = got.last() else { break };
            next = last.position.next();
            seen.extend(got);
        }
        seen
    }

    #[tokio::test]
    async fn pages_of_every_size_see_every_event_once_in_order() {
        let all = mixed_log();
        let ours = ours_in(&all);
        assert_eq!(ours.len(), 10);
        for page in 1..=6 {
            for batch in [1, 2, 3, 5, 64] {
                let seen = page_through(&all, Position::START, page, batch).await;
                assert_eq!(seen, ours, "page {page} batch {batch}");
            }
        }
        for read in all.reads.lock().unwrap().iter().flatten() {
            assert!(
                all.starts.contains(&read.commit),
                "read started inside a record: {read:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_page_boundary_inside_one_append_resumes_at_the_next_event() {
        let all = mixed_log();
        let ours = ours_in(&all);
        // The first append wrote three events: stop after each of them in turn.
        for cut in 0..3 {
            let resumed = read_page(&all, ours[cut].position.next(), 2, 2)
                .await
                .unwrap();
            assert_eq!(resumed[0], ours[cut + 1], "after event {cut} of the append");
            let inclusive = read_page(&all, ours[cut].position, 1, 2).await.unwrap();
            assert_eq!(inclusive[0], ours[cut], "from event {cut} itself");
        }
        // The last append wrote four: a page of three ends inside it.
        let tail = read_page(&all, ours[6].position, 3, 2).await.unwrap();
        assert_eq!(tail, ours[6..9]);
        let rest = read_page(&all, tail[2].position.next(), 3, 2)
            .await
            .unwrap();
        assert_eq!(rest, ours[9..]);
        assert!(
            read_page(&all, rest[0].position.next(), 3, 2)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn a_long_foreign_stretch_never_gives_an_empty_page_before_the_end() {
        let all = mixed_log();
        let ours = ours_in(&all);
        // From just after dossier-b's event, 40 foreign events come before the next of ours.
        let page = read_page(&all, ours[3].position.next(), 1, 3)
            .await
            .unwrap();
        assert_eq!(page, ours[4..5]);
        let reads = all.reads.lock().unwrap().len();
        assert!(
            reads > 10,
            "it kept reading ({reads} reads) instead of answering empty"
        );
    }

    #[tokio::test]
    async fn our_event_at_a_shared_commit_is_refused_not_handed_out() {
        let mut all = mixed_log();
        let ours = ours_in(&all);
        let mut odd = all
            .events
            .iter()
            .find(|e| e.event_id == ours[4].event_id)
            .cloned()
            .unwrap();
        odd.event_id = Uuid::now_v7();
        odd.position = at(5150, 5120);
        all.push(odd);
        let e = read_page(&all, ours[3].position.next(), 5, 64)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Corrupt(ref m) if m.contains("C:5150/P:5120")),
            "{e}"
        );
    }

    #[tokio::test]
    async fn nothing_is_read_for_an_empty_page_and_the_end_is_empty() {
        let all = mixed_log();
        assert!(
            read_page(&all, Position::START, 0, 8)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(all.reads.lock().unwrap().is_empty());
        let last = ours_in(&all).pop().unwrap();
        assert!(
            read_page(&all, last.position.next(), 8, 8)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
