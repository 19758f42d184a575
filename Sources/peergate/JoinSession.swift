import ChannelPeers
import Foundation
import ICE
import MediaFiles
import RTP
import SDP
import Signaling
import WebRTC

/// One viewer session of `peergate join` (a ``ChannelViewer``): writes the frames it
/// receives until the time is up.
actor JoinSession: ChannelViewerHandler {
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
    private var inbound: [InboundStreamStats] = []
    private var drops = ReceiveDrops()
    private var transportStats: WebRTCTransportStats?

    init(channel: String, outputDirectory: String, transportConfiguration: WebRTCTransportConfiguration, preferredVideo: [SDPCodec] = []) {
        self.channel = channel
        self.preferredVideo = preferredVideo
        self.outputDirectory = outputDirectory
        self.transportConfiguration = transportConfiguration
    }

    /// Joins through `signaling` until the time is up (or the session ends), then writes
    /// the files and returns the JSON summary.
    func run(signaling: SignalingClient, duration: Duration?) async throws -> String {
        let viewer = ChannelViewer(transportConfiguration: transportConfiguration, preferredVideo: preferredVideo, mediaTimeout: .seconds(365 * 86_400))
        _ = try await viewer.run(signaling: signaling, until: duration.map { ContinuousClock.now + $0 }, handler: self)
        return try finish(inbound: inbound, transport: transportStats, drops: drops)
    }

    func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async {}

    func ending(connection: PeerConnection, transport: WebRTCTransport) async {
        inbound = await connection.inboundStats()
        drops = await connection.drops
        transportStats = try? await transport.stats()
    }

    /// Frames go to the files.
    func handle(_ event: PeerConnectionEvent) {
        switch event {
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
            ["ssrc": Int($0.ssrc), "mid": $0.mid, "packetsReceived": $0.packetsReceived, "packetsLost": Int($0.packetsLost), "packetsGivenUp": $0.packetsGivenUp, "framesReceived": $0.framesReceived,
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
