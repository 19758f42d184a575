import Foundation
import SDP

/// A frame queued for one connection of a fan-out: its payloads, its kind, and its time in
/// microseconds on the sender's timeline.
public struct QueuedFrame: Sendable {
    public var frame: PacketizedFrame
    public var kind: SDPCodec.Kind
    public var time: Int64

    public init(frame: PacketizedFrame, kind: SDPCodec.Kind, time: Int64) {
        self.frame = frame
        self.kind = kind
        self.time = time
    }
}

/// RTP timestamps of a fan-out connection: a random base per kind plus the time at the
/// negotiated clock rate (RFC 3550 §5.1).
struct FanoutClock {
    let rates: [SDPCodec.Kind: Int64]
    let bases: [SDPCodec.Kind: UInt32] = [.video: .random(in: 0...UInt32.max), .audio: .random(in: 0...UInt32.max)]

    func timestamp(_ frame: QueuedFrame) -> UInt32 {
        let ticks = frame.time * (rates[frame.kind] ?? 90_000) / 1_000_000
        return (bases[frame.kind] ?? 0) &+ UInt32(truncatingIfNeeded: ticks)
    }
}

extension PeerConnection {
    /// Sends a fan-out frame now, synchronously: call it on the connection's event loop
    /// (`connection.assumeIsolated { $0.sendQueued(frame) }` from a task of that loop), so a
    /// loop serving many viewers wakes once per frame for all of them. False when it could
    /// not go out (before the transport is connected, or after it closed).
    public func sendQueued(_ item: QueuedFrame) -> Bool {
        let clock = fanoutClock ?? FanoutClock(rates: [.video: Int64(sendCodec(.video)?.clockRate ?? 90_000), .audio: Int64(sendCodec(.audio)?.clockRate ?? 48_000)])
        fanoutClock = clock
        guard let route = fanoutRoute(item) else { return false }
        let timestamp = clock.timestamp(item)
        let unixSeconds = Date().timeIntervalSince1970
        // Payloads made for another codec than the one negotiated here are made again.
        let packets =
            route.payloadsFit
            ? route.stream.packets(for: item.frame.frame, parts: item.frame.parts, rtpTimestamp: timestamp, unixSeconds: unixSeconds)
            : route.stream.packets(for: item.frame.frame, rtpTimestamp: timestamp, unixSeconds: unixSeconds)
        return transport.sendRTPOnLoop(packets: packets)
    }

    /// The send stream for the frame's kind, and whether its payloads fit the codec
    /// negotiated there; looked up once per kind and payload codec, not per frame.
    private func fanoutRoute(_ item: QueuedFrame) -> FanoutRoute? {
        if let route = fanoutRoutes[item.kind], route.payloadCodec == item.frame.codecName { return route }
        guard let stream = sendStreams.values.first(where: { $0.codec.kind == item.kind }) else { return nil }
        let route = FanoutRoute(
            stream: stream, payloadCodec: item.frame.codecName, payloadsFit: stream.codec.name.caseInsensitiveCompare(item.frame.codecName) == .orderedSame)
        fanoutRoutes[item.kind] = route
        return route
    }
}

/// Where a fan-out connection sends frames of one kind (see ``PeerConnection/sendQueued(_:)``).
struct FanoutRoute {
    var stream: SendStream
    /// The codec the frame's payloads were made for.
    var payloadCodec: String
    /// The payloads fit the negotiated codec and are sent as made.
    var payloadsFit: Bool
}
