import SignalingProtocol

/// KVS signaling messages over the WebSocket (DESIGN.md §3).
public enum SignalingFuzzTargets {
    /// Both directions' JSON: a client message the service parses and a service message a
    /// client parses; each written back parses to itself.
    public static let messages = FuzzTarget(
        name: "signaling-json",
        summary: "signaling JSON both ways (client → service, service → client): parse and round trip"
    ) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        if let message = try? ClientMessage.parse(text, maxPayloadCharacters: 10_000) {
            FuzzCheck.expect(message.messagePayload.count <= 10_000, "a payload over the limit was accepted")
            FuzzCheck.expect((try? ClientMessage.parse(message.json(), maxPayloadCharacters: 10_000)) == message, "a client message does not round-trip")
        }
        if let message = ServerMessage.parse(text) {
            _ = message.decodedPayload
            FuzzCheck.expect(ServerMessage.parse(message.json()) == message, "a service message does not round-trip")
        }
    }

    /// The hub routing a master and viewers of two channels: records of (operation,
    /// connection, body) — a text frame, time passing, a disconnect, a (re)connect, a
    /// channel deleted. Everything the hub delivers must parse as a service message on
    /// the client side, and only connections it knows get messages.
    public static let hub = FuzzTarget(
        name: "signaling-hub",
        summary: "signaling hub state machine: frames, time, (re)connects, deletes; deliveries parse on the client side"
    ) { bytes in
        var limits = SignalingLimits()
        limits.maxViewers = 3
        var hub = SignalingHub(limits: limits)
        var now = 1000.0
        var nextID: UInt64 = 1
        var live = Set<SignalingConnectionID>()
        let channels = ["arn:a", "arn:b"]
        func check(_ outputs: [SignalingHubOutput]) {
            for output in outputs {
                switch output {
                case .deliver(let id, let message):
                    FuzzCheck.expect(live.contains(id), "a message for a connection the hub should not know")
                    FuzzCheck.expect(ServerMessage.parse(message.json()) == message, "a delivered message does not parse on the client side")
                case .close(let id, _):
                    live.remove(id)
                    hub.disconnect(id)
                }
            }
        }
        var input = FuzzInput(bytes)
        while !input.isAtEnd {
            let operation = input.byte() % 6
            let which = input.byte()
            let connection = live.sorted().isEmpty ? nil : live.sorted()[Int(which) % live.count]
            switch operation {
            case 0, 1:
                let text = String(decoding: input.body(), as: UTF8.self)
                if let connection { check(hub.receive(connection, text: text, now: now)) }
            case 2: now += Double(input.uint16()) / 10; check(hub.tick(now: now))
            case 3: if let connection { hub.disconnect(connection); live.remove(connection) }
            case 4:
                let name = String(decoding: input.take(Int(input.byte() % 8)), as: UTF8.self)
                let peer: SignalingPeer = which & 1 == 0 ? .master : .viewer(clientId: name.isEmpty ? "v" : name)
                let id = SignalingConnectionID(nextID)
                nextID += 1
                if let outputs = try? hub.connect(id, channelARN: channels[Int(which >> 1) % 2], messageTTL: 60, peer: peer, now: now) {
                    live.insert(id)
                    check(outputs)
                }
            default: check(hub.closeChannel(channels[Int(which) % 2], reason: "deleted"))
            }
            FuzzCheck.expect(hub.connectionCount == live.count, "the hub tracks \(hub.connectionCount) connections, the driver \(live.count)")
        }
    }
}
