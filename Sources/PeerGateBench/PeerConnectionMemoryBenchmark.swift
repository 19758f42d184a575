import DTLS
import Foundation
import ICE
import SDP
import WebRTC

/// Memory per connected PeerConnection with one video and one audio track: `pairs` pairs of
/// PeerConnections on loopback in this process, each sender streaming H.264-sized video
/// (`videoBitrate`, 30 fps, a keyframe 4× the size every 2 s) and 20 ms Opus-sized frames to
/// its receiver for `seconds`, so retransmission buffers, reorder buffers and statistics
/// reach their steady state. The process's resident memory grows by the figure × 2 × pairs.
public struct PeerConnectionMemoryBenchmark: Sendable {
    public let pairs: Int
    public let seconds: Int
    public let videoBitrate: Int

    public init(pairs: Int, seconds: Int, videoBitrate: Int) {
        self.pairs = pairs
        self.seconds = seconds
        self.videoBitrate = videoBitrate
    }

    public struct Result: Sendable {
        public let connections: Int
        public let residentBytesBefore: Int
        public let residentBytesAfter: Int
        public let framesReceived: Int
        public let framesSent: Int
        public var bytesPerConnection: Double { Double(residentBytesAfter - residentBytesBefore) / Double(connections) }
    }

    public func run() async throws -> Result {
        // One pair first, closed again: libraries, certificates and thread pools are loaded
        // before the baseline.
        let warmUp = try await Self.connectedPair()
        await warmUp.sender.close()
        await warmUp.receiver.close()
        try await Task.sleep(for: .milliseconds(300))
        let before = BenchReport.residentBytes(pid: getpid()) ?? 0
        var connections: [(sender: PeerConnection, receiver: PeerConnection, counter: FrameCounter)] = []
        for _ in 0..<pairs {
            let pair = try await Self.connectedPair()
            connections.append((pair.sender, pair.receiver, FrameCounter(pair.receiver.events)))
        }
        let frameBytes = videoBitrate / 8 / 30
        let start = ContinuousClock.now
        var sent = 0
        for index in 0..<(seconds * 30) {
            let keyframe = index % 60 == 0
            let video = AnnexBFrame.make(nalType: keyframe ? 5 : 1, bytes: keyframe ? 4 * frameBytes : frameBytes, seed: index)
            let audio = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 80)
            for connection in connections {
                if try await connection.sender.send(frame: video, kind: .video, rtpTimestamp: UInt32(index * 3000)) { sent += 1 }
                _ = try await connection.sender.send(frame: audio, kind: .audio, rtpTimestamp: UInt32(index * 1600))
                _ = try await connection.sender.send(frame: audio, kind: .audio, rtpTimestamp: UInt32(index * 1600 + 960))
            }
            try await Task.sleep(until: start + .microseconds(33_333 * (index + 1)))
        }
        try await Task.sleep(for: .milliseconds(300))
        let after = BenchReport.residentBytes(pid: getpid()) ?? 0
        var received = 0
        for connection in connections { received += await connection.counter.videoFrames }
        for connection in connections {
            await connection.sender.close()
            await connection.receiver.close()
        }
        return Result(connections: 2 * pairs, residentBytesBefore: before, residentBytesAfter: after, framesReceived: received, framesSent: sent)
    }

    /// A sender (video + audio, sendonly) and a receiver, negotiated and connected.
    static func connectedPair() async throws -> (sender: PeerConnection, receiver: PeerConnection) {
        let certificate = try DTLSCertificate.make()
        let senderTransport = try await WebRTCTransport.start(controlling: true, certificate: certificate)
        let receiverTransport = try await WebRTCTransport.start(controlling: false, certificate: certificate)
        var senderLocal = senderTransport.sdpParameters(sessionID: "1")
        senderLocal.directions = [.video: .sendonly, .audio: .sendonly]
        senderLocal.codecs = [.h264ConstrainedBaseline, .opus]
        senderLocal.sendSSRCs = [.video: (ssrc: .random(in: 1...UInt32.max), rtx: .random(in: 1...UInt32.max)), .audio: (ssrc: .random(in: 1...UInt32.max), rtx: nil)]
        var receiverLocal = receiverTransport.sdpParameters(sessionID: "2")
        receiverLocal.directions = [.video: .recvonly, .audio: .recvonly]
        var offer = SDPOfferer.offer(local: senderLocal)
        var (answer, receiverMedia) = try SDPAnswerer.answer(try SessionDescription(parsing: offer.text), local: receiverLocal)
        let senderMedia = try SDPOfferer.negotiated(answer: answer, local: senderLocal)
        let sender = PeerConnection(transport: senderTransport, negotiated: senderMedia, sendSSRCs: senderLocal.sendSSRCs)
        let receiver = PeerConnection(transport: receiverTransport, negotiated: receiverMedia)
        var senderEvents = sender.events.makeAsyncIterator()
        var receiverEvents = receiver.events.makeAsyncIterator()
        await sender.start()
        await receiver.start()
        offer.addCandidates(await Self.gathered(&senderEvents), complete: true)
        answer.addCandidates(await Self.gathered(&receiverEvents), complete: true)
        try await WebRTCConnectBenchmark.apply(try SessionDescription(parsing: offer.text), to: receiverTransport)
        try await WebRTCConnectBenchmark.apply(try SessionDescription(parsing: answer.text), to: senderTransport)
        while let event = await senderEvents.next() {
            if case .transport(.connected) = event { break }
            if case .transport(.failed) = event { throw WebRTCTransportError.closed }
        }
        return (sender, receiver)
    }

    static func gathered(_ events: inout AsyncStream<PeerConnectionEvent>.AsyncIterator) async -> [ICECandidate] {
        var candidates: [ICECandidate] = []
        while let event = await events.next(), event != .transport(.gatheringComplete) {
            if case .transport(.localCandidate(let candidate)) = event { candidates.append(candidate) }
        }
        return candidates
    }
}

/// Counts the video frames a receiver delivers (the one reader of its events).
final class FrameCounter: Sendable {
    private let count = Counter()
    private let task: Task<Void, Never>

    init(_ events: AsyncStream<PeerConnectionEvent>) {
        let count = count
        task = Task {
            for await event in events {
                if case .frame(let frame) = event, frame.codec.kind == .video { await count.increment() }
            }
        }
    }

    deinit { task.cancel() }

    var videoFrames: Int { get async { await count.value } }

    actor Counter {
        private(set) var value = 0
        func increment() { value += 1 }
    }
}

/// A synthetic H.264 access unit: one NAL unit of `bytes` bytes.
enum AnnexBFrame {
    /// An access unit of one slice of `nalType`; an IDR slice (5) comes after an SPS and a
    /// PPS, as encoders send keyframes (RFC 6184 §8.4), so receivers can start from it.
    static func make(nalType: UInt8, bytes: Int, seed: Int) -> [UInt8] {
        let parameterSets: [UInt8] = nalType == 5 ? [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F, 0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80] : []
        return parameterSets + [0, 0, 0, 1, 0x60 | nalType] + (0..<max(bytes - 5, 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) | 0x01 }
    }
}
