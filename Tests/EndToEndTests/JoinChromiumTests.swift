import PeerGateTestSupport
import Testing

/// Headless Chromium 156 and `peergate join` exchange media through peergate's signaling,
/// all inside a network namespace with only `lo` (Tests/Peers/chromium_media.py): Chromium's
/// fake camera sent as VP8 and as H.264 is received and decodes (ffmpeg, no errors, ≥ 98 % of
/// the frames); H.264 sent by `peergate join --role master` is decoded by Chromium
/// (`framesDecoded` in getStats); a file republished by `peergate publish` shows in Chromium
/// within a second of its offer.
@Suite(.serialized) struct JoinChromiumTests {
    @Test(arguments: ["chromium-sends-vp8", "chromium-sends-h264", "chromium-receives-h264", "chromium-views-publish"])
    func chromiumAndPeergateExchangeVideo(mode: String) async throws {
        let run = try await PythonPeers.run(
            "chromium_media.py", [PeergateProcess.executable.path(percentEncoded: false), mode], timeout: .seconds(120), isolatedNetwork: true)
        #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(2000))")
        if mode.hasPrefix("chromium-sends-") {
            let codec = mode.hasSuffix("vp8") ? "VP8" : "H264"
            #expect(run.checks.contains { $0.name == "received codec" && $0.detail == codec && $0.ok }, "\(run.checks)")
            #expect(run.checks.contains { $0.name.hasSuffix(" decodes") && $0.ok })
            #expect(run.checks.contains { $0.name == "decoded frames" && $0.ok })
        } else {
            #expect(run.checks.contains { $0.name == "Chromium decoded frames" && $0.ok }, "\(run.checks)")
            #expect(run.checks.contains { $0.name == "Chromium codec" && $0.detail == "video/H264" })
        }
    }
}

/// `peergate record` records a headless Chromium master (its fake camera as VP8, then as
/// H.264) inside a network namespace with only `lo`: segments of that codec (WebM for VP8,
/// MP4 for H.264), cut every 3 s by PLI, that decode.
@Suite(.serialized) struct RecordChromiumTests {
    @Test(arguments: ["chromium-recorded-vp8", "chromium-recorded-h264"])
    func recordsAChromiumMaster(mode: String) async throws {
        let run = try await PythonPeers.run(
            "chromium_media.py", [PeergateProcess.executable.path(percentEncoded: false), mode], timeout: .seconds(120), isolatedNetwork: true)
        #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(2000))")
        #expect(run.checks.contains { $0.name == "segments carry the codec" && $0.ok }, "\(run.checks)")
        #expect(run.checks.contains { $0.name == "recorded video frames" && $0.ok }, "\(run.checks)")
        #expect(run.checks.filter { $0.name.hasSuffix(" decodes") }.count >= 2)
    }
}
