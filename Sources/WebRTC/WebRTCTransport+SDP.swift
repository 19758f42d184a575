import SDP

extension WebRTCTransport {
    /// This transport's ICE credentials and certificate fingerprint as the local side of an
    /// offer/answer exchange (directions, codecs and SSRCs left to the caller).
    public func sdpParameters(sessionID: String = String(UInt32.random(in: 1...UInt32.max))) -> SDPLocalParameters {
        SDPLocalParameters(
            iceUfrag: localCredentials.ufrag, icePassword: localCredentials.password,
            fingerprint: SDPFingerprint(localFingerprint), sessionID: sessionID)
    }
}
