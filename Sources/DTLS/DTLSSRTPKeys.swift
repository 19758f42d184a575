import COpenSSL
import SRTP

/// SRTP keys from a finished DTLS handshake (RFC 5764 §4.2): the profile the server chose
/// and 2 × (key + salt) bytes from the exporter labelled `EXTRACTOR-dtls_srtp`.
enum DTLSSRTPKeys {
    static let exporterLabel = "EXTRACTOR-dtls_srtp"

    /// The `use_srtp` profile list offered, most preferred first.
    static var profileList: String { SRTPProfile.openSSLProfileList }

    static func export(from ssl: OpaquePointer, isClient: Bool) throws(DTLSError) -> SRTPKeyingMaterial {
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let profile = SRTPProfile(identifier: UInt16(truncatingIfNeeded: selected.pointee.id))
        else { throw .noSRTPProfile }
        var bytes = [UInt8](repeating: 0, count: profile.keyingMaterialLength)
        let label = Array(exporterLabel.utf8).map { CChar(bitPattern: $0) }
        guard SSL_export_keying_material(ssl, &bytes, bytes.count, label, label.count, nil, 0, 0) == 1 else {
            throw .setup(OpenSSLErrorQueue.drain(fallback: "SRTP key export failed"))
        }
        do {
            return try SRTPKeyingMaterial(exported: bytes, profile: profile, isClient: isClient)
        } catch {
            throw .setup(error.description)
        }
    }
}
