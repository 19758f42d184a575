import Recording
import Testing
import WebRTC

/// The line a recording session logs at its end about what its connection received.
@Suite struct ReceivedMediaSummaryTests {
    @Test func eachSourceWithItsCounts() {
        var video = InboundStreamStats(ssrc: 1234, mid: "0")
        video.packetsReceived = 2_400
        video.packetsLost = 3
        video.packetsGivenUp = 1
        video.framesReceived = 598
        video.framesDropped = 2
        video.nackCount = 41
        video.pliCount = 1
        video.jitterSeconds = 0.0124
        var audio = InboundStreamStats(ssrc: 99, mid: "1")
        audio.packetsReceived = 1_000
        audio.framesReceived = 1_000
        #expect(
            ReceivedMediaSummary.line([video, audio])
                == "mid 0 (ssrc 1234): 2400 packets, 3 lost, 1 given up, 598 frames, 2 dropped, 41 NACKs, 1 PLIs, jitter 12 ms; "
                + "mid 1 (ssrc 99): 1000 packets, 0 lost, 0 given up, 1000 frames, 0 dropped, 0 NACKs, 0 PLIs, jitter 0 ms")
    }

    @Test func nothingReceived() {
        #expect(ReceivedMediaSummary.line([]) == "no media received")
    }
}
