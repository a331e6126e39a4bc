-- Dossier event log, schema version 1.
-- position is the rowid: one writer assigns it in commit order, so it never skips.
CREATE TABLE events (
    position        INTEGER PRIMARY KEY,
    event_id        BLOB    NOT NULL UNIQUE,
    stream          TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL, -- microseconds since 1970-01-01 UTC
    payload         TEXT    NOT NULL, -- the exact JSON bytes written
    metadata        TEXT    NOT NULL, -- the exact JSON bytes written
    hash            BLOB    NOT NULL, -- SHA-256 chained to the previous event of the stream
    UNIQUE (stream, stream_version)
);

-- The head of every stream: what the next append is checked against and chained to.
CREATE TABLE streams (
    stream   TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL,
    hash     BLOB    NOT NULL
) WITHOUT ROWID;

-- Legal records: the log is append-only. Tampering needs someone to drop these first, and
-- `dossier verify` then names the changed event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
