import NetworkAddress
import STUN
@testable import TURN
import Testing

@Suite struct TURNAllocationTests {
    @Test func bindingReportsTheReflexiveAddress() throws {
        var fixture = TURNCoreFixture()
        let answer = fixture.exchange(fixture.request(STUNMethod.binding, nonce: nil))
        let reply = try #require(answer)
        #expect(reply.type == STUNMessageType(method: STUNMethod.binding, messageClass: .success))
        #expect(reply.xorAddress(STUNAttributeType.xorMappedAddress) == fixture.tuple.client)
        #expect(reply.hasValidFingerprint)
    }

    @Test func allocateIsChallengedThenGrantedWithRESTCredentials() throws {
        var fixture = TURNCoreFixture()
        let answer = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nil, attributes: TURNCoreFixture.udpTransport))
        let challenge = try #require(answer)
        #expect(challenge.errorCode?.code == 401)
        #expect(challenge.text(STUNAttributeType.realm) == "peergate")
        #expect(challenge.text(STUNAttributeType.nonce)?.count == 24)
        let allocated = fixture.allocate()
        let success = try #require(allocated)
        #expect(success.type.messageClass == .success)
        let relay = try #require(success.xorAddress(STUNAttributeType.xorRelayedAddress))
        #expect(relay.ip == IPAddress("203.0.113.1"))
        #expect((20000...20099).contains(relay.port))
        #expect(success.uint32(STUNAttributeType.lifetime) == 600)
        #expect(success.xorAddress(STUNAttributeType.xorMappedAddress) == fixture.tuple.client)
        #expect(success.hasValidIntegrity(key: fixture.key))
        #expect(fixture.core.counters.allocationsCurrent == 1)
    }

    @Test func wrongExpiredOrUnknownCredentialsGet401() throws {
        var fixture = TURNCoreFixture()
        let nonce = fixture.nonce()
        let wrong = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce, password: "not-the-password", attributes: TURNCoreFixture.udpTransport))
        #expect(wrong?.errorCode?.code == 401)
        let expiredName = "\(TURNCoreFixture.now - 1):viewer-1"
        let expiredPassword = TURNRESTCredentials(secret: TURNCoreFixture.secret).password(for: expiredName)
        let expired = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce, username: expiredName, password: expiredPassword, attributes: TURNCoreFixture.udpTransport))
        #expect(expired?.errorCode?.code == 401)
        let unknown = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce, username: "mallory", password: "x", attributes: TURNCoreFixture.udpTransport))
        #expect(unknown?.errorCode?.code == 401)
        #expect(fixture.core.counters.authFailures == 3)
        // A static user is accepted.
        let alice = fixture.exchange(fixture.request(STUNMethod.binding, nonce: nil))
        #expect(alice?.type.messageClass == .success)
        let outputs = fixture.core.handleSTUN(
            fixture.request(STUNMethod.allocate, nonce: nonce, username: "alice", password: "alice-password", attributes: TURNCoreFixture.udpTransport),
            from: fixture.tuple, now: TURNCoreFixture.now)
        if case .openRelay = outputs.first {} else { Issue.record("static user refused: \(outputs)") }
    }

    /// The REST credential's expiry bounds when an allocation may be made, not how long it
    /// lasts: its Refresh, CreatePermission and ChannelBind still authenticate after it.
    @Test func anExpiredRESTCredentialKeepsUpItsAllocationButMakesNoNewOne() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let later = TURNCoreFixture.now + 400  // past the credential's 300 s
        let refresh = fixture.exchange(
            fixture.request(STUNMethod.refresh, nonce: fixture.nonce(now: later)) { $0.append(STUNAttributeType.lifetime, uint32: 600) }, now: later)
        #expect(refresh?.type.messageClass == .success, "\(String(describing: refresh?.errorCode))")
        let permission = fixture.exchange(
            fixture.request(STUNMethod.createPermission, nonce: fixture.nonce(now: later)) { $0.append(STUNAttributeType.xorPeerAddress, xorAddress: TransportAddress(ip: IPAddress("198.51.100.9")!, port: 5000)) },
            now: later)
        #expect(permission?.type.messageClass == .success, "\(String(describing: permission?.errorCode))")
        // The same username may not make another allocation, from another 5-tuple.
        fixture.tuple = TURNFiveTuple(transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.7")!, port: 40002), server: fixture.tuple.server)
        let allocate = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: fixture.nonce(now: later), attributes: TURNCoreFixture.udpTransport), now: later)
        #expect(allocate?.errorCode?.code == 401)
    }

    @Test func staleOrForgedNoncesGet438WithAFreshNonce() throws {
        var fixture = TURNCoreFixture()
        let nonce = fixture.nonce()
        let stale = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce, attributes: TURNCoreFixture.udpTransport), now: TURNCoreFixture.now + 601)
        #expect(stale?.errorCode?.code == 438)
        #expect(stale?.text(STUNAttributeType.nonce) != nonce)
        let forged = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: "0000000000000000deadbeef", attributes: TURNCoreFixture.udpTransport))
        #expect(forged?.errorCode?.code == 438)
    }

    @Test func retransmittedAllocateIsAnsweredAgainAndAnotherMismatches() throws {
        var fixture = TURNCoreFixture()
        let nonce = fixture.nonce()
        let transaction = STUNMessageBuilder.randomTransactionID()
        let request = fixture.request(STUNMethod.allocate, nonce: nonce, transactionID: transaction, attributes: TURNCoreFixture.udpTransport)
        guard case .openRelay(let id, _)? = fixture.core.handleSTUN(request, from: fixture.tuple, now: TURNCoreFixture.now).first else {
            Issue.record("no relay requested")
            return
        }
        #expect(fixture.core.handleSTUN(request, from: fixture.tuple, now: TURNCoreFixture.now).isEmpty)  // still opening
        let first = fixture.core.relayOpened(id, now: TURNCoreFixture.now)
        #expect(fixture.core.handleSTUN(request, from: fixture.tuple, now: TURNCoreFixture.now + 1) == first)
        let another = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce, attributes: TURNCoreFixture.udpTransport))
        #expect(another?.errorCode?.code == 437)
    }

    @Test func allocateRequestsAreValidated() throws {
        var fixture = TURNCoreFixture()
        let nonce = fixture.nonce()
        #expect(fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce))?.errorCode?.code == 400)
        #expect(fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce) { $0.append(STUNAttributeType.requestedTransport, [6, 0, 0, 0]) })?.errorCode?.code == 442)
        #expect(fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce) { builder in
            TURNCoreFixture.udpTransport(&builder)
            builder.append(STUNAttributeType.requestedAddressFamily, [0x02, 0, 0, 0])
        })?.errorCode?.code == 440)
        let unknown = fixture.exchange(fixture.request(STUNMethod.allocate, nonce: nonce) { builder in
            TURNCoreFixture.udpTransport(&builder)
            builder.append(0x0077, [1, 2, 3, 4])
        })
        #expect(unknown?.errorCode?.code == 420)
        #expect(unknown?.value(STUNAttributeType.unknownAttributes).map(Array.init) == [0x00, 0x77])
    }

    @Test func lifetimesAreCappedAndFloored() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let nonce = fixture.nonce()
        let long = fixture.exchange(fixture.request(STUNMethod.refresh, nonce: nonce) { $0.append(STUNAttributeType.lifetime, uint32: 7200) })
        #expect(long?.uint32(STUNAttributeType.lifetime) == 3600)
        let short = fixture.exchange(fixture.request(STUNMethod.refresh, nonce: nonce) { $0.append(STUNAttributeType.lifetime, uint32: 60) })
        #expect(short?.uint32(STUNAttributeType.lifetime) == 600)
    }

    @Test func refreshWithZeroLifetimeAndExpiryCloseTheRelay() throws {
        var fixture = TURNCoreFixture { $0.defaultLifetime = 100 }
        _ = fixture.allocate()
        let id = try #require(fixture.allocationID)
        let outputs = fixture.core.handleSTUN(
            fixture.request(STUNMethod.refresh, nonce: fixture.nonce()) { $0.append(STUNAttributeType.lifetime, uint32: 0) }, from: fixture.tuple,
            now: TURNCoreFixture.now)
        #expect(outputs.contains(.closeRelay(id)))
        #expect(fixture.core.counters.allocationsCurrent == 0)
        _ = fixture.allocate()
        let second = try #require(fixture.allocationID)
        #expect(fixture.core.tick(now: TURNCoreFixture.now + 99).isEmpty)
        #expect(fixture.core.tick(now: TURNCoreFixture.now + 100) == [.closeRelay(second)])
        // Requests on an expired allocation mismatch.
        let refresh = fixture.exchange(fixture.request(STUNMethod.refresh, nonce: fixture.nonce(now: TURNCoreFixture.now + 101)), now: TURNCoreFixture.now + 101)
        #expect(refresh?.errorCode?.code == 437)
    }

    @Test func quotaPerUserGives486() throws {
        var fixture = TURNCoreFixture { $0.maxAllocationsPerUser = 1 }
        _ = fixture.allocate()
        let otherTuple = TURNFiveTuple(transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.7")!, port: 40001), server: fixture.tuple.server)
        let nonce = fixture.nonce()
        let outputs = fixture.core.handleSTUN(fixture.request(STUNMethod.allocate, nonce: nonce, attributes: TURNCoreFixture.udpTransport), from: otherTuple, now: TURNCoreFixture.now)
        guard case .toClient(_, let bytes)? = outputs.first else {
            Issue.record("no answer")
            return
        }
        #expect(try STUNMessage(parsing: bytes).errorCode?.code == 486)
        #expect(fixture.core.counters.quotaRefusals == 1)
    }

    @Test func malformedInputIsDroppedAndCounted() {
        var fixture = TURNCoreFixture()
        #expect(fixture.core.handleSTUN([0, 1, 0, 8, 0x21, 0x12, 0xA4, 0x42], from: fixture.tuple, now: TURNCoreFixture.now).isEmpty)
        var truncated = fixture.request(STUNMethod.allocate, nonce: nil, attributes: TURNCoreFixture.udpTransport)
        truncated.removeLast(3)
        #expect(fixture.core.handleSTUN(truncated, from: fixture.tuple, now: TURNCoreFixture.now).isEmpty)
        #expect(fixture.core.counters.dropped[.malformed] == 2)
    }
}
