-- The key store: keys that personal data in the log is encrypted with, one per data subject.
-- A destroyed key keeps its row, with key NULL, so "erased" is never confused with "lost".
CREATE TABLE subject_keys (
    id            text        PRIMARY KEY,
    key           bytea       CHECK (key IS NULL OR octet_length(key) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    destroyed_at  timestamptz,
    CHECK (key IS NOT NULL OR destroyed_at IS NOT NULL)
);
