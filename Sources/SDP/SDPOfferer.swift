/// Offers from peergate (JSEP RFC 8829 §5.2.1) — a recorder joining as a viewer offers to
/// the camera — and reading the remote answer (§5.3 from the offerer's side, RFC 3264 §6).
public enum SDPOfferer {
    /// Payload types peergate offers (dynamic range 96–127, RFC 3551 §6; PCMU and PCMA keep
    /// their static numbers), each video codec followed by its RTX format (RFC 4588).
    static let videoPayloadTypes: [(codec: SDPCodec, type: UInt8, rtx: UInt8)] = [
        (.h264ConstrainedBaseline, 96, 97), (.h264High, 98, 99), (.h265, 100, 101), (.vp8, 102, 103),
    ]
    static let audioPayloadTypes: [(codec: SDPCodec, type: UInt8)] = [(.opus, 111), (.pcmu, 0), (.pcma, 8)]

    /// The formats offered for `kind`, in the order of `local.codecs` (most preferred first).
    static func offeredFormats(_ kind: SDPCodec.Kind, local: SDPLocalParameters) -> [(codec: SDPCodec, type: UInt8, rtx: UInt8?)] {
        local.codecs.compactMap { codec in
            if kind == .video, let entry = videoPayloadTypes.first(where: { $0.codec == codec }) { return (codec, entry.type, entry.rtx) }
            if kind == .audio, let entry = audioPayloadTypes.first(where: { $0.codec == codec }) { return (codec, entry.type, nil) }
            return nil
        }
    }

    /// An offer with one section per kind in `local.directions` (video first), bundled, with
    /// `a=setup:actpass` (RFC 8842 §5.2) and the local ICE and DTLS attributes.
    public static func offer(local: SDPLocalParameters) -> SessionDescription {
        var offer = SessionDescription(origin: .init(sessionID: local.sessionID, sessionVersion: local.sessionVersion))
        var mids: [String] = []
        for kind in [SDPCodec.Kind.video, .audio] {
            guard let direction = local.directions[kind] else { continue }
            let mid = String(mids.count)
            mids.append(mid)
            offer.media.append(section(kind, mid: mid, direction: direction, local: local))
        }
        offer.attributes = [SDPAttribute("group", (["BUNDLE"] + mids).joined(separator: " ")), SDPAttribute("msid-semantic", "WMS \(local.streamID)")]
        return offer
    }

    static func section(_ kind: SDPCodec.Kind, mid: String, direction: SDPDirection, local: SDPLocalParameters) -> MediaDescription {
        var attributes = local.transportAttributes(mid: mid, direction: direction, setup: .actpass)
        attributes.append(SDPAttribute("extmap", "1 \(SDPHeaderExtension.mid)"))
        var formats: [UInt8] = []
        if kind == .video {
            attributes.append(SDPAttribute("extmap", "2 \(SDPHeaderExtension.absSendTime)"))
            for (codec, type, rtx) in offeredFormats(.video, local: local) {
                guard let rtx else { continue }
                formats += [type, rtx]
                attributes.append(.rtpmap(type, SDPRTPMap(name: codec.name, clockRate: codec.clockRate)))
                attributes += ["nack", "nack pli", "ccm fir", "goog-remb"].map { SDPAttribute("rtcp-fb", "\(type) \($0)") }
                var parameters = codec.parameters
                if codec.name == "H264" { parameters["level-asymmetry-allowed"] = "1" }
                if direction == .sendonly || direction == .sendrecv { parameters.merge(local.sendFormatParameters[codec.name.uppercased()] ?? [:]) { _, declared in declared } }
                if let fmtp = SDPAttribute.fmtp(type, parameters) { attributes.append(fmtp) }
                attributes.append(.rtpmap(rtx, SDPRTPMap(name: "rtx", clockRate: 90000)))
                attributes += [SDPAttribute.fmtp(rtx, ["apt": "\(type)"])].compactMap { $0 }
            }
        } else {
            for (codec, type, _) in offeredFormats(.audio, local: local) {
                formats.append(type)
                attributes.append(.rtpmap(type, SDPRTPMap(name: codec.name, clockRate: codec.clockRate, channels: codec.channels)))
                if codec == .opus { attributes.append(SDPAttribute("fmtp", "\(type) minptime=10;useinbandfec=1")) }
            }
        }
        attributes += local.sendingAttributes(kind, direction: direction, retransmission: kind == .video)
        return MediaDescription(kind: kind.rawValue, formats: formats.map(String.init), attributes: attributes)
    }

    /// What the remote answer accepted, section by section (rejected ones left out): the
    /// answer's formats matched against peergate's codecs, its direction reversed and
    /// intersected with the local wish.
    public static func negotiated(answer: SessionDescription, local: SDPLocalParameters) throws(SDPNegotiationError) -> [SDPNegotiatedMedia] {
        var media: [SDPNegotiatedMedia] = []
        for (index, section) in answer.media.enumerated() {
            let mid = section.mid ?? String(index)
            guard var accepted = SDPAnswerer.negotiate(section, mid: mid, local: local) else { continue }
            guard answer.iceCredentials(of: section) != nil, answer.fingerprint(of: section) != nil else {
                throw .missingTransportAttributes(mid: mid)
            }
            if accepted.direction == .recvonly || accepted.direction == .sendrecv { acceptEveryOfferedFormat(&accepted, local: local) }
            media.append(accepted)
        }
        guard !media.isEmpty else { throw .nothingAccepted }
        return media
    }

    /// RFC 3264 §5.1: the offerer is ready to receive every format of its offer. Some
    /// answerers send an offered format their answer left out (Chromium 156 answering with
    /// `setCodecPreferences` sends the offer's first codec), so a section peergate receives
    /// on keeps the other offered formats after the answer's, with their RTX formats.
    static func acceptEveryOfferedFormat(_ media: inout SDPNegotiatedMedia, local: SDPLocalParameters) {
        for (codec, type, rtx) in offeredFormats(media.kind, local: local) where !media.codecs.contains(where: { $0.payloadType == type }) {
            media.codecs.append((type, codec))
            if let rtx, media.retransmission[rtx] == nil { media.retransmission[rtx] = type }
        }
    }
}
