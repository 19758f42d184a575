import DTLS
import ICE
import NetworkAddress
import SRTP
import Testing
import WebRTC

/// Two transport cores wired back to back in memory: ICE, then DTLS over the selected
/// pair, then SRTP both ways; bad input is counted, never fatal.
@Suite struct TransportCorePairTests {
    static let offererBase = TransportAddress(ip: IPAddress("127.0.0.1")!, port: 40_000)
    static let answererBase = TransportAddress(ip: IPAddress("127.0.0.1")!, port: 40_001)

    /// An RTP packet (RFC 3550 §5.1) with payload type 96 and `sequence`.
    static func rtp(_ sequence: UInt16) -> [UInt8] {
        [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0, 0xAB, 0xCD, 0xEF, 0x01] + Array(repeating: UInt8(sequence & 0xFF), count: 100)
    }

    final class Pair {
        let offerer: WebRTCTransportCore
        let answerer: WebRTCTransportCore
        var offererEvents: [WebRTCTransportEvent] = []
        var answererEvents: [WebRTCTransportEvent] = []
        /// Rewrites or drops datagrams from the offerer to the answerer (nil drops).
        var tamper: ([UInt8]) -> [UInt8]? = { $0 }
        var captured: [[UInt8]] = []

        init(answererExpects fingerprint: DTLSFingerprint? = nil) throws {
            offerer = WebRTCTransportCore(controlling: true, certificate: try DTLSCertificate())
            answerer = WebRTCTransportCore(controlling: false, certificate: try DTLSCertificate())
            let now = ContinuousClock.now
            offerer.gather(bases: [offererBase], now: now)
            answerer.gather(bases: [answererBase], now: now)
            // JSEP: the offerer says actpass, the answerer picks active = DTLS client.
            try offerer.setRemote(credentials: answerer.localCredentials, fingerprint: answerer.localFingerprint, dtlsRole: .server, now: now)
            try answerer.setRemote(credentials: offerer.localCredentials, fingerprint: fingerprint ?? offerer.localFingerprint, dtlsRole: .client, now: now)
            pump()
            for event in offererEvents { if case .localCandidate(let candidate) = event { answerer.addRemoteCandidate(candidate, now: now) } }
            for event in answererEvents { if case .localCandidate(let candidate) = event { offerer.addRemoteCandidate(candidate, now: now) } }
        }

        func pump() {
            for _ in 0..<200 {
                let fromOfferer = offerer.takeTransmissions()
                let fromAnswerer = answerer.takeTransmissions()
                offererEvents += offerer.takeEvents()
                answererEvents += answerer.takeEvents()
                if fromOfferer.isEmpty && fromAnswerer.isEmpty { return }
                for transmission in fromOfferer {
                    captured.append(transmission.bytes)
                    if let bytes = tamper(transmission.bytes) { answerer.receive(bytes, from: transmission.base, at: transmission.destination, now: .now) }
                }
                for transmission in fromAnswerer {
                    offerer.receive(transmission.bytes, from: transmission.base, at: transmission.destination, now: .now)
                }
            }
        }

        /// Ticks both sides until `condition` holds or `limit` passes.
        func run(until condition: () -> Bool, limit: Duration = .seconds(3)) {
            let end = ContinuousClock.now + limit
            while !condition() && ContinuousClock.now < end {
                offerer.tick(now: .now)
                answerer.tick(now: .now)
                pump()
            }
        }

        var bothConnected: Bool {
            offererEvents.contains { if case .connected = $0 { true } else { false } } && answererEvents.contains { if case .connected = $0 { true } else { false } }
        }
    }

    static func received(_ events: [WebRTCTransportEvent]) -> [[UInt8]] {
        events.compactMap { if case .rtp(let packet) = $0 { packet } else { nil } }
    }

    @Test func connectsAndCarriesSRTPBothWays() throws {
        let pair = try Pair()
        pair.run { pair.bothConnected && pair.offererEvents.contains(.iceStateChanged(.connected)) }
        #expect(pair.bothConnected)
        #expect(pair.offererEvents.contains(.connected(.aeadAES128GCM)))
        #expect(pair.offererEvents.contains(.iceStateChanged(.connected)))
        for sequence in UInt16(1)...5 {
            #expect(pair.offerer.sendRTP(Self.rtp(sequence), now: .now))
            #expect(pair.answerer.sendRTP(Self.rtp(sequence + 100), now: .now))
        }
        let rtcp: [UInt8] = [0x80, 201, 0, 1, 0xAB, 0xCD, 0xEF, 0x01]
        #expect(pair.answerer.sendRTCP(rtcp, now: .now))
        pair.pump()
        #expect(Self.received(pair.answererEvents) == (UInt16(1)...5).map(Self.rtp))
        #expect(Self.received(pair.offererEvents) == (UInt16(101)...105).map(Self.rtp))
        #expect(pair.offererEvents.contains(.rtcp(rtcp)))
        // What went on the wire was encrypted.
        #expect(!pair.captured.contains(Self.rtp(1)))
    }

