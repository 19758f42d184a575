import ChannelPeers
import ICE
import NetworkAddress
import Testing
import WebRTC

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

/// A master's PeerConnections get TURN credentials that are still valid: the configuration
/// is fetched again once less than a fifth of its lifetime is left.
@Suite struct TransportConfigurationSourceTests {
    static func configuration(_ username: String) -> WebRTCTransportConfiguration {
        var configuration = WebRTCTransportConfiguration(interfaces: [WebRTCHostInterface(bindAddress: IPAddress("127.0.0.1")!)])
        configuration.ice.turnServers = [ICETURNServer(address: TransportAddress("127.0.0.1:3478")!, username: username, password: "p")]
        return configuration
    }

    @Test func credentialsAreRenewedBeforeTheyExpireAndKeptWhenRenewalFails() async {
        let start = ContinuousClock.now
        let fetches = LockedCounter()
        let source = TransportConfigurationSource(configuration: Self.configuration("first"), lifetime: .seconds(300), now: start) {
            let count = await fetches.increment()
            guard count != 2 else { throw Failure() }
            return (Self.configuration("fetch \(count)"), .seconds(30))
        }
        // Each call may fetch, so each is made once, outside the expectations.
        func username(at seconds: Int) async -> String? { await source.current(now: start + .seconds(seconds)).ice.turnServers.first?.username }
        // 300 s credentials are used for 240 s.
        let at239 = await username(at: 239)
        #expect(at239 == "first")
        #expect(await fetches.value == 0)
        let at240 = await username(at: 240)
        #expect(at240 == "fetch 1")
        // 30 s credentials: renewed after 20 s (at least 10 s before the end); a failed fetch keeps the last ones.
        let at259 = await username(at: 259)
        #expect(at259 == "fetch 1")
        let at260 = await username(at: 260)
        #expect(at260 == "fetch 1")
        #expect(await fetches.value == 2)
        let at261 = await username(at: 261)
        #expect(at261 == "fetch 3")
        #expect(await source.refreshes == 2)
    }

    @Test func withoutALifetimeTheConfigurationIsKept() async {
        let fetches = LockedCounter()
        let source = TransportConfigurationSource(configuration: Self.configuration("only"), lifetime: nil) {
            _ = await fetches.increment()
            return (Self.configuration("never"), nil)
        }
        #expect(await source.current(now: .now + .seconds(86_400)).ice.turnServers.first?.username == "only")
        #expect(await fetches.value == 0)
    }

    struct Failure: Error {}
}

/// A counter the fetch closures share with the test.
actor LockedCounter {
    private(set) var value = 0
    func increment() -> Int {
        value += 1
        return value
    }
}
