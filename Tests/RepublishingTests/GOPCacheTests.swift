import Republishing
import SDP
import Testing
import WebRTC

/// The group of pictures a new viewer starts with: from the last keyframe on, video only.
@Suite struct GOPCacheTests {
    static func frame(_ time: Int64, key: Bool = false, kind: SDPCodec.Kind = .video, bytes: Int = 100) -> SourceFrame {
        SourceFrame(kind: kind, codec: kind == .video ? .h264 : .opus, data: [0, 0, 0, 1, key ? 0x65 : 0x41] + [UInt8](repeating: 7, count: bytes), time: time, isKeyframe: key)
    }

    static func add(_ frame: SourceFrame, to cache: inout GOPCache) {
        var packetizer = FramePacketizer(codec: frame.kind == .video ? .h264ConstrainedBaseline : .opus)
        cache.add(frame, packetized: packetizer.packetize(frame.data))
    }

    @Test func holdsTheFramesSinceTheLastKeyframe() {
        var cache = GOPCache()
        // Frames before any keyframe cannot be decoded: not kept.
        Self.add(Self.frame(0), to: &cache)
        #expect(cache.entries.isEmpty)
        Self.add(Self.frame(33, key: true), to: &cache)
        Self.add(Self.frame(40, kind: .audio), to: &cache)
        Self.add(Self.frame(66), to: &cache)
        #expect(cache.entries.map(\.time) == [33, 66] && cache.keyframeTime == 33)
        // The next keyframe starts a new group.
        Self.add(Self.frame(99, key: true), to: &cache)
        Self.add(Self.frame(133), to: &cache)
        #expect(cache.entries.map(\.time) == [99, 133])
        #expect(cache.entries[0].frame.frame == Self.frame(99, key: true).data)
    }

    @Test func aGroupLargerThanTheLimitIsDropped() {
        var cache = GOPCache(byteLimit: 1000)
        Self.add(Self.frame(0, key: true, bytes: 400), to: &cache)
        Self.add(Self.frame(33, bytes: 400), to: &cache)
        #expect(cache.entries.count == 2)
        // Over the limit: nothing decodable can be kept until the next keyframe.
        Self.add(Self.frame(66, bytes: 400), to: &cache)
        #expect(cache.entries.isEmpty && cache.bytes == 0)
        Self.add(Self.frame(99, bytes: 10), to: &cache)
        #expect(cache.entries.isEmpty)
        Self.add(Self.frame(133, key: true, bytes: 10), to: &cache)
        #expect(cache.entries.map(\.time) == [133])
    }
}
