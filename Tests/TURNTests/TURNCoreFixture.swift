import NetworkAddress
import STUN
@testable import TURN

/// A TURN core with a REST secret and a client that speaks to it.
struct TURNCoreFixture {
    static let secret = "rest-secret-0123456789"
    static let now = 1_700_000_000
    var core: TURNServerCore
    /// The client speaking (tests switch it to act as a second client).
    var tuple = TURNFiveTuple(
        transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.7")!, port: 40000),
        server: TransportAddress(ip: IPAddress("203.0.113.1")!, port: 3478))
    let username: String
    let password: String

    init(configure: (inout TURNServerConfiguration) -> Void = { _ in }) {
        var configuration = TURNServerConfiguration(relayAddress: IPAddress("203.0.113.1")!, relayPorts: 20000...20099)
        configure(&configuration)
        let rest = TURNRESTCredentials(secret: Self.secret)
        core = TURNServerCore(configuration: configuration, credentials: TURNCredentialStore(rest: rest, staticUsers: ["alice": "alice-password"]))
        let issued = rest.issue(user: "viewer-1", ttl: 300, now: Self.now)
        username = issued.username
        password = issued.password
    }

    var key: [UInt8] { STUNIntegrity.longTermKey(username: username, realm: "peergate", password: password) }

    /// A request of `method`, authenticated unless `nonce` is nil.
    func request(
        _ method: UInt16, nonce: String?, username: String? = nil, password: String? = nil, transactionID: [UInt8] = STUNMessageBuilder.randomTransactionID(),
        attributes: (inout STUNMessageBuilder) -> Void = { _ in }
    ) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: method, messageClass: .request), transactionID: transactionID)
        attributes(&builder)
        if let nonce {
            let user = username ?? self.username
            builder.append(STUNAttributeType.username, text: user)
            builder.append(STUNAttributeType.realm, text: "peergate")
            builder.append(STUNAttributeType.nonce, text: nonce)
            builder.appendMessageIntegrity(key: STUNIntegrity.longTermKey(username: user, realm: "peergate", password: password ?? self.password))
        }
        builder.appendFingerprint()
        return builder.bytes
    }

    static func udpTransport(_ builder: inout STUNMessageBuilder) {
        builder.append(STUNAttributeType.requestedTransport, [17, 0, 0, 0])
    }

    /// Sends `bytes` and returns the single STUN reply.
    mutating func exchange(_ bytes: [UInt8], now: Int = now) -> STUNMessage? {
        for output in core.handleSTUN(bytes, from: tuple, now: now) {
            if case .toClient(_, let reply) = output { return try? STUNMessage(parsing: reply) }
        }
        return nil
    }

    /// A nonce from a 401 challenge.
    mutating func nonce(now: Int = now) -> String {
        exchange(request(STUNMethod.allocate, nonce: nil, attributes: Self.udpTransport), now: now)?.text(STUNAttributeType.nonce) ?? ""
    }

    /// Allocates (answering the relay-open step) and returns the success response.
    mutating func allocate(now: Int = now) -> STUNMessage? {
        let nonce = nonce(now: now)
        let outputs = core.handleSTUN(request(STUNMethod.allocate, nonce: nonce, attributes: Self.udpTransport), from: tuple, now: now)
        guard case .openRelay(let id, _)? = outputs.first else { return nil }
        for output in core.relayOpened(id, now: now) {
            if case .toClient(_, let reply) = output { return try? STUNMessage(parsing: reply) }
        }
        return nil
    }

    var allocationID: AllocationID? { core.byFiveTuple[tuple] }
}
