-- Schema version 2: the key store (keys that personal data in the log is encrypted with).
-- A destroyed key keeps its row, with key NULL, so "erased" is never confused with "lost".
CREATE TABLE subject_keys (
    id            TEXT    PRIMARY KEY,
    key           BLOB,             -- 32 bytes; NULL once destroyed
    created_at    INTEGER NOT NULL, -- microseconds since 1970-01-01 UTC
    destroyed_at  INTEGER           -- microseconds since 1970-01-01 UTC
) WITHOUT ROWID
