import DTLS
import ICE
import NetworkAddress
import SRTP

extension WebRTCTransportCore {
    /// A datagram from `source` on the socket of `base`: ICE's (STUN, TURN) first, then
    /// DTLS or SRTP/SRTCP by first byte (RFC 7983).
    public func receive(_ bytes: consuming [UInt8], from source: TransportAddress, at base: TransportAddress, now: Instant) {
        stats.packetsReceived += 1
        stats.bytesReceived += bytes.count
        guard !ice.receive(bytes, from: source, at: base, now: now) else { return collect(now: now) }
        let kind = PacketClass(bytes)
        // Handed on, not copied: SRTP decrypts the datagram's own bytes in place.
        demultiplex(consume bytes, as: kind)
        // Media cannot move the handshake on: only ICE's outputs need collecting.
        switch kind {
        case .rtp, .rtcp: collectICE()
        default: collect(now: now)
        }
    }

    /// Protects and sends an RTP packet; false when the transport cannot send yet (no keys,
    /// no pair) or the packet is refused.
    @discardableResult
    public func sendRTP(_ packet: consuming [UInt8], now: Instant) -> Bool {
        send(packet, rtcp: false, now: now)
    }

    /// Protects and sends a compound RTCP packet.
    @discardableResult
    public func sendRTCP(_ packet: consuming [UInt8], now: Instant) -> Bool {
        send(packet, rtcp: true, now: now)
    }

    /// The packet is protected in place (its buffer has room for the tag, see
    /// `RTPPacket.protectionRoom`) and handed to ICE without a copy.
    private func send(_ packet: consuming [UInt8], rtcp: Bool, now: Instant) -> Bool {
        guard let srtp, !isFailed, ice.canSend else { return false }
        var protected = consume packet
        do {
            if rtcp { try srtp.protectRTCP(&protected) } else { try srtp.protectRTP(&protected) }
        } catch {
            return false
        }
        ice.send(protected)
        collectICE()
        return true
    }

    /// `kind` is the datagram's class when the caller already knows it.
    func demultiplex(_ bytes: consuming [UInt8], as kind: PacketClass? = nil) {
        switch kind ?? PacketClass(bytes) {
        case .dtls:
            guard let dtls else {
                if earlyDTLS.count < Self.maxEarlyDTLS { earlyDTLS.append(bytes) } else { stats.droppedDatagrams += 1 }
                return
            }
            dtls.receive(bytes)
        case .rtp:
            unprotect(consume bytes, isRTCP: false)
        case .rtcp:
            unprotect(consume bytes, isRTCP: true)
        case .stun, .turnChannel, .unknown:
            stats.droppedDatagrams += 1
        }
    }

    private func unprotect(_ bytes: consuming [UInt8], isRTCP: Bool) {
        guard let srtp else { return stats.droppedDatagrams += 1 }
        if simulatedMediaLoss > 0, Double.random(in: 0..<1) < simulatedMediaLoss { return stats.simulatedLossDrops += 1 }
        var packet = consume bytes
        do {
            if isRTCP { try srtp.unprotectRTCP(&packet) } else { try srtp.unprotectRTP(&packet) }
            events.append(isRTCP ? .rtcp(packet) : .rtp(packet))
        } catch .authenticationFailed {
            stats.srtpAuthenticationFailures += 1
        } catch .replayed {
            stats.srtpReplays += 1
        } catch {
            stats.droppedDatagrams += 1
        }
    }

    /// Moves ICE outputs into transmissions and events, runs the DTLS handshake over the
    /// selected pair, keys SRTP when it finishes.
    func collect(now: Instant) {
        collectICE()
        stats.ice = ice.counters
        stats.roundTripTime = ice.selectedPair?.roundTripTime
        guard let dtls else { return }
        // The DTLS client starts on the first valid pair, as browsers do, not after nomination.
        if iceConnectedAt == nil, ice.canSend {
            iceConnectedAt = now
            // Flights lost on a slow, lossy path come again after a few round trips, not 1 s, 2 s, 4 s.
            if let roundTripTime = ice.usableRoundTripTime {
                dtls.setInitialRetransmissionTimeout(DTLSEndpoint.initialRetransmissionTimeout(roundTripTime: roundTripTime))
            }
            dtls.start()
        }
        let outgoing = dtls.takeDatagrams()
        for datagram in outgoing { ice.send(datagram) }
        dtlsDeadline = dtls.retransmissionDelay.map { now + $0 }
        if srtp == nil, case .connected(let keys) = dtls.state {
            do {
                srtp = try SRTPSession(keys: keys)
            } catch {
                fail(error.description)
            }
        }
        // Connected (W3C `connectionState`): ICE selected a pair and DTLS keyed SRTP.
        if !reportedConnected, let srtp, ice.state == .connected {
            reportedConnected = true
            events.append(.connected(srtp.profile))
        }
        if case .failed(let error) = dtls.state {
            fail(error == .timedOut ? "\(error) (\(dtls.role), \(dtls.datagramsSent) datagrams sent, \(dtls.datagramsReceived) received)" : error.description)
        }
        // The peer ended the association with close_notify (RFC 5246 §7.2.1): the session is over.
        if dtls.state == .closed, reportedConnected, !reportedClosed {
            reportedClosed = true
            events.append(.closed)
        }
        if !outgoing.isEmpty { collect(now: now) }
    }

    /// Moves ICE's outputs into transmissions and events (datagrams it relays to the
    /// application are demultiplexed).
    func collectICE() {
        ice.drainOutputs { output in
            switch output {
            case .transmit(let transmission):
                stats.packetsSent += 1
                stats.bytesSent += transmission.bytes.count
                transmissions.append(transmission)
            case .localCandidate(let candidate): events.append(.localCandidate(candidate))
            case .gatheringComplete: events.append(.gatheringComplete)
            case .stateChanged(let state):
                events.append(.iceStateChanged(state))
                if state == .failed { fail(iceFailure) }
            case .selectedPair(let local, let remote): events.append(.selectedPair(local: local, remote: remote))
            case .application(let bytes, _): demultiplex(bytes)
            }
        }
    }

    /// Why ICE failed, with the counts that tell a path that never worked from one that
    /// stopped, and which direction stopped: consent requests sent and answered (RFC 7675),
    /// the peer's checks and consent requests received, datagrams received.
    var iceFailure: String {
        let counters = ice.counters
        guard let pair = ice.selectedPair else {
            return "ICE failed: no working candidate pair (\(counters.checksSent) checks sent, \(counters.checksReceived) received)"
        }
        return "ICE failed: consent lost on \(pair.local.address) → \(pair.remote.address) (\(counters.consentRequestsSent) consent requests, "
            + "\(counters.consentResponses) answered; \(counters.checksReceived) requests from the peer; \(stats.packetsReceived) datagrams received)"
    }
}
