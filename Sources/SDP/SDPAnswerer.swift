/// Answers a remote offer (RFC 3264 §6, JSEP RFC 8829 §5.3.1): per media section, the
/// offered formats peergate supports (keeping the offerer's payload type numbers), their
/// RTX, known header extensions and feedback, the direction both sides allow, and the local
/// ICE and DTLS attributes. Sections with nothing usable are rejected (port 0).
public enum SDPAnswerer {
    public static func answer(_ offer: SessionDescription, local: SDPLocalParameters) throws(SDPNegotiationError) -> (SessionDescription, [SDPNegotiatedMedia]) {
        var answer = SessionDescription(origin: .init(sessionID: local.sessionID, sessionVersion: local.sessionVersion))
        var negotiated: [SDPNegotiatedMedia] = []
        let bundle = offer.bundleGroup ?? []
        for (index, section) in offer.media.enumerated() {
            let mid = section.mid ?? String(index)
            guard let accepted = negotiate(section, mid: mid, local: local) else {
                answer.media.append(rejected(section, mid: mid))
                continue
            }
            guard offer.iceCredentials(of: section) != nil, offer.fingerprint(of: section) != nil else {
                throw .missingTransportAttributes(mid: mid)
            }
            negotiated.append(accepted)
            answer.media.append(accept(section, accepted, local: local))
        }
        guard !negotiated.isEmpty else { throw .nothingAccepted }
        let mids = negotiated.map(\.mid)
        if mids.count > 1 || !bundle.isEmpty {
            guard Set(mids).isSubset(of: bundle) else { throw .bundleRequired }
            answer.attributes.append(SDPAttribute("group", (["BUNDLE"] + bundle.filter(mids.contains)).joined(separator: " ")))
        }
        answer.attributes.append(SDPAttribute("msid-semantic", "WMS \(local.streamID)"))
        return (answer, negotiated)
    }

    /// The codecs, RTX, extensions and direction of one offered section; nil to reject it.
    static func negotiate(_ section: MediaDescription, mid: String, local: SDPLocalParameters) -> SDPNegotiatedMedia? {
        guard section.port != 0, section.proto.hasSuffix("RTP/SAVPF"), section.rtcpMux,
            let kind = SDPCodec.Kind(rawValue: section.kind), let wanted = local.directions[kind]
        else { return nil }
        let maps = section.rtpMaps
        let parameters = section.formatParameters
        var codecs: [(payloadType: UInt8, codec: SDPCodec)] = []
        for type in section.payloadTypes {
            guard let map = maps[type] ?? SDPCodec.staticMap(type) else { continue }
            if let codec = local.codecs.first(where: { $0.kind == kind && $0.matches(map, parameters: parameters[type] ?? [:]) }) {
                codecs.append((type, codec))
            }
        }
        guard !codecs.isEmpty else { return nil }
        var retransmission: [UInt8: UInt8] = [:]
        for type in section.payloadTypes where maps[type]?.name.lowercased() == "rtx" {
            if let apt = parameters[type]?["apt"].flatMap(UInt8.init), codecs.contains(where: { $0.payloadType == apt }) { retransmission[type] = apt }
        }
        var extensions: [String: Int] = [:]
        for (id, uri) in section.extensionMap where SDPHeaderExtension.known.contains(uri) { extensions[uri] = id }
        let direction = intersect(section.direction.reversed, wanted)
        return SDPNegotiatedMedia(
            mid: mid, kind: kind, direction: direction, codecs: codecs, retransmission: retransmission, extensions: extensions,
            remoteSSRCs: section.ssrcs)
    }

    /// Sending where both sides allow it, receiving likewise (RFC 3264 §6.1).
    static func intersect(_ a: SDPDirection, _ b: SDPDirection) -> SDPDirection {
        func sends(_ d: SDPDirection) -> Bool { d == .sendrecv || d == .sendonly }
        func receives(_ d: SDPDirection) -> Bool { d == .sendrecv || d == .recvonly }
        switch (sends(a) && sends(b), receives(a) && receives(b)) {
        case (true, true): return .sendrecv
        case (true, false): return .sendonly
        case (false, true): return .recvonly
        case (false, false): return .inactive
        }
    }

    /// A rejected section: port 0, the first offered format, the mid (RFC 3264 §6; RFC 8829 §5.3.1).
    static func rejected(_ section: MediaDescription, mid: String) -> MediaDescription {
        MediaDescription(kind: section.kind, port: 0, proto: section.proto, formats: Array(section.formats.prefix(1)), attributes: [SDPAttribute("mid", mid)])
    }

    static func accept(_ section: MediaDescription, _ media: SDPNegotiatedMedia, local: SDPLocalParameters) -> MediaDescription {
        let types = media.codecs.map(\.payloadType) + media.retransmission.keys.sorted()
        var answer = MediaDescription(kind: section.kind, formats: types.map(String.init))
        var attributes = local.transportAttributes(mid: media.mid, direction: media.direction, setup: local.setup)
        attributes += media.extensions.sorted { $0.value < $1.value }.map { SDPAttribute("extmap", "\($0.value) \($0.key)") }
        let maps = section.rtpMaps
        let parameters = section.formatParameters
        let offeredFeedback = section.rtcpFeedback
        for type in types {
            guard let map = maps[type] ?? SDPCodec.staticMap(type) else { continue }
            attributes.append(.rtpmap(type, map))
            let feedback = (offeredFeedback[type] ?? []) + (offeredFeedback[nil] ?? [])
            attributes += feedback.filter(SDPFeedback.known.contains).map { SDPAttribute("rtcp-fb", "\(type) \($0)") }
            var format = parameters[type] ?? [:]
            if media.direction == .sendonly || media.direction == .sendrecv, let codec = media.codecs.first(where: { $0.payloadType == type })?.codec {
                format.merge(local.sendFormatParameters[codec.name.uppercased()] ?? [:]) { _, declared in declared }
            }
            if let fmtp = SDPAttribute.fmtp(type, format) { attributes.append(fmtp) }
        }
        attributes += local.sendingAttributes(media.kind, direction: media.direction, retransmission: !media.retransmission.isEmpty)
        answer.attributes = attributes
        return answer
    }
}
