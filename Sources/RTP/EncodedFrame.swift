/// A depacketized frame (a video access unit or an audio frame) with its RTP timing.
public struct EncodedFrame: Sendable, Equatable {
    /// H.264/H.265 as Annex B (start code before every NAL unit); VP8, Opus and G.711 as-is.
    public var data: [UInt8]
    public var rtpTimestamp: UInt32
    public var isKeyframe: Bool
    /// Sequence numbers of its first and last packets.
    public var firstSequence: UInt16
    public var lastSequence: UInt16

    public init(data: [UInt8], rtpTimestamp: UInt32, isKeyframe: Bool, firstSequence: UInt16, lastSequence: UInt16) {
        self.data = data
        self.rtpTimestamp = rtpTimestamp
        self.isKeyframe = isKeyframe
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
    }
}

/// Turns a frame into RTP payloads no larger than a maximum; the last one carries the marker.
public protocol RTPPayloader: Sendable {
    /// The payloads of one frame, each described against the frame.
    mutating func parts(for frame: [UInt8]) -> [RTPPayloadPart]
}

extension RTPPayloader {
    /// The payloads of one frame as bytes.
    public mutating func payloads(for frame: [UInt8]) -> [[UInt8]] {
        parts(for: frame).map { $0.bytes(of: frame) }
    }
}

/// Reassembles frames from RTP packets in sequence order (a reorder buffer sits in front).
/// A frame with a missing packet is dropped and counted, never emitted damaged.
public protocol RTPDepacketizer: Sendable {
    mutating func push(_ packet: RTPPacket) -> EncodedFrame?
    /// Frames dropped because a packet was missing or they broke a rule or a size cap.
    var droppedFrames: Int { get }
    /// Whether a decoder could start at this packet (a keyframe's first packet, for H.264
    /// and H.265 one with its parameter sets): a stream whose earliest packet could not
    /// lost its start and asks for the packets before it (``NACKGenerator``).
    func canStartDecoding(_ packet: RTPPacket) -> Bool
}

/// Largest frame reassembled (DESIGN §3: 8 MiB per access unit); bigger ones are dropped.
public enum RTPLimits {
    public static let maxFrameBytes = 8 << 20
    /// Payload bytes per packet: 1200-byte datagrams minus RTP, SRTP and extension overhead.
    public static let defaultMaxPayload = 1100
}
