import SRTP
import Testing

/// SRTP sessions: keys split per RFC 5764 §4.2, packets protected by one side unprotected
/// by the other, tampering and replays refused.
@Suite struct SRTPSessionTests {
    /// RTP header (RFC 3550 §5.1): V=2, PT=96, sequence `sequence`, timestamp 3000, SSRC 0x11223344.
    static func rtpPacket(sequence: UInt16, payloadLength: Int = 100) -> [UInt8] {
        [0x80, 0x60, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0x00, 0x00, 0x0B, 0xB8, 0x11, 0x22, 0x33, 0x44]
            + (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// A receiver report (RFC 3550 §6.4.2) with no report blocks, SSRC 0x11223344.
    static let rtcpPacket: [UInt8] = [0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44]

    static func pair(_ profile: SRTPProfile) throws -> (client: SRTPSession, server: SRTPSession) {
        let exported = (0..<profile.keyingMaterialLength).map { UInt8($0 * 7 & 0xFF) }
        let client = try SRTPKeyingMaterial(exported: exported, profile: profile, isClient: true)
        let server = try SRTPKeyingMaterial(exported: exported, profile: profile, isClient: false)
        return (try SRTPSession(keys: client), try SRTPSession(keys: server))
    }

    @Test func keyingMaterialIsSplitClientKeyServerKeyClientSaltServerSalt() throws {
        let exported = (0..<56).map { UInt8($0) }
        let client = try SRTPKeyingMaterial(exported: exported, profile: .aeadAES128GCM, isClient: true)
        #expect(client.localMasterKey == Array(0..<16) + Array(32..<44))
        #expect(client.remoteMasterKey == Array(16..<32) + Array(44..<56))
        let server = try SRTPKeyingMaterial(exported: exported, profile: .aeadAES128GCM, isClient: false)
        #expect(server == client.mirrored)
        #expect(throws: SRTPKeyingMaterial.LengthError(expected: 60, actual: 56)) {
            try SRTPKeyingMaterial(exported: exported, profile: .aes128CMHMACSHA1_80, isClient: true)
        }
    }

    @Test(arguments: [(SRTPProfile.aeadAES128GCM, 16), (.aes128CMHMACSHA1_80, 10)])
    func rtpProtectedByOneSideIsUnprotectedByTheOther(profile: SRTPProfile, tagLength: Int) throws {
        let (client, server) = try Self.pair(profile)
        for sequence in UInt16(1)...20 {
            let plain = Self.rtpPacket(sequence: sequence)
            var packet = plain
            try client.protectRTP(&packet)
            #expect(packet.count == plain.count + tagLength)
            #expect(Array(packet[12..<plain.count]) != Array(plain[12...]))
            try server.unprotectRTP(&packet)
            #expect(packet == plain)
        }
        var reply = Self.rtpPacket(sequence: 7)
        try server.protectRTP(&reply)
        try client.unprotectRTP(&reply)
        #expect(reply == Self.rtpPacket(sequence: 7))
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtcpRoundTripsWithItsIndex(profile: SRTPProfile) throws {
        let (client, server) = try Self.pair(profile)
        var packet = Self.rtcpPacket
        try client.protectRTCP(&packet)
        #expect(packet.count > Self.rtcpPacket.count + 4)  // SRTCP index + tag (RFC 3711 §3.4)
        try server.unprotectRTCP(&packet)
        #expect(packet == Self.rtcpPacket)
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedPacketsFailAuthentication(profile: SRTPProfile) throws {
        let (client, server) = try Self.pair(profile)
        var packet = Self.rtpPacket(sequence: 1)
        try client.protectRTP(&packet)
        packet[40] ^= 0x01
        #expect(throws: SRTPError.authenticationFailed) { try server.unprotectRTP(&packet) }
        var wrongKey = Self.rtpPacket(sequence: 2)
        try server.protectRTP(&wrongKey)  // the server's own key: the server cannot verify it
        #expect(throws: SRTPError.authenticationFailed) { try server.unprotectRTP(&wrongKey) }
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayedPacketsAreRefused(profile: SRTPProfile) throws {
        let (client, server) = try Self.pair(profile)
        var packet = Self.rtpPacket(sequence: 1000)
        try client.protectRTP(&packet)
        var copy = packet
        try server.unprotectRTP(&packet)
        #expect(throws: SRTPError.replayed) { try server.unprotectRTP(&copy) }
        // Far older than the 128-packet window.
        var old = Self.rtpPacket(sequence: 1001)
        var newer = Self.rtpPacket(sequence: 1300)
        try client.protectRTP(&old)
        try client.protectRTP(&newer)
        try server.unprotectRTP(&newer)
        #expect(throws: SRTPError.replayed) { try server.unprotectRTP(&old) }
    }

    @Test func senderMayRetransmitTheSamePacketForNACK() throws {
        let (client, _) = try Self.pair(.aeadAES128GCM)
        var first = Self.rtpPacket(sequence: 5)
        var again = Self.rtpPacket(sequence: 5)
        try client.protectRTP(&first)
        try client.protectRTP(&again)
        #expect(first == again)
    }

    @Test func wrongLengthsAreRefused() throws {
        let (client, server) = try Self.pair(.aeadAES128GCM)
        var short: [UInt8] = [0x80, 0x60, 0, 1]
        #expect(throws: SRTPError.badLength(4)) { try server.unprotectRTP(&short) }
        var huge = [UInt8](repeating: 0x80, count: SRTPSession.maxPacketLength + 1)
        #expect(throws: SRTPError.badLength(SRTPSession.maxPacketLength + 1)) { try client.protectRTP(&huge) }
        let keys = SRTPKeyingMaterial(profile: .aeadAES128GCM, localMasterKey: [1, 2, 3], remoteMasterKey: [4])
        #expect(throws: SRTPError.badKeyLength(expected: 28, actual: 3)) { try SRTPSession(keys: keys) }
    }
}
