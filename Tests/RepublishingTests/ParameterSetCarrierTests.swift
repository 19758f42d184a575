import Foundation
import Logging
import Media
import RTP
import Republishing
import Testing

/// Keyframes carry the parameter sets a viewer needs to start there (RFC 6184 §8.1 /
/// RFC 7798 §7.1: sets signalled out of band must reach a decoder that starts late).
@Suite struct ParameterSetCarrierTests {
    static let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1E, 0xDA]
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    static let idr: [UInt8] = [0x65, 0x88, 0x84, 0x00]
    static let slice: [UInt8] = [0x41, 0x9A, 0x02]

    @Test func outOfBandSetsGoBeforeAKeyframeThatLacksThem() {
        var carrier = ParameterSetCarrier(codec: .h264, outOfBand: AnnexB.join([Self.sps, Self.pps]))
        let keyframe = carrier.prepare(AnnexB.join([Self.idr]), isKeyframe: true)
        #expect(AnnexB.split(keyframe) == [Self.sps, Self.pps, Self.idr])
        // Other frames pass untouched.
        #expect(carrier.prepare(AnnexB.join([Self.slice]), isKeyframe: false) == AnnexB.join([Self.slice]))
        // A keyframe that has them keeps its own, not a second copy.
        let complete = AnnexB.join([Self.sps, Self.pps, Self.idr])
        #expect(carrier.prepare(complete, isKeyframe: true) == complete)
    }

    @Test func theLatestInBandSetsAreRememberedForLaterKeyframes() {
        var carrier = ParameterSetCarrier(codec: .h264)
        // Nothing known yet: a bare keyframe stays as it is.
        #expect(AnnexB.split(carrier.prepare(AnnexB.join([Self.idr]), isKeyframe: true)) == [Self.idr])
        let newSPS: [UInt8] = [0x67, 0x4D, 0x00, 0x1F, 0x01]
        _ = carrier.prepare(AnnexB.join([newSPS, Self.pps, Self.idr]), isKeyframe: true)
        #expect(AnnexB.split(carrier.prepare(AnnexB.join([Self.idr]), isKeyframe: true)) == [newSPS, Self.pps, Self.idr])
    }

    @Test func h265KeyframesGetVPSSPSAndPPS() {
        let vps: [UInt8] = [0x40, 0x01, 0x0C], sps: [UInt8] = [0x42, 0x01, 0x01], pps: [UInt8] = [0x44, 0x01, 0xC1]
        let idr: [UInt8] = [0x26, 0x01, 0xAF]  // IDR_W_RADL (type 19)
        var carrier = ParameterSetCarrier(codec: .h265, outOfBand: AnnexB.join([vps, sps, pps]))
        #expect(AnnexB.split(carrier.prepare(AnnexB.join([idr]), isKeyframe: true)) == [vps, sps, pps, idr])
        // Audio and VP8 are not touched.
        var opus = ParameterSetCarrier(codec: .opus, outOfBand: AnnexB.join([vps]))
        #expect(opus.prepare([1, 2, 3], isKeyframe: true) == [1, 2, 3])
    }
}

/// The republisher declares the sets of the latest keyframe in its answers
/// (`sprop-parameter-sets`, RFC 6184 §8.1; `sprop-vps/sps/pps`, RFC 7798 §7.1).
@Suite struct ParameterSetDeclarationTests {
    typealias Sets = ParameterSetCarrierTests

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    @Test func theLatestKeyframesSetsAreDeclaredUntilTheSourceOpensAgain() {
        let republisher = Republisher(configuration: .init(channel: "sprop"), logger: Logger(label: "test"))
        republisher.receive(.opened([MediaStreamInfo(index: 0, codec: .h264, width: 320, height: 240)]))
        #expect(republisher.sendFormatParameters.isEmpty)
        let keyframe = AnnexB.join([Sets.sps, Sets.pps, Sets.idr])
        republisher.receive(.frame(SourceFrame(kind: .video, codec: .h264, data: keyframe, time: 0, isKeyframe: true)))
        republisher.receive(.frame(SourceFrame(kind: .video, codec: .h264, data: AnnexB.join([Sets.slice]), time: 33_333, isKeyframe: false)))
        #expect(republisher.sendFormatParameters == ["H264": ["sprop-parameter-sets": Self.base64(Sets.sps) + "," + Self.base64(Sets.pps)]])
        // A keyframe without sets keeps the last ones; a new opening forgets them.
        republisher.receive(.frame(SourceFrame(kind: .video, codec: .h264, data: AnnexB.join([Sets.idr]), time: 66_666, isKeyframe: true)))
        #expect(republisher.sendFormatParameters["H264"]?["sprop-parameter-sets"] != nil)
        republisher.receive(.opened([MediaStreamInfo(index: 0, codec: .h264, width: 320, height: 240)]))
        #expect(republisher.sendFormatParameters.isEmpty)
    }

    @Test func outOfBandSetsAreDeclaredBeforeAnyKeyframeAndH265NamesEachKind() {
        let republisher = Republisher(configuration: .init(channel: "sprop"), logger: Logger(label: "test"))
        var camera = MediaStreamInfo(index: 0, codec: .h264, width: 320, height: 240)
        camera.parameterSets = AnnexB.join([Sets.sps, Sets.pps])
        republisher.receive(.opened([camera]))
        #expect(republisher.sendFormatParameters["H264"]?["sprop-parameter-sets"] == Self.base64(Sets.sps) + "," + Self.base64(Sets.pps))

        let vps: [UInt8] = [0x40, 0x01, 0x0C], sps: [UInt8] = [0x42, 0x01, 0x01], pps: [UInt8] = [0x44, 0x01, 0xC1]
        var hevc = MediaStreamInfo(index: 0, codec: .h265, width: 320, height: 240)
        hevc.parameterSets = AnnexB.join([vps, sps])  // no PPS: nothing is declared
        republisher.receive(.opened([hevc]))
        #expect(republisher.sendFormatParameters.isEmpty)
        hevc.parameterSets = AnnexB.join([vps, sps, pps])
        republisher.receive(.opened([hevc]))
        #expect(republisher.sendFormatParameters == ["H265": ["sprop-vps": Self.base64(vps), "sprop-sps": Self.base64(sps), "sprop-pps": Self.base64(pps)]])
    }
}
