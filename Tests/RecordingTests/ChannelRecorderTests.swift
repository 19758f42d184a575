import Foundation
import Logging
import Media
import PeerGateTestSupport
import Recording
import Storage
import Testing

/// Frames of a real H.264 + Opus stream through `ChannelRecorder`: segments at keyframes
/// after the configured duration, every frame in exactly one segment, each file a playable
/// fragmented MP4, index rows that match the files.
@Suite struct ChannelRecorderTests {
    static let t0: Int64 = 1_795_689_900_000_000

    /// Feeds the packets as RTP would carry them (90 kHz video, 48 kHz audio) on time.
    /// `audioDelay`: audio arrives this much later than video of the same time (as from a
    /// sender that sends each audio frame once it is encoded), and in that order.
    static func feed(_ packets: [MediaPacket], to recorder: ChannelRecorder, ssrcChangeAt: Int64? = nil, video videoCodec: MediaCodec = .h264, audioDelay: Int64 = 0) {
        let arrivalOrder = packets.enumerated().sorted {
            let first = $0.element.presentationMicroseconds + ($0.element.codec.isVideo ? 0 : audioDelay)
            let second = $1.element.presentationMicroseconds + ($1.element.codec.isVideo ? 0 : audioDelay)
            return first == second ? $0.offset < $1.offset : first < second
        }.map(\.element)
        for packet in arrivalOrder where packet.presentationMicroseconds >= 0 {
            let video = packet.codec.isVideo
            let rate: Int64 = video ? 90_000 : 48_000
            let ssrc: UInt32 = video ? (ssrcChangeAt.map { packet.presentationMicroseconds >= $0 } == true ? 11 : 10) : 20
            let wall = t0 + packet.presentationMicroseconds
            let track: ChannelRecorder.Track = video ? .init(codec: videoCodec, clockRate: 90_000) : .init(codec: .opus, clockRate: 48_000, channels: 2)
            _ = recorder.receive(
                track, kind: video ? .video : .audio, ssrc: ssrc, rtpTimestamp: UInt32(truncatingIfNeeded: 7000 + packet.presentationMicroseconds * rate / 1_000_000),
                isKeyframe: packet.isKeyframe, data: packet.data, wallClock: wall, arrival: wall + 15_000)
        }
    }

    static func recorder(_ directory: String, _ database: PeerGateDatabase, segmentSeconds: Int = 1, sync: SegmentSyncPolicy = .fragment, video: MediaCodec = .h264) -> ChannelRecorder {
        ChannelRecorder(
            configuration: .init(channel: "cam/1", role: .viewer, segmentSeconds: segmentSeconds, sync: sync, paths: SegmentPaths(dataDirectory: directory)),
            video: .init(codec: video, clockRate: 90_000), audio: .init(codec: .opus, clockRate: 48_000, channels: 2), index: RecordingIndex(database: database),
            logger: Logger(label: "test"))
    }

    @Test func segmentsAtKeyframesHoldEveryFrameAndPlay() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-recorder")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 4, gop: 30)
        let videoFrames = packets.filter { $0.codec.isVideo }.count
        let recorder = Self.recorder(directory, database)
        Self.feed(packets, to: recorder)
        recorder.stop(at: Self.t0 + 4_000_000)

        let index = RecordingIndex(database: database)
        let recordingID = try #require(recorder.recordingID)
        let recording = try #require(try index.recording(recordingID))
        #expect(recording.state == .complete && recording.channel == "cam/1" && recording.videoCodec == "H264" && recording.audioCodec == "opus")
        let segments = try index.segments(recording: recording.id)
        #expect(segments.count == 4, "\(segments.map(\.duration))")
        var decoded = 0
        for (number, segment) in segments.enumerated() {
            #expect(segment.state == .complete && segment.keyframes == 1 && segment.width == 320 && segment.height == 240)
            #expect(segment.path.hasPrefix("recordings/cam_2f_1/2026/11/26/"))
            let path = directory + "/" + segment.path
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(Int64(size) == segment.bytes)
            // One second each, back to back.
            #expect(abs(segment.duration - 1_000_000) <= 40_000, "\(segment.duration)")
            if number > 0 { #expect(abs(segment.start - segments[number - 1].end) <= 40_000) }
            let result = try await RecordingFixtures.decode(path)
            #expect(result.errors.isEmpty, "\(result.errors)")
            decoded += result.videoFrames
            // What the index says is what the file says.
            let scan = try SegmentRepair.repair(path: path)
            #expect(scan.trimmed == 0 && abs(scan.durationMicros - segment.duration) <= 40_000)
        }
        // Every video frame; at most the audio frame that came before the first keyframe dropped.
        #expect(decoded == videoFrames && recorder.framesDropped <= 1, "\(recorder.framesDropped) dropped")
        let listed = try index.segments(channel: "cam/1", from: Self.t0 + 1_500_000, to: Self.t0 + 2_500_000)
        #expect(listed.map(\.id) == [segments[1].id, segments[2].id])
    }

