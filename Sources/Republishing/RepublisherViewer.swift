import NIOCore
import Synchronization
import WebRTC

/// One viewer of a republished source: its PeerConnection, the event loop that connection
/// runs on, and counts. Frames reach it in tasks of that loop, one task per frame for all
/// the loop's viewers (``Republisher``), so each connection encrypts and sends on its own
/// loop and a slow viewer delays only its loop's work.
final class RepublisherViewer: LoopBatchRecipient {
    let id: String
    let connection: PeerConnection
    let loop: any EventLoop
    /// Frames queued and not yet sent.
    private let queuedCount = Atomic<Int>(0)
    private let videoSent = Atomic<Int>(0)
    private let audioSent = Atomic<Int>(0)
    private let videoResent = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)

    init(id: String, connection: PeerConnection) {
        self.id = id
        self.connection = connection
        loop = connection.transport.eventLoop
    }

    /// Frames waiting to be sent.
    var backlog: Int { queuedCount.load(ordering: .relaxed) }

    /// Frames sent so far: the source's, and cached ones sent again for a keyframe request apart.
    var framesSent: FrameCounts {
        FrameCounts(video: videoSent.load(ordering: .relaxed), audio: audioSent.load(ordering: .relaxed), videoResent: videoResent.load(ordering: .relaxed))
    }

    /// A frame is on its way to the loop.
    func queued() { queuedCount.add(1, ordering: .relaxed) }

    /// Sends a queued frame (`resent`: a cached one again); on the viewer's event loop.
    func send(_ item: QueuedFrame, resent: Bool) {
        queuedCount.subtract(1, ordering: .relaxed)
        guard !finished.load(ordering: .relaxed) else { return }
        guard connection.assumeIsolated({ $0.sendQueued(item) }) else { return }
        if item.kind == .audio {
            audioSent.add(1, ordering: .relaxed)
        } else if resent {
            videoResent.add(1, ordering: .relaxed)
        } else {
            videoSent.add(1, ordering: .relaxed)
        }
    }

    /// Frames still on their way are not sent.
    func finish() { finished.store(true, ordering: .relaxed) }
}

/// Frames of each kind.
public struct FrameCounts: Sendable, Equatable {
    /// Video frames of the source, each sent once (the cached group of pictures at joining included).
    public var video = 0
    public var audio = 0
    /// Cached video frames sent again, answering keyframe requests.
    public var videoResent = 0

    public init(video: Int = 0, audio: Int = 0, videoResent: Int = 0) {
        self.video = video
        self.audio = audio
        self.videoResent = videoResent
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        Self(video: lhs.video + rhs.video, audio: lhs.audio + rhs.audio, videoResent: lhs.videoResent + rhs.videoResent)
    }
}
