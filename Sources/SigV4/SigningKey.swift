import Crypto

/// The signing computation of Signature Version 4 (AWS General Reference, "Calculate the
/// signature"): the string to sign and the HMAC chain of the signing key.
enum SigningKey {
    static let algorithm = "AWS4-HMAC-SHA256"

    /// `AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(SHA-256(canonical request))`.
    static func stringToSign(timestamp: String, credentialScope: String, canonicalRequest: String) -> String {
        [algorithm, timestamp, credentialScope, CanonicalRequest.sha256Hex(canonicalRequest.utf8)].joined(separator: "\n")
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    static func derive(secret: String, date: String, scope: SigV4Scope) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [date, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The signature bytes of a string to sign.
    static func signature(_ stringToSign: String, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
