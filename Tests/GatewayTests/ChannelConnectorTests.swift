import ChannelPeers
import ICE
import NetworkAddress
import Testing

/// `--turn-address`: the channel's TURN credentials, reached at another address (a port
/// forward or a proxy in front of the TURN server).
@Suite struct ChannelConnectorTests {
    static let issued = [
        ICETURNServer(address: TransportAddress(ip: IPAddress("192.0.2.1")!, port: 3478), username: "1700000000:a", password: "p1"),
        ICETURNServer(address: TransportAddress(ip: IPAddress("192.0.2.2")!, port: 3478), username: "1700000000:a", password: "p1"),
        ICETURNServer(address: TransportAddress(ip: IPAddress("192.0.2.1")!, port: 3478), username: "1700000000:b", password: "p2"),
    ]

    @Test func aTURNAddressReplacesTheAdvertisedOnesOncePerCredential() {
        let proxy = TransportAddress(ip: IPAddress("127.0.0.1")!, port: 40_000)
        let reached = ChannelConnector.reaching(Self.issued, at: proxy)
        #expect(reached.map(\.address) == [proxy, proxy])
        #expect(reached.map(\.username) == ["1700000000:a", "1700000000:b"])
        #expect(reached.map(\.password) == ["p1", "p2"])
        #expect(ChannelConnector.reaching(Self.issued, at: nil) == Self.issued)
    }

    @Test func transportAddressesParseWhatTheyPrint() {
        for text in ["127.0.0.1:3478", "[2001:db8::1]:5349", "0.0.0.0:0"] {
            #expect(TransportAddress(text)?.description == text)
        }
        for bad in ["127.0.0.1", "127.0.0.1:65536", "2001:db8::1:3478", "[127.0.0.1]:1", "host:3478", ":3478", "[::1]"] {
            #expect(TransportAddress(bad) == nil, "\(bad)")
        }
    }
}
