import NetworkAddress

/// Relay to relay on one server ("hairpinning"). When both peers of a session relay
/// through peergate — the usual case, since the master and the viewers of a channel get the
/// same TURN URIs from `get-ice-server-config` — the peer address of one allocation is the
/// relayed address of another. Such data is handed to the other allocation directly, with
/// the checks and accounting its relay socket would apply to a datagram from that address
/// (its permissions, RFC 8656 §9; its user's bandwidth); it just skips the kernel round
/// trip from one relay socket to the other. The peer sees the same source address either way.
extension TURNServerCore {
    /// Where data an allocation sends to a peer goes.
    public enum Forwarding: Sendable, Equatable {
        /// Out of the allocation's relay socket to the peer.
        case relay(AllocationID, TransportAddress)
        /// To the client of the allocation relayed at the peer address, as if its relay had
        /// received the data from `from` (the sending allocation's relayed address).
        case local(PeerDelivery, from: TransportAddress)
    }

    /// How data of `length` bytes from allocation `id` reaches `peer`; nil when the receiving
    /// allocation drops it (no permission for the sender, bandwidth spent; counted).
    mutating func forwarding(from id: AllocationID, relay: TransportAddress, to peer: TransportAddress, length: Int, now: Int) -> Forwarding? {
        guard let target = byRelay[peer], target != id else { return .relay(id, peer) }
        return peerData(on: target, from: relay, length: length, now: now).map { .local($0, from: relay) }
    }

    /// The bytes a client receives for `payload` delivered locally (ChannelData on its
    /// channel, padded on streams, RFC 8656 §12.4–12.5; else a Data indication, §11.3).
    static func clientBytes(_ delivery: PeerDelivery, from peer: TransportAddress, payload: [UInt8]) -> (TURNFiveTuple, [UInt8]) {
        switch delivery {
        case .channel(let tuple, let number):
            let padding = ChannelData.padding(forLength: payload.count, stream: tuple.transport.isStream)
            return (tuple, ChannelData.header(channel: number, length: payload.count) + payload + [UInt8](repeating: 0, count: padding))
        case .dataIndication(let tuple):
            return (tuple, dataIndication(from: peer, payload: payload))
        }
    }
}
