import RTP
import Testing

/// RTP packets (RFC 3550 §5.1) and header extensions (RFC 8285).
@Suite struct RTPPacketTests {
    @Test func parsesTheFixedHeaderCSRCsAndPayload() throws {
        let bytes: [UInt8] = [0x82, 0xE0, 0x12, 0x34, 0x00, 0x01, 0x5F, 0x90, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 1, 0, 0, 0, 2, 0xAA, 0xBB]
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.marker)
        #expect(packet.payloadType == 96)
        #expect(packet.sequenceNumber == 0x1234)
        #expect(packet.timestamp == 90_000)
        #expect(packet.ssrc == 0xDEAD_BEEF)
        #expect(packet.csrcs == [1, 2])
        #expect(packet.payload == [0xAA, 0xBB])
        #expect(packet.bytes == bytes)
    }

    @Test func paddingIsRemoved() throws {
        let bytes: [UInt8] = [0xA0, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x11, 0x22, 0, 0, 0, 3]
        #expect(try RTPPacket(parsing: bytes).payload == [0x11, 0x22, 0])
    }

    @Test func oneByteExtensionsRoundTrip() throws {
        var packet = RTPPacket(payloadType: 111, sequenceNumber: 7, timestamp: 960, ssrc: 42, payload: [1, 2, 3])
        packet.extensions.set(1, Array("0".utf8))  // sdes:mid
        packet.extensions.set(3, [0x12, 0x34, 0x56])  // abs-send-time
        let bytes = packet.bytes
        #expect(bytes[0] & 0x10 != 0)
        #expect(Array(bytes[12..<14]) == [0xBE, 0xDE])
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed == packet)
        #expect(parsed.extensions[3] == [0x12, 0x34, 0x56])
    }

    /// RFC 8285 §4.2: ID 0 is padding, one byte, whatever its length bits say (a finding
    /// of fuzzing: it used to become an element that did not survive writing back).
    @Test func oneByteExtensionIDZeroIsOneBytePadding() throws {
        let bytes: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xBE, 0xDE, 0, 1, 0x10, 0x30, 0x01, 0x00, 0xAA]
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.extensions.elements.map(\.id) == [1])
        #expect(packet.payload == [0xAA])
        #expect(try RTPPacket(parsing: packet.bytes) == packet)
    }

    @Test func twoByteExtensionsAreUsedForLargeValuesOrIDs() throws {
        var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [9])
        packet.extensions.set(20, Array(repeating: 7, count: 20))
        let bytes = packet.bytes
        #expect(Array(bytes[12..<14]) == [0x10, 0x00])
        #expect(try RTPPacket(parsing: bytes).extensions[20] == Array(repeating: 7, count: 20))
    }

    @Test func malformedPacketsAreRefused() {
        #expect(throws: RTPParseError.tooShort) { try RTPPacket(parsing: [0x80, 96, 0, 1]) }
        #expect(throws: RTPParseError.badVersion) { try RTPPacket(parsing: [0x40] + Array(repeating: 0, count: 11)) }
        #expect(throws: RTPParseError.badPadding) { try RTPPacket(parsing: [0xA0, 96] + Array(repeating: 0, count: 9) + [200]) }
        #expect(throws: RTPParseError.badExtension) { try RTPPacket(parsing: [0x90, 96] + Array(repeating: 0, count: 10) + [0xBE, 0xDE, 0, 9]) }
        #expect(throws: RTPParseError.tooShort) { try RTPPacket(parsing: [0x8F, 96] + Array(repeating: 0, count: 10)) }
        #expect(throws: RTPParseError.tooLarge(RTPPacket.maxLength + 1)) { try RTPPacket(parsing: [UInt8](repeating: 0x80, count: RTPPacket.maxLength + 1)) }
    }
}
