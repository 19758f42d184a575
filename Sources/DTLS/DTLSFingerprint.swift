import COpenSSL

/// A certificate fingerprint as SDP carries it (RFC 8122 §5): a hash function name from
/// the IANA registry and the digest of the DER certificate.
public struct DTLSFingerprint: Sendable, Equatable, CustomStringConvertible {
    /// Lower-case hash function name: `sha-256`, `sha-384`, `sha-512` or `sha-1`.
    public let algorithm: String
    public let bytes: [UInt8]

    public init(algorithm: String, bytes: [UInt8]) {
        self.algorithm = algorithm.lowercased()
        self.bytes = bytes
    }

    /// Upper-case hex pairs joined by colons, as in `a=fingerprint`.
    public var hex: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    public var description: String { "\(algorithm) \(hex)" }

    /// The OpenSSL digest for a registry name (RFC 8122 §5 lists the hash functions of RFC 3279).
    static func digest(for algorithm: String) -> OpaquePointer? {
        switch algorithm.lowercased() {
        case "sha-1": EVP_sha1()
        case "sha-256": EVP_sha256()
        case "sha-384": EVP_sha384()
        case "sha-512": EVP_sha512()
        default: nil
        }
    }

    /// The fingerprint of `certificate` with `algorithm`'s hash.
    static func of(_ certificate: OpaquePointer, algorithm: String) throws(DTLSError) -> DTLSFingerprint {
        guard let digest = digest(for: algorithm) else { throw .unsupportedHashFunction(algorithm) }
        var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, digest, &buffer, &length) == 1 else {
            throw .setup(OpenSSLErrorQueue.drain(fallback: "X509_digest failed"))
        }
        return DTLSFingerprint(algorithm: algorithm, bytes: Array(buffer.prefix(Int(length))))
    }

    /// Compares digests without stopping at the first difference.
    func matches(_ other: DTLSFingerprint) -> Bool {
        guard algorithm == other.algorithm, bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for index in bytes.indices { difference |= bytes[index] ^ other.bytes[index] }
        return difference == 0
    }
}
