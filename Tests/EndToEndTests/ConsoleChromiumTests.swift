import Foundation
import PeerGateTestSupport
import Testing

/// The web console driven by headless Chromium through Selenium (`Tests/Peers/console_check.py`),
/// in a network namespace with only `lo`: login, live state, live view, timeline playback,
/// span download, and the signaling JS module. Screenshots are kept in
/// `.build/test-artifacts/console/`.
@Suite(.serialized) struct ConsoleChromiumTests {
    @Test func consoleLogsInWatchesLiveAndPlaysARecording() async throws {
        let shots = packageRoot.appending(path: ".build/test-artifacts/console").path(percentEncoded: false)
        let run = try await PythonPeers.run(
            "console_check.py", [PeergateProcess.executable.path(percentEncoded: false), shots], timeout: .seconds(180), isolatedNetwork: true)
        #expect(run.status == 0 && run.checks.count >= 12, "\(run.failures) \(run.stderr.suffix(2000))")
        for check in run.checks { #expect(check.ok, "\(check)") }
        for name in ["1-login", "2-channels", "3-live", "4-recording"] {
            #expect(FileManager.default.fileExists(atPath: "\(shots)/\(name).png"), "\(name).png")
        }
    }
}
