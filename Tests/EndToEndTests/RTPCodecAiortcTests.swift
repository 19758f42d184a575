import Foundation
import PeerGateTestSupport
import RTP
import Testing

/// peergate's H.264 and VP8 payloaders and depacketizers against aiortc's
/// (Tests/Peers/rtp_codec_check.py): each side rebuilds the frames the other packetized.
@Suite struct RTPCodecAiortcTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    static let h264Frames: [String: [UInt8]] = [
        "keyframe": AnnexB.join([
            [0x67, 0x42, 0xE0, 0x1F, 0xDA, 0x02, 0x80, 0xBF, 0xE5], [0x68, 0xCE, 0x3C, 0x80],
            [0x65] + (0..<5000).map { UInt8(truncatingIfNeeded: $0 % 253 + 1) },
        ]),
        "delta": AnnexB.join([[0x41, 0x9A] + (0..<700).map { UInt8(truncatingIfNeeded: $0 % 7 + 1) }]),
        "two slices": AnnexB.join([[0x41, 0x9A] + Array(repeating: 9, count: 2000), [0x41, 0x9B] + Array(repeating: 8, count: 900)]),
    ]
    static let vp8Frames: [String: [UInt8]] = [
        "keyframe": [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + (0..<4000).map { UInt8(truncatingIfNeeded: $0) },
        "interframe": [0x31, 0x01, 0x00] + Array(repeating: 0x42, count: 300),
    ]

    @Test func eachSideRebuildsTheFramesTheOtherPacketized() async throws {
        let directory = temporaryPath("peergate-rtp-codecs")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var h264 = H264RTP.Payloader()
        var vp8 = VP8RTP.Payloader()
        let given: [String: [String: [String: Any]]] = [
            "h264": Self.h264Frames.mapValues { ["frame": Self.hex($0), "payloads": h264.payloads(for: $0).map(Self.hex)] },
            "vp8": Self.vp8Frames.mapValues { ["frame": Self.hex($0), "payloads": vp8.payloads(for: $0).map(Self.hex)] },
        ]
        try JSONSerialization.data(withJSONObject: given).write(to: URL(filePath: directory + "/in.json"))
        let run = try await PythonPeers.run("rtp_codec_check.py", [directory + "/in.json", directory + "/out.json"], timeout: .seconds(60))
        #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(1500))")
        #expect(run.checks.count == Self.h264Frames.count + Self.vp8Frames.count)

        let output = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(filePath: directory + "/out.json"))) as? [String: [String: [String]]])
        for (name, frame) in Self.h264Frames {
            var depacketizer = H264RTP.Depacketizer()
            let payloads = try #require(output["h264"]?[name]).map(Self.bytes)
            let rebuilt = CodecRTPPackets.frames(payloads, into: &depacketizer)
            #expect(rebuilt.map(\.data) == [frame], "H.264 \(name)")
        }
        for (name, frame) in Self.vp8Frames {
            var depacketizer = VP8RTP.Depacketizer()
            let payloads = try #require(output["vp8"]?[name]).map(Self.bytes)
            let rebuilt = CodecRTPPackets.frames(payloads, into: &depacketizer)
            #expect(rebuilt.map(\.data) == [frame], "VP8 \(name)")
            #expect(rebuilt.first?.isKeyframe == (name == "keyframe"))
        }
    }
}

/// Wraps payloads in RTP packets of one frame (marker on the last) and depacketizes them.
enum CodecRTPPackets {
    static func frames<D: RTPDepacketizer>(_ payloads: [[UInt8]], into depacketizer: inout D) -> [EncodedFrame] {
        payloads.enumerated().compactMap { index, payload in
            depacketizer.push(RTPPacket(marker: index == payloads.count - 1, payloadType: 96, sequenceNumber: UInt16(index), timestamp: 90_000, ssrc: 1, payload: payload))
        }
    }
}
