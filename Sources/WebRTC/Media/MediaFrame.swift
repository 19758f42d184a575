import RTP
import SDP

/// A frame a ``PeerConnection`` received: which media section and codec, the frame, and
/// its wall-clock time (from RTCP sender reports, arrival time until the first one).
public struct ReceivedFrame: Sendable, Equatable {
    public var mid: String
    public var codec: SDPCodec
    public var ssrc: UInt32
    public var frame: EncodedFrame
    /// Unix seconds.
    public var wallClock: Double?

    public init(mid: String, codec: SDPCodec, ssrc: UInt32, frame: EncodedFrame, wallClock: Double?) {
        self.mid = mid
        self.codec = codec
        self.ssrc = ssrc
        self.frame = frame
        self.wallClock = wallClock
    }
}

/// W3C-style statistics of one received source (`RTCInboundRtpStreamStats`).
public struct InboundStreamStats: Sendable, Equatable {
    public var ssrc: UInt32
    public var mid: String
    public var packetsReceived = 0
    public var packetsLost: Int64 = 0
    /// Packets never received: the reorder buffer gave up waiting for them.
    public var packetsGivenUp = 0
    public var framesReceived = 0
    /// Frames not delivered: incomplete, or undecodable while a keyframe is awaited.
    public var framesDropped = 0
    public var nackCount = 0
    public var pliCount = 0
    public var jitterSeconds: Double = 0

    public init(ssrc: UInt32, mid: String) {
        self.ssrc = ssrc
        self.mid = mid
    }
}

/// W3C-style statistics of one sent source (`RTCOutboundRtpStreamStats`).
public struct OutboundStreamStats: Sendable, Equatable {
    public var ssrc: UInt32
    public var mid: String
    public var packetsSent = 0
    public var bytesSent = 0
    public var framesSent = 0
    public var retransmittedPackets = 0
    /// Packets a NACK asked for that were no longer held (too old): lost for good.
    public var retransmissionMisses = 0
    public var nackCount = 0
    public var pliCount = 0
    public var roundTripTime: Duration?
}
