/// SRTP and SRTCP for one DTLS-SRTP association (RFC 3711, RFC 7714): what this side sends
/// is protected with the local master key, what it receives is unprotected with the
/// remote one, with the replay window on (RFC 3711 §3.3.2). Not thread-safe: the transport
/// that owns it uses it from its event loop.
public final class SRTPSession {
    /// Largest packet accepted either way (well above any UDP MTU WebRTC uses).
    public static let maxPacketLength = 8192
    /// Packets remembered by the replay window (libsrtp's default, RFC 3711 §3.3.2 minimum 64).
    public static let replayWindow = 128

    public let profile: SRTPProfile
    private let sender: SRTPContext
    private let receiver: SRTPContext

    public init(keys: SRTPKeyingMaterial) throws(SRTPError) {
        profile = keys.profile
        sender = try SRTPContext(profile: keys.profile, masterKey: keys.localMasterKey, outbound: true, replayWindow: Self.replayWindow)
        receiver = try SRTPContext(profile: keys.profile, masterKey: keys.remoteMasterKey, outbound: false, replayWindow: Self.replayWindow)
    }

    /// Encrypts and authenticates an RTP packet in place (RFC 3711 §3.3; RFC 7714 §8.2).
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try check(packet, minimum: 12)
        try sender.apply(.protectRTP, to: &packet)
    }

    /// Verifies, replay-checks and decrypts an SRTP packet in place.
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try check(packet, minimum: 12)
        try receiver.apply(.unprotectRTP, to: &packet)
    }

    /// Protects a compound RTCP packet in place (RFC 3711 §3.4).
    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try check(packet, minimum: 8)
        try sender.apply(.protectRTCP, to: &packet)
    }

    /// Verifies, replay-checks and decrypts an SRTCP packet in place.
    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try check(packet, minimum: 8)
        try receiver.apply(.unprotectRTCP, to: &packet)
    }

    private func check(_ packet: [UInt8], minimum: Int) throws(SRTPError) {
        guard packet.count >= minimum, packet.count <= Self.maxPacketLength else { throw .badLength(packet.count) }
    }
}
