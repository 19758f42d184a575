import NetworkAddress
import STUN
@testable import TURN
import Testing

@Suite struct TURNPermissionTests {
    let peer = TransportAddress(ip: IPAddress("192.0.2.50")!, port: 5000)

    func permission(_ fixture: inout TURNCoreFixture, _ peers: [TransportAddress]) -> STUNMessage? {
        fixture.exchange(fixture.request(STUNMethod.createPermission, nonce: fixture.nonce()) { builder in
            for peer in peers { builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer) }
        })
    }

    func bind(_ fixture: inout TURNCoreFixture, channel: UInt16, to peer: TransportAddress) -> STUNMessage? {
        fixture.exchange(fixture.request(STUNMethod.channelBind, nonce: fixture.nonce()) { builder in
            builder.append(STUNAttributeType.channelNumber, [UInt8(channel >> 8), UInt8(channel & 0xFF), 0, 0])
            builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        })
    }

    @Test func sendIndicationsNeedAPermission() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let id = try #require(fixture.allocationID)
        func sendIndication() -> [UInt8] {
            var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.send, messageClass: .indication), transactionID: STUNMessageBuilder.randomTransactionID())
            builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
            builder.append(STUNAttributeType.data, Array("hello".utf8))
            return builder.bytes
        }
        #expect(fixture.core.handleSTUN(sendIndication(), from: fixture.tuple, now: TURNCoreFixture.now).isEmpty)
        #expect(fixture.core.counters.dropped[.noPermission] == 1)
        #expect(permission(&fixture, [peer])?.type.messageClass == .success)
        #expect(fixture.core.handleSTUN(sendIndication(), from: fixture.tuple, now: TURNCoreFixture.now) == [.toPeer(id, peer, Array("hello".utf8))])
        // The peer answers: no channel, so a Data indication; a stranger is dropped.
        #expect(fixture.core.peerData(on: id, from: peer, length: 5, now: TURNCoreFixture.now) == .dataIndication(fixture.tuple))
        #expect(fixture.core.peerData(on: id, from: TransportAddress(ip: IPAddress("192.0.2.99")!, port: 1), length: 5, now: TURNCoreFixture.now) == nil)
        // Permissions last 300 s.
        #expect(fixture.core.peerData(on: id, from: peer, length: 5, now: TURNCoreFixture.now + 300) == nil)
    }

    @Test func channelsCarryDataBothWays() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let id = try #require(fixture.allocationID)
        #expect(bind(&fixture, channel: 0x4001, to: peer)?.type.messageClass == .success)
        #expect(fixture.core.channelData(channel: 0x4001, length: 100, from: fixture.tuple, now: TURNCoreFixture.now) == .relay(id, peer))
        #expect(fixture.core.channelData(channel: 0x4002, length: 100, from: fixture.tuple, now: TURNCoreFixture.now) == nil)
        #expect(fixture.core.peerData(on: id, from: peer, length: 100, now: TURNCoreFixture.now) == .channel(fixture.tuple, 0x4001))
        #expect(fixture.core.counters.bytesToPeers == 100)
        #expect(fixture.core.counters.bytesToClients == 100)
        // Rebinding the number to another peer, or the peer to another number, is refused.
        #expect(bind(&fixture, channel: 0x4001, to: TransportAddress(ip: IPAddress("192.0.2.51")!, port: 1))?.errorCode?.code == 400)
        #expect(bind(&fixture, channel: 0x4002, to: peer)?.errorCode?.code == 400)
        // Refreshing the same binding is fine; numbers outside 0x4000-0x7FFF are not.
        #expect(bind(&fixture, channel: 0x4001, to: peer)?.type.messageClass == .success)
        #expect(bind(&fixture, channel: 0x8000, to: peer)?.errorCode?.code == 400)
        #expect(bind(&fixture, channel: 0x3FFF, to: peer)?.errorCode?.code == 400)
        // Bindings last 600 s.
        _ = fixture.core.tick(now: TURNCoreFixture.now + 550)
        #expect(fixture.core.channelData(channel: 0x4001, length: 1, from: fixture.tuple, now: TURNCoreFixture.now + 600) == nil)
    }

    @Test func deniedPeersGet403AndAreCounted() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let loopback = TransportAddress(ip: IPAddress("127.0.0.1")!, port: 9)
        #expect(permission(&fixture, [peer, loopback])?.errorCode?.code == 403)
        #expect(bind(&fixture, channel: 0x4001, to: loopback)?.errorCode?.code == 403)
        #expect(fixture.core.counters.deniedPeers == 2)
        // All or nothing: the allowed peer of the refused request got no permission.
        #expect(fixture.core.peerData(on: fixture.allocationID!, from: peer, length: 1, now: TURNCoreFixture.now) == nil)
    }

    @Test func loopbackPeersWhenAllowed() throws {
        var fixture = TURNCoreFixture { $0.peerPolicy = PeerPolicy(allowLoopback: true) }
        _ = fixture.allocate()
        #expect(permission(&fixture, [TransportAddress(ip: IPAddress("127.0.0.1")!, port: 9)])?.type.messageClass == .success)
    }

    @Test func bandwidthCapDropsAndCounts() throws {
        var fixture = TURNCoreFixture { $0.maxBytesPerSecondPerUser = 1000 }
        _ = fixture.allocate()
        _ = bind(&fixture, channel: 0x4001, to: peer)
        var relayed = 0
        for _ in 0..<20 where fixture.core.channelData(channel: 0x4001, length: 100, from: fixture.tuple, now: TURNCoreFixture.now) != nil { relayed += 1 }
        #expect(relayed == 10)
        #expect(fixture.core.counters.dropped[.bandwidth] == 10)
        #expect(fixture.core.channelData(channel: 0x4001, length: 100, from: fixture.tuple, now: TURNCoreFixture.now + 1) != nil)
    }

    @Test func requestsOfAnotherUserOnTheAllocationAreRefused() throws {
        var fixture = TURNCoreFixture()
        _ = fixture.allocate()
        let other = fixture.exchange(fixture.request(STUNMethod.refresh, nonce: fixture.nonce(), username: "alice", password: "alice-password"))
        #expect(other?.errorCode?.code == 441)
    }
}
