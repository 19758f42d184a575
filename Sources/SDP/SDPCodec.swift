/// A codec peergate can negotiate, and how an offered format is matched against it.
public struct SDPCodec: Sendable, Equatable {
    public enum Kind: String, Sendable { case audio, video }

    public var kind: Kind
    /// Encoding name as in `a=rtpmap`, compared case-insensitively (RFC 8866 §6.6).
    public var name: String
    public var clockRate: Int
    public var channels: Int
    /// Parameters an offered format must agree with (see ``matches(_:parameters:)``).
    public var parameters: [String: String]

    public init(kind: Kind, name: String, clockRate: Int, channels: Int = 1, parameters: [String: String] = [:]) {
        self.kind = kind
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
    }

    public static let opus = SDPCodec(kind: .audio, name: "opus", clockRate: 48000, channels: 2)
    public static let pcmu = SDPCodec(kind: .audio, name: "PCMU", clockRate: 8000)
    public static let pcma = SDPCodec(kind: .audio, name: "PCMA", clockRate: 8000)
    public static let vp8 = SDPCodec(kind: .video, name: "VP8", clockRate: 90000)
    /// H.264 in non-interleaved mode (RFC 6184 §6.3), Constrained Baseline.
    public static let h264ConstrainedBaseline = SDPCodec(
        kind: .video, name: "H264", clockRate: 90000, parameters: ["packetization-mode": "1", "profile-level-id": "42e01f"])
    /// H.264 in non-interleaved mode, High profile (what most IP cameras send).
    public static let h264High = SDPCodec(kind: .video, name: "H264", clockRate: 90000, parameters: ["packetization-mode": "1", "profile-level-id": "640032"])
    /// H.265 Main profile (RFC 7798 §7.1: profile-id 1 when absent).
    public static let h265 = SDPCodec(kind: .video, name: "H265", clockRate: 90000, parameters: ["profile-id": "1"])

    /// Every codec peergate carries, in its order of preference.
    public static let all: [SDPCodec] = [.h264ConstrainedBaseline, .h264High, .h265, .vp8, .opus, .pcmu, .pcma]

    /// The rtpmap static payload types imply when an offer omits it (RFC 3551 §6).
    static func staticMap(_ payloadType: UInt8) -> SDPRTPMap? {
        switch payloadType {
        case 0: return SDPRTPMap(name: "PCMU", clockRate: 8000)
        case 8: return SDPRTPMap(name: "PCMA", clockRate: 8000)
        default: return nil
        }
    }

    /// Whether an offered format (its rtpmap and fmtp) is this codec: same name and clock
    /// rate (and channel count for audio); for H.264 the same packetization mode and profile
    /// (RFC 6184 §8.2.2); for H.265 the same profile-id (RFC 7798 §7.2.2).
    public func matches(_ map: SDPRTPMap, parameters offered: [String: String]) -> Bool {
        guard map.name.lowercased() == name.lowercased(), map.clockRate == clockRate else { return false }
        if kind == .audio, map.channels != channels { return false }
        switch name {
        case "H264": return H264Profile.compatible(parameters, offered)
        case "H265": return (offered["profile-id"] ?? "1") == (parameters["profile-id"] ?? "1")
        default: return true
        }
    }
}
