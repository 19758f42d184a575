import DTLS
import Foundation
import ICE
import MediaFiles
import RTP
import SDP
import Signaling
import WebRTC

/// One viewer session of `peergate join`: offer through signaling, apply the master's
/// answer and trickled candidates, write frames until the time is up.
actor JoinSession {
    let channel: String
    let outputDirectory: String
    let transportConfiguration: WebRTCTransportConfiguration
    /// The video codecs offered first (the master sends the first it supports).
    let preferredVideo: [SDPCodec]
    private var videoFile: [UInt8] = []
    private var ivf = IVFWriter()
    private var ogg = OggOpusWriter()
    private var videoCodec: String?
    private var videoFrames = 0
    private var audioFrames = 0
    private var connected = false
    private var localCandidates: [ICECandidate] = []
    private var gathered = false

    init(channel: String, outputDirectory: String, transportConfiguration: WebRTCTransportConfiguration, preferredVideo: [SDPCodec] = []) {
        self.channel = channel
        self.preferredVideo = preferredVideo
        self.outputDirectory = outputDirectory
        self.transportConfiguration = transportConfiguration
    }

    /// Base64 of the JSON a browser's RTCSessionDescription or RTCIceCandidate gives.
    static func payload(_ object: [String: any Sendable]) -> String {
        ((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()).base64EncodedString()
    }

    func run(signaling: SignalingClient, duration: Duration?) async throws -> String {
        let runner = Task { await signaling.run() }
        defer { runner.cancel() }
        let transport = try await WebRTCTransport.start(controlling: true, configuration: transportConfiguration, certificate: try DTLSCertificate.make())
        var local = transport.sdpParameters()
        local.directions = [.video: .recvonly, .audio: .recvonly]
        local.codecs = preferredVideo + local.codecs.filter { !preferredVideo.contains($0) }
        let connection = PeerConnection(transport: transport)
        await connection.start()
        let frames = Task { [weak self] in
            for await event in connection.events {
                guard let self else { return }
                await self.handle(event, signaling: signaling)
            }
        }
        defer { frames.cancel() }

        var signalingEvents = signaling.events.makeAsyncIterator()
        while let event = await signalingEvents.next() {
            if case .connected = event { break }
        }
        // The offer carries every candidate (masters that do not trickle, such as aiortc, need them).
        for _ in 0..<1000 where !gathered { try await Task.sleep(for: .milliseconds(10)) }
        var offer = SDPOfferer.offer(local: local)
        offer.addCandidates(localCandidates, complete: gathered)
        try signaling.send(ClientMessage(action: .sdpOffer, messagePayload: Self.payload(["type": "offer", "sdp": offer.text])))
        let deadline = duration.map { ContinuousClock.now + $0 }
        let stopper = Task {
            if let deadline { try? await Task.sleep(until: deadline) } else { try? await Task.sleep(for: .seconds(365 * 86_400)) }
            runner.cancel()
        }
        defer { stopper.cancel() }
        while let event = await signalingEvents.next() {
            if let deadline, ContinuousClock.now >= deadline { break }
            guard case .message(let message) = event, let payload = message.decodedPayload else { continue }
            switch message.messageType {
            case .sdpAnswer:
                guard let sdp = payload["sdp"] as? String, let answer = try? SessionDescription(parsing: sdp) else { continue }
                await connection.configure(negotiated: try SDPOfferer.negotiated(answer: answer, local: local))
                let remote = try RemoteTransportDescription(answer)
                try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
                for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
                if remote.endOfCandidates { try await transport.remoteCandidatesComplete() }
            case .iceCandidate:
                if let line = payload["candidate"] as? String, !line.isEmpty, let candidate = try? ICECandidate(sdpValue: line) {
                    try await transport.addRemoteCandidate(candidate)
                }
            default:
                continue
            }
        }
        let inbound = await connection.inboundStats()
        let drops = await connection.drops
        let transportStats = try? await transport.stats()
        await connection.close()
        return try finish(inbound: inbound, transport: transportStats, drops: drops)
    }

    /// Frames go to the files; candidates are gathered for the offer.
    func handle(_ event: PeerConnectionEvent, signaling: SignalingClient) {
        switch event {
        case .transport(.localCandidate(let candidate)):
            localCandidates.append(candidate)
        case .transport(.gatheringComplete):
            gathered = true
        case .transport(.connected):
            connected = true
        case .frame(let received) where received.codec.kind == .video:
            videoCodec = received.codec.name.uppercased()
            videoFrames += 1
            if videoCodec == "VP8" { ivf.append(received.frame.data, rtpTimestamp: received.frame.rtpTimestamp) } else { videoFile += received.frame.data }
        case .frame(let received) where received.codec.name.lowercased() == "opus":
            audioFrames += 1
            ogg.append(received.frame.data)
        default:
            break
        }
    }

    /// Writes the files and returns the JSON summary.
    func finish(inbound: [InboundStreamStats], transport: WebRTCTransportStats?, drops: ReceiveDrops) throws -> String {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var files: [String] = []
        if videoFrames > 0 {
            let path = (outputDirectory as NSString).appendingPathComponent(channel + (videoCodec == "VP8" ? ".ivf" : videoCodec == "H265" ? ".h265" : ".h264"))
            try Data(videoCodec == "VP8" ? ivf.file : videoFile).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        if audioFrames > 0 {
            let path = (outputDirectory as NSString).appendingPathComponent(channel + ".ogg")
            try Data(ogg.file).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        let streams: [[String: any Sendable]] = inbound.map {
            ["ssrc": Int($0.ssrc), "mid": $0.mid, "packetsReceived": $0.packetsReceived, "packetsLost": Int($0.packetsLost), "framesReceived": $0.framesReceived,
             "framesDropped": $0.framesDropped, "nackCount": $0.nackCount, "pliCount": $0.pliCount]
        }
        var summary: [String: any Sendable] = ["connected": connected, "videoFrames": videoFrames, "audioFrames": audioFrames, "videoCodec": videoCodec ?? "", "files": files, "inbound": streams]
        summary["dropped"] = ["malformedRTP": drops.malformedRTP, "malformedRTCP": drops.malformedRTCP, "unknownPayloadType": drops.unknownPayloadType] as [String: any Sendable]
        if let transport {
            summary["transport"] = [
                "packetsReceived": transport.packetsReceived, "bytesReceived": transport.bytesReceived, "srtpAuthenticationFailures": transport.srtpAuthenticationFailures,
                "srtpReplays": transport.srtpReplays, "droppedDatagrams": transport.droppedDatagrams, "simulatedLossDrops": transport.simulatedLossDrops,
            ] as [String: any Sendable]
        }
        return String(decoding: (try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
}
