import ICE
import NetworkAddress
import Testing

/// Candidate lines (RFC 8839 §5.1), priorities (RFC 8445 §5.1.2) and credentials (§5.3).
@Suite struct ICECandidateTests {
    @Test func parsesAChromiumHostCandidateAndWritesItBack() throws {
        let line = "candidate:1467250027 1 udp 2122260223 192.168.1.7 46243 typ host generation 0 ufrag EsAw network-id 1"
        let candidate = try ICECandidate(sdpValue: line)
        #expect(candidate.foundation == "1467250027")
        #expect(candidate.component == 1)
        #expect(candidate.priority == 2_122_260_223)
        #expect(candidate.address == TransportAddress(ip: IPAddress("192.168.1.7")!, port: 46243))
        #expect(candidate.kind == .host)
        #expect(candidate.sdpValue == "candidate:1467250027 1 udp 2122260223 192.168.1.7 46243 typ host generation 0")
    }

    @Test func parsesReflexiveAndRelayedCandidatesWithTheirRelatedAddress() throws {
        let srflx = try ICECandidate(sdpValue: "842163049 1 UDP 1677729535 203.0.113.5 61000 typ srflx raddr 10.0.0.2 rport 5000")
        #expect(srflx.kind == .serverReflexive)
        #expect(srflx.relatedAddress == TransportAddress(ip: IPAddress("10.0.0.2")!, port: 5000))
        let relay = try ICECandidate(sdpValue: "candidate:3 1 udp 16777215 2001:db8::1 40001 typ relay raddr 203.0.113.5 rport 61000")
        #expect(relay.kind == .relayed)
        #expect(relay.address.ip == IPAddress("2001:db8::1"))
        #expect(try ICECandidate(sdpValue: relay.sdpValue) == relay)
    }

    @Test func refusesTCPMDNSAndMalformedCandidates() {
        #expect(throws: ICECandidateParseError.unsupported("transport tcp")) {
            try ICECandidate(sdpValue: "candidate:1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active")
        }
        #expect(throws: ICECandidateParseError.unsupported("address 6f1b9c2e-5c3a.local")) {
            try ICECandidate(sdpValue: "candidate:1 1 udp 2122260223 6f1b9c2e-5c3a.local 5000 typ host")
        }
        for bad in ["", "candidate:1 1 udp", "candidate:1 1 udp x 192.0.2.1 5000 typ host", "candidate:1 1 udp 1 192.0.2.1 99999 typ host",
            "candidate:1 1 udp 1 192.0.2.1 5000 type host", "candidate:1 1 udp 1 192.0.2.1 5000 typ bogus",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ host " + String(repeating: "x", count: 600)]
        {
            #expect(throws: (any Error).self) { try ICECandidate(sdpValue: bad) }
        }
    }

    @Test func prioritiesFollowTheRecommendedFormula() {
        // RFC 8445 §5.1.2.1 with type preferences 126/110/100/0, local preference 65535, component 1.
        #expect(ICECandidate.priority(kind: .host) == 2_130_706_431)
        #expect(ICECandidate.priority(kind: .peerReflexive) == 1_862_270_975)
        #expect(ICECandidate.priority(kind: .serverReflexive) == 1_694_498_815)
        #expect(ICECandidate.priority(kind: .relayed) == 16_777_215)
        #expect(ICECandidate.priority(kind: .host, localPreference: 0, component: 2) == 2_113_929_470)
    }

    @Test func foundationsGroupCandidatesByTypeBaseAndServer() {
        let ip = IPAddress("192.0.2.1")!
        #expect(ICECandidate.foundation(kind: .host, baseIP: ip) == ICECandidate.foundation(kind: .host, baseIP: ip))
        #expect(ICECandidate.foundation(kind: .host, baseIP: ip) != ICECandidate.foundation(kind: .serverReflexive, baseIP: ip))
        #expect(ICECandidate.foundation(kind: .host, baseIP: ip) != ICECandidate.foundation(kind: .host, baseIP: IPAddress("192.0.2.2")!))
    }

    @Test func randomCredentialsAreLongEnoughAndDiffer() {
        let first = ICECredentials.random()
        let second = ICECredentials.random()
        #expect(first.isValid && second.isValid)
        #expect(first != second)
        #expect(first.ufrag.count == 8 && first.password.count == 24)
        #expect(!ICECredentials(ufrag: "abc", password: String(repeating: "a", count: 22)).isValid)
        #expect(!ICECredentials(ufrag: "abcd", password: "short").isValid)
    }
}
