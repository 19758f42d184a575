/// Identifies one WebSocket connection to the signaling service.
public struct SignalingConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
    public var description: String { "#\(value)" }
}

/// The side of a channel a connection is on.
public enum SignalingPeer: Sendable, Equatable, Hashable {
    case master
    case viewer(clientId: String)
}

/// What the hub asks its driver to do.
public enum SignalingHubOutput: Sendable, Equatable {
    /// Write a message to a connection.
    case deliver(SignalingConnectionID, ServerMessage)
    /// Close a connection (after the messages delivered before it).
    case close(SignalingConnectionID, reason: String)
}

/// Why a connection was refused.
public enum SignalingConnectRefusal: Error, Sendable, Equatable {
    /// The channel already has its maximum of viewers.
    case tooManyViewers(limit: Int)
}

/// The signaling service of all channels as a sans-I/O state machine: fed connections,
/// text frames and time; answering with messages to deliver and connections to close.
///
/// Rules (KVS WebRTC signaling, DESIGN.md §3): one master per channel, the newest
/// connection wins and the previous one gets GO_AWAY; at most `maxViewers` viewers, and a
/// viewer reconnecting with its client id replaces its old connection; viewers talk only to
/// the master (their `recipientClientId` is ignored) and the master addresses viewers by
/// client id; messages for an absent master are held for the channel's message TTL (a
/// newer SDP offer of a viewer replaces what it had held) and delivered when a master
/// connects; refused messages get a STATUS_RESPONSE when they carry a `correlationId` and
/// are dropped and counted otherwise; idle connections, connections reaching their maximum
/// duration and connections of a deleted channel get GO_AWAY and are closed.
public struct SignalingHub: Sendable {
    public let limits: SignalingLimits
    var channels: [String: ChannelState] = [:]
    var connections: [SignalingConnectionID: ConnectionState] = [:]
    /// Totals since start: messages relayed, held, dropped by reason.
    public internal(set) var counters = SignalingCounters()

    public init(limits: SignalingLimits = SignalingLimits()) {
        self.limits = limits
    }

    /// Who is connected to a channel now: whether its master is, and how many viewers.
    public func presence(channelARN: String) -> (master: Bool, viewers: Int) {
        guard let channel = channels[channelARN] else { return (false, 0) }
        return (channel.master != nil, channel.viewers.count)
    }

    struct ChannelState: Sendable {
        var messageTTL: Double
        var master: SignalingConnectionID?
        var viewers: [String: SignalingConnectionID] = [:]
        var held: [HeldMessage] = []
    }

    struct HeldMessage: Sendable {
        var sender: String
        var message: ServerMessage
        var expires: Double
    }

    struct ConnectionState: Sendable {
        var channelARN: String
        var peer: SignalingPeer
        var connectedAt: Double
        var lastActivity: Double
        var goAwaySent = false
        var sdpBucket: TokenBucket
        var candidateBucket: TokenBucket
    }

    /// Connections now open.
    public var connectionCount: Int { connections.count }

    /// The peer of an open connection.
    public func peer(of id: SignalingConnectionID) -> SignalingPeer? { connections[id]?.peer }

    /// Registers a new connection to a channel.
    /// - Parameter messageTTL: the channel's MessageTtlSeconds (how long messages for an
    ///   absent master are held).
    public mutating func connect(
        _ id: SignalingConnectionID, channelARN: String, messageTTL: Double, peer: SignalingPeer, now: Double
    ) throws(SignalingConnectRefusal) -> [SignalingHubOutput] {
        var channel = channels[channelARN] ?? ChannelState(messageTTL: messageTTL)
        channel.messageTTL = messageTTL
        var outputs: [SignalingHubOutput] = []
        switch peer {
        case .master:
            if let previous = channel.master {
                outputs += replace(previous, reason: "a newer master connected")
            }
            channel.master = id
            outputs += channel.held.filter { $0.expires >= now }.map { .deliver(id, $0.message) }
            counters.deliveredFromHold += outputs.count(where: { if case .deliver = $0 { true } else { false } })
            counters.expired += channel.held.count(where: { $0.expires < now })
            channel.held.removeAll()
        case .viewer(let clientId):
            if let previous = channel.viewers[clientId] {
                outputs += replace(previous, reason: "the viewer \(clientId) connected again")
            } else if channel.viewers.count >= limits.maxViewers {
                counters.refusedConnections += 1
                throw .tooManyViewers(limit: limits.maxViewers)
            }
            channel.viewers[clientId] = id
        }
        channels[channelARN] = channel
        connections[id] = ConnectionState(
            channelARN: channelARN, peer: peer, connectedAt: now, lastActivity: now,
            sdpBucket: TokenBucket(rate: limits.sdpPerSecond, capacity: 2 * limits.sdpPerSecond, now: now),
            candidateBucket: TokenBucket(rate: limits.candidatesPerSecond, capacity: 2 * limits.candidatesPerSecond, now: now))
        return outputs
    }

