import NetworkAddress
@testable import TURN
import Testing

@Suite struct PeerPolicyTests {
    /// Every spelling of a denied address: plain, IPv4-mapped, IPv4-compatible, 6to4, NAT64.
    @Test(arguments: [
        "127.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "2002:7f00:1::", "64:ff9b::7f00:1", "::1",
        "0.0.0.0", "::ffff:0.0.0.0", "2002:0:0::1", "64:ff9b::", "::",
        "169.254.169.254", "::ffff:169.254.169.254", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe",
        "10.1.2.3", "::ffff:10.1.2.3", "2002:a01:203::", "64:ff9b::a01:203",
        "172.16.5.4", "172.31.255.255", "192.168.1.1", "2002:c0a8:101::1", "64:ff9b::c0a8:101",
        "100.64.0.1", "224.0.0.1", "255.255.255.255", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
    ])
    func deniedByDefault(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(!PeerPolicy().permits(ip), "\(address) should be denied")
    }

    @Test(arguments: ["192.0.2.1", "8.8.8.8", "172.32.0.1", "2001:db8::1", "::ffff:8.8.8.8", "2002:808:808::", "64:ff9b::808:808"])
    func publicAddressesPass(address: String) throws {
        #expect(PeerPolicy().permits(try #require(IPAddress(address))))
    }

    @Test func exceptionsAreExplicit() throws {
        let loopback = PeerPolicy(allowLoopback: true)
        #expect(loopback.permits(IPAddress("127.0.0.1")!))
        #expect(loopback.permits(IPAddress("::ffff:127.0.0.1")!))
        #expect(loopback.permits(IPAddress("::1")!))
        #expect(!loopback.permits(IPAddress("10.0.0.1")!))
        let lan = PeerPolicy(allowed: [IPNetwork("10.0.0.0/8")!])
        #expect(lan.permits(IPAddress("10.9.9.9")!))
        #expect(lan.permits(IPAddress("64:ff9b::a09:909")!))
        #expect(!lan.permits(IPAddress("192.168.0.1")!))
    }
}
