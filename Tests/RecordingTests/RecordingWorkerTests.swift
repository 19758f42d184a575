import Foundation
import Logging
import RTP
import Recording
import SDP
import Testing
import WebRTC

/// Frames handed to a `RecordingWorker` from several threads at once (as event loops do)
/// reach their recorders in order, in batches; finishing applies what is pending first and
/// later frames are dropped.
@Suite struct RecordingWorkerTests {
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
                    for packet in packets {
                        let video = packet.codec.isVideo
                        let codec = video ? SDPCodec.h264ConstrainedBaseline : .opus
                        let rate: Int64 = video ? 90_000 : 48_000
                        let frame = EncodedFrame(
                            data: packet.data, rtpTimestamp: UInt32(truncatingIfNeeded: packet.presentationMicroseconds * rate / 1_000_000), isKeyframe: packet.isKeyframe,
                            firstSequence: 0, lastSequence: 0)
                        worker.submit(
                            ReceivedFrame(mid: video ? "0" : "1", codec: codec, ssrc: video ? 10 : 20, frame: frame, wallClock: start + Double(packet.presentationMicroseconds) / 1e6),
                            to: slot)
                    }
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
}
