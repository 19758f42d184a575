/// Totals of the TURN server since start (exported as metrics).
public struct TURNCounters: Sendable, Equatable {
    public var bindingRequests = 0
    public var allocationsCreated = 0
    public var allocationsCurrent = 0
    public var authFailures = 0
    public var deniedPeers = 0
    public var quotaRefusals = 0
    /// Packets and bytes relayed client → peer and peer → client.
    public var packetsToPeers = 0
    public var bytesToPeers = 0
    public var packetsToClients = 0
    public var bytesToClients = 0
    /// Dropped and counted: malformed input, no permission or channel, bandwidth cap, …
    public var dropped: [TURNDropReason: Int] = [:]

    public init() {}
}

public enum TURNDropReason: String, Sendable, Hashable, CaseIterable {
    case malformed
    case noAllocation = "no_allocation"
    case noPermission = "no_permission"
    case noChannel = "no_channel"
    case deniedPeer = "denied_peer"
    case bandwidth
    case unexpectedMessage = "unexpected_message"
}
