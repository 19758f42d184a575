import ArgumentParser
import Foundation
import PeerGateBench
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

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench media --frames \(frames) --frame-bytes \(frameBytes) --pairs \(pairs) --seconds \(seconds) --video-bitrate \(videoBitrate)"))
            // Memory first: the path benchmark's buffers, once freed, would be reused by the pairs.
            if pairs > 0 { try await memoryFigure() }
            let path = try MediaPathBenchmark.run(frames: frames, frameBytes: frameBytes)
            BenchReport.line(String(format: "media path, %@, %d packets (%d frames received whole):", path.profile.rawValue, path.packets, path.framesReceived))
            BenchReport.line(String(format: "  send (payloader, retransmission buffer, stats, SRTP protect, ICE): %.0f packets/s; bare libsrtp protect %.0f packets/s; bare is %.2f× faster (goal ≤ 2×)",
                path.sendPacketsPerSecond, path.bareProtectPacketsPerSecond, path.bareProtectPacketsPerSecond / path.sendPacketsPerSecond))
            BenchReport.line(String(format: "  receive (demultiplex, SRTP unprotect, parse, stats, NACK, reorder, depacketize): %.0f packets/s; bare libsrtp unprotect %.0f packets/s; bare is %.2f× faster (goal ≤ 2×)",
                path.receivePacketsPerSecond, path.bareUnprotectPacketsPerSecond, path.bareUnprotectPacketsPerSecond / path.receivePacketsPerSecond))
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
