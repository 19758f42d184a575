import DTLS
import Foundation
import PeerGateTestSupport
import RTP
import SDP
import Testing
import WebRTC

/// aiortc 1.16 sends H.264 (x264) and Opus to peergate's PeerConnection
/// (Tests/Peers/media_aiortc_sender.py): the received access units, written as an Annex B
/// file, decode with ffmpeg without an error, and ≥ 98 % of the frames aiortc sent arrive.
@Suite struct PeerConnectionAiortcTests {
    @Test func receivesDecodableH264AndOpusFromAiortc() async throws {
        let directory = temporaryPath("peergate-media-aiortc")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        async let run = PythonPeers.run("media_aiortc_sender.py", [directory, "4"], timeout: .seconds(90))

        let offer = try SessionDescription(parsing: try await waitForFile(directory + "/offer.sdp"))
        let transport = try await WebRTCTransport.start(controlling: false, certificate: try DTLSCertificate.make())
        var local = SDPLocalParameters(
            iceUfrag: transport.localCredentials.ufrag, icePassword: transport.localCredentials.password,
            fingerprint: SDPFingerprint(transport.localFingerprint), sessionID: "3")
        local.directions = [.video: .recvonly, .audio: .recvonly]
        var (answer, media) = try SDPAnswerer.answer(offer, local: local)
        let connection = PeerConnection(transport: transport, negotiated: media)
        let events = EventRecorder(connection.events)
        await connection.start()
        answer.addCandidates(try await events.gatheredCandidates(), complete: true)
        try write(answer.text, to: directory + "/answer.sdp")
        try await PeerConnectionPairTests.apply(offer, to: transport)

        let result = try await run
        try await Task.sleep(for: .milliseconds(500))
        let frames = await events.frames
        let inbound = await connection.inboundStats()
        await connection.close()
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        let video = frames.filter { $0.codec.kind == .video }
        let audio = frames.filter { $0.codec.kind == .audio }
        #expect(sent > 30)
        #expect(Double(video.count) >= 0.98 * Double(sent), "received \(video.count) of \(sent) video frames; \(inbound)")
        #expect(audio.count > 100, "\(audio.count) Opus frames")  // 20 ms frames for ~4 s
        #expect(video.first?.frame.isKeyframe == true)

        let file = directory + "/received.h264"
        try Data(video.flatMap(\.frame.data)).write(to: URL(filePath: file))
        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], timeout: .seconds(60))
        #expect(decode.status == 0 && decode.output.isEmpty, "ffmpeg: \(decode.output.suffix(800))")
        let probe = try await ExternalProcess.run(
            "/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,codec_name", "-of", "csv=p=0", file],
            timeout: .seconds(60))
        #expect(probe.output.contains("h264"), "\(probe.output)")
        let decoded = Int(probe.output.split(separator: ",").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(decoded == video.count, "ffprobe decoded \(decoded) of \(video.count) frames")
    }
}

/// peergate's PeerConnection sends H.264 from a file (x264 made by the ffmpeg CLI) and
/// aiortc decodes ≥ 98 % of the frames (Tests/Peers/media_aiortc_receiver.py).
@Suite struct PeerConnectionSendsToAiortcTests {
    @Test func aiortcDecodesWhatPeergateSends() async throws {
        let directory = temporaryPath("peergate-media-send")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/source.h264"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "6", "-c:v", "libx264", "-profile:v", "baseline",
            "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", "-x264-params", "aud=1", "-f", "h264", source,
        ])
        #expect(made.status == 0, "\(made.output)")
        let units = H264AccessUnits.split(Array(try Data(contentsOf: URL(filePath: source))))
        #expect(units.count == 180)

        let transport = try await WebRTCTransport.start(controlling: true, certificate: try DTLSCertificate.make())
        var local = SDPLocalParameters(
            iceUfrag: transport.localCredentials.ufrag, icePassword: transport.localCredentials.password,
            fingerprint: SDPFingerprint(transport.localFingerprint), sessionID: "4")
        local.directions = [.video: .sendonly]
        local.sendSSRCs = [.video: (ssrc: 0x5000, rtx: 0x5001)]
        let connection = PeerConnection(transport: transport)
        let events = EventRecorder(connection.events)
        await connection.start()
        var offer = SDPOfferer.offer(local: local)
        offer.addCandidates(try await events.gatheredCandidates(), complete: true)
        try write(offer.text, to: directory + "/offer.sdp")
        async let run = PythonPeers.run("media_aiortc_receiver.py", [directory, "7.5"], timeout: .seconds(90))
        let answer = try SessionDescription(parsing: try await waitForFile(directory + "/answer.sdp"))
        await connection.configure(negotiated: try SDPOfferer.negotiated(answer: answer, local: local), sendSSRCs: local.sendSSRCs)
        try await PeerConnectionPairTests.apply(answer, to: transport)
        #expect(await events.waitFor { if case .transport(.connected) = $0 { true } else { false } })
        #expect(await connection.sendCodec(.video)?.name == "H264")
        let clock = ContinuousClock.now
        for (index, unit) in units.enumerated() {
            _ = try await connection.send(frame: unit, kind: .video, rtpTimestamp: UInt32(index * 3000))
            try await Task.sleep(until: clock + .milliseconds(33 * (index + 1)))
        }
        let result = try await run
        let outbound = await connection.outboundStats()
        await connection.close()
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let decoded = Int(result.checks.first { $0.name == "video frames decoded" }?.detail ?? "") ?? 0
        #expect(Double(decoded) >= 0.98 * Double(units.count), "aiortc decoded \(decoded) of \(units.count); \(outbound)")
    }
}