    /// GO_AWAY and close for a connection superseded by a newer one.
    private mutating func replace(_ id: SignalingConnectionID, reason: String) -> [SignalingHubOutput] {
        removeConnection(id)
        return [.deliver(id, .goAway), .close(id, reason: reason)]
    }

    /// Forgets a connection the driver saw close. Unknown ids are ignored.
    public mutating func disconnect(_ id: SignalingConnectionID) {
        removeConnection(id)
    }

    mutating func removeConnection(_ id: SignalingConnectionID) {
        guard let connection = connections.removeValue(forKey: id), var channel = channels[connection.channelARN] else { return }
        switch connection.peer {
        case .master where channel.master == id: channel.master = nil
        case .viewer(let clientId) where channel.viewers[clientId] == id: channel.viewers[clientId] = nil
        default: break
        }
        if channel.master == nil && channel.viewers.isEmpty && channel.held.isEmpty {
            channels[connection.channelARN] = nil
        } else {
            channels[connection.channelARN] = channel
        }
    }

    /// GO_AWAY and close for every connection of a channel (it was deleted); its held
    /// messages are dropped.
    public mutating func closeChannel(_ channelARN: String, reason: String) -> [SignalingHubOutput] {
        guard let channel = channels.removeValue(forKey: channelARN) else { return [] }
        let ids = ([channel.master].compactMap { $0 } + channel.viewers.values).sorted()
        for id in ids { connections[id] = nil }
        return ids.flatMap { [SignalingHubOutput.deliver($0, .goAway), .close($0, reason: reason)] }
    }

    /// Expires held messages, closes idle connections and those reaching their maximum
    /// duration (GO_AWAY `goAwayLead` seconds before).
    public mutating func tick(now: Double) -> [SignalingHubOutput] {
        var outputs: [SignalingHubOutput] = []
        for (arn, channel) in channels where channel.held.contains(where: { $0.expires < now }) {
            let kept = channel.held.filter { $0.expires >= now }
            counters.expired += channel.held.count - kept.count
            channels[arn]?.held = kept
            if kept.isEmpty, channel.master == nil, channel.viewers.isEmpty { channels[arn] = nil }
        }
        for (id, connection) in connections.sorted(by: { $0.key < $1.key }) {
            let age = now - connection.connectedAt
            if now - connection.lastActivity >= limits.idleTimeout {
                removeConnection(id)
                outputs += [.deliver(id, .goAway), .close(id, reason: "idle for \(Int(limits.idleTimeout)) s")]
            } else if age >= limits.maxConnectionDuration {
                removeConnection(id)
                outputs.append(.close(id, reason: "maximum connection duration of \(Int(limits.maxConnectionDuration)) s reached"))
            } else if age >= limits.maxConnectionDuration - limits.goAwayLead, !connection.goAwaySent {
                connections[id]?.goAwaySent = true
                outputs.append(.deliver(id, .goAway))
            }
        }
        return outputs
    }
}

/// Totals of the signaling service since start.
public struct SignalingCounters: Sendable, Equatable {
    public var relayed = 0
    public var held = 0
    public var deliveredFromHold = 0
    public var expired = 0
    public var refusedConnections = 0
    public var dropped: [SignalingDropReason: Int] = [:]

    public init() {}
}

extension SignalingHub {
    /// Whether `connect` would admit this peer now.
    public func hasRoom(channelARN: String, for peer: SignalingPeer) -> Bool {
        guard case .viewer(let clientId) = peer, let channel = channels[channelARN] else { return true }
        return channel.viewers[clientId] != nil || channel.viewers.count < limits.maxViewers
    }

    /// GO_AWAY and close for every connection of every channel.
    public mutating func closeAll(reason: String) -> [SignalingHubOutput] {
        channels.keys.sorted().flatMap { closeChannel($0, reason: reason) }
    }
}
