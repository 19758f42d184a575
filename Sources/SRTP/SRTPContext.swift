import CSRTP

/// libsrtp is initialised once per process (`srtp_init` registers its cipher types), then
/// its AES and HMAC-SHA1 are replaced by OpenSSL's (``OpenSSLCipherTypes``) unless
/// ``SRTPCrypto/selected`` keeps libsrtp's own.
private let libraryStatus: srtp_err_status_t = {
    let status = srtp_init()
    guard status == srtp_err_status_ok, SRTPCrypto.selected == .openSSL else { return status }
    return OpenSSLCipherTypes.install()
}()

/// One libsrtp context: every SSRC in one direction (`ssrc_any_outbound` to protect,
/// `ssrc_any_inbound` to unprotect) under one master key. Owned by ``SRTPSession``; the C
/// pointer never leaves this file.
final class SRTPContext {
    let context: OpaquePointer
    /// Bytes `srtp_protect` / `srtp_protect_rtcp` append with this policy (the tag; for SRTCP
    /// also the E flag and index, RFC 3711 §3.4), so a packet grows by no more than needed.
    let rtpTrailer: Int
    let rtcpTrailer: Int

    /// Spare bytes `srtp_protect` may append (tag, SRTCP index).
    static let trailerCapacity = Int(peergate_srtp_max_trailer_len())

    init(profile: SRTPProfile, masterKey: [UInt8], outbound: Bool, replayWindow: Int) throws(SRTPError) {
        guard libraryStatus == srtp_err_status_ok else {
            throw .library(status: Int32(libraryStatus.rawValue), operation: "srtp_init")
        }
        let expected = profile.keyLength + profile.saltLength
        guard masterKey.count == expected else { throw .badKeyLength(expected: expected, actual: masterKey.count) }
        var policy = srtp_policy_t()
        switch profile {
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aes128CMHMACSHA1_80:
            peergate_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            peergate_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        }
        policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = UInt(replayWindow)
        // A retransmission without RTX re-sends a packet index already protected (RFC 4585
        // generic NACK); the sender side must allow that, the receiver side never does.
        policy.allow_repeat_tx = outbound ? 1 : 0
        var created: srtp_t?
        var key = masterKey
        let status = key.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&created, &policy)
        }
        guard status == srtp_err_status_ok, let created else {
            throw .library(status: Int32(status.rawValue), operation: "srtp_create")
        }
        context = created
        var rtp: UInt32 = 0
        var rtcp: UInt32 = 0
        rtpTrailer = srtp_get_protect_trailer_length(created, 0, 0, &rtp) == srtp_err_status_ok ? Int(rtp) : Self.trailerCapacity
        rtcpTrailer = srtp_get_protect_rtcp_trailer_length(created, 0, 0, &rtcp) == srtp_err_status_ok ? Int(rtcp) : Self.trailerCapacity
    }

    deinit { srtp_dealloc(context) }

    /// What each operation does to the bytes in place.
    enum Operation: String {
        case protectRTP = "srtp_protect"
        case unprotectRTP = "srtp_unprotect"
        case protectRTCP = "srtp_protect_rtcp"
        case unprotectRTCP = "srtp_unprotect_rtcp"
    }

    /// Runs `operation` on `packet` in place; protecting grows it by the tag, unprotecting
    /// shrinks it.
    func apply(_ operation: Operation, to packet: inout [UInt8]) throws(SRTPError) {
        let originalLength = packet.count
        let growth = operation == .protectRTP ? rtpTrailer : operation == .protectRTCP ? rtcpTrailer : 0
        let grows = growth > 0
        if grows { packet.append(contentsOf: repeatElement(0, count: growth)) }
        var length = Int32(originalLength)
        let status = packet.withUnsafeMutableBytes { buffer -> srtp_err_status_t in
            let base = buffer.baseAddress
            switch operation {
            case .protectRTP: return srtp_protect(context, base, &length)
            case .unprotectRTP: return srtp_unprotect(context, base, &length)
            case .protectRTCP: return srtp_protect_rtcp(context, base, &length)
            case .unprotectRTCP: return srtp_unprotect_rtcp(context, base, &length)
            }
        }
        guard status == srtp_err_status_ok else {
            if grows { packet.removeLast(growth) }
            switch status {
            case srtp_err_status_auth_fail: throw .authenticationFailed
            case srtp_err_status_replay_fail, srtp_err_status_replay_old: throw .replayed
            default: throw .library(status: Int32(status.rawValue), operation: operation.rawValue)
            }
        }
        packet.removeLast(packet.count - Int(length))
    }
}
