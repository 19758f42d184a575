import SRTP

/// SRTP protect + unprotect throughput on one core: peergate's `SRTPSession` next to bare
/// libsrtp calls on a preallocated buffer (the anchor), same keys, same packets.
public struct SRTPBenchmark: Sendable {
    public let packets: Int
    public let payloadBytes: Int

    public init(packets: Int, payloadBytes: Int) {
        self.packets = packets
        self.payloadBytes = payloadBytes
    }

    public struct Result: Sendable {
        public let profile: SRTPProfile
        /// Packets protected and then unprotected per second.
        public let wrapperPacketsPerSecond: Double
        public let barePacketsPerSecond: Double
    }

    static func keys(_ profile: SRTPProfile) -> SRTPKeyingMaterial {
        let exported = (0..<profile.keyingMaterialLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        // The split cannot fail: the length is the profile's.
        return (try? SRTPKeyingMaterial(exported: exported, profile: profile, isClient: true))
            ?? SRTPKeyingMaterial(profile: profile, localMasterKey: [], remoteMasterKey: [])
    }

    /// RTP header (RFC 3550 §5.1) with a sequence number, then the payload.
    func packet(sequence: UInt16) -> [UInt8] {
        [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0, 0x11, 0x22, 0x33, 0x44]
            + [UInt8](repeating: 0xA5, count: payloadBytes)
    }

    public func run(_ profile: SRTPProfile) throws -> Result {
        let keys = Self.keys(profile)
        return Result(profile: profile, wrapperPacketsPerSecond: try wrapper(keys), barePacketsPerSecond: try bare(keys))
    }

    private func wrapper(_ keys: SRTPKeyingMaterial) throws -> Double {
        let sender = try SRTPSession(keys: keys)
        let receiver = try SRTPSession(keys: keys.mirrored)
        var template = packet(sequence: 0)
        let start = ContinuousClock.now
        for index in 0..<packets {
            template[2] = UInt8(truncatingIfNeeded: index >> 8)
            template[3] = UInt8(truncatingIfNeeded: index)
            var packet = template
            try sender.protectRTP(&packet)
            try receiver.unprotectRTP(&packet)
        }
        return Double(packets) / Self.seconds(ContinuousClock.now - start)
    }

    private func bare(_ keys: SRTPKeyingMaterial) throws -> Double {
        Double(packets) / Self.seconds(try LibSRTPBaseline.protectUnprotect(keys, template: packet(sequence: 0), count: packets))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
