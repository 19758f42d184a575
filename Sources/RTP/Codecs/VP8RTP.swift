/// VP8 over RTP (RFC 7741): a payload descriptor before each packet's part of the frame.
public enum VP8RTP {
    /// Payloads for one VP8 frame: descriptor with X=1, a 15-bit PictureID (M=1) that
    /// increments per frame, S=1 and partition 0 on the first packet (RFC 7741 §4.2).
    public struct Payloader: RTPPayloader {
        public var maxPayload: Int
        public private(set) var pictureID: UInt16

        public init(maxPayload: Int = RTPLimits.defaultMaxPayload, pictureID: UInt16 = UInt16.random(in: 0...0x7FFF)) {
            self.maxPayload = max(maxPayload, 8)
            self.pictureID = pictureID & 0x7FFF
        }

        public mutating func parts(for frame: [UInt8]) -> [RTPPayloadPart] {
            defer { pictureID = (pictureID + 1) & 0x7FFF }
            let chunk = maxPayload - 4
            var out: [RTPPayloadPart] = []
            out.reserveCapacity(frame.count / chunk + 1)
            var offset = 0
            repeat {
                let end = min(offset + chunk, frame.count)
                let start: UInt8 = offset == 0 ? 0x10 : 0
                let descriptor = UInt32(0x80 | start) << 24 | 0x80 << 16 | UInt32(0x8000 | pictureID)
                out.append(RTPPayloadPart(packedHeader: descriptor, headerCount: 4, range: offset..<end))
                offset = end
            } while offset < frame.count
            return out
        }
    }

    /// The length of a payload descriptor (RFC 7741 §4.2), nil when it runs past the payload.
    static func descriptorLength(_ payload: [UInt8]) -> Int? {
        guard let first = payload.first else { return nil }
        var length = 1
        if first & 0x80 != 0 {
            guard payload.count > 1 else { return nil }
            let extensions = payload[1]
            length += 1
            if extensions & 0x80 != 0 {
                guard payload.count > length else { return nil }
                length += payload[length] & 0x80 != 0 ? 2 : 1
            }
            if extensions & 0x40 != 0 { length += 1 }
            if extensions & 0x30 != 0 { length += 1 }
        }
        return length < payload.count ? length : nil
    }

    /// Whether a descriptor's first byte starts a frame: S=1 and partition 0 (RFC 7741 §4.2).
    static func startsFrame(_ descriptor: UInt8) -> Bool { descriptor & 0x10 != 0 && descriptor & 0x07 == 0 }

    /// Frames from packets in sequence order: a frame starts at S=1 with partition 0 and
    /// ends at the marker; a keyframe has P=0 in the VP8 payload header (RFC 6386 §9.1).
    public struct Depacketizer: RTPDepacketizer {
        public private(set) var droppedFrames = 0
        private var frame: [UInt8] = []
        private var timestamp: UInt32?
        private var first: UInt16 = 0
        private var last: UInt16 = 0
        private var damaged = false

        public init() {}

        public mutating func push(_ packet: RTPPacket) -> EncodedFrame? {
            guard let length = descriptorLength(packet.payload) else {
                damaged = true
                return nil
            }
            let startsFrame = startsFrame(packet.payload[0])
            if startsFrame {
                if timestamp != nil { droppedFrames += 1 }  // the previous frame never ended
                frame = []
                timestamp = packet.timestamp
                first = packet.sequenceNumber
                damaged = false
            } else if timestamp == nil || timestamp != packet.timestamp || packet.sequenceNumber != last &+ 1 {
                damaged = true
            }
            last = packet.sequenceNumber
            frame += packet.payload[length...]
            if frame.count > RTPLimits.maxFrameBytes { damaged = true }
            guard packet.marker else { return nil }
            defer {
                timestamp = nil
                frame = []
            }
            guard !damaged, timestamp != nil, let header = frame.first else {
                droppedFrames += 1
                damaged = false
                return nil
            }
            return EncodedFrame(data: frame, rtpTimestamp: packet.timestamp, isKeyframe: header & 0x01 == 0, firstSequence: first, lastSequence: last)
        }

        /// The first packet of a keyframe: S=1 with partition 0 (RFC 7741 §4.2) and P=0 in
        /// the VP8 payload header after the descriptor (RFC 6386 §9.1).
        public func canStartDecoding(_ packet: RTPPacket) -> Bool {
            guard let length = descriptorLength(packet.payload) else { return false }
            return startsFrame(packet.payload[0]) && packet.payload[length] & 0x01 == 0
        }
    }
}
