import NetworkAddress
import STUN
import TURN

/// Drives ``TURNServerCore`` from fuzzer records, the way the UDP/TCP handlers do, and
/// checks what comes out.
struct TURNFuzzDriver {
    var core: TURNServerCore
    var now = 1_000_000
    var openAllocations: [AllocationID] = []
    let nonces = TURNNonces(lifetime: 600)

    static let server = TransportAddress(ip: IPAddress("192.0.2.1")!, port: 3478)
    static let clients: [TURNFiveTuple] = [
        TURNFiveTuple(transport: .udp, client: TransportAddress(ip: IPAddress("198.51.100.7")!, port: 40000), server: server),
        TURNFiveTuple(transport: .tcp, client: TransportAddress(ip: IPAddress("198.51.100.8")!, port: 40001), server: server),
        TURNFiveTuple(transport: .udp, client: TransportAddress(ip: IPAddress("2001:db8::7")!, port: 40002), server: server),
    ]

    init() {
        var configuration = TURNServerConfiguration(relayAddress: IPAddress("192.0.2.1")!, relayPorts: 50000...50007)
        configuration.maxAllocationsPerUser = 4
        configuration.maxBytesPerSecondPerUser = 100_000
        configuration.peerPolicy = PeerPolicy(allowLoopback: false, allowed: [IPNetwork("10.9.0.0/16")!])
        core = TURNServerCore(
            configuration: configuration,
            credentials: TURNCredentialStore(rest: TURNRESTCredentials(secret: "fuzz-secret"), staticUsers: ["fuzz": "fuzz-password"]),
            nonces: nonces)
    }

    mutating func step(_ input: inout FuzzInput) {
        let kind = input.byte()
        let client = Self.clients[Int(input.byte()) % Self.clients.count]
        switch kind % 8 {
        case 0: check(core.handleSTUN(input.body(), from: client, now: now))
        case 1: check(core.handleSTUN(signed(input.body(), for: client), from: client, now: now))
        case 2: _ = core.channelData(channel: input.uint16(), length: Int(input.uint16()), from: client, now: now)
        case 3:
            guard !openAllocations.isEmpty else { return }
            let id = openAllocations[Int(input.byte()) % openAllocations.count]
            let peer = TransportAddress(ip: IPAddress(bytes: input.take(4)) ?? IPAddress("10.9.0.1")!, port: input.uint16())
            _ = core.peerData(on: id, from: peer, length: Int(input.uint16()), now: now)
        case 4: now += Int(input.uint16()); check(core.tick(now: now))
        case 5: check(core.clientClosed(client))
        default: _ = input.body()
        }
    }

    /// The request in `body`, its attributes kept but for USERNAME/REALM/NONCE and the
    /// integrity ones, re-signed as user "fuzz" with a nonce the server issued.
    func signed(_ body: [UInt8], for client: TURNFiveTuple) -> [UInt8] {
        guard let message = try? STUNMessage(parsing: body) else { return body }
        let replaced: Set<UInt16> = [
            STUNAttributeType.username, STUNAttributeType.realm, STUNAttributeType.nonce, STUNAttributeType.messageIntegrity,
            STUNAttributeType.messageIntegritySHA256, STUNAttributeType.fingerprint,
        ]
        var builder = STUNMessageBuilder(type: message.type, transactionID: message.transactionID)
        for attribute in message.attributes where !replaced.contains(attribute.type) {
            builder.append(attribute.type, message.raw[attribute.valueRange])
        }
        builder.append(STUNAttributeType.username, text: "fuzz")
        builder.append(STUNAttributeType.realm, text: core.configuration.realm)
        builder.append(STUNAttributeType.nonce, text: nonces.issue(for: client.client.ip, now: now))
        builder.appendMessageIntegrity(key: STUNIntegrity.longTermKey(username: "fuzz", realm: core.configuration.realm, password: "fuzz-password"))
        builder.appendFingerprint()
        return builder.bytes
    }

    /// Answers relay-socket requests (alternately opened and failed) and checks that
    /// everything for clients is valid STUN.
    mutating func check(_ outputs: [TURNServerCore.Output]) {
        var pending = outputs
        var flip = false
        while let output = pending.first {
            pending.removeFirst()
            switch output {
            case .toClient(_, let bytes):
                let parsed = try? STUNMessage(parsing: bytes)
                FuzzCheck.expect(parsed != nil, "the server sent a message that is not STUN")
                if let parsed, let fingerprint = parsed.attribute(STUNAttributeType.fingerprint) {
                    var copy = STUNMessageBuilder(type: parsed.type, transactionID: parsed.transactionID)
                    for attribute in parsed.attributes where attribute.offset < fingerprint.offset {
                        copy.append(attribute.type, parsed.raw[attribute.valueRange])
                    }
                    copy.appendFingerprint()
                    FuzzCheck.expect(copy.bytes == bytes, "the server's FINGERPRINT or padding is wrong")
                }
            case .openRelay(let id, _):
                flip.toggle()
                if flip {
                    openAllocations.append(id)
                    pending += core.relayOpened(id, now: now)
                } else {
                    pending += core.relayFailed(id, now: now)
                }
            case .closeRelay(let id):
                openAllocations.removeAll { $0 == id }
            case .toPeer(_, let peer, _):
                FuzzCheck.expect(core.configuration.peerPolicy.permits(peer.ip), "data sent to a denied peer \(peer)")
            }
        }
    }
}
