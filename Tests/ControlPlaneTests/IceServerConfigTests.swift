import ControlPlane
import KVSAPI
import Foundation
import Testing
import TURN

@Suite struct IceServerConfigTests {
    /// Password = base64(HMAC-SHA1(secret, username)) as coturn's use-auth-secret computes it
    /// (value computed independently with Python's hmac module).
    @Test func restCredentialPasswordIsBase64HMACSHA1OfTheUsername() {
        let credentials = TURNRESTCredentials(secret: "north-wind-secret")
        let issued = credentials.issue(user: "alice", ttl: 300, now: 1_700_000_000)
        #expect(issued.username == "1700000300:alice")
        #expect(issued.password == "Y19L9YULFwZVPXsX1PDbGQNqCYo=")
        #expect(TURNRESTCredentials.expiry(of: issued.username) == 1_700_000_300)
        #expect(TURNRESTCredentials.expiry(of: "bob") == nil)
    }

    @Test func iceServersListStunAndTurnWithCredentialsForTheClient() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        let arn = try fixture.create("cam")
        let config = IceServerConfig(
            store: fixture.plane.store, credentials: TURNRESTCredentials(secret: "north-wind-secret"), ttl: 300
        ) { .init(host: "203.0.113.7", port: 3478, tlsPort: 5349) }
        let output = try config.iceServers(.init(ChannelARN: arn, ClientId: "alice", Service: "TURN"), accessKeyId: "AKID", now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(output.IceServerList == [.init(
            Uris: ["stun:203.0.113.7:3478", "turn:203.0.113.7:3478?transport=udp", "turn:203.0.113.7:3478?transport=tcp", "turns:203.0.113.7:5349?transport=tcp"],
            Username: "1700000300:alice", Password: "Y19L9YULFwZVPXsX1PDbGQNqCYo=", Ttl: 300)])
        let withoutClient = try config.iceServers(.init(ChannelARN: arn), accessKeyId: "AKID")
        #expect(withoutClient.IceServerList.first?.Username.hasSuffix(":AKID") == true)
        #expect(kvsError { try config.iceServers(.init(ChannelARN: arn, Service: "STUN"), accessKeyId: "AKID") }?.name == "InvalidArgumentException")
        #expect(kvsError { try config.iceServers(.init(ChannelARN: arn + "9"), accessKeyId: "AKID") }?.name == "ResourceNotFoundException")
    }
}
