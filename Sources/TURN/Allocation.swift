import NetworkAddress
import STUN

/// The state of one allocation (RFC 8656 §2.2): relayed address, lifetime, permissions
/// (by peer IP) and channel bindings (number ↔ peer transport address).
struct Allocation: Sendable {
    let id: AllocationID
    let fiveTuple: TURNFiveTuple
    let username: String
    /// Who the allocation counts against for quota and bandwidth.
    let user: String
    /// The long-term key, for integrity on responses to later requests.
    let key: [UInt8]
    var relay: TransportAddress
    var expires: Int
    /// While the relay socket is being opened: the Allocate request to answer.
    var pending: PendingAllocate?
    /// The transaction id of the Allocate that created it, and the success response, for
    /// retransmissions (RFC 8656 §7.2: answer them again).
    var allocateTransaction: [UInt8]
    var allocateResponse: [UInt8] = []
    /// The Allocate request being answered once the relay socket is open.
    var pendingRequest: STUNMessage?
    var permissions: [IPAddress: Int] = [:]
    var channelToPeer: [UInt16: (peer: TransportAddress, expires: Int)] = [:]
    var peerToChannel: [TransportAddress: UInt16] = [:]

    struct PendingAllocate: Sendable {
        var integrity: STUNMessageIntegrityKind
        var lifetime: Int
        var attemptsLeft: Int
        var evenPort: Bool
        /// The token of the port reserved next to this one (EVEN-PORT with the R bit).
        var reservationToken: [UInt8]?
    }

    func hasPermission(for peer: IPAddress, now: Int) -> Bool {
        (permissions[peer] ?? Int.min) > now
    }

    /// The peer bound to a channel, if the binding is alive.
    func peer(onChannel number: UInt16, now: Int) -> TransportAddress? {
        guard let binding = channelToPeer[number], binding.expires > now else { return nil }
        return binding.peer
    }

    /// The live channel bound to a peer.
    func channel(for peer: TransportAddress, now: Int) -> UInt16? {
        guard let number = peerToChannel[peer], let binding = channelToPeer[number], binding.expires > now else { return nil }
        return number
    }

    /// Drops expired permissions and channel bindings.
    mutating func sweep(now: Int) {
        permissions = permissions.filter { $0.value > now }
        for (number, binding) in channelToPeer where binding.expires <= now {
            channelToPeer[number] = nil
            peerToChannel[binding.peer] = nil
        }
    }
}

/// The integrity attribute a request carried, so the response uses the same.
typealias STUNMessageIntegrityKind = STUNMessage.IntegrityKind
