import Media
import RTP

/// Keeps every H.264/H.265 keyframe decodable on its own: a viewer that starts (or
/// recovers) at a keyframe needs the sequence and picture parameter sets, which cameras
/// often send only in the session description (RTSP `sprop-parameter-sets`, RFC 6184
/// §8.1; `sprop-vps/sps/pps`, RFC 7798 §7.1) or only at the stream's start. The latest
/// sets seen — out of band or in the stream — go before each keyframe that lacks them.
/// Sans-I/O; other codecs pass through unchanged.
public struct ParameterSetCarrier: Sendable {
    public let codec: MediaCodec
    /// The latest unit of each parameter-set NAL type.
    private var sets: [UInt8: [UInt8]] = [:]

    /// `outOfBand`: Annex B parameter sets from the container or session description.
    public init(codec: MediaCodec, outOfBand: [UInt8] = []) {
        self.codec = codec
        for unit in AnnexB.unitSlices(outOfBand) { remember(unit) }
    }

    /// NAL unit types of the parameter sets, in the order they go before a keyframe:
    /// H.264 SPS 7, PPS 8 (ITU-T H.264 Table 7-1); H.265 VPS 32, SPS 33, PPS 34 (ITU-T H.265 Table 7-1).
    var requiredTypes: [UInt8] { Self.parameterSetTypes(codec) }

    static func parameterSetTypes(_ codec: MediaCodec) -> [UInt8] {
        switch codec {
        case .h264: [7, 8]
        case .h265: [32, 33, 34]
        default: []
        }
    }

    func type(of unit: ArraySlice<UInt8>) -> UInt8? { Self.type(of: unit, codec: codec) }

    /// The NAL unit type (H.264: the low 5 bits; H.265: bits 1–6 of the first byte).
    static func type(of unit: ArraySlice<UInt8>, codec: MediaCodec) -> UInt8? {
        guard let first = unit.first else { return nil }
        return codec == .h265 ? (first >> 1) & 0x3F : first & 0x1F
    }

    private mutating func remember(_ unit: ArraySlice<UInt8>) {
        guard let type = type(of: unit), requiredTypes.contains(type) else { return }
        sets[type] = Array(unit)
    }

    /// The frame as it should be sent: a keyframe gets the parameter sets it lacks.
    public mutating func prepare(_ frame: [UInt8], isKeyframe: Bool) -> [UInt8] {
        let required = requiredTypes
        guard !required.isEmpty else { return frame }
        var present: Set<UInt8> = []
        for unit in AnnexB.unitSlices(frame) {
            guard let type = type(of: unit), required.contains(type) else { continue }
            present.insert(type)
            remember(unit)
        }
        guard isKeyframe else { return frame }
        let missing = required.filter { !present.contains($0) }.compactMap { sets[$0] }
        return missing.isEmpty ? frame : AnnexB.join(missing) + frame
    }
}
