import NetworkAddress
import STUN

/// The TURN server (RFC 8656) and STUN Binding (RFC 8489) as a sans-I/O state machine: fed
/// messages from clients, datagrams from peers and time; answering with bytes to send and
/// relay sockets to open or close. The driver owns the sockets.
public struct TURNServerCore: Sendable {
    public let configuration: TURNServerConfiguration
    let credentials: TURNCredentialStore
    let nonces: TURNNonces
    var allocations: [AllocationID: Allocation] = [:]
    var byFiveTuple: [TURNFiveTuple: AllocationID] = [:]
    /// Live allocations by relayed transport address (for relay-to-relay delivery).
    var byRelay: [TransportAddress: AllocationID] = [:]
    var usedPorts = Set<UInt16>()
    /// Ports held for a later Allocate with RESERVATION-TOKEN (RFC 8656 §14.9), 30 s.
    var reservations: [[UInt8]: (port: UInt16, expires: Int)] = [:]
    var allocationsPerUser: [String: Int] = [:]
    var buckets: [String: ByteBucket] = [:]
    var nextID: UInt64 = 1
    public internal(set) var counters = TURNCounters()

    public init(configuration: TURNServerConfiguration, credentials: TURNCredentialStore, nonces: TURNNonces = TURNNonces()) {
        self.configuration = configuration
        self.credentials = credentials
        self.nonces = nonces
    }

    /// What the driver does next.
    public enum Output: Sendable, Equatable {
        /// Write bytes to the client of a 5-tuple (a STUN message).
        case toClient(TURNFiveTuple, [UInt8])
        /// Bind a UDP socket at this address for the allocation, then call
        /// ``relayOpened(_:now:)`` or ``relayFailed(_:now:)``.
        case openRelay(AllocationID, TransportAddress)
        /// Close the allocation's relay socket.
        case closeRelay(AllocationID)
        /// Send bytes from the allocation's relay socket to a peer (a Send indication's data).
        case toPeer(AllocationID, TransportAddress, [UInt8])
    }

    /// Where data a peer sent to a relay goes.
    public enum PeerDelivery: Sendable, Equatable {
        /// As ChannelData on this channel.
        case channel(TURNFiveTuple, UInt16)
        /// As a Data indication (no channel is bound to the peer).
        case dataIndication(TURNFiveTuple)
    }

    /// Attribute types this server understands in requests it processes.
    static let knownAttributes: Set<UInt16> = [
        STUNAttributeType.username, STUNAttributeType.messageIntegrity, STUNAttributeType.messageIntegritySHA256,
        STUNAttributeType.realm, STUNAttributeType.nonce, STUNAttributeType.fingerprint, STUNAttributeType.software,
        STUNAttributeType.lifetime, STUNAttributeType.requestedTransport, STUNAttributeType.xorPeerAddress,
        STUNAttributeType.channelNumber, STUNAttributeType.data, STUNAttributeType.evenPort,
        STUNAttributeType.requestedAddressFamily, STUNAttributeType.priority, STUNAttributeType.useCandidate,
        STUNAttributeType.iceControlled, STUNAttributeType.iceControlling, STUNAttributeType.reservationToken,
    ]

    /// Handles one STUN message from a client.
    public mutating func handleSTUN(_ bytes: [UInt8], from tuple: TURNFiveTuple, now: Int) -> [Output] {
        guard let message = try? STUNMessage(parsing: bytes) else {
            counters.dropped[.malformed, default: 0] += 1
            return []
        }
        switch (message.type.messageClass, message.type.method) {
        case (.request, STUNMethod.binding):
            return binding(message, from: tuple)
        case (.request, _):
            return authenticatedRequest(message, from: tuple, now: now)
        case (.indication, STUNMethod.send):
            return send(message, from: tuple, now: now)
        default:
            counters.dropped[.unexpectedMessage, default: 0] += 1
            return []
        }
    }

    /// STUN Binding (RFC 8489 §18.2): the client's reflexive address as XOR-MAPPED-ADDRESS.
    private mutating func binding(_ request: STUNMessage, from tuple: TURNFiveTuple) -> [Output] {
        counters.bindingRequests += 1
        let unknown = request.unknownRequiredAttributes(known: Self.knownAttributes)
        var builder = STUNMessageBuilder(responseTo: request, success: unknown.isEmpty)
        if unknown.isEmpty {
            builder.append(STUNAttributeType.xorMappedAddress, xorAddress: tuple.client)
        } else {
            builder.appendErrorCode(STUNErrorCode.unknownAttribute)
            builder.append(STUNAttributeType.unknownAttributes, unknown.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
        if let software = configuration.software { builder.append(STUNAttributeType.software, text: software) }
        if request.attribute(STUNAttributeType.fingerprint) != nil { builder.appendFingerprint() }
        return [.toClient(tuple, builder.bytes)]
    }

    /// An error response; with integrity when the request was authenticated.
    func errorResponse(_ request: STUNMessage, code: Int, key: [UInt8]? = nil, extra: (inout STUNMessageBuilder) -> Void = { _ in }) -> [UInt8] {
        var builder = STUNMessageBuilder(responseTo: request, success: false)
        builder.appendErrorCode(code)
        extra(&builder)
        if let key { builder.appendIntegrity(request.integrityKind ?? .sha1, key: key) }
        if request.attribute(STUNAttributeType.fingerprint) != nil { builder.appendFingerprint() }
        return builder.bytes
    }

    /// A success response carrying `attributes`, integrity with the request's kind.
    func successResponse(_ request: STUNMessage, key: [UInt8], _ attributes: (inout STUNMessageBuilder) -> Void) -> [UInt8] {
        var builder = STUNMessageBuilder(responseTo: request, success: true)
        attributes(&builder)
        if let software = configuration.software { builder.append(STUNAttributeType.software, text: software) }
        builder.appendIntegrity(request.integrityKind ?? .sha1, key: key)
        if request.attribute(STUNAttributeType.fingerprint) != nil { builder.appendFingerprint() }
        return builder.bytes
    }
}

/// A token bucket of bytes per second (capacity: one second of bytes).
struct ByteBucket: Sendable {
    let rate: Double
    var tokens: Double
    var updated: Int

    init(rate: Int, now: Int) {
        self.rate = Double(rate)
        tokens = Double(rate)
        updated = now
    }

    mutating func take(_ bytes: Int, now: Int) -> Bool {
        tokens = min(rate, tokens + Double(max(0, now - updated)) * rate)
        updated = now
        guard tokens >= Double(bytes) else { return false }
        tokens -= Double(bytes)
        return true
    }
}