    /// Audio that starts before a rotation's keyframe but arrives after it goes into the
    /// segment it belongs to: no audio frame is lost at a segment boundary.
    @Test func audioArrivingAfterTheRotationKeyframeIsKept() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-recorder-tail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 4, gop: 30)
        let audioFrames = packets.filter { !$0.codec.isVideo && $0.presentationMicroseconds >= 0 }.count
        let recorder = Self.recorder(directory, database)
        Self.feed(packets, to: recorder, audioDelay: 45_000)
        recorder.stop(at: Self.t0 + 4_000_000)

        let segments = try RecordingIndex(database: database).segments(recording: try #require(recorder.recordingID))
        #expect(segments.count == 4, "\(segments.map(\.duration))")
        var audioWritten = 0
        for segment in segments {
            let path = directory + "/" + segment.path
            let probe = try await ExternalProcess.run("/usr/bin/ffprobe", [
                "-v", "error", "-select_streams", "a:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path,
            ])
            audioWritten += Int(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(try await RecordingFixtures.decode(path).errors.isEmpty)
        }
        // At most an audio frame from before the first keyframe (the recording's start) is left out.
        #expect(recorder.framesDropped <= 1, "\(recorder.framesDropped) dropped")
        #expect(audioWritten >= audioFrames - 1, "\(audioWritten) of \(audioFrames) audio frames written")
    }

    /// A new SSRC (the camera's encoder restarted) cuts the segment at once.
    @Test func anSSRCChangeStartsANewSegment() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-recorder-ssrc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 2, gop: 15, audio: false)
        let recorder = Self.recorder(directory, database, segmentSeconds: 60)
        Self.feed(packets, to: recorder, ssrcChangeAt: 1_000_000)
        recorder.stop(at: Self.t0 + 2_000_000)
        let recordingID = try #require(recorder.recordingID)
        let segments = try RecordingIndex(database: database).segments(recording: recordingID)
        #expect(segments.map(\.frames) == [30, 30])
    }

    /// A segment whose start names a file that is already there (two recordings of a channel
    /// starting in the same microsecond, a source whose clock went back) takes the next free
    /// microsecond: the other file is never truncated or removed.
    @Test func anExistingFileAtTheStartIsLeftAlone() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-recorder-taken")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 1, gop: 15, audio: false)
        let paths = SegmentPaths(dataDirectory: directory)
        let first = try #require(packets.first { $0.codec.isVideo && $0.presentationMicroseconds >= 0 })
        let taken = paths.absolute(paths.relativePath(channel: "cam/1", start: Self.t0 + first.presentationMicroseconds))
        try FileManager.default.createDirectory(atPath: (taken as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("another recording".utf8).write(to: URL(filePath: taken))
        let recorder = Self.recorder(directory, database, segmentSeconds: 60)
        Self.feed(packets, to: recorder)
        recorder.stop(at: Self.t0 + 1_000_000)
        #expect(try String(contentsOfFile: taken, encoding: .utf8) == "another recording")
        let segments = try RecordingIndex(database: database).segments(recording: try #require(recorder.recordingID))
        #expect(segments.count == 1 && segments.first?.start == Self.t0 + first.presentationMicroseconds + 1)
        #expect(segments.first?.frames == 30)
    }

    /// VP8 goes into WebM segments (FFmpeg cannot put VP8 in MP4): same guarantees.
    @Test func vp8AndOpusGoIntoPlayableWebMSegments() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-recorder-vp8")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, codec: "libvpx", seconds: 3, gop: 30)
        let videoFrames = packets.filter { $0.codec.isVideo }.count
        let recorder = Self.recorder(directory, database, video: .vp8)
        Self.feed(packets, to: recorder, video: .vp8)
        recorder.stop(at: Self.t0 + 3_000_000)
        let recordingID = try #require(recorder.recordingID)
        let segments = try RecordingIndex(database: database).segments(recording: recordingID)
        #expect(segments.count == 3, "\(segments.map(\.duration))")
        var decoded = 0
        for segment in segments {
            #expect(segment.path.hasSuffix("Z.webm") && segment.videoCodec == "VP8" && segment.width == 320 && segment.height == 240)
            #expect(abs(segment.duration - 1_000_000) <= 40_000, "\(segment.duration)")
            let result = try await RecordingFixtures.decode(directory + "/" + segment.path)
            #expect(result.errors.isEmpty, "\(result.errors)")
            decoded += result.videoFrames
        }
        #expect(decoded == videoFrames)
    }
}
