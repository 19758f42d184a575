/// The frame bookkeeping the H.264 and H.265 depacketizers share: packets of one RTP
/// timestamp in sequence, NAL units written straight into the Annex B frame (fragments
/// joined in place), damage from gaps or caps, and the frame emitted at the marker only
/// when whole.
struct NALFrameAssembler: Sendable {
    private(set) var droppedFrames = 0
    /// Set when a packet is missing or breaks a rule: the frame will be dropped.
    var damaged = false
    /// The frame so far: each unit after a 4-byte start code.
    private var frame: [UInt8] = []
    /// The first byte (NAL header) of each unit, for the keyframe test.
    private var unitHeads: [UInt8] = []
    /// Whether a fragmented NAL unit (FU-A, RFC 6184 §5.8; FU, RFC 7798 §4.4.3) is open.
    private var inFragment = false
    private var timestamp: UInt32?
    private var first: UInt16 = 0
    private var last: UInt16 = 0
    /// Whether a frame carrying a sequence parameter set was emitted: until then a random
    /// access picture alone (its parameter-set packet lost before the stream's first packet
    /// arrived) cannot start decoding (RFC 6184 §8.4; RFC 7798 §7.1) and is no keyframe.
    private var parameterSetsSeen = false

    static let startCode: [UInt8] = [0, 0, 0, 1]

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
    mutating func append(_ unit: some Collection<UInt8>) {
        guard let head = unit.first else { return }
        guard frame.count + 4 + unit.count <= RTPLimits.maxFrameBytes else { return damaged = true }
        frame.append(contentsOf: Self.startCode)
        frame.append(contentsOf: unit)
        unitHeads.append(head)
    }

    /// Starts a fragmented unit with its reconstructed header.
    mutating func startFragment(header: [UInt8]) {
        if inFragment { damaged = true }
        guard let head = header.first else { return damaged = true }
        inFragment = true
        frame.append(contentsOf: Self.startCode)
        frame.append(contentsOf: header)
        unitHeads.append(head)
    }

    /// Adds fragment bytes; `end` closes the unit.
    mutating func continueFragment(_ bytes: ArraySlice<UInt8>, end: Bool) {
        guard inFragment else { return damaged = true }
        guard frame.count + bytes.count <= RTPLimits.maxFrameBytes else { return damaged = true }
        frame.append(contentsOf: bytes)
        if end { inFragment = false }
    }

    /// At the marker: the frame as Annex B, or nil (dropped and counted) when damaged. It is
    /// a keyframe when it has a keyframe unit and a sequence parameter set came with it or
    /// before it.
    mutating func finish(_ packet: RTPPacket, isKeyframeUnit: (UInt8) -> Bool, isSequenceParameterSet: (UInt8) -> Bool) -> EncodedFrame? {
        defer { reset(dropping: false) }
        guard !damaged, !inFragment, !unitHeads.isEmpty else {
            droppedFrames += 1
            return nil
        }
        var data: [UInt8] = []
        swap(&data, &frame)
        if unitHeads.contains(where: isSequenceParameterSet) { parameterSetsSeen = true }
        return EncodedFrame(
            data: data, rtpTimestamp: packet.timestamp, isKeyframe: parameterSetsSeen && unitHeads.contains(where: isKeyframeUnit),
            firstSequence: first, lastSequence: last)
    }

    private mutating func reset(dropping: Bool) {
        if dropping { droppedFrames += 1 }
        frame.removeAll(keepingCapacity: true)
        unitHeads.removeAll(keepingCapacity: true)
        inFragment = false
        timestamp = nil
        damaged = false
    }
}
