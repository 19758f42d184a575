import NetworkAddress
@testable import STUN
import Testing

@Suite struct STUNCodecTests {
    let shortTermKey = STUNIntegrity.shortTermKey(password: RFC5769.shortTermPassword)

    @Test func sampleRequestParsesAndVerifies() throws {
        let message = try STUNMessage(parsing: RFC5769.request)
        #expect(message.type == STUNMessageType(method: STUNMethod.binding, messageClass: .request))
        #expect(message.transactionID == RFC5769.bytes("b7e7a701bc34d686fa87dfae"))
        #expect(message.text(STUNAttributeType.software) == "STUN test client")
        #expect(message.text(STUNAttributeType.username) == "evtj:h6vY")
        #expect(message.uint32(STUNAttributeType.priority) == 0x6e00_01ff)
        #expect(message.hasValidIntegrity(key: shortTermKey))
        #expect(!message.hasValidIntegrity(key: STUNIntegrity.shortTermKey(password: "wrong")))
        #expect(message.hasValidFingerprint)
    }

    @Test func ipv4ResponseDecodesTheMappedAddress() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv4Response)
        #expect(message.type.messageClass == .success)
        #expect(message.xorAddress(STUNAttributeType.xorMappedAddress) == TransportAddress(ip: IPAddress("192.0.2.1")!, port: 32853))
        #expect(message.hasValidIntegrity(key: shortTermKey))
        #expect(message.hasValidFingerprint)
    }

    @Test func ipv6ResponseDecodesTheMappedAddress() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv6Response)
        #expect(message.xorAddress(STUNAttributeType.xorMappedAddress) == TransportAddress(ip: IPAddress("2001:db8:1234:5678:11:2233:4455:6677")!, port: 32853))
        #expect(message.hasValidIntegrity(key: shortTermKey))
        #expect(message.hasValidFingerprint)
    }

    @Test func longTermRequestVerifiesWithTheMD5Key() throws {
        let message = try STUNMessage(parsing: RFC5769.longTermRequest)
        #expect(message.text(STUNAttributeType.username) == RFC5769.longTermUsername)
        #expect(message.text(STUNAttributeType.nonce) == "f//499k954d6OL34oL9FSTvy64sA")
        #expect(message.text(STUNAttributeType.realm) == RFC5769.longTermRealm)
        let key = STUNIntegrity.longTermKey(username: RFC5769.longTermUsername, realm: RFC5769.longTermRealm, password: RFC5769.longTermPassword)
        #expect(message.hasValidIntegrity(key: key))
    }

    /// Building the §2.2 response from its parameters gives the vector byte for byte.
    @Test func builderReproducesTheIPv4Response() {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .success), transactionID: RFC5769.bytes("b7e7a701bc34d686fa87dfae"))
        builder.append(STUNAttributeType.software, Array("test vector".utf8) + [])
        builder.append(STUNAttributeType.xorMappedAddress, xorAddress: TransportAddress(ip: IPAddress("192.0.2.1")!, port: 32853))
        builder.appendMessageIntegrity(key: shortTermKey)
        builder.appendFingerprint()
        // The vector pads SOFTWARE with a space (0x20) where the builder pads with zero; both are valid padding.
        var expected = RFC5769.ipv4Response
        expected[35] = 0x00
        #expect(builder.bytes.count == expected.count)
        #expect(Array(builder.bytes[36..<48]) == Array(expected[36..<48]))
        let rebuilt = try? STUNMessage(parsing: builder.bytes)
        #expect(rebuilt?.hasValidIntegrity(key: shortTermKey) == true)
        #expect(rebuilt?.hasValidFingerprint == true)
    }

    @Test func messageTypesInterleaveClassBits() {
        #expect(STUNMessageType(method: STUNMethod.binding, messageClass: .request).rawValue == 0x0001)
        #expect(STUNMessageType(method: STUNMethod.binding, messageClass: .success).rawValue == 0x0101)
        #expect(STUNMessageType(method: STUNMethod.binding, messageClass: .error).rawValue == 0x0111)
        #expect(STUNMessageType(method: STUNMethod.allocate, messageClass: .request).rawValue == 0x0003)
        #expect(STUNMessageType(method: STUNMethod.send, messageClass: .indication).rawValue == 0x0016)
        #expect(STUNMessageType(method: STUNMethod.data, messageClass: .indication).rawValue == 0x0017)
        #expect(STUNMessageType(method: STUNMethod.channelBind, messageClass: .success).rawValue == 0x0109)
        for raw in [UInt16(0x0001), 0x0101, 0x0111, 0x0003, 0x0113, 0x0016, 0x0017, 0x0008, 0x0119] {
            #expect(STUNMessageType(rawValue: raw)?.rawValue == raw)
        }
        #expect(STUNMessageType(rawValue: 0x4001) == nil)
    }

    @Test func errorCodesRoundTrip() throws {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.allocate, messageClass: .error), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.appendErrorCode(438)
        let message = try STUNMessage(parsing: builder.bytes)
        #expect(message.errorCode?.code == 438)
        #expect(message.errorCode?.reason == "Stale Nonce")
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 10), STUNParseError.tooShort),
        (RFC5769.bytes("00010000 12345678 000000000000000000000000"), .notSTUN),
        (RFC5769.bytes("00010004 2112a442 000000000000000000000000"), .badLength),
        (RFC5769.bytes("00010003 2112a442 000000000000000000000000 000000"), .badLength),
        (RFC5769.bytes("00010004 2112a442 000000000000000000000000 00060010"), .truncatedAttribute),
        (RFC5769.bytes("00010008 2112a442 000000000000000000000000 00060008 41414141"), .truncatedAttribute),
    ])
    func malformedMessagesAreRefused(bytes: [UInt8], error: STUNParseError) {
        #expect(throws: error) { try STUNMessage(parsing: bytes) }
    }

    @Test func attributeFloodsAreRefused() {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        for _ in 0...STUNMessage.maxAttributes { builder.append(STUNAttributeType.software, text: "x") }
        #expect(throws: STUNParseError.tooManyAttributes) { try STUNMessage(parsing: builder.bytes) }
    }

    @Test func attributesAfterIntegrityAreIgnored() throws {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.username, text: "a")
        builder.appendMessageIntegrity(key: shortTermKey)
        builder.append(STUNAttributeType.realm, text: "sneaky")
        let message = try STUNMessage(parsing: builder.bytes)
        #expect(message.attribute(STUNAttributeType.realm) == nil)
        #expect(message.hasValidIntegrity(key: shortTermKey))
    }

    @Test func sha256IntegrityRoundTrips() throws {
        let key = STUNIntegrity.longTermKey(username: "u", realm: "r", password: "p", sha256: true)
        #expect(key.count == 32)
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.allocate, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.append(STUNAttributeType.username, text: "u")
        builder.appendMessageIntegritySHA256(key: key)
        builder.appendFingerprint()
        let message = try STUNMessage(parsing: builder.bytes)
        #expect(message.integrityKind == .sha256)
        #expect(message.hasValidIntegrity(key: key))
        #expect(!message.hasValidIntegrity(key: STUNIntegrity.longTermKey(username: "u", realm: "r", password: "q", sha256: true)))
        #expect(message.hasValidFingerprint)
    }

    @Test func ipAddressesParseAndPrint() {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("not an address") == nil)
        #expect(IPNetwork("10.0.0.0/8")?.contains(IPAddress("10.1.2.3")!) == true)
        #expect(IPNetwork("10.0.0.0/8")?.contains(IPAddress("11.0.0.1")!) == false)
        #expect(IPNetwork("fe80::/10")?.contains(IPAddress("febf::1")!) == true)
        #expect(IPNetwork("fe80::/10")?.contains(IPAddress("fec0::1")!) == false)
        #expect(IPNetwork("64:ff9b::/96")?.contains(IPAddress("64:ff9b::7f00:1")!) == true)
        #expect(IPNetwork("::1/128")?.contains(IPAddress("::1")!) == true)
        #expect(IPNetwork("10.0.0.0/33") == nil)
    }
}
