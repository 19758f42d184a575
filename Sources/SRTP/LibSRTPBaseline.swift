import CSRTP

/// libsrtp driven by direct C calls on one preallocated buffer: the baseline that
/// `peergate bench webrtc` measures ``SRTPSession`` against (same keys, same packets).
public enum LibSRTPBaseline {
    /// Protects then unprotects `count` copies of `template` (its sequence number set to
    /// the index) and returns the time taken.
    public static func protectUnprotect(_ keys: SRTPKeyingMaterial, template: [UInt8], count: Int) throws(SRTPError) -> Duration {
        let sender = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: true, replayWindow: SRTPSession.replayWindow)
        let receiver = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: false, replayWindow: SRTPSession.replayWindow)
        var buffer = [UInt8](repeating: 0, count: template.count + SRTPContext.trailerCapacity)
        let start = ContinuousClock.now
        let failed = buffer.withUnsafeMutableBytes { pointer in
            template.withUnsafeBytes { source in
                for index in 0..<count {
                    pointer.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: template.count)
                    pointer[2] = UInt8(truncatingIfNeeded: index >> 8)
                    pointer[3] = UInt8(truncatingIfNeeded: index)
                    var length = Int32(template.count)
                    guard sender.rawProtect(pointer.baseAddress!, &length), receiver.rawUnprotect(pointer.baseAddress!, &length) else { return true }
                }
                return false
            }
        }
        if failed { throw .library(status: -1, operation: "baseline protect/unprotect") }
        return ContinuousClock.now - start
    }
}

extension LibSRTPBaseline {
    /// Protects each packet (copied into one preallocated buffer) and returns the time
    /// taken: the bare cost of the send path's encryption.
    public static func protect(_ keys: SRTPKeyingMaterial, packets: [[UInt8]]) throws(SRTPError) -> Duration {
        let sender = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: true, replayWindow: SRTPSession.replayWindow)
        return try run(packets) { sender.rawProtect($0, &$1) }
    }

    /// Protects the plain packets (untimed), then unprotects each copied into one
    /// preallocated buffer and returns the time taken: the bare cost of the receive path.
    public static func unprotect(_ keys: SRTPKeyingMaterial, plainPackets: [[UInt8]]) throws(SRTPError) -> Duration {
        let sender = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: true, replayWindow: SRTPSession.replayWindow)
        var protected: [[UInt8]] = []
        protected.reserveCapacity(plainPackets.count)
        for packet in plainPackets {
            var bytes = packet + [UInt8](repeating: 0, count: SRTPContext.trailerCapacity)
            var length = Int32(packet.count)
            let ok = bytes.withUnsafeMutableBytes { sender.rawProtect($0.baseAddress!, &length) }
            guard ok else { throw .library(status: -1, operation: "baseline protect") }
            protected.append(Array(bytes.prefix(Int(length))))
        }
        let receiver = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: false, replayWindow: SRTPSession.replayWindow)
        return try run(protected) { receiver.rawUnprotect($0, &$1) }
    }

    private static func run(_ packets: [[UInt8]], _ operation: (UnsafeMutableRawPointer, inout Int32) -> Bool) throws(SRTPError) -> Duration {
        let largest = packets.map(\.count).max() ?? 0
        var buffer = [UInt8](repeating: 0, count: largest + SRTPContext.trailerCapacity)
        let start = ContinuousClock.now
        let failed = buffer.withUnsafeMutableBytes { pointer in
            for packet in packets {
                packet.withUnsafeBytes { pointer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: packet.count) }
                var length = Int32(packet.count)
                guard operation(pointer.baseAddress!, &length) else { return true }
            }
            return false
        }
        if failed { throw .library(status: -1, operation: "baseline protect or unprotect") }
        return ContinuousClock.now - start
    }
}

extension SRTPContext {
    /// `srtp_protect` on caller-managed memory (the baseline only).
    func rawProtect(_ bytes: UnsafeMutableRawPointer, _ length: inout Int32) -> Bool {
        srtp_protect(context, bytes, &length) == srtp_err_status_ok
    }

    func rawUnprotect(_ bytes: UnsafeMutableRawPointer, _ length: inout Int32) -> Bool {
        srtp_unprotect(context, bytes, &length) == srtp_err_status_ok
    }
}
