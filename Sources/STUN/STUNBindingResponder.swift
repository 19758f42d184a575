import NetworkAddress

/// Answers plain STUN Binding requests (RFC 8489 §18.2) straight from the request bytes into
/// an output buffer, with no intermediate message value: the path every ICE agent's
/// keep-alives and server-reflexive lookups take, so it must cost next to nothing.
///
/// It answers only what needs no judgement: a well-formed Binding request whose attributes
/// are all comprehension-optional (0x8000–0xFFFF) or ones a Binding server may ignore, with
/// FINGERPRINT, if present, last. Everything else — errors, unknown comprehension-required
/// attributes (420), malformed messages — returns nil and takes the general path.
public struct STUNBindingResponder: Sendable {
    /// The SOFTWARE attribute (RFC 8489 §14.14) appended to every response, if configured.
    private let software: [UInt8]

    /// The largest response ``respond(to:from:into:)`` writes.
    public var maxResponseLength: Int { STUNMessage.headerLength + 24 + software.count + 8 }

    public init(software: String?) {
        var attribute: [UInt8] = []
        if let software {
            let text = Array(software.utf8.prefix(763))
            attribute = [UInt8(STUNAttributeType.software >> 8), UInt8(STUNAttributeType.software & 0xFF), UInt8(text.count >> 8), UInt8(text.count & 0xFF)]
            attribute += text
            attribute += [UInt8](repeating: 0, count: (4 - text.count % 4) % 4)
        }
        self.software = attribute
    }

    /// Comprehension-required attributes a Binding server may meet and ignore (RFC 8489 §14,
    /// RFC 8445 §7.1.1 for the ICE ones; integrity on a Binding request is not checked by a
    /// server that issues no credentials for it).
    private static func ignorable(_ type: UInt16) -> Bool {
        switch type {
        case STUNAttributeType.username, STUNAttributeType.messageIntegrity, STUNAttributeType.messageIntegritySHA256,
            STUNAttributeType.realm, STUNAttributeType.nonce, STUNAttributeType.priority, STUNAttributeType.useCandidate:
            return true
        default:
            return type >= 0x8000 && type != STUNAttributeType.fingerprint
        }
    }

    /// Writes the success response to `request` from `client` into `output` (at least
    /// ``maxResponseLength`` bytes) and returns its length; nil when the general path must
    /// decide.
    public func respond(to request: UnsafeRawBufferPointer, from client: TransportAddress, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let count = request.count
        guard count >= STUNMessage.headerLength, output.count >= maxResponseLength,
            request[0] == 0x00, request[1] == 0x01,
            Int(request[2]) << 8 | Int(request[3]) == count - STUNMessage.headerLength, count % 4 == 0,
            request[4] == 0x21, request[5] == 0x12, request[6] == 0xA4, request[7] == 0x42
        else { return nil }
        var offset = STUNMessage.headerLength
        var attributes = 0
        var fingerprint = false
        while offset < count {
            guard !fingerprint, attributes < STUNMessage.maxAttributes, offset + 4 <= count else { return nil }
            let type = UInt16(request[offset]) << 8 | UInt16(request[offset + 1])
            let length = Int(request[offset + 2]) << 8 | Int(request[offset + 3])
            offset += 4 + (length + 3) & ~3
            guard offset <= count else { return nil }
            if type == STUNAttributeType.fingerprint {
                guard length == 4 else { return nil }
                fingerprint = true
            } else if !Self.ignorable(type) {
                return nil
            }
            attributes += 1
        }
        // Header: Binding success response (0x0101), the request's cookie and transaction id.
        output[0] = 0x01
        output[1] = 0x01
        for index in 4..<20 { output[index] = request[index] }
        var end = STUNMessage.headerLength
        end = writeXORMappedAddress(client, at: end, into: output)
        for byte in software {
            output[end] = byte
            end += 1
        }
        if fingerprint {
            // RFC 8489 §14.7: the length covers FINGERPRINT before the CRC is computed.
            setLength(end + 8 - STUNMessage.headerLength, in: output)
            let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: output[0..<end])) ^ STUNIntegrity.fingerprintXOR
            end = writeWord(UInt32(STUNAttributeType.fingerprint) << 16 | 4, at: end, into: output)
            end = writeWord(crc, at: end, into: output)
        } else {
            setLength(end - STUNMessage.headerLength, in: output)
        }
        return end
    }

    /// Writes a 32-bit big-endian word; returns the offset after it.
    private func writeWord(_ word: UInt32, at start: Int, into output: UnsafeMutableRawBufferPointer) -> Int {
        output[start] = UInt8(word >> 24)
        output[start + 1] = UInt8(word >> 16 & 0xFF)
        output[start + 2] = UInt8(word >> 8 & 0xFF)
        output[start + 3] = UInt8(word & 0xFF)
        return start + 4
    }

    private func setLength(_ length: Int, in output: UnsafeMutableRawBufferPointer) {
        output[2] = UInt8(length >> 8)
        output[3] = UInt8(length & 0xFF)
    }

    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): port and address masked with the magic cookie,
    /// IPv6 also with the transaction id (which `output` already holds at bytes 8–19).
    private func writeXORMappedAddress(_ address: TransportAddress, at start: Int, into output: UnsafeMutableRawBufferPointer) -> Int {
        let ipv4 = address.ip.isIPv4
        let port = address.port ^ 0x2112
        var end = writeWord(UInt32(STUNAttributeType.xorMappedAddress) << 16 | (ipv4 ? 8 : 20), at: start, into: output)
        end = writeWord(UInt32(ipv4 ? 0x01 : 0x02) << 16 | UInt32(port), at: end, into: output)
        switch address.ip {
        case .v4(let value):
            end = writeWord(value ^ STUNMessage.magicCookie, at: end, into: output)
        case .v6:
            // The mask is the cookie and transaction id: header bytes 4–19 of the response.
            for (index, byte) in address.ip.bytes.enumerated() {
                output[end] = byte ^ output[4 + index]
                end += 1
            }
        }
        return end
    }
}
