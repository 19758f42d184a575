import DTLS
import ICE
import NetworkAddress
import SRTP

/// One WebRTC transport, sans-I/O (DESIGN §3): ICE finds a path, DTLS runs over it and
/// keys SRTP, and every datagram on the shared socket is demultiplexed by its first byte
/// (RFC 7983). The NIO driver (``WebRTCTransport``) feeds it datagrams and time and sends
/// what it asks; tests drive it directly. Not thread-safe: one event loop drives it.
public final class WebRTCTransportCore {
    public typealias Instant = ContinuousClock.Instant

    /// How long DTLS may take once ICE connected before the transport fails.
    public static let handshakeTimeout: Duration = .seconds(15)

    public let ice: ICEAgent
    public let certificate: DTLSCertificate
    public internal(set) var dtls: DTLSEndpoint?
    public internal(set) var srtp: SRTPSession?
    /// Counters; the ICE ones and the round-trip time as of the last handshake or timer
    /// step (``currentStats`` reads them fresh).
    public internal(set) var stats = WebRTCTransportStats()

    /// ``stats`` with ICE's counters and the selected pair's round-trip time read now.
    public var currentStats: WebRTCTransportStats {
        var current = stats
        current.ice = ice.counters
        current.roundTripTime = ice.selectedPair?.roundTripTime
        return current
    }
    public internal(set) var isFailed = false
    /// Fraction of received SRTP/SRTCP datagrams dropped on purpose (fault injection for
    /// loss tests and demonstrations; 0 otherwise). See ``WebRTCTransportConfiguration``.
    public var simulatedMediaLoss: Double = 0
    var events: [WebRTCTransportEvent] = []
    var transmissions: [ICETransmission] = []
    var dtlsDeadline: Instant?
    var iceConnectedAt: Instant?
    var lastTick: Instant?
    /// DTLS datagrams that arrived before the remote description (a peer's ClientHello can
    /// beat its answer); replayed once DTLS is set up.
    var earlyDTLS: [[UInt8]] = []
    /// ``WebRTCTransportEvent/connected(_:)`` was reported.
    var reportedConnected = false
    /// `.closed` went out (a local close, or the peer's close_notify).
    var reportedClosed = false
    static let maxEarlyDTLS = 8

    /// - Parameter controlling: the offerer is the controlling ICE agent (RFC 8445 §6.1.1).
    public init(controlling: Bool, iceConfiguration: ICEConfiguration = ICEConfiguration(), certificate: DTLSCertificate) {
        ice = ICEAgent(controlling: controlling, configuration: iceConfiguration)
        self.certificate = certificate
    }

    /// This side's ICE credentials and certificate fingerprint, for its SDP.
    public var localCredentials: ICECredentials { ice.localCredentials }
    public var localFingerprint: DTLSFingerprint { certificate.fingerprint }

    /// Starts gathering on the transport's sockets.
    public func gather(bases: [TransportAddress], now: Instant) {
        ice.gather(bases: bases, now: now)
        collect(now: now)
    }

    /// The peer's ICE credentials and certificate fingerprint, and the DTLS role this side
    /// plays (from `a=setup`, RFC 8842 §5.3). Sets up DTLS; the client starts its handshake
    /// once ICE has a pair.
    public func setRemote(credentials: ICECredentials, fingerprint: DTLSFingerprint, dtlsRole: DTLSEndpoint.Role, now: Instant) throws(DTLSError) {
        if dtls == nil {
            let endpoint = try DTLSEndpoint(role: dtlsRole, certificate: certificate, remoteFingerprint: fingerprint)
            dtls = endpoint
            for datagram in earlyDTLS { endpoint.receive(datagram) }
            earlyDTLS.removeAll()
        }
        ice.setRemoteCredentials(credentials, now: now)
        collect(now: now)
    }

    public func addRemoteCandidate(_ candidate: ICECandidate, now: Instant) {
        ice.addRemoteCandidate(candidate, now: now)
        collect(now: now)
    }

    public func remoteCandidatesComplete(now: Instant) {
        ice.remoteCandidatesComplete(now: now)
        collect(now: now)
    }

    /// Hands each datagram to send to `body`, in order, keeping the queue's storage for the
    /// next ones (no allocation per packet on the media path).
    public func drainTransmissions(_ body: (ICETransmission) -> Void) {
        for transmission in transmissions { body(transmission) }
        transmissions.removeAll(keepingCapacity: true)
    }

    /// Hands each event to `body`, in order, keeping the queue's storage.
    public func drainEvents(_ body: (consuming WebRTCTransportEvent) -> Void) {
        guard !events.isEmpty else { return }
        // Each event is moved out, so the body owns a received packet's buffer alone and can
        // reuse it (``RTPPacket/init(taking:)``). Events the body causes are kept for the next drain.
        var batch: [WebRTCTransportEvent] = []
        swap(&batch, &events)
        batch.reverse()
        while let event = batch.popLast() { body(event) }
        if events.isEmpty { events = batch }
    }

    /// Datagrams to send, in order.
    public func takeTransmissions() -> [ICETransmission] {
        defer { transmissions.removeAll(keepingCapacity: true) }
        return transmissions
    }

    /// Events since the last call, in order.
    public func takeEvents() -> [WebRTCTransportEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    /// Runs the timers of ICE (checks, consent, TURN refreshes) and DTLS (retransmission,
    /// handshake timeout).
    public func tick(now: Instant) {
        lastTick = now
        ice.tick(now: now)
        if let dtls, let deadline = dtlsDeadline, now >= deadline {
            dtls.handleTimeout()
        }
        if let dtls, dtls.state == .handshaking, let iceConnectedAt, now - iceConnectedAt > Self.handshakeTimeout {
            dtls.abandon(.timedOut)
        }
        collect(now: now)
    }

    /// When ``tick(now:)`` next has work.
    public var nextDeadline: Instant? {
        var deadlines = [ice.nextDeadline, dtlsDeadline].compactMap { $0 }
        if let dtls, dtls.state == .handshaking, let iceConnectedAt { deadlines.append(iceConnectedAt + Self.handshakeTimeout) }
        return deadlines.min()
    }

    /// Closes DTLS (close_notify) and ICE (TURN allocations released).
    public func close(now: Instant) {
        dtls?.close()
        collect(now: now)
        ice.close(now: now)
        collect(now: now)
        if !reportedClosed { events.append(.closed) }
        reportedClosed = true
    }

    func fail(_ reason: String) {
        guard !isFailed else { return }
        isFailed = true
        events.append(.failed(reason))
    }
}
