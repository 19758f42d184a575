import DTLS
import ICE
import NetworkAddress
import RTP
import SDP
import SRTP

/// The media path of a PeerConnection on one core, without sockets: two transport cores
/// connected in memory (ICE, DTLS, SRTP keyed as on the wire), then
/// - send: frame → payloader, retransmission buffer, statistics → RTP bytes → SRTP protect →
///   ICE datagram (what ``PeerConnection/send(frame:kind:rtpTimestamp:)`` does before the socket);
/// - receive: datagram → ICE/RFC 7983 demultiplexing → SRTP unprotect → RTP parse →
///   statistics, NACK bookkeeping, reorder buffer, depacketizer → frames;
/// each next to bare libsrtp protect or unprotect of the same packets (the anchor).
/// For `peergate bench media`.
@_spi(Benchmarks) public enum MediaPathBenchmark {
    public struct Result: Sendable {
        public let profile: SRTPProfile
        public let packets: Int
        public let framesReceived: Int
        public let sendPacketsPerSecond: Double
        public let receivePacketsPerSecond: Double
        public let bareProtectPacketsPerSecond: Double
        public let bareUnprotectPacketsPerSecond: Double
    }

    public enum Failure: Error, CustomStringConvertible {
        case notConnected
        public var description: String { "the in-memory transport pair did not connect" }
    }

    /// Sends `frames` H.264 frames of `frameBytes` each (a keyframe every 30) and receives them.
    public static func run(frames: Int, frameBytes: Int) throws -> Result {
        let (sender, receiver) = try connectedCores()
        guard let profile = sender.srtp?.profile else { throw Failure.notConnected }
        let stream = SendStream(mid: "0", codec: .h264ConstrainedBaseline, payloadType: 96, ssrc: 0x1234, rtx: nil)
        // Slice data looks like entropy-coded video: bytes spread evenly, no start code
        // inside (encoders insert emulation prevention bytes; here zeros are avoided).
        var seed: UInt32 = 0x2545_F491
        let units = (0..<30).map { index -> [UInt8] in
            let body = (1..<frameBytes).map { _ -> UInt8 in
                seed = seed &* 1_664_525 &+ 1_013_904_223
                return max(UInt8(truncatingIfNeeded: seed >> 24), 1)
            }
            // A keyframe carries its parameter sets, as encoders put them (RFC 6184 §8.4).
            return AnnexB.join((index == 0 ? [[0x67, 0x42, 0xC0, 0x1F], [0x68, 0xCE, 0x3C, 0x80]] : []) + [[index == 0 ? 0x65 : 0x41] + body])
        }
        // In chunks of a second of video, so that the datagrams in flight stay in the cache
        // and the figure is not that of faulting in fresh memory.
        let receive = ReceiveStream(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 0x1234, now: .now)
        // The per-packet path is measured: not the stream's one-time start-up hold (100 ms).
        receive.reorder = RTPReorderBuffer(startupWait: .zero)
        let replay = SendStream(mid: "0", codec: .h264ConstrainedBaseline, payloadType: 96, ssrc: 0x1234, rtx: nil)
        let keys = SRTPKeyingMaterial(profile: profile, localMasterKey: Array(repeating: 7, count: profile.keyingMaterialLength / 2), remoteMasterKey: [])
        var (sendTime, receiveTime, bareProtect, bareUnprotect) = (Duration.zero, Duration.zero, Duration.zero, Duration.zero)
        var (packets, framesReceived) = (0, 0)
        for chunk in stride(from: 0, to: frames, by: 30) {
            let range = chunk..<min(chunk + 30, frames)
            let sendStart = ContinuousClock.now
            var datagrams: [ICETransmission] = []
            datagrams.reserveCapacity(30 * (frameBytes / 1000 + 2))
            for index in range {
                for packet in stream.packets(for: units[index % 30], rtpTimestamp: UInt32(truncatingIfNeeded: index * 3000), unixSeconds: 0, now: sendStart) {
                    sender.sendRTP(packet, now: sendStart)
                }
                sender.drainTransmissions { datagrams.append($0) }
            }
            sendTime += ContinuousClock.now - sendStart
            packets += datagrams.count
            let receiveStart = ContinuousClock.now
            for index in datagrams.indices {
                // Moved out, as the socket driver hands over a datagram it no longer holds.
                let bytes = datagrams[index].bytes
                datagrams[index].bytes = []
                receiver.receive(bytes, from: datagrams[index].base, at: datagrams[index].destination, now: receiveStart)
                receiver.drainEvents { event in
                    guard case .rtp(let bytes) = consume event, let packet = try? RTPPacket(taking: bytes) else { return }
                    framesReceived += receive.receive(packet, now: receiveStart, unixSeconds: 0).count
                }
            }
            receiveTime += ContinuousClock.now - receiveStart
            // The same plaintext packets for the anchors (made again, untimed).
            let plain = range.flatMap { replay.packets(for: units[$0 % 30], rtpTimestamp: UInt32(truncatingIfNeeded: $0 * 3000), unixSeconds: 0) }
            bareProtect += try LibSRTPBaseline.protect(keys, packets: plain)
            bareUnprotect += try LibSRTPBaseline.unprotect(keys, plainPackets: plain)
        }
        return Result(
            profile: profile, packets: packets, framesReceived: framesReceived,
            sendPacketsPerSecond: rate(packets, sendTime), receivePacketsPerSecond: rate(packets, receiveTime),
            bareProtectPacketsPerSecond: rate(packets, bareProtect), bareUnprotectPacketsPerSecond: rate(packets, bareUnprotect))
    }

