import Foundation
import NetworkAddress
import RTP
import SDP
import SigV4
import SignalingProtocol
import STUN

/// Seed inputs made with peergate's own writers (`peergate-fuzz seeds DIR`), committed
/// under `Tests/Fuzz/Corpus/<target>/` next to seeds from elsewhere (RFC 5769 vectors,
/// an aiortc offer, tiny segment files made by ffmpeg).
public enum FuzzSeeds {
    public static func write(to directory: URL) throws {
        for (target, seeds) in all() {
            let folder = directory.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, bytes) in seeds {
                try Data(bytes).write(to: folder.appendingPathComponent("seed-\(name)"))
            }
        }
    }

    static func all() -> [String: [(String, [UInt8])]] {
        [
            "stun-message": stunMessages(),
            "turn-server": [("allocate-bind-send", turnSession())],
            "sdp": [("peergate-offer", Array(SDPOfferer.offer(local: SDPFuzzTarget.local).text.utf8))],
            "rtp-packet": [("extensions-csrc", rtpPacket())],
            "rtcp-compound": rtcp(),
            "depacketizer-h264": [("sps-pps-idr", records(packetized(H264RTP.Payloader(maxPayload: 60), AnnexB.join(h264Units))))],
            "depacketizer-h265": [("vps-sps-pps-idr", records(packetized(H265RTP.Payloader(maxPayload: 60), AnnexB.join(h265Units))))],
            "depacketizer-vp8": [("keyframe", records(packetized(VP8RTP.Payloader(maxPayload: 60, pictureID: 5), [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + Array(1...120))))],
            "depacketizer-audio": [("opus", records([[0xFC] + Array(repeating: 0x55, count: 80)]))],
            "signaling-json": signalingJSON(),
            "signaling-hub": [("offer-answer", signalingHubSession())],
            "sigv4": sigV4Requests(),
            "recordings-query": [("times-ranges", Array("2026-11-25T10:00:00Z\nbytes=0-99\n100\nasc\n1790000000000000.42\n".utf8))],
        ]
    }

    static let h264Units: [[UInt8]] = [[0x67, 0x42, 0xC0, 0x1F, 0x8C, 0x8D], [0x68, 0xCE, 0x3C, 0x80], [0x65] + Array(1...200)]
    static let h265Units: [[UInt8]] = [[0x40, 0x01, 0x0C], [0x42, 0x01, 0x01], [0x44, 0x01, 0xC1], [0x26, 0x01] + Array(1...200)]

    static func packetized(_ payloader: some RTPPayloader, _ frame: [UInt8]) -> [[UInt8]] {
        var payloader = payloader
        return payloader.payloads(for: frame)
    }

    static func records(_ payloads: [[UInt8]]) -> [UInt8] {
        payloads.enumerated().flatMap { index, payload in
            FuzzInput.record(index == payloads.count - 1 ? 0x05 : 0x00, body: payload)
        }
    }

    static func stunMessages() -> [(String, [UInt8])] {
        var binding = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: Array(1...12))
        binding.append(STUNAttributeType.username, text: "remote:local")
        binding.append(STUNAttributeType.priority, uint32: 0x6E00_01FF)
        binding.append(STUNAttributeType.iceControlling, Array(1...8))
        binding.appendMessageIntegrity(key: STUNIntegrity.shortTermKey(password: "password"))
        binding.appendFingerprint()
        var error = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.allocate, messageClass: .error), transactionID: Array(1...12))
        error.appendErrorCode(420)
        error.append(STUNAttributeType.unknownAttributes, [0x7F, 0xFF, 0x00, 0x2F])
        error.append(STUNAttributeType.xorMappedAddress, xorAddress: TransportAddress(ip: IPAddress("2001:db8::1")!, port: 3478))
        error.appendMessageIntegritySHA256(key: STUNFuzzTargets.integrityKey)
        error.appendFingerprint()
        return [("binding-ice", binding.bytes), ("error-420-ipv6", error.bytes)]
    }

    static func turnRequest(_ method: UInt16, _ build: (inout STUNMessageBuilder) -> Void) -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: method, messageClass: .request), transactionID: Array(repeating: UInt8(method), count: 12))
        build(&builder)
        return builder.bytes
    }

    static func turnSession() -> [UInt8] {
        let peer = TransportAddress(ip: IPAddress("10.9.0.5")!, port: 5000)
        let allocate = turnRequest(STUNMethod.allocate) { $0.append(STUNAttributeType.requestedTransport, [17, 0, 0, 0]) }
        let permission = turnRequest(STUNMethod.createPermission) { $0.append(STUNAttributeType.xorPeerAddress, xorAddress: peer) }
        let bind = turnRequest(STUNMethod.channelBind) {
            $0.append(STUNAttributeType.channelNumber, [0x40, 0x00, 0, 0])
            $0.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        }
        var send = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.send, messageClass: .indication), transactionID: Array(repeating: 9, count: 12))
        send.append(STUNAttributeType.xorPeerAddress, xorAddress: peer)
        send.append(STUNAttributeType.data, Array(repeating: 0xAB, count: 40))
        let refresh = turnRequest(STUNMethod.refresh) { $0.append(STUNAttributeType.lifetime, uint32: 0) }
        let unsigned: UInt8 = 0  // kind 0: as sent
        let signed: UInt8 = 1  // kind 1: re-signed with a valid credential
        // Records of the TURN driver: kind, client, length-prefixed message.
        return FuzzInput.record(unsigned, 0, body: allocate) + FuzzInput.record(signed, 0, body: allocate)
            + FuzzInput.record(signed, 0, body: permission) + FuzzInput.record(signed, 0, body: bind)
            + FuzzInput.record(unsigned, 0, body: send.bytes)
            + [2, 0, 0x40, 0x00, 0x00, 0x64]  // ChannelData on 0x4000, 100 bytes
            + [3, 0, 0, 10, 9, 0, 5, 0x13, 0x88, 0x00, 0x40]  // the peer answers
            + [4, 0, 0x01, 0x2C]  // 300 s pass
            + FuzzInput.record(signed, 1, body: allocate) + FuzzInput.record(signed, 0, body: refresh)
    }

    static func rtpPacket() -> [UInt8] {
        var extensions = RTPHeaderExtensions()
        extensions.set(1, Array("0".utf8))
        extensions.set(3, [0x12, 0x34, 0x56])
        return RTPPacket(marker: true, payloadType: 96, sequenceNumber: 65530, timestamp: 90000, ssrc: 0x1234_5678, csrcs: [7], extensions: extensions, payload: Array(1...40)).bytes
    }

    static func rtcp() -> [(String, [UInt8])] {
        let block = RTCPReportBlock(ssrc: 2, fractionLost: 12, cumulativeLost: 3, extendedHighestSequence: 70000, jitter: 40)
        return [
            ("sr-sdes", RTCPPacket.compound([
                .senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 0xE000_0000_8000_0000, rtpTimestamp: 90000, packetCount: 10, octetCount: 1000, reports: [block])),
                .sourceDescription([RTCPSourceDescription(ssrc: 1, items: [RTCPSourceDescriptionItem(type: 1, text: "peergate")])]),
            ])),
            ("rr-feedback", RTCPPacket.compound([
                .receiverReport(RTCPReceiverReport(ssrc: 2, reports: [block])),
                .nack(RTCPNack(senderSSRC: 2, mediaSSRC: 1, lost: [10, 11, 13, 40])),
                .pictureLossIndication(senderSSRC: 2, mediaSSRC: 1),
                .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 2, entries: [.init(ssrc: 1, sequenceNumber: 3)])),
                .receiverEstimatedBitrate(RTCPReceiverEstimatedBitrate(senderSSRC: 2, bitsPerSecond: 1_500_000, ssrcs: [1])),
                .bye(RTCPBye(ssrcs: [2], reason: "gone")),
            ])),
        ]
    }

    static let offerPayload = Data(#"{"type":"offer","sdp":"v=0\r\n"}"#.utf8).base64EncodedString()

    static func signalingJSON() -> [(String, [UInt8])] {
        let client = ClientMessage(action: .sdpOffer, recipientClientId: "viewer-1", messagePayload: offerPayload, correlationId: "c1")
        let status = ServerMessage(
            messageType: .statusResponse,
            statusResponse: .init(correlationId: "c1", errorType: "InvalidArgumentException", statusCode: "400", description: "bad"))
        return [("client-offer", Array(client.json().utf8)), ("server-status", Array(status.json().utf8))]
    }

    static func signalingHubSession() -> [UInt8] {
        let offer = ClientMessage(action: .sdpOffer, messagePayload: offerPayload, correlationId: "c1").json()
        let answer = ClientMessage(action: .sdpAnswer, recipientClientId: "v1", messagePayload: offerPayload).json()
        // Connect a master and viewer "v1" on channel a, the viewer offers, the master
        // answers, time passes, the viewer leaves, the channel is deleted.
        return [4, 0, 0] + [4, 1, 2] + Array("v1".utf8)
            + FuzzInput.record(0, 1, body: Array(offer.utf8)) + FuzzInput.record(0, 0, body: Array(answer.utf8))
            + [2, 0, 0x27, 0x10] + [3, 1] + [5, 0]
    }

    static func sigV4Requests() -> [(String, [UInt8])] {
        let request = SigV4Request(
            method: "POST", path: "/describeSignalingChannel", headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/json")],
            body: Array(#"{"ChannelName":"demo"}"#.utf8))
        let headers = request.headers + SigV4FuzzTarget.signer.sign(request, at: SigV4FuzzTarget.now).headers
        let signed = "POST\n/describeSignalingChannel\n\n" + headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n\n" + #"{"ChannelName":"demo"}"#
        let get = SigV4Request(method: "GET", path: "/", query: [("X-Amz-ChannelARN", "arn:aws:kinesisvideo:us-east-1:0:channel/demo/1")], headers: [("Host", "127.0.0.1:8080")])
        let query = SigV4FuzzTarget.signer.presignedQuery(get, at: SigV4FuzzTarget.now, expires: 300)
        return [("authorization-header", Array(signed.utf8)), ("presigned-url", Array("GET\n/\n\(query)\nHost: 127.0.0.1:8080".utf8))]
    }
}
