import Foundation
import Media
import PeerGateTestSupport
import Testing

/// AAC audio (what IP cameras send) comes out of `MediaSourceReader` as Opus 48 kHz when
/// asked: 20 ms packets on the source's timeline, which libopus decodes back.
@Suite struct OpusTranscodingTests {
    @Test func aacBecomesTwentyMillisecondOpusPackets() async throws {
        let path = try await MediaSourceReaderTests.make("aac.mp4", ["-t", "3", "-c:v", "libx264", "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "44100"])
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        // Without transcoding the audio is AAC, as the file has it.
        #expect(try MediaSourceReader(url: path).streams.map(\.codec) == [.h264, .aac])
        var options = MediaSourceOptions()
        options.transcodeAudioToOpus = true
        let reader = try MediaSourceReader(url: path, options: options)
        #expect(reader.streams.map(\.codec) == [.h264, .opus])
        #expect(reader.streams.last?.sampleRate == 48_000)
        let audio = try MediaSourceReaderTests.readAll(reader).filter { $0.codec == .opus }
        // 3 s of audio in 20 ms frames (the encoder's look-ahead keeps the last few).
        #expect((140...151).contains(audio.count), "\(audio.count) Opus packets")
        let steps = zip(audio, audio.dropFirst()).map { $1.presentationMicroseconds - $0.presentationMicroseconds }
        #expect(steps.allSatisfy { $0 == 20_000 }, "\(Set(steps))")
        #expect(abs(audio[0].presentationMicroseconds) <= 30_000)
        // Each packet is a valid Opus packet: TOC byte of a 20 ms CELT or hybrid frame (RFC 6716 §3.1).
        #expect(audio.allSatisfy { !$0.data.isEmpty && [1, 5, 9, 13, 15, 19, 23, 27, 31].contains(Int($0.data[0] >> 3)) }, "\(Set(audio.map { $0.data.first.map { Int($0 >> 3) } ?? -1 }))")
    }
}
