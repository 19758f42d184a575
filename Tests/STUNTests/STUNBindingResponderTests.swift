import NetworkAddress
@testable import STUN
import Testing

/// The Binding fast path writes byte for byte what the message builder writes, and leaves
/// everything it should not judge to the general path.
@Suite struct STUNBindingResponderTests {
    let clientV4 = TransportAddress(ip: IPAddress("192.0.2.1")!, port: 32853)
    let clientV6 = TransportAddress(ip: IPAddress("2001:db8:1234:5678:11:2233:4455:6677")!, port: 32853)

    func respond(_ request: [UInt8], from client: TransportAddress, software: String? = nil) -> [UInt8]? {
        let responder = STUNBindingResponder(software: software)
        var output = [UInt8](repeating: 0xEE, count: responder.maxResponseLength)
        let length = request.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { responder.respond(to: input, from: client, into: $0) }
        }
        return length.map { Array(output[0..<$0]) }
    }

    /// What the general path (``STUNMessageBuilder``) answers.
    func expected(_ request: [UInt8], from client: TransportAddress, software: String? = nil) throws -> [UInt8] {
        let message = try STUNMessage(parsing: request)
        var builder = STUNMessageBuilder(responseTo: message, success: true)
        builder.append(STUNAttributeType.xorMappedAddress, xorAddress: client)
        if let software { builder.append(STUNAttributeType.software, text: software) }
        if message.attribute(STUNAttributeType.fingerprint) != nil { builder.appendFingerprint() }
        return builder.bytes
    }

    func request(fingerprint: Bool, attributes: [(UInt16, [UInt8])] = []) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        for (type, value) in attributes { builder.append(type, value) }
        if fingerprint { builder.appendFingerprint() }
        return builder.bytes
    }

    @Test(arguments: [false, true], [nil, "peergate", "odd"])
    func answersLikeTheMessageBuilder(fingerprint: Bool, software: String?) throws {
        for client in [clientV4, clientV6] {
            let request = request(fingerprint: fingerprint)
            let response = try #require(respond(request, from: client, software: software))
            #expect(response == (try expected(request, from: client, software: software)))
            let parsed = try STUNMessage(parsing: response)
            #expect(parsed.type == STUNMessageType(method: STUNMethod.binding, messageClass: .success))
            #expect(parsed.xorAddress(STUNAttributeType.xorMappedAddress) == client)
            #expect(parsed.hasValidFingerprint == fingerprint)
        }
    }

    @Test func answersTheRFC5769SampleRequestIgnoringItsICEAttributes() throws {
        let response = try #require(respond(RFC5769.request, from: clientV4))
        #expect(response == (try expected(RFC5769.request, from: clientV4)))
        #expect(Array(response[8..<20]) == Array(RFC5769.request[8..<20]))
    }

    @Test func leavesEverythingElseToTheGeneralPath() {
        let plain = request(fingerprint: true)
        // An unknown comprehension-required attribute (the general path answers 420).
        #expect(respond(request(fingerprint: true, attributes: [(0x7FFF, [1, 2, 3, 4])]), from: clientV4) == nil)
        // Not a Binding request: an Allocate, and a Binding success response.
        #expect(respond([0x00, 0x03] + plain[2...], from: clientV4) == nil)
        #expect(respond([0x01, 0x01] + plain[2...], from: clientV4) == nil)
        // Wrong magic cookie, a length that disagrees with the bytes, a truncated header.
        #expect(respond(plain[0..<4] + [0x21, 0x12, 0xA4, 0x43] + plain[8...], from: clientV4) == nil)
        #expect(respond(plain + [0, 0, 0, 0], from: clientV4) == nil)
        #expect(respond(Array(plain[0..<12]), from: clientV4) == nil)
        // An attribute running past the end, and one after FINGERPRINT.
        var overrun = request(fingerprint: false, attributes: [(0x8022, [1, 2, 3, 4])])
        overrun[23] = 0x40
        #expect(respond(overrun, from: clientV4) == nil)
        var afterFingerprint = plain + [0x80, 0x22, 0x00, 0x00]
        afterFingerprint[3] += 4
        #expect(respond(afterFingerprint, from: clientV4) == nil)
    }

    @Test func refusesAnOutputBufferTooSmall() {
        let responder = STUNBindingResponder(software: nil)
        var output = [UInt8](repeating: 0, count: responder.maxResponseLength - 1)
        let request = request(fingerprint: true)
        let length = request.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { responder.respond(to: input, from: clientV4, into: $0) }
        }
        #expect(length == nil)
    }
}
