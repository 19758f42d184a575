import GRDB

/// One recording: a continuous session of a channel (rows of `recordings`).
public struct RecordingRow: Sendable, Equatable {
    public enum Role: String, Sendable {
        case viewer
        case master
        /// Made by start-up reconciliation for segment files that had no row.
        case recovered
    }

    public enum State: String, Sendable {
        case recording
        case complete
        /// The recorder stopped without closing it (crash, power loss); closed at start-up.
        case interrupted
    }

    public var id: Int64
    public var channel: String
    public var role: Role
    /// The viewer's client id when recording as master.
    public var peerClientID: String?
    public var videoCodec: String?
    public var audioCodec: String?
    /// Unix microseconds.
    public var startedAt: Int64
    public var endedAt: Int64?
    public var state: State

    init(row: Row) {
        id = row["id"]
        channel = row["channel"]
        role = Role(rawValue: row["role"]) ?? .recovered
        peerClientID = row["peer_client_id"]
        videoCodec = row["video_codec"]
        audioCodec = row["audio_codec"]
        startedAt = row["started_at_us"]
        endedAt = row["ended_at_us"]
        state = State(rawValue: row["state"]) ?? .interrupted
    }
}

/// One fragmented-MP4 file of a recording (rows of `segments`).
public struct SegmentRow: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Being written (or the writer died; reconciliation closes it).
        case open
        case complete
        /// The row outlived its file.
        case missing
    }

    /// The id of a row not (yet) in the index.
    public static let unsaved: Int64 = 0

    public var id: Int64
    public var recordingID: Int64
    public var channel: String
    /// Relative to the data directory.
    public var path: String
    /// Wall clock of the first frame and of the end of the last one, Unix microseconds.
    public var start: Int64
    public var end: Int64
    public var duration: Int64
    public var bytes: Int64
    public var videoCodec: String?
    public var audioCodec: String?
    public var width: Int
    public var height: Int
    public var keyframes: Int
    public var frames: Int
    public var state: State

    public init(
        id: Int64 = 0, recordingID: Int64, channel: String, path: String, start: Int64, end: Int64? = nil, duration: Int64 = 0, bytes: Int64 = 0,
        videoCodec: String?, audioCodec: String?, width: Int = 0, height: Int = 0, keyframes: Int = 0, frames: Int = 0, state: State = .open
    ) {
        self.id = id
        self.recordingID = recordingID
        self.channel = channel
        self.path = path
        self.start = start
        self.end = end ?? start
        self.duration = duration
        self.bytes = bytes
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.width = width
        self.height = height
        self.keyframes = keyframes
        self.frames = frames
        self.state = state
    }

    /// The columns ``init(row:)`` reads, in its order (read by position: listing a day of
    /// segments decodes thousands of rows).
    static let columns = "id, recording_id, channel, path, start_us, end_us, duration_us, bytes, video_codec, audio_codec, width, height, keyframes, frames, state"

    init(row: Row) {
        self.init(
            id: row[0], recordingID: row[1], channel: row[2], path: row[3], start: row[4], end: row[5], duration: row[6], bytes: row[7], videoCodec: row[8],
            audioCodec: row[9], width: row[10], height: row[11], keyframes: row[12], frames: row[13], state: State(rawValue: row[14]) ?? .open)
    }
}
