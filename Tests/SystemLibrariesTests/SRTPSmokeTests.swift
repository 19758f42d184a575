import CSRTP
import Testing

/// libsrtp2 links and protects/unprotects a packet through the CSRTP module.
@Suite struct SRTPSmokeTests {
    @Test func protectThenUnprotectRestoresTheRTPPacket() throws {
        #expect(srtp_init() == srtp_err_status_ok)
        var key = [UInt8](repeating: 0, count: 30)
        for index in key.indices { key[index] = UInt8(index) }

        func makeSession(_ direction: srtp_ssrc_type_t) -> srtp_t? {
            var policy = srtp_policy_t()
            peergate_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            peergate_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
            policy.ssrc.type = direction
            policy.window_size = 128
            var session: srtp_t?
            let status = key.withUnsafeMutableBufferPointer { keyBuffer in
                policy.key = keyBuffer.baseAddress
                return srtp_create(&session, &policy)
            }
            return status == srtp_err_status_ok ? session : nil
        }
        let sender = try #require(makeSession(ssrc_any_outbound))
        let receiver = try #require(makeSession(ssrc_any_inbound))
        defer {
            srtp_dealloc(sender)
            srtp_dealloc(receiver)
        }

        // RTP header (RFC 3550 §5.1): V=2, PT=96, seq 1, ts 3000, SSRC 0x11223344, then payload.
        let plain: [UInt8] = [0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x0B, 0xB8, 0x11, 0x22, 0x33, 0x44] + Array(repeating: 0xAB, count: 100)
        var packet = plain + [UInt8](repeating: 0, count: Int(peergate_srtp_max_trailer_len()))
        var length = Int32(plain.count)
        #expect(srtp_protect(sender, &packet, &length) == srtp_err_status_ok)
        #expect(Int(length) == plain.count + 10)  // 80-bit authentication tag
        #expect(Array(packet[12..<Int(plain.count)]) != Array(plain[12...]))
        #expect(srtp_unprotect(receiver, &packet, &length) == srtp_err_status_ok)
        #expect(Array(packet[0..<Int(length)]) == plain)
    }
}
