-- The event log and the head of every stream.
--
-- Positions come from a sequence with CACHE 1, so they are handed out in increasing order
-- across all sessions, and only through next_event_position, which gives the inserting
-- transaction its id before its position, whoever inserts (readers rely on both; see
-- src/gaps.rs). Payload and metadata are TEXT: the exact bytes written (the port only accepts
-- UTF-8 JSON), readable in psql, never re-serialised as jsonb would. recorded_at is
-- microseconds since the Unix epoch, the value the hash covers. schema_version is bigint so
-- every u32 the port accepts fits. tx is the id of the transaction that wrote the row.

CREATE SEQUENCE event_position AS bigint START 1 CACHE 1;

-- The sequence is passed as a regclass, resolved once when the default below is created, so
-- the function works whatever the caller's search_path.
CREATE FUNCTION next_event_position(seq regclass) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval(seq);
END
$$;

CREATE TABLE events (
    position       bigint PRIMARY KEY DEFAULT next_event_position('event_position'),
    event_id       uuid   NOT NULL UNIQUE,
    stream         text   NOT NULL,
    stream_version bigint NOT NULL CHECK (stream_version >= 0),
    event_type     text   NOT NULL,
    schema_version bigint NOT NULL CHECK (schema_version BETWEEN 0 AND 4294967295),
    recorded_at    bigint NOT NULL,
    payload        text   NOT NULL,
    metadata       text   NOT NULL,
    hash           bytea  NOT NULL CHECK (length(hash) = 32),
    tx             xid8   NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (stream, stream_version)
);

ALTER SEQUENCE event_position OWNED BY events.position;

-- One row per stream: its last event. Appends lock this row (SELECT ... FOR UPDATE), which
-- serialises the writers of one stream and nothing else.
CREATE TABLE streams (
    stream  text   PRIMARY KEY,
    version bigint NOT NULL CHECK (version >= 0),
    hash    bytea  NOT NULL CHECK (length(hash) = 32)
);

-- Append-only at the database level: stored events are legal records.
CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dossier events are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();
