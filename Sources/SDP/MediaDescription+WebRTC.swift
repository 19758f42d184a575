/// Typed reads of the attributes WebRTC uses in a media section (RFC 8829 §5.8 lists what
/// JSEP reads). Malformed values read as absent; negotiation decides what is required.
extension MediaDescription {
    /// `a=mid` (RFC 9143 §4).
    public var mid: String? { attributes.first("mid") }

    /// `a=ice-ufrag` / `a=ice-pwd` (RFC 8839 §5.4), from this section or the session.
    public var iceUfrag: String? { attributes.first("ice-ufrag") }
    public var icePassword: String? { attributes.first("ice-pwd") }

    /// `a=ice-options` tokens, e.g. `trickle` (RFC 8839 §5.6, RFC 8840 §4.1.1).
    public var iceOptions: [String] { attributes.all("ice-options").flatMap { $0.split(separator: " ").map(String.init) } }

    /// `a=candidate` values (RFC 8839 §5.1), unparsed.
    public var candidates: [String] { attributes.all("candidate") }

    /// `a=end-of-candidates` (RFC 8840 §4.1.3).
    public var endOfCandidates: Bool { attributes.has("end-of-candidates") }

    /// `a=rtcp-mux` (RFC 5761 §5.1.3).
    public var rtcpMux: Bool { attributes.has("rtcp-mux") }

    /// `a=setup` (RFC 4145 §4, RFC 8842 §5.1).
    public var setup: SDPSetupRole? { attributes.first("setup").flatMap(SDPSetupRole.init(rawValue:)) }

    /// `a=fingerprint` (RFC 8122 §5).
    public var fingerprint: SDPFingerprint? { attributes.first("fingerprint").flatMap(SDPFingerprint.init(parsing:)) }

    /// The direction attribute (RFC 8866 §6.7); `sendrecv` when absent.
    public var direction: SDPDirection {
        attributes.lazy.compactMap { SDPDirection(rawValue: $0.name) }.first ?? .sendrecv
    }

    /// `a=msid:<stream id> [<track id>]` (RFC 8830 §2).
    public var msid: (stream: String, track: String?)? {
        guard let value = attributes.first("msid") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        return parts.isEmpty ? nil : (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    /// `a=rtpmap:<pt> <name>/<clock rate>[/<channels>]` (RFC 8866 §6.6) by payload type.
    public var rtpMaps: [UInt8: SDPRTPMap] {
        var maps: [UInt8: SDPRTPMap] = [:]
        for value in attributes.all("rtpmap") {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let type = UInt8(parts[0]), type < 128 else { continue }
            let codec = parts[1].split(separator: "/")
            guard codec.count >= 2, let rate = Int(codec[1]), rate > 0 else { continue }
            maps[type] = SDPRTPMap(name: String(codec[0]), clockRate: rate, channels: codec.count > 2 ? Int(codec[2]) ?? 1 : 1)
        }
        return maps
    }

    /// `a=fmtp:<pt> <k>=<v>;…` (RFC 8866 §6.15) by payload type; keys lower-cased.
    public var formatParameters: [UInt8: [String: String]] {
        var parameters: [UInt8: [String: String]] = [:]
        for value in attributes.all("fmtp") {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let type = UInt8(parts[0]) else { continue }
            var map: [String: String] = [:]
            for pair in parts[1].split(separator: ";") {
                let keyValue = pair.split(separator: "=", maxSplits: 1).map(\.trimmingSpaces)
                if keyValue.count == 2 { map[keyValue[0].lowercased()] = keyValue[1] }
            }
            parameters[type] = map
        }
        return parameters
    }

    /// `a=rtcp-fb:<pt|*> <type> [<subtype>]` (RFC 4585 §4.2) by payload type (`nil` key: `*`).
    public var rtcpFeedback: [UInt8?: [String]] {
        var feedback: [UInt8?: [String]] = [:]
        for value in attributes.all("rtcp-fb") {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key: UInt8? = parts[0] == "*" ? nil : UInt8(parts[0])
            guard parts[0] == "*" || key != nil else { continue }
            feedback[key, default: []].append(String(parts[1]))
        }
        return feedback
    }

    /// `a=extmap:<id>[/<direction>] <uri>` (RFC 8285 §8) by id.
    public var extensionMap: [Int: String] {
        var map: [Int: String] = [:]
        for value in attributes.all("extmap") {
            let parts = value.split(separator: " ")
            guard parts.count >= 2, let id = Int(parts[0].split(separator: "/").first ?? ""), (1...255).contains(id) else { continue }
            map[id] = String(parts[1])
        }
        return map
    }

    /// SSRCs of `a=ssrc:<ssrc> <attribute>` lines (RFC 5576 §4.1), in order of appearance.
    public var ssrcs: [UInt32] {
        var seen: [UInt32] = []
        for value in attributes.all("ssrc") {
            if let ssrc = UInt32(value.split(separator: " ").first ?? ""), !seen.contains(ssrc) { seen.append(ssrc) }
        }
        return seen
    }

    /// `a=ssrc-group:FID <primary> <retransmission>` pairs (RFC 5576 §4.2, RFC 4588 §8.2).
    public var retransmissionSSRCs: [(primary: UInt32, rtx: UInt32)] {
        attributes.all("ssrc-group").compactMap { value in
            let parts = value.split(separator: " ")
            guard parts.count == 3, parts[0] == "FID", let primary = UInt32(parts[1]), let rtx = UInt32(parts[2]) else { return nil }
            return (primary, rtx)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
