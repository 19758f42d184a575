import SDP
import Synchronization
import WebRTC

/// One viewer of a republished source: an ordered queue of frames and the task that sends
/// them on the viewer's PeerConnection (each connection encrypts on its own event loop,
/// so a slow viewer delays only itself). RTP timestamps come from the output timeline
/// plus a random base per stream (RFC 3550 §5.1).
final class RepublisherViewer: Sendable {
    struct Item: Sendable {
        var frame: PacketizedFrame
        var kind: SDPCodec.Kind
        var time: Int64
    }

    let id: String
    let connection: PeerConnection
    private let continuation: AsyncStream<Item>.Continuation
    private let sender: Task<Void, Never>
    private let counts = Counts()

    /// Shared with the sender task.
    private final class Counts: Sendable {
        /// Frames queued and not yet sent.
        let queued = Atomic<Int>(0)
        let videoSent = Atomic<Int>(0)
        let audioSent = Atomic<Int>(0)
    }

    init(id: String, connection: PeerConnection) {
        self.id = id
        self.connection = connection
        let (stream, continuation) = AsyncStream<Item>.makeStream()
        self.continuation = continuation
        let counts = counts
        sender = Task {
            let rates: [SDPCodec.Kind: Int64] = [
                .video: Int64(await connection.sendCodec(.video)?.clockRate ?? 90_000), .audio: Int64(await connection.sendCodec(.audio)?.clockRate ?? 48_000),
            ]
            let bases: [SDPCodec.Kind: UInt32] = [.video: .random(in: 0...UInt32.max), .audio: .random(in: 0...UInt32.max)]
            for await item in stream {
                let ticks = item.time * (rates[item.kind] ?? 90_000) / 1_000_000
                let timestamp = (bases[item.kind] ?? 0) &+ UInt32(truncatingIfNeeded: ticks)
                if (try? await connection.send(item.frame, kind: item.kind, rtpTimestamp: timestamp)) == true {
                    if item.kind == .video { counts.videoSent.add(1, ordering: .relaxed) } else { counts.audioSent.add(1, ordering: .relaxed) }
                }
                counts.queued.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Frames waiting to be sent.
    var backlog: Int { counts.queued.load(ordering: .relaxed) }

    /// Frames sent so far.
    var framesSent: FrameCounts { FrameCounts(video: counts.videoSent.load(ordering: .relaxed), audio: counts.audioSent.load(ordering: .relaxed)) }

    func enqueue(_ item: Item) {
        counts.queued.add(1, ordering: .relaxed)
        continuation.yield(item)
    }

    /// Ends the sender (queued frames are dropped).
    func finish() {
        continuation.finish()
        sender.cancel()
    }
}

/// Frames of each kind.
public struct FrameCounts: Sendable, Equatable {
    public var video = 0
    public var audio = 0

    static func + (lhs: Self, rhs: Self) -> Self { Self(video: lhs.video + rhs.video, audio: lhs.audio + rhs.audio) }
}
