import Crypto
import NetworkAddress

/// Stateless nonces (RFC 8489 §9.2): `<expiry, 8 hex digits><HMAC, 16 hex digits>` where the
/// HMAC binds the expiry to the client's IP address under a key made at start-up. Expired
/// or forged nonces are answered with 438 Stale Nonce and a fresh one.
public struct TURNNonces: Sendable {
    private let key: SymmetricKey
    public let lifetime: Int

    public init(lifetime: Int = 600, key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.lifetime = lifetime
        self.key = key
    }

    public func issue(for client: IPAddress, now: Int) -> String {
        let expiry = String(UInt32(truncatingIfNeeded: now + lifetime), radix: 16)
        let padded = String(repeating: "0", count: 8 - expiry.count) + expiry
        return padded + mac(padded, client)
    }

    /// Whether a nonce was issued by this server to this client and has not expired.
    public func isValid(_ nonce: String, for client: IPAddress, now: Int) -> Bool {
        guard nonce.utf8.count == 24 else { return false }
        let expiryText = String(nonce.prefix(8))
        guard let expiry = UInt32(expiryText, radix: 16), Int(expiry) >= now else { return false }
        let expected = Array(mac(expiryText, client).utf8)
        let received = Array(nonce.dropFirst(8).utf8)
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ received[index] }
        return difference == 0
    }

    private func mac(_ expiry: String, _ client: IPAddress) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(expiry.utf8) + client.bytes, using: key)
        return code.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
