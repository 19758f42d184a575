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

extension SRTPContext {
    /// `srtp_protect` on caller-managed memory (the baseline only).
    func rawProtect(_ bytes: UnsafeMutableRawPointer, _ length: inout Int32) -> Bool {
        srtp_protect(context, bytes, &length) == srtp_err_status_ok
    }

    func rawUnprotect(_ bytes: UnsafeMutableRawPointer, _ length: inout Int32) -> Bool {
        srtp_unprotect(context, bytes, &length) == srtp_err_status_ok
    }
}
