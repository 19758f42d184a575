import Foundation
import PeerGateBench

extension BenchCommand.Ingest {
    /// `--janus`: the same aiortc publishers (pre-encoded H.264 + Opus, no re-encoding) feed
    /// peergate's recorders, then Janus's VideoRoom with `record: true` (raw RTP dumps), one
    /// after the other in this run; each recorder's CPU per session-second, and the ratio.
    /// Janus runs in a network namespace of its own with 127.0.0.1 on a bridge (it ignores
    /// loopback interfaces; DESIGN.md §4).
    func runSideBySide(in workDirectory: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/janus") else { throw RuntimeFailure(message: "--janus needs Janus: apt-get install janus") }
        guard FileManager.default.isExecutableFile(atPath: python) else { throw RuntimeFailure(message: "--janus needs \(python) with aiortc: make venv") }
        let publishSeconds = seconds + 40
        // As long as the publishing: aiortc's player does not pace a looped file (it bursts).
        let clip = try await makeClip(in: workDirectory, transportStream: true, seconds: publishSeconds + 10)
        let script = BenchPaths.absolute(peers) + "/ingest_publishers.py"
        let python = BenchPaths.absolute(python)

        BenchReport.line("peergate (recorders as viewers of \(sessions) channels, aiortc masters):")
        let channels = (0..<sessions).map { "ingest-\($0)" }
        let server = try await startRecordingServer(channels: channels)
        let publishers = try launch(python, [script, "peergate", clip, "\(sessions)", "\(publishSeconds)", server.url, server.credentials.accessKeyId, server.credentials.secretAccessKey, "ingest-"])
        let ours = try await measureRecorder(server)
        publishers.terminate()
        publishers.waitUntilExit()
        server.stop()

        BenchReport.line("\(janusVersion()) (VideoRoom, record: true, \(sessions) aiortc publishers):")
        let recordings = workDirectory + "/janus"
        try FileManager.default.createDirectory(atPath: recordings, withIntermediateDirectories: true)
        let namespaceSetup = "ip link set lo up && ip link add pgbr0 type bridge && ip addr add 127.0.0.1/32 dev pgbr0 && ip link set pgbr0 up"
        let janusRun = try launch(
            "/usr/bin/unshare", ["-n", "sh", "-c", "\(namespaceSetup) && exec \"$0\" \"$@\"", python, script, "janus", clip, "\(sessions)", "\(seconds + 30)", recordings],
            capture: true)
        let output = outputUntilExit(janusRun)
        guard let line = output.split(separator: "\n").last(where: { $0.contains("janus_cpu") }),
            let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let cpu = (result["janus_cpu"] as? NSNumber)?.doubleValue, let window = (result["window"] as? NSNumber)?.doubleValue, let up = (result["up"] as? NSNumber)?.intValue, up > 0
        else { throw RuntimeFailure(message: "the Janus run gave no figure: \(output.suffix(400))") }
        let theirs = cpu / (window * Double(up))
        BenchReport.line(String(format: "sessions recording: %d of %d; Janus CPU: %.2f s over %.0f s = %.4f CPU-s per session-second (%.1f MB of RTP dumps)", up, sessions, cpu, window, theirs, ((result["recorded_bytes"] as? NSNumber)?.doubleValue ?? 0) / 1e6))
        BenchReport.line(String(format: "peergate / Janus CPU per session-second: %.2f (goal ≤ 0.5: half of Janus's, writing fMP4 with fsync where Janus writes raw RTP)", ours.perSessionSecond / theirs))
    }


    func launch(_ executable: String, _ arguments: [String], capture: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(filePath: BenchPaths.absolute(peers))
        process.standardOutput = capture ? Pipe() : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What a process launched with `capture` printed, once it exited.
    func outputUntilExit(_ process: Process) -> String {
        let output = String(decoding: (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }

    func janusVersion() -> String {
        guard let process = try? launch("/usr/bin/janus", ["--version"], capture: true) else { return "" }
        return outputUntilExit(process).split(separator: "\n").first.map(String.init) ?? ""
    }
}
