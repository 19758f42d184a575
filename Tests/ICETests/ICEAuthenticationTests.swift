import ICE
import NetworkAddress
import STUN
import Testing

/// Connectivity checks that fail authentication are answered with an error, counted,
/// and create no pair (RFC 8445 §7.3, RFC 8489 §9.1.3).
@Suite struct ICEAuthenticationTests {
    static let base = TransportAddress(ip: IPAddress("192.0.2.10")!, port: 5000)
    static let peer = TransportAddress(ip: IPAddress("192.0.2.20")!, port: 6000)

    static func check(username: String, password: String?, fingerprint: Bool = true) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.username, text: username)
        builder.append(STUNAttributeType.priority, uint32: ICECandidate.priority(kind: .peerReflexive))
        builder.append(STUNAttributeType.iceControlling, [UInt8](repeating: 1, count: 8))
        if let password { builder.appendMessageIntegrity(key: STUNIntegrity.shortTermKey(password: password)) }
        if fingerprint { builder.appendFingerprint() }
        return builder.bytes
    }

    static func agent() -> ICEAgent {
        let agent = ICEAgent(controlling: false, credentials: ICECredentials(ufrag: "localU", password: "local-password-0123456789"))
        agent.gather(bases: [base], now: .now)
        _ = agent.takeOutputs()
        return agent
    }

    static func errorCode(of outputs: [ICEOutput]) -> Int? {
        for case .transmit(let transmission) in outputs {
            if let message = try? STUNMessage(parsing: transmission.bytes) { return message.errorCode?.code }
        }
        return nil
    }

    @Test func aCheckWithTheRightPasswordIsAnsweredWithTheMappedAddress() throws {
        let agent = Self.agent()
        #expect(agent.receive(Self.check(username: "localU:remoteU", password: "local-password-0123456789"), from: Self.peer, at: Self.base, now: .now))
        let outputs = agent.takeOutputs()
        guard case .transmit(let transmission) = outputs.first else {
            Issue.record("no response: \(outputs)")
            return
        }
        let response = try STUNMessage(parsing: transmission.bytes)
        #expect(response.type.messageClass == .success)
        #expect(response.xorAddress(STUNAttributeType.xorMappedAddress) == Self.peer)
        #expect(response.hasValidIntegrity(key: STUNIntegrity.shortTermKey(password: "local-password-0123456789")))
        #expect(response.hasValidFingerprint)
        #expect(transmission.destination == Self.peer && transmission.base == Self.base)
    }

    @Test func wrongPasswordGets401AndIsCounted() {
        let agent = Self.agent()
        agent.receive(Self.check(username: "localU:remoteU", password: "not-the-password-000000"), from: Self.peer, at: Self.base, now: .now)
        #expect(Self.errorCode(of: agent.takeOutputs()) == 401)
        #expect(agent.counters.unauthenticatedRequests == 1)
        #expect(agent.state == .new)
    }

    @Test func wrongUsernameGets401AndMissingIntegrityGets400() {
        let agent = Self.agent()
        agent.receive(Self.check(username: "otherU:remoteU", password: "local-password-0123456789"), from: Self.peer, at: Self.base, now: .now)
        #expect(Self.errorCode(of: agent.takeOutputs()) == 401)
        agent.receive(Self.check(username: "localU:remoteU", password: nil), from: Self.peer, at: Self.base, now: .now)
        #expect(Self.errorCode(of: agent.takeOutputs()) == 400)
        #expect(agent.counters.unauthenticatedRequests == 2)
    }

    @Test func checksWithoutFingerprintAndGarbageAreDroppedAndCounted() {
        let agent = Self.agent()
        agent.receive(Self.check(username: "localU:remoteU", password: "local-password-0123456789", fingerprint: false), from: Self.peer, at: Self.base, now: .now)
        var garbage = Self.check(username: "localU:remoteU", password: "local-password-0123456789")
        garbage[2] = 0xFF  // length no longer matches
        agent.receive(garbage, from: Self.peer, at: Self.base, now: .now)
        #expect(agent.takeOutputs().isEmpty)
        #expect(agent.counters.malformedMessages == 2)
        // Not STUN at all: left to DTLS/SRTP.
        #expect(!agent.receive([0x80, 0x60, 0, 1] + [UInt8](repeating: 0, count: 20), from: Self.peer, at: Self.base, now: .now))
    }
}
