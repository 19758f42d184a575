-- Secrets peergate generates itself when the configuration leaves them empty
-- (the SigV4 access key, the TURN REST secret), kept so they survive restarts.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
