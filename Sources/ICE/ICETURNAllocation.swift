import NetworkAddress
import STUN

/// The client side of one TURN allocation (RFC 8656 §7–§11): long-term credentials with
/// the server's realm and nonce, the relayed address, its refresh, and the permissions
/// installed for peers.
struct ICETURNAllocation: Sendable {
    enum Phase: Sendable, Equatable {
        case allocating
        case allocated
        case failed(String)
        case released
    }

    /// Lifetime asked for in Allocate and Refresh (RFC 8656 §7.2: default 600 s).
    static let requestedLifetime: UInt32 = 600
    /// Permissions last 300 s (RFC 8656 §9); they are refreshed a minute early.
    static let permissionLifetime: Duration = .seconds(300)
    static let refreshMargin: Duration = .seconds(60)
    /// Wait before a Refresh that failed or went unanswered is tried again.
    static let refreshRetry: Duration = .seconds(5)
    /// Attempts with new credentials or nonces before the allocation fails.
    static let maxAuthenticationAttempts = 3

    let server: ICETURNServer
    let socketBase: TransportAddress
    var phase: Phase = .allocating
    var realm: String?
    var nonce: String?
    var authenticationAttempts = 0
    var relayed: TransportAddress?
    var mapped: TransportAddress?
    var refreshAt: ContinuousClock.Instant?
    var refreshPending = false
    /// Installed permissions by peer IP, with when each needs refreshing.
    var permissions: [IPAddress: ContinuousClock.Instant] = [:]
    /// CreatePermission requests in flight: transaction id → peer IPs.
    var permissionRequests: [[UInt8]: [IPAddress]] = [:]
    /// Peers the server refused a permission for (403 and other final errors): not asked again.
    var refusedPeers: Set<IPAddress> = []

    var isAllocating: Bool { phase == .allocating }

    /// The earliest refresh of the allocation or of a permission.
    var nextRefresh: ContinuousClock.Instant? {
        guard phase == .allocated else { return nil }
        return ([refreshAt].compactMap { $0 } + permissions.values).min()
    }

    func isPermissionPending(_ ip: IPAddress) -> Bool {
        permissionRequests.values.contains { $0.contains(ip) }
    }

    /// A request of `method`, authenticated once the server told its realm and nonce
    /// (RFC 8656 §7.1, RFC 8489 §9.2).
    func request(method: UInt16, transactionID: [UInt8], attributes: (inout STUNMessageBuilder) -> Void) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: method, messageClass: .request), transactionID: transactionID)
        attributes(&builder)
        if let realm, let nonce {
            builder.append(STUNAttributeType.username, text: server.username)
            builder.append(STUNAttributeType.realm, text: realm)
            builder.append(STUNAttributeType.nonce, text: nonce)
            builder.appendMessageIntegrity(key: STUNIntegrity.longTermKey(username: server.username, realm: realm, password: server.password))
        }
        builder.appendFingerprint()
        return builder.bytes
    }

    /// A Send indication carrying `bytes` to `peer` (RFC 8656 §11.1).
    func sendIndication(_ bytes: [UInt8], to peer: TransportAddress) -> ICETransmission? {
        guard phase == .allocated else { return nil }
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.send, messageClass: .indication), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        builder.append(STUNAttributeType.data, bytes)
        return ICETransmission(bytes: builder.bytes, base: socketBase, destination: server.address)
    }

    /// Takes REALM and NONCE from a 401 or 438 answer; false when they are missing or the
    /// attempts are used up.
    mutating func acceptChallenge(_ message: STUNMessage) -> Bool {
        guard let nonce = message.text(STUNAttributeType.nonce), authenticationAttempts < Self.maxAuthenticationAttempts else { return false }
        if let realm = message.text(STUNAttributeType.realm) { self.realm = realm }
        self.nonce = nonce
        authenticationAttempts += 1
        return realm != nil
    }
}