    static func rate(_ count: Int, _ duration: Duration) -> Double {
        Double(count) / (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Two cores wired back to back until both report connected.
    static func connectedCores() throws -> (WebRTCTransportCore, WebRTCTransportCore) {
        let offerer = WebRTCTransportCore(controlling: true, certificate: try DTLSCertificate.make())
        let answerer = WebRTCTransportCore(controlling: false, certificate: try DTLSCertificate())
        let now = ContinuousClock.now
        offerer.gather(bases: [TransportAddress(ip: .v4(0x7F00_0001), port: 40_000)], now: now)
        answerer.gather(bases: [TransportAddress(ip: .v4(0x7F00_0001), port: 40_001)], now: now)
        try offerer.setRemote(credentials: answerer.localCredentials, fingerprint: answerer.localFingerprint, dtlsRole: .server, now: now)
        try answerer.setRemote(credentials: offerer.localCredentials, fingerprint: offerer.localFingerprint, dtlsRole: .client, now: now)
        var connected = (false, false)
        func pump() {
            for _ in 0..<200 {
                let fromOfferer = offerer.takeTransmissions()
                let fromAnswerer = answerer.takeTransmissions()
                for event in offerer.takeEvents() {
                    if case .localCandidate(let candidate) = event { answerer.addRemoteCandidate(candidate, now: .now) }
                    if case .connected = event { connected.0 = true }
                }
                for event in answerer.takeEvents() {
                    if case .localCandidate(let candidate) = event { offerer.addRemoteCandidate(candidate, now: .now) }
                    if case .connected = event { connected.1 = true }
                }
                if fromOfferer.isEmpty && fromAnswerer.isEmpty { return }
                for datagram in fromOfferer { answerer.receive(datagram.bytes, from: datagram.base, at: datagram.destination, now: .now) }
                for datagram in fromAnswerer { offerer.receive(datagram.bytes, from: datagram.base, at: datagram.destination, now: .now) }
            }
        }
        let end = ContinuousClock.now + .seconds(5)
        while !(connected.0 && connected.1), ContinuousClock.now < end {
            offerer.tick(now: .now)
            answerer.tick(now: .now)
            pump()
        }
        guard connected.0 && connected.1 else { throw Failure.notConnected }
        return (offerer, answerer)
    }
}
