//! How `read_all` never skips an event that commits late, without a global writer lock.
//!
//! # The problem
//! Positions come from a sequence. Two appends T (takes position 5) and U (takes 6) may
//! commit in the order U, T. A reader that saw 6 and moved on past it would never see 5.
//!
//! # What writers do
//! Every append (and import) transaction first runs `SELECT pg_current_xact_id()`, which gives
//! it its transaction id (xid) *before* it takes any position; the column default
//! `next_event_position` does the same for any other inserter, so the database itself keeps
//! the rule. The sequence has `CACHE 1`, so positions are handed out in increasing order over
//! all sessions. Writers serialise on nothing shared: each locks only its own stream's head
//! row.
//!
//! # What a reader does
//! `read_all(from, max)` runs one statement that returns the visible rows at or after `from`,
//! in position order, together with the xmin of that statement's snapshot S1: every xid
//! below xmin had ended (committed or aborted) when S1 was taken. It walks the rows from
//! `max(from, 1)`; a *run* is a stretch of missing positions `[a, b)` just before a visible
//! row at `b`. It returns the rows before the first run it cannot prove permanent.
//!
//! A run `[a, b)` is proved permanent as follows. When a page is blocked at its very start by
//! a run with no bound yet, the reader asks for a fresh xid R (`SELECT pg_current_xact_id()`,
//! in a statement after the one that saw the page) and remembers `a → R` here for every run
//! of that page. A later read whose snapshot S2 has `xmin > R` may pass over a run starting
//! at `a`. On a quiet server the very next read does; while a writer is in flight, the page
//! is asked for again after a few milliseconds, for up to two seconds.
//!
//! # Why that is sound
//! Take a missing position p in `[a, b')`, where b' (≤ b) is the next visible row in S2 (a
//! committed row never disappears, so the run seen in S2 ends no later than the one seen in
//! S1). p < b, so p was taken from the sequence before b was, and b was taken before its
//! writer committed, which was before S1. The transaction T that took p had its xid assigned
//! before it took p (the forced first statement), hence before S1, hence before R was
//! assigned after S1: xid(T) < R, since xids are assigned in increasing order. S2 has
//! `xmin > R > xid(T)`, so T had ended when S2 was taken. Had T committed, p would be visible
//! in S2; it is not, so T aborted or never wrote p, and p will never appear. Hence every
//! position below the last row returned is either returned or permanently empty: a reader
//! that has returned position P never later finds a committed event below P.
//!
//! Two details matter. First, S1's own xmax is *not* a usable bound: PostgreSQL computes it as
//! "latest completed xid + 1", so a running transaction whose xid is above every completed
//! one is in neither `xip` nor below `xmax` (`SELECT pg_current_snapshot()` shows `728:728:`
//! while xid 728 is still running). That is why an empty `xip`, or a later xmin at or above an
//! earlier xmax, proves nothing, and why the reader takes a real xid as its bound. Second, the
//! rule applies equally to the positions below the first visible row when reading from the
//! start: position 1 may belong to a transaction still in flight.
//!
//! Once a run is proved permanent it stays proved (every xid running later is above R), so
//! bounds are kept for other readers; the map is capped and forgets its lowest positions
//! first, which only costs a reader a fresh xid and a short wait.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// How much of a page of rows may be handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The first `keep` rows may be returned.
    pub keep: usize,
    /// Starts of the runs in the page that have no bound yet. One fresh xid bounds them all:
    /// each ends below a row visible in the same snapshot.
    pub unbounded: Vec<u64>,
}

/// Run start → an xid assigned after the run was first seen.
#[derive(Debug, Default)]
pub(crate) struct Gaps {
    bounds: Mutex<BTreeMap<u64, i64>>,
}

const MAX_REMEMBERED: usize = 65_536;

impl Gaps {
    /// Decides how many of `positions` (increasing, all ≥ `from`, read with a snapshot whose
    /// xmin is `xmin`) can be returned: those before the first run not proved permanent.
    pub fn cut(&self, from: u64, positions: impl IntoIterator<Item = u64>, xmin: i64) -> Cut {
        let bounds = self.lock();
        let mut expected = from.max(1);
        let mut keep = None;
        let mut unbounded = Vec::new();
        let mut count = 0;
        for (i, p) in positions.into_iter().enumerate() {
            count = i + 1;
            if p > expected {
                match bounds.get(&expected) {
                    Some(&r) if xmin > r => {}
                    known => {
                        keep.get_or_insert(i);
                        if known.is_none() {
                            unbounded.push(expected);
                        }
                    }
                }
            }
            expected = p + 1;
        }
        Cut {
            keep: keep.unwrap_or(count),
            unbounded,
        }
    }

    /// Remembers `bound`, an xid assigned after a snapshot in which runs starting at
    /// `run_starts` were seen.
    pub fn remember(&self, run_starts: &[u64], bound: i64) {
        let mut bounds = self.lock();
        for &start in run_starts {
            let entry = bounds.entry(start).or_insert(bound);
            // Any bound taken after some sighting of the run is valid; the lowest frees it
            // soonest.
            *entry = (*entry).min(bound);
        }
        while bounds.len() > MAX_REMEMBERED {
            bounds.pop_first();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, i64>> {
        // The map is consistent after every single insert, so a poisoned lock is still usable.
        self.bounds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(keep: usize, unbounded: &[u64]) -> Cut {
        Cut {
            keep,
            unbounded: unbounded.to_vec(),
        }
    }

    #[test]
    fn a_dense_page_is_whole() {
        assert_eq!(Gaps::default().cut(0, [1, 2, 3], 100), cut(3, &[]));
        assert_eq!(Gaps::default().cut(5, [5, 6], 100), cut(2, &[]));
    }

    #[test]
    fn a_missing_position_stops_the_page_until_proved_permanent() {
        let gaps = Gaps::default();
        assert_eq!(gaps.cut(0, [1, 2, 5, 6, 8], 100), cut(2, &[3, 7]));
        gaps.remember(&[3, 7], 120);
        // A snapshot that may still have the runs' writers in flight.
        assert_eq!(gaps.cut(0, [1, 2, 5, 6, 8], 120), cut(2, &[]));
        assert_eq!(gaps.cut(0, [1, 2, 5, 6, 8], 121), cut(5, &[]));
        // A shorter run starting at the same place is covered by the same bound.
        assert_eq!(gaps.cut(1, [1, 2, 4], 121), cut(3, &[]));
        // A run starting elsewhere is not.
        assert_eq!(gaps.cut(1, [1, 2, 3, 5], 121), cut(3, &[4]));
    }

    #[test]
    fn positions_below_the_first_visible_row_count_as_missing() {
        let gaps = Gaps::default();
        assert_eq!(gaps.cut(0, [3, 4], 100), cut(0, &[1]));
        // Reading from 3 does not care about 1 and 2.
        assert_eq!(gaps.cut(3, [3, 4], 100), cut(2, &[]));
    }

    #[test]
    fn the_lowest_bound_is_kept_and_the_map_is_capped() {
        let gaps = Gaps::default();
        gaps.remember(&[7], 50);
        gaps.remember(&[7], 40);
        gaps.remember(&[7], 60);
        assert_eq!(gaps.cut(7, [8], 41), cut(1, &[]));
        let many: Vec<u64> = (0..(MAX_REMEMBERED as u64 + 10))
            .map(|p| 1000 + p)
            .collect();
        gaps.remember(&many, 1);
        assert_eq!(gaps.lock().len(), MAX_REMEMBERED);
    }
}
