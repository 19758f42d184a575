/// The frame bookkeeping the H.264 and H.265 depacketizers share: packets of one RTP
/// timestamp in sequence, NAL units collected (fragments joined), damage from gaps or caps,
/// and the frame emitted at the marker only when whole.
struct NALFrameAssembler: Sendable {
    private(set) var droppedFrames = 0
    /// A fragmented NAL unit being joined (FU-A, RFC 6184 §5.8; FU, RFC 7798 §4.4.3).
    var fragment: [UInt8]?
    /// Set when a packet is missing or breaks a rule: the frame will be dropped.
    var damaged = false
    private var units: [[UInt8]] = []
    private var timestamp: UInt32?
    private var first: UInt16 = 0
    private var last: UInt16 = 0
    private var size = 0

    /// Takes a packet's place in the frame: a new timestamp before the last frame's marker
    /// drops that frame; a sequence gap damages this one.
    mutating func begin(_ packet: RTPPacket) {
        if let timestamp, timestamp != packet.timestamp { reset(dropping: true) }
        if timestamp == nil {
            timestamp = packet.timestamp
            first = packet.sequenceNumber
        } else if packet.sequenceNumber != last &+ 1 {
            damaged = true
        }
        last = packet.sequenceNumber
    }

    /// Adds a whole NAL unit, within the frame size cap.
    mutating func append(_ unit: [UInt8]) {
        size += unit.count
        if size > RTPLimits.maxFrameBytes { damaged = true } else { units.append(unit) }
    }

    /// Starts a fragmented unit with its reconstructed header.
    mutating func startFragment(header: [UInt8]) {
        if fragment != nil { damaged = true }
        fragment = header
    }

    /// Adds fragment bytes; with `end` the joined unit is appended.
    mutating func continueFragment(_ bytes: ArraySlice<UInt8>, end: Bool) {
        guard fragment != nil else { return damaged = true }
        fragment?.append(contentsOf: bytes)
        if (fragment?.count ?? 0) > RTPLimits.maxFrameBytes { damaged = true }
        if end, let unit = fragment {
            fragment = nil
            append(unit)
        }
    }

    /// At the marker: the frame as Annex B, or nil (dropped and counted) when damaged.
    mutating func finish(_ packet: RTPPacket, isKeyframeUnit: ([UInt8]) -> Bool) -> EncodedFrame? {
        defer { reset(dropping: false) }
        guard !damaged, fragment == nil, !units.isEmpty else {
            droppedFrames += 1
            return nil
        }
        return EncodedFrame(
            data: AnnexB.join(units), rtpTimestamp: packet.timestamp, isKeyframe: units.contains(where: isKeyframeUnit),
            firstSequence: first, lastSequence: last)
    }

    private mutating func reset(dropping: Bool) {
        if dropping { droppedFrames += 1 }
        units = []
        fragment = nil
        timestamp = nil
        damaged = false
        size = 0
    }
}
