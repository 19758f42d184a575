import Foundation
import PeerGateTestSupport
import Testing

/// `peergate record` of an aiortc master whose wall clock (the NTP time of its RTCP sender
/// reports, which map RTP time to wall clock) steps an hour back mid-recording, as a camera's
/// clock does when NTP first sets it: recording goes on, no segment spans the step (no
/// hour-long durations from one bad report), every segment is complete, matches its file
/// and decodes, and ≥ 98 % of the frames sent are recorded.
@Suite(.serialized) struct RecordClockJumpTests {
    @Test func aSenderClockStepDuringRecordingLosesNothingAndSpansNoSegment() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record-clock")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-clock"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run(
            "media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-clock", "20", "jump=-3600@9"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        let record = try await PeergateProcess.run(
            ["record", "--channel", "record-clock", "--duration", "24", "--segment-seconds", "3", "--media-timeout", "4", "--data-dir", recordings] + credentials,
            timeout: .seconds(60))
        let result = try await master
        try await server.stop()
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1000))")
        #expect(record.status == 0, "\(record.stderr.suffix(1500))")
        let recorded = try await RecordAiortcTests.checkSegments(dataDir: recordings, channel: "record-clock", within: 3)
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        #expect(sent > 400 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent); \(record.stderr.suffix(1500))")
        #expect(recorded.segments.count >= 5, "\(recorded.segments.map(\.duration))")
        for segment in recorded.segments {
            #expect(segment.duration <= 4_500_000 && segment.end - segment.start == segment.duration, "\(segment.path): \(segment.start)…\(segment.end), \(segment.duration) µs")
        }
        // The segments after the step carry the sender's new clock: an hour earlier.
        let starts = recorded.segments.map(\.start)
        let span = (starts.max() ?? 0) - (starts.min() ?? 0)
        #expect(span > 3_500_000_000, "\(starts)")
    }
}
