import NetworkAddress
import STUN

/// The data path (RFC 8656 §10–12): Send indications and ChannelData from clients, datagrams
/// from peers, and the passage of time.
extension TURNServerCore {
    /// ChannelData of `length` bytes from a client: where it goes (see ``Forwarding``), or
    /// nil (dropped and counted) without an allocation, a live channel or bandwidth.
    public mutating func channelData(channel: UInt16, length: Int, from tuple: TURNFiveTuple, now: Int) -> Forwarding? {
        guard let id = byFiveTuple[tuple], let allocation = allocations[id], allocation.pending == nil else {
            counters.dropped[.noAllocation, default: 0] += 1
            return nil
        }
        guard let peer = allocation.peer(onChannel: channel, now: now), allocation.hasPermission(for: peer.ip, now: now) else {
            counters.dropped[.noChannel, default: 0] += 1
            return nil
        }
        guard spend(length, user: allocation.user, now: now) else { return nil }
        counters.packetsToPeers += 1
        counters.bytesToPeers += length
        return forwarding(from: id, relay: allocation.relay, to: peer, length: length, now: now)
    }

    /// A Send indication (RFC 8656 §10.2): its DATA goes to XOR-PEER-ADDRESS when a
    /// permission for that peer exists; otherwise it is dropped and counted.
    mutating func send(_ indication: STUNMessage, from tuple: TURNFiveTuple, now: Int) -> [Output] {
        guard let id = byFiveTuple[tuple], let allocation = allocations[id], allocation.pending == nil else {
            counters.dropped[.noAllocation, default: 0] += 1
            return []
        }
        guard let peer = indication.xorAddress(STUNAttributeType.xorPeerAddress), let data = indication.value(STUNAttributeType.data) else {
            counters.dropped[.malformed, default: 0] += 1
            return []
        }
        guard configuration.peerPolicy.permits(peer.ip) else {
            counters.deniedPeers += 1
            counters.dropped[.deniedPeer, default: 0] += 1
            return []
        }
        guard allocation.hasPermission(for: peer.ip, now: now) else {
            counters.dropped[.noPermission, default: 0] += 1
            return []
        }
        guard spend(data.count, user: allocation.user, now: now) else { return [] }
        counters.packetsToPeers += 1
        counters.bytesToPeers += data.count
        switch forwarding(from: id, relay: allocation.relay, to: peer, length: data.count, now: now) {
        case .relay(let relay, let peer)?:
            return [.toPeer(relay, peer, Array(data))]
        case .local(let delivery, let from)?:
            let (client, bytes) = Self.clientBytes(delivery, from: from, payload: Array(data))
            return [.toClient(client, bytes)]
        case nil:
            return []
        }
    }

    /// A datagram of `length` bytes a peer sent to a relay: how to deliver it to the client,
    /// or nil (dropped and counted) without a permission for the peer or bandwidth.
    public mutating func peerData(on id: AllocationID, from peer: TransportAddress, length: Int, now: Int) -> PeerDelivery? {
        guard let allocation = allocations[id], allocation.pending == nil else {
            counters.dropped[.noAllocation, default: 0] += 1
            return nil
        }
        guard allocation.hasPermission(for: peer.ip, now: now) else {
            counters.dropped[.noPermission, default: 0] += 1
            return nil
        }
        guard spend(length, user: allocation.user, now: now) else { return nil }
        counters.packetsToClients += 1
        counters.bytesToClients += length
        if let channel = allocation.channel(for: peer, now: now) {
            return .channel(allocation.fiveTuple, channel)
        }
        return .dataIndication(allocation.fiveTuple)
    }

    /// A Data indication carrying a peer's datagram (RFC 8656 §11.3).
    public static func dataIndication(from peer: TransportAddress, payload: some Collection<UInt8>) -> [UInt8] {
        var builder = STUNMessageBuilder(
            type: STUNMessageType(method: STUNMethod.data, messageClass: .indication), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        builder.append(STUNAttributeType.data, payload)
        return builder.bytes
    }

    /// Takes `bytes` from the user's bandwidth allowance; false (dropped and counted) when spent.
    private mutating func spend(_ bytes: Int, user: String, now: Int) -> Bool {
        guard configuration.maxBytesPerSecondPerUser > 0 else { return true }
        var bucket = buckets[user] ?? ByteBucket(rate: configuration.maxBytesPerSecondPerUser, now: now)
        let allowed = bucket.take(bytes, now: now)
        buckets[user] = bucket
        if !allowed { counters.dropped[.bandwidth, default: 0] += 1 }
        return allowed
    }

    /// A stream client's connection closed: its allocation goes with it (RFC 8656 §3.1).
    public mutating func clientClosed(_ tuple: TURNFiveTuple) -> [Output] {
        guard let id = byFiveTuple[tuple] else { return [] }
        forget(id)
        return [.closeRelay(id)]
    }

    /// Expires allocations (closing their relays), permissions and channel bindings.
    public mutating func tick(now: Int) -> [Output] {
        var outputs: [Output] = []
        for (token, reservation) in reservations where reservation.expires <= now {
            reservations[token] = nil
            usedPorts.remove(reservation.port)
        }
        for (id, allocation) in allocations {
            if allocation.expires <= now {
                forget(id)
                outputs.append(.closeRelay(id))
            } else if allocation.permissions.contains(where: { $0.value <= now }) || allocation.channelToPeer.contains(where: { $0.value.expires <= now }) {
                allocations[id]?.sweep(now: now)
            }
        }
        return outputs
    }

    /// Allocations now live.
    public var allocationCount: Int { counters.allocationsCurrent }
}

extension TURNServerCore {
    /// Counts a Binding request answered outside the core (the I/O layer's fast path).
    public mutating func countBindingRequest() {
        counters.bindingRequests += 1
    }

    /// Counts input that is neither STUN nor well-formed ChannelData.
    public mutating func countMalformed() {
        counters.dropped[.malformed, default: 0] += 1
    }
}
