import ControlPlane
import KVSAPI
import Foundation
import Testing

@Suite struct ControlPlaneTests {
    @Test func createThenDescribeByNameAndByARN() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        let now = Date(timeIntervalSince1970: 1_700_000_000.123)
        let arn = try fixture.plane.create(ChannelAPI.CreateInput(ChannelName: "front-door", Tags: [.init(Key: "site", Value: "hq")]), now: now).ChannelARN
        #expect(arn == "arn:aws:kinesisvideo:eu-west-1:123456789012:channel/front-door/1700000000123")
        let byName = try fixture.plane.describe(.init(ChannelName: "front-door")).ChannelInfo
        let byARN = try fixture.plane.describe(.init(ChannelARN: arn)).ChannelInfo
        #expect(byName == byARN)
        #expect(byName.SingleMasterConfiguration.MessageTtlSeconds == 60)
        #expect(byName.ChannelType == "SINGLE_MASTER")
        #expect(byName.ChannelStatus == "ACTIVE")
        #expect(byName.CreationTime == 1_700_000_000.123)
        #expect(byName.Version.count == 20)
        #expect(try fixture.plane.listTags(.init(ResourceARN: arn)).Tags == ["site": "hq"])
    }

    @Test func namesARNsAndTTLsAreValidated() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        #expect(kvsError { try fixture.create("bad name") }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.create(String(repeating: "a", count: 257)) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.create("ok", ttl: 4) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.create("ok", ttl: 121) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.create(.init(ChannelName: "mesh", ChannelType: "FULL_MESH")) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.describe(.init(ChannelARN: "arn:aws:s3:::bucket")) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.describe(.init()) }?.name == "InvalidArgumentException")
        #expect(try fixture.create("a.b_c-D9", ttl: 5).contains(":channel/a.b_c-D9/"))
        #expect(kvsError { try fixture.create("a.b_c-D9") }.map { "\($0.name) \($0.status)" } == "ResourceInUseException 400")
        #expect(kvsError { try fixture.plane.describe(.init(ChannelName: "missing")) }.map { "\($0.name) \($0.status)" } == "ResourceNotFoundException 404")
    }

    @Test func listFiltersByPrefixAndPages() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        for name in ["cam_1", "camx2", "cam-3", "door", "cam.4", "cam_5"] { try fixture.create(name) }
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try fixture.plane.list(.init(MaxResults: 2, NextToken: token, ChannelNameCondition: .init(ComparisonOperator: "BEGINS_WITH", ComparisonValue: "cam")))
            names += page.ChannelInfoList.map(\.ChannelName)
            token = page.NextToken
            pages += 1
        } while token != nil
        #expect(names == ["cam_1", "camx2", "cam-3", "cam.4", "cam_5"])
        #expect(pages == 3)
        // "_" is literal in the prefix, not SQL LIKE's any-character wildcard.
        #expect(try fixture.plane.list(.init(ChannelNameCondition: .init(ComparisonValue: "cam_"))).ChannelInfoList.map(\.ChannelName) == ["cam_1", "cam_5"])
        #expect(kvsError { try fixture.plane.list(.init(NextToken: "???")) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.list(.init(MaxResults: 0)) }?.name == "InvalidArgumentException")
    }

    @Test func updatesAndDeletesNeedTheCurrentVersion() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        let arn = try fixture.create("cam")
        let version = try fixture.plane.describe(.init(ChannelARN: arn)).ChannelInfo.Version
        _ = try fixture.plane.update(.init(ChannelARN: arn, CurrentVersion: version, SingleMasterConfiguration: .init(MessageTtlSeconds: 30)))
        let updated = try fixture.plane.describe(.init(ChannelARN: arn)).ChannelInfo
        #expect(updated.SingleMasterConfiguration.MessageTtlSeconds == 30)
        #expect(updated.Version != version)
        #expect(kvsError { try fixture.plane.update(.init(ChannelARN: arn, CurrentVersion: version)) }?.name == "VersionMismatchException")
        #expect(kvsError { try fixture.plane.delete(.init(ChannelARN: arn, CurrentVersion: version)) }?.name == "VersionMismatchException")
        #expect(fixture.deleted.names.withLock { $0 }.isEmpty)
        _ = try fixture.plane.delete(.init(ChannelARN: arn))
        #expect(fixture.deleted.names.withLock { $0 } == ["cam"])
        #expect(kvsError { try fixture.plane.delete(.init(ChannelARN: arn)) }?.name == "ResourceNotFoundException")
    }

    @Test func tagsAreLimitedToFifty() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        let arn = try fixture.create("cam", tags: (0..<49).map { .init(Key: "k\($0)", Value: "v") })
        _ = try fixture.plane.tagResource(.init(ResourceARN: arn, Tags: [.init(Key: "k49", Value: "v")]))
        #expect(kvsError { try fixture.plane.tagResource(.init(ResourceARN: arn, Tags: [.init(Key: "k50", Value: "v")])) }?.name == "TagsPerResourceExceededLimitException")
        // Replacing an existing key does not add one.
        _ = try fixture.plane.tagResource(.init(ResourceARN: arn, Tags: [.init(Key: "k0", Value: "new")]))
        _ = try fixture.plane.untagResource(.init(ResourceARN: arn, TagKeyList: ["k1", "k2", "absent"]))
        let tags = try fixture.plane.listTags(.init(ResourceARN: arn)).Tags
        #expect(tags.count == 48)
        #expect(tags["k0"] == "new")
        #expect(kvsError { try fixture.plane.tagResource(.init(ResourceARN: arn, Tags: [.init(Key: "bad\u{0}", Value: "v")])) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.tagResource(.init(ResourceARN: arn, Tags: [.init(Key: "", Value: "v")])) }?.name == "InvalidArgumentException")
    }

    @Test func endpointsAreThisServersForBothRoles() throws {
        let fixture = try ControlPlaneFixture()
        defer { fixture.remove() }
        let arn = try fixture.create("cam")
        for role in ["MASTER", "VIEWER"] {
            let list = try fixture.plane.endpoint(.init(ChannelARN: arn, SingleMasterChannelEndpointConfiguration: .init(Protocols: ["WSS", "HTTPS"], Role: role))).ResourceEndpointList
            #expect(list == [.init(Protocol: "WSS", ResourceEndpoint: "wss://gw.example.com"), .init(Protocol: "HTTPS", ResourceEndpoint: "https://gw.example.com")])
        }
        #expect(kvsError { try fixture.plane.endpoint(.init(ChannelARN: arn, SingleMasterChannelEndpointConfiguration: .init(Protocols: ["WEBRTC"]))) }?.name == "InvalidArgumentException")
        #expect(kvsError { try fixture.plane.endpoint(.init(ChannelARN: arn, SingleMasterChannelEndpointConfiguration: .init(Role: "BOSS"))) }?.name == "InvalidArgumentException")
    }

    @Test func channelNamingRules() {
        #expect(ChannelNaming.isValidName("a.b_c-D9"))
        #expect(!ChannelNaming.isValidName(""))
        #expect(!ChannelNaming.isValidName("é"))
        let arn = ChannelNaming.arn(region: "us-east-1", accountId: "000000000000", name: "cam", creationMilliseconds: 42)
        #expect(arn == "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/42")
        #expect(ChannelNaming.name(inARN: arn) == "cam")
        #expect(ChannelNaming.name(inARN: "arn:aws:kinesisvideo:us-east-1:000000000000:stream/cam/42") == nil)
        #expect(ChannelNaming.name(inARN: "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/4x") == nil)
    }
}
