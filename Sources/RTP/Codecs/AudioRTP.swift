/// Audio codecs that put one frame in one packet: Opus (RFC 7587 §4.2) and G.711 PCMU/PCMA
/// (RFC 3551 §4.5.14). The marker is not used; every frame is a "keyframe".
public enum AudioRTP {
    public struct Payloader: RTPPayloader {
        public init() {}

        public mutating func parts(for frame: [UInt8]) -> [RTPPayloadPart] { [RTPPayloadPart(range: frame.indices)] }
    }

    public struct Depacketizer: RTPDepacketizer {
        public private(set) var droppedFrames = 0

        public init() {}

        public mutating func push(_ packet: RTPPacket) -> EncodedFrame? {
            guard !packet.payload.isEmpty else {
                droppedFrames += 1
                return nil
            }
            return EncodedFrame(data: packet.payload, rtpTimestamp: packet.timestamp, isKeyframe: true, firstSequence: packet.sequenceNumber, lastSequence: packet.sequenceNumber)
        }

        /// Every audio packet is a frame of its own.
        public func canStartDecoding(_ packet: RTPPacket) -> Bool { true }
    }
}
