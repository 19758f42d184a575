import Dispatch
import Foundation
import Locking
import NIOCore
import WebRTC

/// A thread that records. Frames arrive on event loops (``PeerConnection/setFrameHandler(_:)``),
/// wait in an inbox and are applied to their recorders in batches on the worker's queue:
/// muxing, file writes, fsync and index updates never block an event loop, and no loop
/// waits for them — one hand-over per batch instead of a task hop per frame.
public final class RecordingWorker: Sendable {
    /// One recording on a worker: the recorder, touched only on the worker's queue, and
    /// how to ask its peer for a keyframe.
    public final class Slot: Sendable {
        let recorder: LockedState<ChannelRecorder?>
        let requestKeyframe: @Sendable () async -> Void

        public init(recorder: sending ChannelRecorder, requestKeyframe: @escaping @Sendable () async -> Void) {
            self.recorder = LockedState(recorder)
            self.requestKeyframe = requestKeyframe
        }

        /// Keyframe requests go to the connection the frames come from.
        public convenience init(recorder: sending ChannelRecorder, connection: PeerConnection) {
            self.init(recorder: recorder, requestKeyframe: { await connection.requestKeyframe() })
        }
    }

    private struct Arrival: Sendable {
        var slot: Slot
        var frame: ReceivedFrame
        /// Unix µs when the frame was handed over.
        var arrival: Int64
    }

    /// What a finished recording did.
    public struct Outcome: Sendable {
        public var recordingID: Int64?
        public var framesWritten = 0
        public var segmentsClosed = 0
    }

    private let queue: DispatchQueue
    private let inbox = LockedState<[Arrival]>([])
    /// How long frames wait for their batch when they do not come from an event loop (see
    /// ``submit(_:to:on:)``).
    let batchInterval: DispatchTimeInterval

    public init(label: String, batchInterval: Duration = .milliseconds(100)) {
        queue = DispatchQueue(label: label)
        self.batchInterval = .milliseconds(Int(batchInterval.components.seconds * 1000 + batchInterval.components.attoseconds / 1_000_000_000_000_000))
    }

    /// Queues a frame for its recorder; never blocks for long. Frames come from `loop`, the
    /// event loop of their connection, which reads a recorder's sockets once a tick for all
    /// its connections (100 ms): the first frame of a batch has the loop hand the batch over
    /// once its current pass is done (NIO runs a task queued during a pass right after it),
    /// so a batch is a pass's frames, handed over without a timer. A timer woke libdispatch's
    /// manager thread, then the worker: at 8 sessions the process switched context about
    /// 180 times a second against 134 now, 0.0023–0.0027 against 0.0022–0.0024 CPU-s per
    /// session-second (`peergate bench ingest --janus`, alternating). Without a loop (tests,
    /// tools), a batch waits `batchInterval`.
    public func submit(_ frame: ReceivedFrame, to slot: Slot, on loop: (any EventLoop)? = nil) {
        let arrival = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        let first = inbox.withLock { pending in
            pending.append(Arrival(slot: slot, frame: frame, arrival: arrival))
            return pending.count == 1
        }
        guard first else { return }
        if let loop {
            loop.execute { [self] in queue.async { [self] in drain() } }
        } else {
            queue.asyncAfter(deadline: .now() + batchInterval) { [self] in drain() }
        }
    }

    /// Applies the pending frames in arrival order; a recorder that wants a keyframe asks
    /// its connection once per batch.
    private func drain() {
        let batch = inbox.withLock { pending in
            var taken: [Arrival] = []
            swap(&taken, &pending)
            return taken
        }
        var wantKeyframes: [ObjectIdentifier: Slot] = [:]
        for item in batch {
            let wants = item.slot.recorder.withLock { recorder in recorder?.receive(item.frame, arrival: item.arrival) ?? false }
            if wants { wantKeyframes[ObjectIdentifier(item.slot)] = item.slot }
        }
        for slot in wantKeyframes.values { Task { await slot.requestKeyframe() } }
    }

    /// Applies what is pending, then closes the slot's recording (once; later frames for it
    /// are dropped).
    public func finish(_ slot: Slot) async -> Outcome {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                drain()
                let outcome = slot.recorder.withLock { recorder -> Outcome in
                    guard let current = recorder else { return Outcome() }
                    current.stopNow()
                    recorder = nil
                    return Outcome(recordingID: current.recordingID, framesWritten: current.framesWritten, segmentsClosed: current.segmentsClosed)
                }
                continuation.resume(returning: outcome)
            }
        }
    }
}

/// The recording workers of this process, one per core. The connections of one event loop
/// record on the same worker (loops take turns for workers), so a loop's pass hands its
/// frames to one worker.
public final class RecordingWorkers: Sendable {
    public static let shared = RecordingWorkers(count: ProcessInfo.processInfo.activeProcessorCount)

    private let workers: [RecordingWorker]
    private let byLoop = LockedState<[ObjectIdentifier: Int]>([:])

    public init(count: Int) {
        workers = (0..<max(count, 1)).map { RecordingWorker(label: "peergate.recording.\($0)") }
    }

    /// The worker of `loop`'s connections: the next in turn for a loop not seen before.
    public func worker(for loop: any EventLoop) -> RecordingWorker {
        let index = byLoop.withLock { assigned in
            if let index = assigned[ObjectIdentifier(loop)] { return index }
            let index = assigned.count % workers.count
            assigned[ObjectIdentifier(loop)] = index
            return index
        }
        return workers[index]
    }

    /// Records what `connection` receives with `recorder` on its loop's worker: frames go
    /// there straight from the connection's event loop, keyframe requests back to it.
    public func record(_ recorder: sending ChannelRecorder, from connection: PeerConnection) async -> (worker: RecordingWorker, slot: RecordingWorker.Slot) {
        let slot = RecordingWorker.Slot(recorder: recorder, connection: connection)
        let loop = connection.transport.eventLoop
        let worker = worker(for: loop)
        await connection.setFrameHandler { frame in worker.submit(frame, to: slot, on: loop) }
        return (worker, slot)
    }
}
