import Logging
import Media
import Republishing
import Testing
import WebRTC

/// The fan-out between two of peergate's PeerConnections on loopback: a viewer that joins
/// mid-group gets the cached group of pictures first (its first frame a keyframe), then live
/// frames; a keyframe request is answered from the cache once, stamped after what it got.
@Suite struct RepublisherPairTests {
    static func frame(_ index: Int) -> SourceFrame {
        SourceFrame(kind: .video, codec: .h264, data: PeerConnectionPairTests.frame(index), time: Int64(index) * 33_333, isKeyframe: index % 30 == 0)
    }

    @Test func aJoiningViewerStartsWithTheCachedGroupAndKeyframeRequestsAreAnsweredOnce() async throws {
        let (sender, receiver, _, _) = try await PeerConnectionPairTests.connectedPair()
        let handled = FrameCollector()
        await receiver.setFrameHandler { handled.append($0) }
        let republisher = Republisher(configuration: .init(channel: "pair"), logger: Logger(label: "test"))
        republisher.receive(.opened([MediaStreamInfo(index: 0, codec: .h264, width: 320, height: 240)]))
        // Ten frames from a keyframe on, before the viewer is there.
        for index in 0..<10 { republisher.receive(.frame(Self.frame(index))) }
        republisher.addViewer("viewer", connection: sender)
        republisher.viewerConnected("viewer")
        for index in 10..<15 {
            republisher.receive(.frame(Self.frame(index)))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(300))
        let joined = handled.frames
        #expect(joined.map(\.frame.data) == (0..<15).map { Self.frame($0).data }, "\(joined.count) frames")
        #expect(joined.first?.frame.isKeyframe == true)

        // A keyframe request: the group (keyframe + 14) once more; a second one within a second is not answered.
        republisher.keyframeRequested(by: "viewer")
        republisher.keyframeRequested(by: "viewer")
        try await Task.sleep(for: .milliseconds(300))
        let all = handled.frames
        #expect(all.count == 30, "\(all.count) frames")
        #expect(Array(all.dropFirst(15)).map(\.frame.data) == (0..<15).map { Self.frame($0).data })
        // RTP time keeps going forward across the resent group.
        let stamps = all.map { Int64($0.frame.rtpTimestamp) }
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { UInt32(truncatingIfNeeded: $1 - $0) < 1 << 31 && $1 != $0 }, "\(stamps)")
        #expect(republisher.framesSentTotal["viewer"] == FrameCounts(video: 15, audio: 0, videoResent: 15))
        republisher.removeViewer("viewer")
        await sender.close()
        await receiver.close()
    }

    @Test func withoutAResendIntervalKeyframeRequestsAreNotAnswered() async throws {
        let (sender, receiver, _, _) = try await PeerConnectionPairTests.connectedPair()
        let handled = FrameCollector()
        await receiver.setFrameHandler { handled.append($0) }
        let republisher = Republisher(configuration: .init(channel: "pair", keyframeResendInterval: nil), logger: Logger(label: "test"))
        republisher.receive(.opened([MediaStreamInfo(index: 0, codec: .h264, width: 320, height: 240)]))
        for index in 0..<5 { republisher.receive(.frame(Self.frame(index))) }
        republisher.addViewer("viewer", connection: sender)
        republisher.viewerConnected("viewer")
        try await Task.sleep(for: .milliseconds(300))
        republisher.keyframeRequested(by: "viewer")
        try await Task.sleep(for: .milliseconds(300))
        #expect(handled.frames.count == 5)
        #expect(republisher.framesSentTotal["viewer"] == FrameCounts(video: 5, audio: 0, videoResent: 0))
        republisher.removeViewer("viewer")
        await sender.close()
        await receiver.close()
    }
}
