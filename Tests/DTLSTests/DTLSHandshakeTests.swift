import DTLS
import Foundation
import SRTP
import Testing

/// Two DTLS endpoints in memory: handshake, fingerprint check, SRTP key export,
/// retransmission and close (RFC 6347, RFC 5764).
@Suite struct DTLSHandshakeTests {
    /// A client and a server that expect each other's certificates.
    static func pair(clientExpects: DTLSFingerprint? = nil) throws -> (client: DTLSEndpoint, server: DTLSEndpoint) {
        let clientCertificate = try DTLSCertificate()
        let serverCertificate = try DTLSCertificate()
        let client = try DTLSEndpoint(role: .client, certificate: clientCertificate, remoteFingerprint: clientExpects ?? serverCertificate.fingerprint)
        let server = try DTLSEndpoint(role: .server, certificate: serverCertificate, remoteFingerprint: clientCertificate.fingerprint)
        return (client, server)
    }

    /// Passes datagrams both ways until neither side has anything to send; returns every
    /// datagram's size.
    @discardableResult
    static func exchange(_ client: DTLSEndpoint, _ server: DTLSEndpoint, rounds: Int = 10) -> [Int] {
        var sizes: [Int] = []
        for _ in 0..<rounds {
            let fromClient = client.takeDatagrams()
            fromClient.forEach { server.receive($0) }
            let fromServer = server.takeDatagrams()
            fromServer.forEach { client.receive($0) }
            sizes += (fromClient + fromServer).map(\.count)
            if fromClient.isEmpty && fromServer.isEmpty { break }
        }
        return sizes
    }

    static func keys(_ state: DTLSEndpoint.State) -> SRTPKeyingMaterial? {
        if case .connected(let keys) = state { keys } else { nil }
    }

    @Test func handshakeExportsMirroredSRTPKeysWithTheGCMProfile() throws {
        let (client, server) = try Self.pair()
        client.start()
        let sizes = Self.exchange(client, server)
        let clientKeys = try #require(Self.keys(client.state))
        let serverKeys = try #require(Self.keys(server.state))
        #expect(clientKeys.profile == .aeadAES128GCM)
        #expect(clientKeys == serverKeys.mirrored)
        #expect(clientKeys.localMasterKey != clientKeys.remoteMasterKey)
        #expect(sizes.allSatisfy { $0 <= DTLSEndpoint.defaultMTU })

        // An RTP packet protected by one side is unprotected by the other.
        let plain: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0xCA, 0xFE, 0xBA, 0xBE] + Array(repeating: 7, count: 50)
        var packet = plain
        try SRTPSession(keys: clientKeys).protectRTP(&packet)
        try SRTPSession(keys: serverKeys).unprotectRTP(&packet)
        #expect(packet == plain)
    }

    @Test func handshakeDatagramsStayWithinTheMTUAndStartWithAContentType() throws {
        let (client, server) = try Self.pair()
        client.start()
        var datagrams: [[UInt8]] = []
        for _ in 0..<10 {
            let fromClient = client.takeDatagrams()
            fromClient.forEach { server.receive($0) }
            let fromServer = server.takeDatagrams()
            fromServer.forEach { client.receive($0) }
            datagrams += fromClient + fromServer
            if fromClient.isEmpty && fromServer.isEmpty { break }
        }
        #expect(datagrams.count >= 4)
        #expect(datagrams.allSatisfy { $0.count <= DTLSEndpoint.defaultMTU })
        // RFC 7983: DTLS datagrams start with a content type 20–63.
        #expect(datagrams.allSatisfy { (20...63).contains($0[0]) })
    }

    @Test func aCertificateThatDoesNotMatchTheSDPFingerprintFailsTheConnection() throws {
        let impostor = try DTLSCertificate()
        let (client, server) = try Self.pair(clientExpects: impostor.fingerprint)
        client.start()
        Self.exchange(client, server)
        guard case .failed(.fingerprintMismatch(let expected, _)) = client.state else {
            Issue.record("client state \(client.state)")
            return
        }
        #expect(expected == impostor.fingerprint.hex)
        #expect(Self.keys(client.state) == nil)
    }

    @Test func aLostFlightIsRetransmittedWhenTheTimerExpires() async throws {
        let (client, server) = try Self.pair()
        client.start()
        #expect(client.takeDatagrams().count == 1)  // ClientHello lost
        let delay = try #require(client.retransmissionDelay)
        #expect(delay > .zero && delay <= .seconds(1))
        try await Task.sleep(for: delay + .milliseconds(20))
        client.handleTimeout()
        Self.exchange(client, server)
        #expect(Self.keys(client.state) != nil)
        #expect(Self.keys(server.state) != nil)
    }

    /// With the path's round trip known (ICE measured it), a lost flight comes again after
    /// three round trips (within 250 ms … 1 s) instead of 1 s, and each retry doubles that.
    @Test func aKnownRoundTripSetsTheFirstRetransmissionWait() async throws {
        #expect(DTLSEndpoint.initialRetransmissionTimeout(roundTripTime: .milliseconds(200)) == .milliseconds(600))
        #expect(DTLSEndpoint.initialRetransmissionTimeout(roundTripTime: .milliseconds(1)) == .milliseconds(250))
        #expect(DTLSEndpoint.initialRetransmissionTimeout(roundTripTime: .seconds(2)) == .seconds(1))
        let (client, server) = try Self.pair()
        client.setInitialRetransmissionTimeout(.milliseconds(300))
        client.start()
        #expect(client.takeDatagrams().count == 1)  // ClientHello lost
        let first = try #require(client.retransmissionDelay)
        #expect(first > .milliseconds(250) && first <= .milliseconds(300), "\(first)")
        try await Task.sleep(for: first + .milliseconds(10))
        client.handleTimeout()
        #expect(client.takeDatagrams().count == 1)  // lost again
        let second = try #require(client.retransmissionDelay)
        #expect(second > .milliseconds(550) && second <= .milliseconds(600), "\(second)")
        try await Task.sleep(for: second + .milliseconds(10))
        client.handleTimeout()
        Self.exchange(client, server)
        #expect(Self.keys(client.state) != nil && Self.keys(server.state) != nil)
    }

    @Test func garbageAndOversizedDatagramsDoNotBreakTheHandshake() throws {
        let (client, server) = try Self.pair()
        client.start()
        server.receive([22, 0xFE, 0xFD] + Array(repeating: 0xFF, count: 40))
        server.receive([UInt8](repeating: 23, count: DTLSEndpoint.maxDatagramLength + 1))
        server.receive([])
        #expect(server.droppedDatagrams == 2)
        #expect(server.state == .handshaking)
        Self.exchange(client, server)
        #expect(Self.keys(server.state) != nil)
    }

    @Test func closeNotifyClosesThePeer() throws {
        let (client, server) = try Self.pair()
        client.start()
        Self.exchange(client, server)
        client.close()
        #expect(client.state == .closed)
        client.takeDatagrams().forEach { server.receive($0) }
        #expect(server.state == .closed)
        server.receive([23, 0xFE, 0xFD, 0, 1] + Array(repeating: 0, count: 30))
        #expect(server.droppedDatagrams == 1)
    }

    @Test func unsupportedFingerprintHashIsRefusedUpFront() throws {
        let certificate = try DTLSCertificate()
        #expect(throws: DTLSError.unsupportedHashFunction("md5")) {
            try DTLSEndpoint(role: .client, certificate: certificate, remoteFingerprint: DTLSFingerprint(algorithm: "md5", bytes: [1]))
        }
    }
}
