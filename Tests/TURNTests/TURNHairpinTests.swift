import NetworkAddress
import STUN
@testable import TURN
import Testing

/// Data from one allocation to another allocation's relayed address on the same server is
/// delivered directly, with the receiving allocation's permission and accounting.
@Suite struct TURNHairpinTests {
    let clientA = TURNFiveTuple(
        transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.7")!, port: 40000),
        server: TransportAddress(ip: IPAddress("203.0.113.1")!, port: 3478))
    let clientB = TURNFiveTuple(
        transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.8")!, port: 40001),
        server: TransportAddress(ip: IPAddress("203.0.113.1")!, port: 3478))

    func request(_ fixture: inout TURNCoreFixture, _ method: UInt16, peer: TransportAddress, channel: UInt16? = nil) -> STUNMessage? {
        fixture.exchange(fixture.request(method, nonce: fixture.nonce()) { builder in
            if let channel { builder.append(STUNAttributeType.channelNumber, [UInt8(channel >> 8), UInt8(channel & 0xFF), 0, 0]) }
            builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        })
    }

    func sendIndication(to peer: TransportAddress, _ text: String) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.send, messageClass: .indication), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        builder.append(STUNAttributeType.data, Array(text.utf8))
        return builder.bytes
    }

    @Test func relayToRelayDataSkipsTheSocketsButKeepsTheChecks() throws {
        let now = TURNCoreFixture.now
        var fixture = TURNCoreFixture()
        fixture.tuple = clientA
        let relayA = try #require(fixture.allocate()?.xorAddress(STUNAttributeType.xorRelayedAddress))
        let idA = try #require(fixture.allocationID)
        fixture.tuple = clientB
        let relayB = try #require(fixture.allocate()?.xorAddress(STUNAttributeType.xorRelayedAddress))
        #expect(relayA != relayB)

        // A binds a channel to B's relayed address; B has no permission for A yet: dropped.
        fixture.tuple = clientA
        #expect(request(&fixture, STUNMethod.channelBind, peer: relayB, channel: 0x4001)?.type.messageClass == .success)
        #expect(fixture.core.channelData(channel: 0x4001, length: 100, from: clientA, now: now) == nil)
        #expect(fixture.core.counters.dropped[.noPermission] == 1)

        // With B's permission, A's data reaches B as a Data indication from A's relayed address…
        fixture.tuple = clientB
        #expect(request(&fixture, STUNMethod.createPermission, peer: relayA)?.type.messageClass == .success)
        #expect(fixture.core.channelData(channel: 0x4001, length: 100, from: clientA, now: now) == .local(.dataIndication(clientB), from: relayA))
        // …and on B's channel once B binds one to A.
        #expect(request(&fixture, STUNMethod.channelBind, peer: relayA, channel: 0x4005)?.type.messageClass == .success)
        #expect(fixture.core.channelData(channel: 0x4001, length: 100, from: clientA, now: now) == .local(.channel(clientB, 0x4005), from: relayA))
        // Counted as it would be through the sockets: sent by A's relay (the dropped one too),
        // received for B's client.
        #expect(fixture.core.counters.packetsToPeers == 3)
        #expect(fixture.core.counters.packetsToClients == 2)

        // A Send indication takes the same way: ChannelData for B, ready to write.
        let outputs = fixture.core.handleSTUN(sendIndication(to: relayB, "hello"), from: clientA, now: now)
        #expect(outputs == [.toClient(clientB, [0x40, 0x05, 0x00, 0x05] + Array("hello".utf8))])

        // Data to the sender's own relayed address, and to ordinary peers, leaves by the socket.
        #expect(request(&fixture, STUNMethod.createPermission, peer: relayB)?.type.messageClass == .success)
        fixture.tuple = clientA
        #expect(request(&fixture, STUNMethod.createPermission, peer: relayA)?.type.messageClass == .success)
        #expect(fixture.core.handleSTUN(sendIndication(to: relayA, "self"), from: clientA, now: now) == [.toPeer(idA, relayA, Array("self".utf8))])
    }

    @Test func aClosedAllocationIsNoLongerALocalPeer() throws {
        let now = TURNCoreFixture.now
        var fixture = TURNCoreFixture()
        fixture.tuple = clientA
        _ = fixture.allocate()
        let idA = try #require(fixture.allocationID)
        fixture.tuple = clientB
        let relayB = try #require(fixture.allocate()?.xorAddress(STUNAttributeType.xorRelayedAddress))
        _ = fixture.core.clientClosed(clientB)
        fixture.tuple = clientA
        #expect(request(&fixture, STUNMethod.channelBind, peer: relayB, channel: 0x4001)?.type.messageClass == .success)
        #expect(fixture.core.channelData(channel: 0x4001, length: 10, from: clientA, now: now) == .relay(idA, relayB))
    }
}
