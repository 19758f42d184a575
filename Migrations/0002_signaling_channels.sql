-- Signaling channels (KVS CreateSignalingChannel …) and their tags.
CREATE TABLE signaling_channels (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    arn                 TEXT    NOT NULL UNIQUE,
    channel_type        TEXT    NOT NULL DEFAULT 'SINGLE_MASTER',
    message_ttl_seconds INTEGER NOT NULL CHECK (message_ttl_seconds BETWEEN 5 AND 120),
    version             TEXT    NOT NULL,
    created_at_ms       INTEGER NOT NULL
) STRICT;

CREATE TABLE signaling_channel_tags (
    channel_id INTEGER NOT NULL REFERENCES signaling_channels (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (channel_id, key)
) STRICT, WITHOUT ROWID;
