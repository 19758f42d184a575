import DTLS
import Foundation
import ICE
import RTP
import SDP
import Synchronization
import Testing
import WebRTC

/// Two of peergate's PeerConnections on loopback, negotiated with SDPOfferer/SDPAnswerer:
/// H.264 and Opus frames sent by one arrive byte for byte at the other, with RTCP reports
/// flowing (round-trip time measured) and W3C-style stats counting it all.
@Suite struct PeerConnectionPairTests {
    static func frame(_ index: Int) -> [UInt8] {
        let slice: [UInt8] = [index % 30 == 0 ? 0x65 : 0x41] + (0..<(index % 30 == 0 ? 9000 : 1500)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
        return index % 30 == 0 ? AnnexB.join([[0x67, 0x42, 0xE0, 0x1F, 0xDA], [0x68, 0xCE, 0x3C, 0x80], slice]) : AnnexB.join([slice])
    }

    /// A sending and a receiving PeerConnection, negotiated and connected on loopback.
    static func connectedPair(configuration: WebRTCTransportConfiguration = WebRTCTransportConfiguration()) async throws -> (
        sender: PeerConnection, receiver: PeerConnection, senderEvents: EventRecorder, receiverEvents: EventRecorder
    ) {
        let offererTransport = try await WebRTCTransport.start(controlling: true, configuration: configuration, certificate: try DTLSCertificate.make())
        let answererTransport = try await WebRTCTransport.start(controlling: false, configuration: configuration, certificate: try DTLSCertificate())
        // SDP parameters from the transports (nothing reads their events but the PeerConnections).
        var offerLocal = SDPLocalParameters(
            iceUfrag: offererTransport.localCredentials.ufrag, icePassword: offererTransport.localCredentials.password,
            fingerprint: SDPFingerprint(offererTransport.localFingerprint), sessionID: "1")
        offerLocal.directions = [.video: .sendonly, .audio: .sendonly]
        offerLocal.sendSSRCs = [.video: (ssrc: 0x1000, rtx: 0x1001), .audio: (ssrc: 0x2000, rtx: nil)]
        var answerLocal = SDPLocalParameters(
            iceUfrag: answererTransport.localCredentials.ufrag, icePassword: answererTransport.localCredentials.password,
            fingerprint: SDPFingerprint(answererTransport.localFingerprint), sessionID: "2")
        answerLocal.directions = [.video: .recvonly, .audio: .recvonly]
        var offer = SDPOfferer.offer(local: offerLocal)
        let parsedOffer = try SessionDescription(parsing: offer.text)
        let (answerTemplate, answererMedia) = try SDPAnswerer.answer(parsedOffer, local: answerLocal)
        let offererMedia = try SDPOfferer.negotiated(answer: answerTemplate, local: offerLocal)

        // Each PeerConnection is the only reader of its transport's events from here on.
        let sender = PeerConnection(transport: offererTransport, negotiated: offererMedia, sendSSRCs: offerLocal.sendSSRCs)
        let receiver = PeerConnection(transport: answererTransport, negotiated: answererMedia)
        let senderEvents = EventRecorder(sender.events)
        let receiverEvents = EventRecorder(receiver.events)
        await sender.start()
        await receiver.start()
        offer.addCandidates(try await senderEvents.gatheredCandidates(), complete: true)
        var answer = answerTemplate
        answer.addCandidates(try await receiverEvents.gatheredCandidates(), complete: true)
        try await Self.apply(try SessionDescription(parsing: offer.text), to: answererTransport)
        try await Self.apply(try SessionDescription(parsing: answer.text), to: offererTransport)
        #expect(await senderEvents.waitFor { if case .transport(.connected) = $0 { true } else { false } })
        return (sender, receiver, senderEvents, receiverEvents)
    }

    /// The same with the receiving socket polled once media flows (the default) and read by
    /// NIO for every burst: every frame either way; only a receiving connection is polled.
    @Test(arguments: [true, false]) func h264AndOpusFramesArriveWhole(polled: Bool) async throws {
        var configuration = WebRTCTransportConfiguration()
        configuration.pollsSocketsWhileReceiving = polled
        let (sender, receiver, _, receiverEvents) = try await Self.connectedPair(configuration: configuration)
        #expect(await sender.sendCodec(.video)?.name == "H264")

        let frames = (0..<60).map(Self.frame)
        for (index, frame) in frames.enumerated() {
            #expect(try await sender.send(frame: frame, kind: .video, rtpTimestamp: UInt32(index * 3000)))
            #expect(try await sender.send(frame: [0xFC, UInt8(index)] + Array(repeating: 1, count: 60), kind: .audio, rtpTimestamp: UInt32(index * 960)))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(1500))  // reports go out every second
        let received = await receiverEvents.frames
        let video = received.filter { $0.codec.kind == .video }
        let audio = received.filter { $0.codec.kind == .audio }
        let inbound = await receiver.inboundStats()
        let outbound = await sender.outboundStats()
        #expect(video.count == frames.count && video.map(\.frame.data) == frames, "\(video.count) video frames; inbound \(inbound); outbound \(outbound)")
        #expect(video.first?.frame.isKeyframe == true)
        #expect(audio.count == 60)
        #expect(video.allSatisfy { $0.wallClock != nil })
        #expect(inbound.count == 2)
        #expect(inbound.first { $0.ssrc == 0x1000 }?.framesReceived == 60)
        #expect(outbound.first { $0.ssrc == 0x1000 }?.framesSent == 60)
        #expect(outbound.first?.roundTripTime != nil, "\(outbound)")  // from the receiver's reports
        let (receiverTransport, senderTransport) = (try await receiver.transport.stats(), try await sender.transport.stats())
        if polled {
            #expect(receiverTransport.polledDatagrams > 60, "\(receiverTransport)")
            // The sender writes each frame's packets as one segmented write; polled, they
            // arrive as one message each (UDP GRO) — all but the first frame or two, which
            // arrive before polling starts.
            #expect(receiverTransport.polledCoalescedReads >= frames.count - 2, "\(receiverTransport)")
        } else {
            #expect(receiverTransport.polledDatagrams == 0)
        }
        #expect(senderTransport.polledDatagrams == 0)  // it only sends: its reads stay with NIO
        #expect(receiverTransport.socketReadErrors == 0)
        await sender.close()
        await receiver.close()
    }

    /// With a frame handler, frames are handed over on the transport's event loop instead of
    /// as events (a recorder's path): every frame, in order, counted by `activity`.
    @Test func frameHandlerTakesTheFramesInsteadOfEvents() async throws {
        let (sender, receiver, _, receiverEvents) = try await Self.connectedPair()
        let handled = FrameCollector()
        await receiver.setFrameHandler { frame in handled.append(frame) }
        let frames = (0..<30).map(Self.frame)
        for (index, frame) in frames.enumerated() {
            #expect(try await sender.send(frame: frame, kind: .video, rtpTimestamp: UInt32(index * 3000)))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(handled.frames.map(\.frame.data) == frames)
        #expect(await receiverEvents.frames.isEmpty)
        #expect(receiver.activity.framesReceived == frames.count)
        await sender.close()
        await receiver.close()
    }

    /// 5 % of the SRTP/SRTCP datagrams each side receives are dropped (the transport's
    /// fault-injection hook, after ICE and DTLS): NACKs from the receiver, retransmissions
    /// over RTX from the sender's buffer, and ≥ 99 % of the frames arrive byte for byte.
    @Test func nackRecoversFramesUnderFivePercentLossEachWay() async throws {
        var configuration = WebRTCTransportConfiguration()
        configuration.simulatedMediaLoss = 0.05
        let (sender, receiver, _, receiverEvents) = try await Self.connectedPair(configuration: configuration)
        let frames = (0..<240).map(Self.frame)
        let start = ContinuousClock.now
        for (index, frame) in frames.enumerated() {
            _ = try await sender.send(frame: frame, kind: .video, rtpTimestamp: UInt32(index * 3000))
            try await Task.sleep(until: start + .microseconds(33_333 * (index + 1)))
        }
        try await Task.sleep(for: .milliseconds(1500))
        let sent = Set(frames)
        let received = await receiverEvents.frames.filter { $0.codec.kind == .video && sent.contains($0.frame.data) }
        let distinct = Set(received.map(\.frame.rtpTimestamp)).count
        let inbound = await receiver.inboundStats().first { $0.ssrc == 0x1000 }
        let outbound = await sender.outboundStats().first { $0.ssrc == 0x1000 }
        let transportStats = try await receiver.transport.stats()
        let dropped = transportStats.simulatedLossDrops
        #expect(Double(distinct) >= 0.99 * Double(frames.count), "\(distinct)/\(frames.count) frames; inbound \(String(describing: inbound)); outbound \(String(describing: outbound))")
        // Loss was injected: at least 1 % of the datagrams (5 % is asked; about 550 datagrams
        // make a fixed count such as 20 a coin toss).
        #expect(dropped > 0 && dropped * 100 >= transportStats.packetsReceived, "\(dropped) of \(transportStats.packetsReceived) datagrams dropped on purpose")
        #expect((inbound?.nackCount ?? 0) > 0)
        #expect((outbound?.retransmittedPackets ?? 0) > 0)
        await sender.close()
        await receiver.close()
    }

    static func apply(_ description: SessionDescription, to transport: WebRTCTransport) async throws {
        let remote = try RemoteTransportDescription(description)
        try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
        for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
        try await transport.remoteCandidatesComplete()
    }
}

/// Every event of a PeerConnection, read by one task.
final class EventRecorder: Sendable {
    let log = PeerConnectionEventLog()
    private let task: Task<Void, Never>

    init(_ events: AsyncStream<PeerConnectionEvent>) {
        let log = log
        task = Task { for await event in events { await log.append(event) } }
    }

    deinit { task.cancel() }

    var frames: [ReceivedFrame] {
        get async { await log.events.compactMap { if case .frame(let frame) = $0 { frame } else { nil } } }
    }

    func waitFor(timeout: Duration = .seconds(15), _ predicate: @Sendable (PeerConnectionEvent) -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if await log.events.contains(where: predicate) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func gatheredCandidates() async throws -> [ICECandidate] {
        _ = await waitFor { $0 == .transport(.gatheringComplete) }
        return await log.events.compactMap { if case .transport(.localCandidate(let candidate)) = $0 { candidate } else { nil } }
    }
}

actor PeerConnectionEventLog {
    private(set) var events: [PeerConnectionEvent] = []
    func append(_ event: PeerConnectionEvent) { events.append(event) }
}

/// Frames a handler was given, from any thread.
final class FrameCollector: Sendable {
    private let collected = Mutex<[ReceivedFrame]>([])

    func append(_ frame: ReceivedFrame) { collected.withLock { $0.append(frame) } }

    var frames: [ReceivedFrame] { collected.withLock { $0 } }
}
