//! Client errors, mapped onto the port's errors: none crosses the port.

use event_store::{ExpectedVersion, StoreError, StreamName};
use kurrentdb::{CurrentRevision, Error};

/// The version of a stream's last event, from the server's view of it.
pub(crate) fn actual_version(current: CurrentRevision) -> Option<u64> {
    match current {
        CurrentRevision::Current(v) => Some(v),
        CurrentRevision::NoStream => None,
    }
}

/// The server refused an append to `stream` because the stream was not at the revision sent;
/// the caller expected `expected`.
pub(crate) fn conflict(
    stream: &StreamName,
    expected: ExpectedVersion,
    current: CurrentRevision,
) -> StoreError {
    StoreError::WrongExpectedVersion {
        stream: stream.clone(),
        expected,
        actual: actual_version(current),
    }
}

/// Whether the client must be built anew: after a failed connection attempt the kurrentdb
/// client's connection task has ended, and every later call would answer "connection closed".
pub(crate) fn connection_lost(e: &Error) -> bool {
    matches!(e, Error::ConnectionClosed | Error::GrpcConnectionError(_))
}

/// Maps a client error met while doing `context`. Conflicts are mapped where the expected
/// version is known ([`conflict`]); here they only say what the server answered.
pub(crate) fn store_error(context: &str, e: &Error) -> StoreError {
    match e {
        // A deleted stream: something outside Dossier removed part of the log.
        Error::ResourceDeleted => {
            StoreError::Corrupt(format!("{context}: the stream was deleted in KurrentDB"))
        }
        Error::ServerError(message) | Error::Grpc { message, .. }
            if message.to_ascii_lowercase().contains("invalid position") =>
        {
            StoreError::InvalidRequest(format!(
                "{context}: KurrentDB cannot read from there; a read_all position must be \
                 Position::START, a position this store handed out, or its next()"
            ))
        }
        Error::AccessDenied => StoreError::Unavailable(format!(
            "{context}: access denied (the connection string's user lacks a permission Dossier needs)"
        )),
        Error::UnsupportedFeature => StoreError::Unavailable(format!(
            "{context}: the KurrentDB server does not support this operation"
        )),
        Error::WrongExpectedVersion { expected, current } => StoreError::Unavailable(format!(
            "{context}: unexpected conflict (sent {expected}, stream at {current})"
        )),
        other => StoreError::Unavailable(format!("{context}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use kurrentdb::{Endpoint, GrpcConnectionError, StreamState};

    use super::*;

    #[test]
    fn the_servers_current_revision_becomes_our_actual_version() {
        let s = StreamName::parse("dossier-1").unwrap();
        assert_eq!(
            conflict(&s, ExpectedVersion::Exact(1), CurrentRevision::Current(4)),
            StoreError::WrongExpectedVersion {
                stream: s.clone(),
                expected: ExpectedVersion::Exact(1),
                actual: Some(4)
            }
        );
        assert_eq!(
            conflict(&s, ExpectedVersion::Exact(0), CurrentRevision::NoStream),
            StoreError::WrongExpectedVersion {
                stream: s.clone(),
                expected: ExpectedVersion::Exact(0),
                actual: None
            }
        );
        assert_eq!(actual_version(CurrentRevision::Current(0)), Some(0));
    }

    #[test]
    fn connection_failures_are_unavailable_and_reset_the_client() {
        for e in [
            Error::ConnectionClosed,
            Error::GrpcConnectionError(GrpcConnectionError::MaxDiscoveryAttemptReached(3)),
            Error::GrpcConnectionError(GrpcConnectionError::Grpc("refused".into())),
        ] {
            assert!(connection_lost(&e), "{e}");
            assert!(
                matches!(store_error("append", &e), StoreError::Unavailable(_)),
                "{e}"
            );
        }
        for e in [
            Error::ServerError("node is shutting down".into()),
            Error::DeadlineExceeded,
            Error::NotLeaderException(Endpoint {
                host: "n2".into(),
                port: 2113,
            }),
            Error::AccessDenied,
            Error::UnsupportedFeature,
            Error::ResourceNotFound,
            Error::InternalClientError,
        ] {
            assert!(!connection_lost(&e), "{e}");
            let mapped = store_error("read", &e);
            assert!(
                matches!(mapped, StoreError::Unavailable(ref m) if m.starts_with("read: ")),
                "{e} → {mapped:?}"
            );
        }
        let stray = Error::WrongExpectedVersion {
            expected: StreamState::StreamRevision(1),
            current: CurrentRevision::Current(2),
        };
        assert!(matches!(
            store_error("append", &stray),
            StoreError::Unavailable(_)
        ));
    }

    #[test]
    fn deleted_streams_are_corrupt_and_bad_positions_invalid() {
        assert!(matches!(
            store_error("read", &Error::ResourceDeleted),
            StoreError::Corrupt(_)
        ));
        let bad = Error::ServerError(
            "status: Unknown, message: \"Trying to read from an invalid position.\"".into(),
        );
        assert!(matches!(
            store_error("read_all", &bad),
            StoreError::InvalidRequest(_)
        ));
    }
}
