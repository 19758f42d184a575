import ArgumentParser
import Foundation
import PeerGateBench
import SRTP
@_spi(Benchmarks) import WebRTC

extension BenchCommand {
    /// `peergate bench media`: the PeerConnection media path per core next to bare libsrtp,
    /// and memory per connected PeerConnection.
    struct Media: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "media",
            abstract: "SRTP media packets/s per core on the send and receive paths next to bare libsrtp, and memory per connected PeerConnection.")

        @Option(help: "H.264 frames sent through the media path.") var frames = 30_000
        @Option(help: "Bytes per frame (a keyframe every 30 frames has the same size).") var frameBytes = 4_000
        @Option(help: "PeerConnection pairs held connected for the memory figure.") var pairs = 20
        @Option(help: "Seconds the pairs stream before memory is read.") var seconds = 5
        @Option(help: "Video bitrate each sender streams, bits per second.") var videoBitrate = 1_000_000
        /// The media path alone, as one JSON line: what the run measures in a child process
        /// that keeps libsrtp's own crypto.
        @Flag(help: .hidden) var pathJSON = false

        func run() async throws {
            if pathJSON { return try printPathJSON() }
            BenchReport.line(BenchReport.header(command: "peergate bench media --frames \(frames) --frame-bytes \(frameBytes) --pairs \(pairs) --seconds \(seconds) --video-bitrate \(videoBitrate)"))
            // Memory first: the path benchmark's buffers, once freed, would be reused by the pairs.
            if pairs > 0 { try await memoryFigure() }
            let path = try MediaPathBenchmark.run(frames: frames, frameBytes: frameBytes)
            BenchReport.line(String(format: "media path, %@, %d packets (%d frames received whole):", path.profile.rawValue, path.packets, path.framesReceived))
            BenchReport.line(String(format: "  send (payloader, retransmission buffer, stats, SRTP protect, ICE): %.0f packets/s; bare libsrtp protect %.0f packets/s; bare is %.2f× faster (goal ≤ 2×)",
                path.sendPacketsPerSecond, path.bareProtectPacketsPerSecond, path.bareProtectPacketsPerSecond / path.sendPacketsPerSecond))
            BenchReport.line(String(format: "  receive (demultiplex, SRTP unprotect, parse, stats, NACK, reorder, depacketize): %.0f packets/s; bare libsrtp unprotect %.0f packets/s; bare is %.2f× faster (goal ≤ 2×)",
                path.receivePacketsPerSecond, path.bareUnprotectPacketsPerSecond, path.bareUnprotectPacketsPerSecond / path.receivePacketsPerSecond))
            try stockLibsrtpFigure(path)
        }

        /// The same path in a child process whose libsrtp keeps its own crypto (Debian's
        /// build: NSS): stock libsrtp next to peergate's path on OpenSSL's AES.
        private func stockLibsrtpFigure(_ path: MediaPathBenchmark.Result) throws {
            let child = Process()
            child.executableURL = URL(filePath: BenchPaths.executable)
            child.arguments = ["bench", "media", "--path-json", "--frames", "\(frames)", "--frame-bytes", "\(frameBytes)"]
            child.environment = ProcessInfo.processInfo.environment.merging([SRTPCrypto.environmentVariable: SRTPCrypto.libsrtp.rawValue]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            try child.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            child.waitUntilExit()
            guard let stock = try? JSONDecoder().decode(PathRates.self, from: data) else {
                throw RuntimeFailure(message: "the stock-libsrtp run printed no result (status \(child.terminationStatus))")
            }
            BenchReport.line(String(format: "  stock libsrtp (its own crypto, %@=%@, a child process): bare protect %.0f, bare unprotect %.0f packets/s; next to peergate's paths above, bare is %.2f× (send) and %.2f× (receive) faster",
                SRTPCrypto.environmentVariable, SRTPCrypto.libsrtp.rawValue, stock.bareProtect, stock.bareUnprotect, stock.bareProtect / path.sendPacketsPerSecond,
                stock.bareUnprotect / path.receivePacketsPerSecond))
        }

        private func printPathJSON() throws {
            let path = try MediaPathBenchmark.run(frames: frames, frameBytes: frameBytes)
            let rates = PathRates(send: path.sendPacketsPerSecond, receive: path.receivePacketsPerSecond, bareProtect: path.bareProtectPacketsPerSecond, bareUnprotect: path.bareUnprotectPacketsPerSecond)
            print(String(decoding: try JSONEncoder().encode(rates), as: UTF8.self))
        }

        struct PathRates: Codable {
            var send, receive, bareProtect, bareUnprotect: Double
        }

        private func memoryFigure() async throws {
            let memory = try await PeerConnectionMemoryBenchmark(pairs: pairs, seconds: seconds, videoBitrate: videoBitrate).run()
            let perConnection = memory.bytesPerConnection / 1024
            BenchReport.line(String(format: "memory: %d connected PeerConnections (H.264 %d kbit/s + Opus, %d s): resident %.1f → %.1f MiB, %.0f KiB per PeerConnection (goal ≤ 256 KiB; %d of %d video frames received)",
                memory.connections, videoBitrate / 1000, seconds, Double(memory.residentBytesBefore) / 1_048_576, Double(memory.residentBytesAfter) / 1_048_576,
                perConnection, memory.framesReceived, memory.framesSent))
            BenchReport.line(String(format: "  next to the KVS C SDK's ≈ 6.5 MB per viewer (as quoted by the issue, not measured here): %.0f× smaller", 6.5 * 1024 / perConnection))
        }
    }
}
