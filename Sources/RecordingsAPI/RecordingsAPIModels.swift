/// JSON bodies of the recordings API (`/v1/recordings`, `/v1/channels/{name}/…`,
/// `/v1/segments/{id}`, `/v1/storage`), described in `Config/openapi.yaml`. Times are
/// RFC 3339 UTC text with microseconds; sizes are bytes; ids are the index's row ids.
public enum RecordingsAPI {
    /// A channel that has recordings.
    public struct ChannelSummary: Codable, Sendable, Equatable {
        public var channel: String
        public var segments: Int
        public var bytes: Int64
        /// Start of the oldest segment and end of the newest.
        public var first: String
        public var last: String

        public init(channel: String, segments: Int, bytes: Int64, first: String, last: String) {
            self.channel = channel
            self.segments = segments
            self.bytes = bytes
            self.first = first
            self.last = last
        }
    }

    public struct ChannelList: Codable, Sendable, Equatable {
        public var channels: [ChannelSummary]
        public init(channels: [ChannelSummary]) { self.channels = channels }
    }

    /// One recording: a continuous session of a channel.
    public struct Recording: Codable, Sendable, Equatable {
        public var id: Int64
        public var channel: String
        /// `viewer`, `master` or `recovered`.
        public var role: String
        public var peerClientId: String?
        public var videoCodec: String?
        public var audioCodec: String?
        public var started: String
        public var ended: String?
        /// `recording`, `complete` or `interrupted`.
        public var state: String

        public init(
            id: Int64, channel: String, role: String, peerClientId: String?, videoCodec: String?, audioCodec: String?, started: String, ended: String?,
            state: String
        ) {
            self.id = id
            self.channel = channel
            self.role = role
            self.peerClientId = peerClientId
            self.videoCodec = videoCodec
            self.audioCodec = audioCodec
            self.started = started
            self.ended = ended
            self.state = state
        }
    }

    public struct RecordingPage: Codable, Sendable, Equatable {
        public var recordings: [Recording]
        /// Pass as `next` for the following page; absent on the last one.
        public var nextToken: String?
        public init(recordings: [Recording], nextToken: String?) {
            self.recordings = recordings
            self.nextToken = nextToken
        }
    }

    /// One segment file.
    public struct Segment: Codable, Sendable, Equatable {
        public var id: Int64
        public var recordingId: Int64
        public var channel: String
        public var start: String
        public var end: String
        public var durationSeconds: Double
        public var bytes: Int64
        public var videoCodec: String?
        public var audioCodec: String?
        public var width: Int
        public var height: Int
        public var keyframes: Int
        public var frames: Int
        /// `open` (being written), `complete` or `missing` (the file is gone).
        public var state: String
        /// `video/mp4` or `video/webm`.
        public var contentType: String
        /// Where to download the file: `/v1/segments/{id}/file.mp4` (`.webm`, `.mkv`).
        public var file: String

        public init(
            id: Int64, recordingId: Int64, channel: String, start: String, end: String, durationSeconds: Double, bytes: Int64, videoCodec: String?,
            audioCodec: String?, width: Int, height: Int, keyframes: Int, frames: Int, state: String, contentType: String
        ) {
            self.id = id
            self.recordingId = recordingId
            self.channel = channel
            self.start = start
            self.end = end
            self.durationSeconds = durationSeconds
            self.bytes = bytes
            self.videoCodec = videoCodec
            self.audioCodec = audioCodec
            self.width = width
            self.height = height
            self.keyframes = keyframes
            self.frames = frames
            self.state = state
            self.contentType = contentType
            file = "/v1/segments/\(id)/file." + (contentType == "video/webm" ? "webm" : contentType == "video/x-matroska" ? "mkv" : "mp4")
        }
    }

    /// A span with no recorded media between two segments of the listing.
    public struct Gap: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var seconds: Double
        public init(from: String, to: String, seconds: Double) {
            self.from = from
            self.to = to
            self.seconds = seconds
        }
    }

    public struct SegmentPage: Codable, Sendable, Equatable {
        public var segments: [Segment]
        /// Gaps between the segments of this page (in time order).
        public var gaps: [Gap]
        public var nextToken: String?
        public init(segments: [Segment], gaps: [Gap], nextToken: String?) {
            self.segments = segments
            self.gaps = gaps
            self.nextToken = nextToken
        }
    }

    public struct ChannelStorage: Codable, Sendable, Equatable {
        public var channel: String
        public var segments: Int
        public var bytes: Int64
        public init(channel: String, segments: Int, bytes: Int64) {
            self.channel = channel
            self.segments = segments
            self.bytes = bytes
        }
    }

    /// Bytes per channel and what the recordings' file system has left.
    public struct StorageSummary: Codable, Sendable, Equatable {
        public var channels: [ChannelStorage]
        public var totalBytes: Int64
        public var freeBytes: Int64
        public var capacityBytes: Int64
        public init(channels: [ChannelStorage], totalBytes: Int64, freeBytes: Int64, capacityBytes: Int64) {
            self.channels = channels
            self.totalBytes = totalBytes
            self.freeBytes = freeBytes
            self.capacityBytes = capacityBytes
        }
    }

    /// What a delete removed.
    public struct DeleteResult: Codable, Sendable, Equatable {
        public var deletedSegments: Int
        public var deletedBytes: Int64
        /// Segments overlapping the range only in part, or still being written: kept.
        public var keptSegments: Int
        public init(deletedSegments: Int, deletedBytes: Int64, keptSegments: Int) {
            self.deletedSegments = deletedSegments
            self.deletedBytes = deletedBytes
            self.keptSegments = keptSegments
        }
    }

    /// Every error answer: `{"error": "...", "message": "..."}`.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: String
        public var message: String
        public init(error: String, message: String) {
            self.error = error
            self.message = message
        }
    }
}

extension RecordingsAPI {
    /// A channel being recorded.
    public struct Recorder: Codable, Sendable, Equatable {
        public var channel: String
        /// `viewer` (records what the master sends) or `master` (a recording per viewer).
        public var role: String
        public var since: String
        /// `config` (`recorders:` in the configuration) or `api`.
        public var origin: String

        public init(channel: String, role: String, since: String, origin: String) {
            self.channel = channel
            self.role = role
            self.since = since
            self.origin = origin
        }
    }

    public struct RecorderList: Codable, Sendable, Equatable {
        public var recorders: [Recorder]
        public init(recorders: [Recorder]) { self.recorders = recorders }
    }

    /// The body of `PUT /v1/channels/{name}/recorder` (optional).
    public struct StartRecorder: Codable, Sendable, Equatable {
        public var role: String?
        public init(role: String?) { self.role = role }
    }
}
