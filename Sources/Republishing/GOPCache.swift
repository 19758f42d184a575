import WebRTC

/// The video frames since the last keyframe (a group of pictures), kept packetized, so
/// that a viewer who joins — or asks for a keyframe the source cannot make — gets
/// decodable video at once instead of waiting for the source's next keyframe. Sans-I/O.
public struct GOPCache: Sendable {
    public struct Entry: Sendable {
        /// Output time (µs).
        public let time: Int64
        public let frame: PacketizedFrame
    }

    /// A GOP larger than this is not kept (a source with rare keyframes); the cache
    /// starts again at the next keyframe.
    public let byteLimit: Int
    public private(set) var entries: [Entry] = []
    public private(set) var bytes = 0
    /// Output time of the cached keyframe (µs), nil when nothing is cached.
    public var keyframeTime: Int64? { entries.first?.time }

    public init(byteLimit: Int = 16 << 20) {
        self.byteLimit = byteLimit
    }

    /// A video frame from the source (audio is not cached: it is live or nothing).
    public mutating func add(_ frame: SourceFrame, packetized: PacketizedFrame) {
        guard frame.kind == .video else { return }
        if frame.isKeyframe {
            clear()
        } else if entries.isEmpty {
            return  // Not decodable without the keyframe it depends on.
        }
        guard bytes + frame.data.count <= byteLimit else {
            clear()
            return
        }
        entries.append(Entry(time: frame.time, frame: packetized))
        bytes += frame.data.count
    }

    /// Forgets everything (the source restarted: its next frames do not follow these).
    public mutating func clear() {
        entries = []
        bytes = 0
    }
}
