import ChannelPeers
import Foundation
import ICE
import Media
import RTP
import SDP
import Signaling
import WebRTC

/// `peergate join --role master` (a ``ChannelMaster``): every viewer gets a PeerConnection
/// that sends the source's video and audio (looped, paced by their timestamps) from the
/// moment it connects until the time is up.
actor JoinMasterSession: ChannelMasterHandler {
    let source: JoinMasterSource
    /// Answers the viewers (its transport configuration fixed, or renewed for long runs).
    let master: ChannelMaster
    private var senders: [String: Task<Void, Never>] = [:]
    private var connections: [String: PeerConnection] = [:]
    private var viewersServed: Set<String> = []
    private var framesSent: [String: Int] = [:]
    private var audioFramesSent: [String: Int] = [:]

    init(source: JoinMasterSource, master: ChannelMaster) {
        self.source = source
        self.master = master
    }

    func run(signaling: SignalingClient, duration: Duration?) async throws -> String {
        try await master.run(signaling: signaling, until: duration.map { ContinuousClock.now + $0 }, handler: self)
        let summary: [String: any Sendable] = ["viewers": viewersServed.count, "framesSent": framesSent, "audioFramesSent": audioFramesSent]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    func localParameters(for viewer: String, defaults: SDPLocalParameters) -> SDPLocalParameters {
        var local = defaults
        local.directions = [.video: .sendonly, .audio: .sendonly]
        local.codecs = source.sdpCodecs
        local.sendSSRCs = [.video: (ssrc: UInt32.random(in: 1...UInt32.max), rtx: UInt32.random(in: 1...UInt32.max)), .audio: (ssrc: UInt32.random(in: 1...UInt32.max), rtx: nil)]
        return local
    }

    func viewerJoined(_ viewer: String, connection: PeerConnection, media: [SDPNegotiatedMedia]) {
        connections[viewer] = connection
        viewersServed.insert(viewer)
    }

    /// Sending starts once the viewer's transport is connected.
    func handle(_ event: PeerConnectionEvent, from viewer: String) {
        guard case .transport(.connected) = event, senders[viewer] == nil, let connection = connections[viewer] else { return }
        let source = source
        senders[viewer] = Task { [weak self] in
            await Self.send(source, on: connection) { kind in await self?.count(viewer, kind) }
        }
    }

    func viewerLeft(_ viewer: String, connection: PeerConnection) {
        senders.removeValue(forKey: viewer)?.cancel()
        connections[viewer] = nil
    }

    /// Sends the source in a loop, each frame at its presentation time from the start.
    static func send(_ source: JoinMasterSource, on connection: PeerConnection, sent: (SDPCodec.Kind) async -> Void) async {
        // RTP clock rates of the negotiated codecs (90 kHz video, 48 kHz Opus, 8 kHz G.711).
        let videoRate = Int64(await connection.sendCodec(.video)?.clockRate ?? 90_000)
        let audioRate = Int64(await connection.sendCodec(.audio)?.clockRate ?? 48_000)
        let start = ContinuousClock.now
        var loop: Int64 = 0
        var index = 0
        while !Task.isCancelled {
            if index == source.packets.count { (index, loop) = (0, loop + 1) }
            let packet = source.packets[index]
            index += 1
            let at = loop * source.periodMicroseconds + packet.presentationMicroseconds
            try? await Task.sleep(until: start + .microseconds(at))
            let kind: SDPCodec.Kind = packet.codec.isVideo ? .video : .audio
            let timestamp = UInt32(truncatingIfNeeded: at * (kind == .video ? videoRate : audioRate) / 1_000_000)
            if (try? await connection.send(frame: packet.data, kind: kind, rtpTimestamp: timestamp)) == true { await sent(kind) }
        }
    }

    private func count(_ viewer: String, _ kind: SDPCodec.Kind) {
        if kind == .video { framesSent[viewer, default: 0] += 1 } else { audioFramesSent[viewer, default: 0] += 1 }
    }
}
