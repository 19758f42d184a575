import WebRTC

/// What a recorder's connection received in one session, for the log line at its end: per
/// source, packets (RFC 3550 §6.4.1 cumulative loss after retransmissions), frames, frames
/// dropped, NACKs and PLIs sent (RFC 4585 §6.2.1, §6.3.1) and jitter — how a lossy link
/// went, next to the frames the recording holds.
public enum ReceivedMediaSummary {
    public static func line(_ streams: [InboundStreamStats]) -> String {
        guard !streams.isEmpty else { return "no media received" }
        return streams.map { stream in
            "mid \(stream.mid) (ssrc \(stream.ssrc)): \(stream.packetsReceived) packets, \(stream.packetsLost) lost, \(stream.packetsGivenUp) given up, \(stream.framesReceived) frames, "
                + "\(stream.framesDropped) dropped, \(stream.nackCount) NACKs, \(stream.pliCount) PLIs, jitter \(Int((stream.jitterSeconds * 1000).rounded())) ms"
        }.joined(separator: "; ")
    }
}
