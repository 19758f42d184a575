import Foundation
import Media
import PeerGateTestSupport
import Recording
import Testing

/// Parameter sets and picture size from the first keyframe of real encoder output,
/// including sizes that need SPS cropping (1080 lines are coded as 1088).
@Suite struct VideoKeyframeInfoTests {
    @Test(arguments: [("libx264", "H264", "320x240"), ("libx264", "H264", "1920x1080"), ("libx265", "H265", "640x360"), ("libvpx", "VP8", "352x288")])
    func pictureSizeOfTheFirstKeyframe(encoder: String, codec: String, size: String) async throws {
        let directory = temporaryPath("peergate-keyframe")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, codec: encoder, size: size, seconds: 1, audio: false)
        let keyframe = try #require(packets.first { $0.isKeyframe })
        let info = VideoKeyframeInfo(codec: codec, keyframe: keyframe.data)
        #expect("\(info.width)x\(info.height)" == size)
        if codec == "VP8" {
            #expect(info.parameterSets.isEmpty)
        } else {
            // SPS + PPS (+ VPS), each after a start code, and nothing else.
            let starts = info.parameterSets.indices.filter { $0 + 3 < info.parameterSets.count && info.parameterSets[$0..<($0 + 4)] == [0, 0, 0, 1] }
            #expect(starts.count == (codec == "H265" ? 3 : 2))
        }
    }

    @Test func garbageGivesNoSizeAndNoCrash() {
        for bytes in [[], [0, 0, 1], [0, 0, 1, 0x67], [0, 0, 1, 0x67] + [UInt8](repeating: 0xFF, count: 40), [0x10, 0, 0, 0x9D, 1, 0x2A]] as [[UInt8]] {
            for codec in ["H264", "H265", "VP8"] {
                let info = VideoKeyframeInfo(codec: codec, keyframe: bytes)
                #expect(info.width >= 0 && info.height >= 0)
            }
        }
    }
}
