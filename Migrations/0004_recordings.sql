-- Recordings (one continuous session of a channel) and their fragmented-MP4 segments.
-- Times are Unix microseconds (wall clock). Paths are relative to storage.dataDir.
-- Ids are never reused (AUTOINCREMENT): the API hands them out in URLs.
CREATE TABLE recordings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('viewer', 'master', 'recovered')),
    peer_client_id  TEXT,
    video_codec     TEXT,
    audio_codec     TEXT,
    started_at_us   INTEGER NOT NULL,
    ended_at_us     INTEGER,
    state           TEXT    NOT NULL CHECK (state IN ('recording', 'complete', 'interrupted'))
) STRICT;

CREATE INDEX recordings_by_channel_start ON recordings (channel, started_at_us);

CREATE TABLE segments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recording_id    INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    channel         TEXT    NOT NULL,
    path            TEXT    NOT NULL UNIQUE,
    start_us        INTEGER NOT NULL,
    end_us          INTEGER NOT NULL,
    duration_us     INTEGER NOT NULL DEFAULT 0,
    bytes           INTEGER NOT NULL DEFAULT 0,
    video_codec     TEXT,
    audio_codec     TEXT,
    width           INTEGER NOT NULL DEFAULT 0,
    height          INTEGER NOT NULL DEFAULT 0,
    keyframes       INTEGER NOT NULL DEFAULT 0,
    frames          INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL CHECK (state IN ('open', 'complete', 'missing'))
) STRICT;

CREATE INDEX segments_by_channel_start ON segments (channel, start_us);
CREATE INDEX segments_by_recording ON segments (recording_id, start_us);
