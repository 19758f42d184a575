import Foundation
import Media
import RTP

/// A stream's H.264/H.265 parameter sets declared in the session description, so that a
/// receiver holds them before the first keyframe: RFC 6184 §8.1 `sprop-parameter-sets`
/// (base64 SPS and PPS NAL units, comma-separated), RFC 7798 §7.1 `sprop-vps`, `sprop-sps`,
/// `sprop-pps`. A browser that gets a keyframe whose parameter-set packet is still on its
/// way (reordered, or lost and being retransmitted) puts the declared sets before it
/// instead of handing its decoder a keyframe it cannot decode.
enum ParameterSetDeclaration {
    /// The parameter-set NAL units of an Annex B frame, in stream order (H.264 SPS 7 and
    /// PPS 8; H.265 VPS 32, SPS 33, PPS 34 — ITU-T H.264/H.265 Table 7-1).
    static func units(in frame: [UInt8], codec: MediaCodec) -> [[UInt8]] {
        let types = ParameterSetCarrier.parameterSetTypes(codec)
        guard !types.isEmpty else { return [] }
        return AnnexB.unitSlices(frame).compactMap { unit in
            guard let type = ParameterSetCarrier.type(of: unit, codec: codec), types.contains(type) else { return nil }
            return Array(unit)
        }
    }

    /// The `a=fmtp` parameters declaring `units` for `codec` (empty when a needed set is missing).
    static func formatParameters(_ units: [[UInt8]], codec: MediaCodec) -> [String: String] {
        func encoded(_ type: UInt8) -> String? {
            let matching = units.filter { ParameterSetCarrier.type(of: $0[...], codec: codec) == type }.map { Data($0).base64EncodedString() }
            return matching.isEmpty ? nil : matching.joined(separator: ",")
        }
        switch codec {
        case .h264:
            guard let sps = encoded(7), let pps = encoded(8) else { return [:] }
            return ["sprop-parameter-sets": sps + "," + pps]
        case .h265:
            guard let vps = encoded(32), let sps = encoded(33), let pps = encoded(34) else { return [:] }
            return ["sprop-vps": vps, "sprop-sps": sps, "sprop-pps": pps]
        default:
            return [:]
        }
    }
}
