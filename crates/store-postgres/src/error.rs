//! Driver and pool errors, mapped onto the port's errors: none crosses the port.

use event_store::StoreError;
use tokio_postgres::error::SqlState;

/// Why one attempt at a write transaction did not finish.
#[derive(Debug)]
pub(crate) enum Attempt {
    /// The answer for the caller (a conflict, a refused import, an outage).
    Done(StoreError),
    /// A race another transaction won (a unique key it committed first, a deadlock): run the
    /// whole transaction again, and the shared rules will see what that transaction wrote.
    Again(String),
}

impl From<StoreError> for Attempt {
    fn from(e: StoreError) -> Self {
        Attempt::Done(e)
    }
}

/// Maps a driver error met while writing: races become [`Attempt::Again`].
pub(crate) fn attempt_error(context: &str, e: &tokio_postgres::Error) -> Attempt {
    let race = e.code().is_some_and(|c| {
        *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
    });
    if race {
        Attempt::Again(describe(context, e))
    } else {
        Attempt::Done(store_error(context, e))
    }
}

/// Maps a driver error: damaged data is [`StoreError::Corrupt`], anything else
/// [`StoreError::Unavailable`].
pub(crate) fn store_error(context: &str, e: &tokio_postgres::Error) -> StoreError {
    let corrupt = e
        .code()
        .is_some_and(|c| *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED);
    if corrupt {
        StoreError::Corrupt(describe(context, e))
    } else {
        StoreError::Unavailable(describe(context, e))
    }
}

pub(crate) fn unavailable(context: &str, e: &tokio_postgres::Error) -> StoreError {
    StoreError::Unavailable(describe(context, e))
}

pub(crate) fn pool_error(e: &deadpool_postgres::PoolError) -> StoreError {
    StoreError::Unavailable(format!("no database connection: {e}"))
}

fn describe(context: &str, e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{context}: {} ({})", db.message(), db.code().code()),
        None => format!("{context}: {e}"),
    }
}