    /// One direction goes silent after connecting: both sides fail once consent has been
    /// missing 30 s (RFC 7675 §5.1), and the reason says so with the counts that show which
    /// way stopped (the offerer still hears the answerer's requests; nothing it sends arrives).
    @Test func lostConsentFailsWithTheCountsOfEachDirection() throws {
        let pair = try Pair()
        pair.run { pair.bothConnected }
        pair.tamper = { _ in nil }
        let start = ContinuousClock.now
        for step in 1...70 {
            let now = start + .milliseconds(500 * step)
            pair.offerer.tick(now: now)
            pair.answerer.tick(now: now)
            pair.pump()
        }
        let reason = pair.offererEvents.compactMap { if case .failed(let reason) = $0 { reason } else { nil } }.first ?? ""
        #expect(reason.contains("ICE failed: consent lost on 127.0.0.1:40000 → 127.0.0.1:40001"), "\(reason)")
        #expect(reason.contains("consent requests, 0 answered"), "\(reason)")
        // The answerer asks every 4–6 s (randomised, RFC 7675 §5.1) until it fails too after 30 s.
        #expect(pair.offerer.stats.ice.checksReceived >= 3, "the answerer's requests still arrive")
    }

    @Test func tamperedAndReplayedSRTPIsDroppedAndCounted() throws {
        let pair = try Pair()
        pair.run { pair.bothConnected }
        var last: [UInt8] = []
        pair.tamper = { bytes in
            guard PacketKind.isRTP(bytes) else { return bytes }
            last = bytes
            return bytes
        }
        #expect(pair.offerer.sendRTP(Self.rtp(1), now: .now))
        pair.pump()
        pair.answerer.receive(last, from: TransportCorePairTests.offererBase, at: TransportCorePairTests.answererBase, now: .now)
        var held: [UInt8] = []
        pair.tamper = { bytes in
            guard PacketKind.isRTP(bytes) else { return bytes }
            held = bytes
            return nil
        }
        #expect(pair.offerer.sendRTP(Self.rtp(2), now: .now))
        pair.pump()
        held[20] ^= 0xFF
        pair.answerer.receive(held, from: TransportCorePairTests.offererBase, at: TransportCorePairTests.answererBase, now: .now)
        pair.answerer.receive([0x80, 96, 0, 9, 1, 2], from: TransportCorePairTests.offererBase, at: TransportCorePairTests.answererBase, now: .now)
        pair.pump()
        #expect(Self.received(pair.answererEvents).count == 1)
        #expect(pair.answerer.stats.srtpReplays == 1)
        #expect(pair.answerer.stats.srtpAuthenticationFailures == 1)
        #expect(pair.answerer.stats.droppedDatagrams == 1)
    }

    @Test func fingerprintMismatchFailsTheConnectionAndSendsNoMedia() throws {
        let pair = try Pair(answererExpects: try DTLSCertificate().fingerprint)
        pair.run(until: { pair.answerer.isFailed }, limit: .seconds(2))
        #expect(pair.answerer.isFailed)
        #expect(pair.answererEvents.contains { if case .failed(let reason) = $0 { reason.contains("fingerprint") } else { false } })
        #expect(!pair.answerer.sendRTP(Self.rtp(1), now: .now))
        #expect(pair.answerer.srtp == nil)
    }

    @Test func mediaBeforeKeysIsDropped() throws {
        let pair = try Pair()
        #expect(!pair.offerer.sendRTP(Self.rtp(1), now: .now))
        pair.answerer.receive(Self.rtp(1), from: TransportCorePairTests.offererBase, at: TransportCorePairTests.answererBase, now: .now)
        #expect(pair.answerer.stats.droppedDatagrams == 1)
    }
}

/// RTP by first byte and payload type (RFC 7983, RFC 5761).
enum PacketKind {
    static func isRTP(_ bytes: [UInt8]) -> Bool {
        bytes.count > 2 && (128...191).contains(bytes[0]) && !(192...223).contains(bytes[1])
    }
}
