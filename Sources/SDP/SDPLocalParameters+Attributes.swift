/// The attribute lines offers and answers share, written one way.
extension SDPLocalParameters {
    /// mid, direction, rtcp-mux (RFC 5761), ICE credentials with trickle (RFC 8839, 8840),
    /// the DTLS fingerprint (RFC 8122) and setup role (RFC 8842).
    func transportAttributes(mid: String, direction: SDPDirection, setup: SDPSetupRole) -> [SDPAttribute] {
        [
            SDPAttribute("mid", mid), SDPAttribute(direction.rawValue), SDPAttribute("rtcp-mux"),
            SDPAttribute("ice-ufrag", iceUfrag), SDPAttribute("ice-pwd", icePassword), SDPAttribute("ice-options", "trickle"),
            SDPAttribute("fingerprint", fingerprint.text), SDPAttribute("setup", setup.rawValue),
        ]
    }

    /// For a section this side sends in: msid (RFC 8830) and its SSRCs with cname and msid,
    /// grouped with the RTX SSRC as FID when retransmission is on (RFC 5576, RFC 4588).
    func sendingAttributes(_ kind: SDPCodec.Kind, direction: SDPDirection, retransmission: Bool) -> [SDPAttribute] {
        guard direction == .sendrecv || direction == .sendonly, let send = sendSSRCs[kind] else { return [] }
        let track = "\(streamID)-\(kind.rawValue)"
        var attributes = [SDPAttribute("msid", "\(streamID) \(track)")]
        let ssrcs = [send.ssrc] + (retransmission ? [send.rtx].compactMap { $0 } : [])
        if ssrcs.count == 2 { attributes.append(SDPAttribute("ssrc-group", "FID \(ssrcs[0]) \(ssrcs[1])")) }
        for ssrc in ssrcs {
            attributes.append(SDPAttribute("ssrc", "\(ssrc) cname:\(cname)"))
            attributes.append(SDPAttribute("ssrc", "\(ssrc) msid:\(streamID) \(track)"))
        }
        return attributes
    }
}

extension SDPAttribute {
    /// `a=rtpmap:<pt> <name>/<clock rate>[/<channels>]` (RFC 8866 §6.6).
    static func rtpmap(_ type: UInt8, _ map: SDPRTPMap) -> SDPAttribute {
        SDPAttribute("rtpmap", "\(type) \(map.name)/\(map.clockRate)" + (map.channels > 1 ? "/\(map.channels)" : ""))
    }

    /// `a=fmtp:<pt> <k>=<v>;…` (RFC 8866 §6.15), keys sorted; nil without parameters.
    static func fmtp(_ type: UInt8, _ parameters: [String: String]) -> SDPAttribute? {
        guard !parameters.isEmpty else { return nil }
        return SDPAttribute("fmtp", "\(type) " + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
    }
}
