import Foundation
import Logging
import Media
import NIOCore
import NIOPosix
import RTP
import SDP
import Testing
import WebRTC

@testable import Recording

/// Frames handed to a `RecordingWorker` from several threads at once (as event loops do)
/// reach their recorders in order, in batches; finishing applies what is pending first and
/// later frames are dropped. Frames from an event loop are handed over after the loop's
/// pass, without waiting for a timer.
@Suite struct RecordingWorkerTests {
    /// A fixture packet as the connection would hand it over: H.264 on mid 0, Opus on mid 1,
    /// RTP timestamps at each codec's clock rate, wall clock from `start`.
    static func received(_ packet: MediaPacket, start: Double) -> ReceivedFrame {
        let video = packet.codec.isVideo
        let rate: Int64 = video ? 90_000 : 48_000
        let frame = EncodedFrame(
            data: packet.data, rtpTimestamp: UInt32(truncatingIfNeeded: packet.presentationMicroseconds * rate / 1_000_000), isKeyframe: packet.isKeyframe,
            firstSequence: 0, lastSequence: 0)
        return ReceivedFrame(
            mid: video ? "0" : "1", codec: video ? SDPCodec.h264ConstrainedBaseline : .opus, ssrc: video ? 10 : 20, frame: frame,
            wallClock: start + Double(packet.presentationMicroseconds) / 1e6)
    }

    @Test func framesFromManyThreadsAreRecordedThenFinished() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-worker")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 2, gop: 30).filter { $0.presentationMicroseconds >= 0 }
        let worker = RecordingWorker(label: "test.recording", batchInterval: .milliseconds(20))
        // Two channels fed at once from two threads; each recorder gets its frames in order.
        let slots = ["cam/a", "cam/b"].map { channel in
            RecordingWorker.Slot(
                recorder: ChannelRecorder(
                    configuration: .init(channel: channel, role: .viewer, segmentSeconds: 60, paths: SegmentPaths(dataDirectory: directory)),
                    video: .init(codec: .h264, clockRate: 90_000), audio: .init(codec: .opus, clockRate: 48_000, channels: 2), index: RecordingIndex(database: database),
                    logger: Logger(label: "test")),
                requestKeyframe: {})
        }
        let start = Date().timeIntervalSince1970
        await withTaskGroup(of: Void.self) { group in
            for slot in slots {
                group.addTask {
                    for packet in packets { worker.submit(Self.received(packet, start: start), to: slot) }
                }
            }
        }
        var outcomes: [RecordingWorker.Outcome] = []
        for slot in slots { outcomes.append(await worker.finish(slot)) }
        let expected = packets.filter { $0.codec.isVideo }.count + packets.filter { !$0.codec.isVideo && $0.presentationMicroseconds >= 0 }.count
        for outcome in outcomes {
            #expect(outcome.recordingID != nil)
            #expect(outcome.segmentsClosed == 1, "\(outcome)")
            // Every frame but at most the audio that came before the first keyframe.
            #expect(outcome.framesWritten >= expected - 2 && outcome.framesWritten <= expected, "\(outcome.framesWritten) of \(expected)")
        }
        #expect(Set(outcomes.compactMap(\.recordingID)).count == 2)
        // Finished: a late frame is dropped, finishing again reports nothing.
        worker.submit(
            ReceivedFrame(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 10, frame: EncodedFrame(data: [0, 0, 0, 1, 0x65], rtpTimestamp: 1, isKeyframe: true, firstSequence: 0, lastSequence: 0), wallClock: nil),
            to: slots[0])
        let again = await worker.finish(slots[0])
        #expect(again.recordingID == nil && again.framesWritten == 0)
    }

    /// A loop's frames reach the recorder once the loop's pass is done, long before the
    /// batch interval used without a loop; the connections of one loop share a worker.
    @Test func framesFromAnEventLoopAreHandedOverAfterItsPass() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-worker-loop")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 1, gop: 30).filter { $0.presentationMicroseconds >= 0 }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = [group.next(), group.next()]
        let workers = RecordingWorkers(count: 2)
        #expect(workers.worker(for: loops[0]) === workers.worker(for: loops[0]))
        #expect(workers.worker(for: loops[0]) !== workers.worker(for: loops[1]))
        let worker = RecordingWorker(label: "test.recording.loop", batchInterval: .seconds(600))
        let slot = RecordingWorker.Slot(
            recorder: ChannelRecorder(
                configuration: .init(channel: "cam/loop", role: .viewer, segmentSeconds: 60, paths: SegmentPaths(dataDirectory: directory)),
                video: .init(codec: .h264, clockRate: 90_000), audio: nil, index: RecordingIndex(database: database), logger: Logger(label: "test")),
            requestKeyframe: {})
        let start = Date().timeIntervalSince1970
        let video = packets.filter { $0.codec.isVideo }
        try await loops[0].submit {
            for packet in video { worker.submit(Self.received(packet, start: start), to: slot, on: loops[0]) }
        }.get()
        let deadline = ContinuousClock.now + .seconds(10)
        var started = false
        while !started, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            started = slot.recorder.withLock { $0?.recordingID != nil }
        }
        #expect(started, "the batch was not handed over after the loop's pass")
        let outcome = await worker.finish(slot)
        #expect(outcome.framesWritten == video.count, "\(outcome.framesWritten) of \(video.count)")
        try await group.shutdownGracefully()
    }
}
