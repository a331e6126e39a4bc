//! Our [`Position`] ↔ KurrentDB's `$all` position (commit, prepare).
//!
//! Every event this adapter writes is one prepare record of an implicit transaction, so its
//! `$all` position is `(L, L)`: commit and prepare are both the log position `L` of its own
//! record, distinct for every event, also for the events of one multi-event append (see the
//! crate docs for the sources). Reading `$all` forward from `(L, L)` is valid and returns that
//! event first (the start is inclusive); reading from any other number may hit the middle of a
//! record, which the server refuses ("invalid position") or, worse, misreads.
//!
//! So our position of the event at `L` is `2·(L + 1)`: always even, and strictly increasing in
//! `$all` order because `L` is. Its [`Position::next`] is odd. [`resume_point`] maps both back
//! to the same valid start `(L, L)`; the reader then keeps the events at or after the asked
//! position, which drops the event at `L` exactly when the asked position was odd. Positions 0
//! and 1 read from the start of `$all`. No position this adapter hands out, nor its `next()`,
//! makes the server start inside a record.

use event_store::Position;

/// A position in KurrentDB's `$all`, as the client reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct AllPosition {
    pub commit: u64,
    pub prepare: u64,
}

impl AllPosition {
    pub fn of(p: kurrentdb::Position) -> Self {
        Self {
            commit: p.commit,
            prepare: p.prepare,
        }
    }

    pub fn to_client(self) -> kurrentdb::Position {
        kurrentdb::Position {
            commit: self.commit,
            prepare: self.prepare,
        }
    }
}

/// Why a KurrentDB position is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unpositioned {
    /// The server did not say (a stream read on a server before 22.6, which does not report
    /// `$all` positions there, or an append answered without a position).
    Unknown,
    /// Commit and prepare differ: the event was committed by a separate commit record (an
    /// explicit transaction), which this adapter never writes. A single number could not
    /// resume inside such a commit, so such events are never handed out.
    SharedCommit(AllPosition),
}

/// Our position of an event at `$all` position `p`.
pub(crate) fn to_position(p: AllPosition) -> Result<Position, Unpositioned> {
    // u64::MAX is the "no position" the server sends where it does not know one.
    if p.commit == u64::MAX || p.prepare == u64::MAX || (p.commit == 0 && p.prepare == 0) {
        return Err(Unpositioned::Unknown);
    }
    if p.commit != p.prepare {
        return Err(Unpositioned::SharedCommit(p));
    }
    p.commit
        .checked_add(1)
        .and_then(|n| n.checked_mul(2))
        .map(Position)
        .ok_or(Unpositioned::Unknown)
}

/// Where a forward read of `$all` must start so that it returns every event at or after
/// `from`: `None` for the start of `$all`. The caller still drops events below `from`.
pub(crate) fn resume_point(from: Position) -> Option<AllPosition> {
    let log_position = (from.0 / 2).checked_sub(1)?;
    Some(AllPosition {
        commit: log_position,
        prepare: log_position,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(l: u64) -> AllPosition {
        AllPosition {
            commit: l,
            prepare: l,
        }
    }

    #[test]
    fn own_commits_map_to_even_increasing_positions() {
        assert_eq!(to_position(at(0x1f4)), Ok(Position(1002)));
        let logs = [120, 250, 251_000, 1 << 40, (1 << 62) + 7];
        let ours: Vec<Position> = logs.iter().map(|&l| to_position(at(l)).unwrap()).collect();
        assert!(ours.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ours.iter()
                .all(|p| p.0 % 2 == 0 && p > &Position::START.next())
        );
    }

    #[test]
    fn positions_without_an_own_commit_are_refused() {
        assert_eq!(
            to_position(AllPosition {
                commit: u64::MAX,
                prepare: u64::MAX
            }),
            Err(Unpositioned::Unknown)
        );
        assert_eq!(to_position(at(0)), Err(Unpositioned::Unknown));
        let shared = AllPosition {
            commit: 900,
            prepare: 300,
        };
        assert_eq!(to_position(shared), Err(Unpositioned::SharedCommit(shared)));
        assert_eq!(to_position(at(u64::MAX - 1)), Err(Unpositioned::Unknown));
    }

    #[test]
    fn a_position_and_its_next_resume_at_the_events_own_record() {
        for l in [128, 5_000, 1 << 41] {
            let p = to_position(at(l)).unwrap();
            assert_eq!(resume_point(p), Some(at(l)), "inclusive");
            assert_eq!(
                resume_point(p.next()),
                Some(at(l)),
                "exclusive: same start, event dropped"
            );
            assert!(p.next() > p && to_position(at(l + 1)).unwrap() > p.next());
        }
        assert_eq!(resume_point(Position::START), None);
        assert_eq!(resume_point(Position::START.next()), None);
    }
}
