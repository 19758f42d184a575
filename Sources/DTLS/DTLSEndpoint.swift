import COpenSSL
import SRTP

/// One side of a DTLS 1.2 association for DTLS-SRTP (RFC 6347, RFC 5764), sans-I/O: the
/// transport hands in datagrams and timer expiries, and takes out datagrams to send.
/// Not thread-safe: its transport drives it from one event loop.
public final class DTLSEndpoint {
    /// DTLS client or server; from `a=setup` (RFC 8842 §5.3: `active` is the client).
    public enum Role: Sendable, Equatable {
        case client
        case server
    }

    public enum State: Sendable, Equatable {
        case handshaking
        /// Handshake done, fingerprint verified, keys exported.
        case connected(SRTPKeyingMaterial)
        case failed(DTLSError)
        /// The peer sent close_notify, or ``close()`` was called.
        case closed
    }

    /// The largest DTLS datagram written (RFC 8831 §5 and WebRTC practice: 1200 bytes fits
    /// any path with TURN and IPv6 overhead).
    public static let defaultMTU = 1200
    /// Largest datagram accepted from the network.
    public static let maxDatagramLength = 16_384

    public let role: Role
    public private(set) var state: State = .handshaking
    /// The peer certificate's fingerprint once the handshake finished.
    public private(set) var peerFingerprint: DTLSFingerprint?
    /// Datagrams received after the association closed or failed, or malformed: dropped.
    public private(set) var droppedDatagrams = 0
    /// Datagrams handed in and taken out, to tell a silent peer from a lost path.
    public private(set) var datagramsReceived = 0
    public private(set) var datagramsSent = 0

    private let expectedFingerprint: DTLSFingerprint
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let queue = DatagramQueue()

    /// - Parameters:
    ///   - remoteFingerprint: the peer's `a=fingerprint`; its certificate must match it.
    ///   - mtu: largest datagram OpenSSL may write.
    public init(role: Role, certificate: DTLSCertificate, remoteFingerprint: DTLSFingerprint, mtu: Int = defaultMTU) throws(DTLSError) {
        guard DTLSFingerprint.digest(for: remoteFingerprint.algorithm) != nil else {
            throw .unsupportedHashFunction(remoteFingerprint.algorithm)
        }
        self.role = role
        expectedFingerprint = remoteFingerprint
        context = certificate.context
        guard SSL_CTX_up_ref(context) == 1 else { throw .setup(OpenSSLErrorQueue.drain(fallback: "SSL_CTX_up_ref failed")) }
        guard let ssl = SSL_new(context), let bio = DatagramBIO.make(queue: queue) else {
            SSL_CTX_free(context)
            throw .setup(OpenSSLErrorQueue.drain(fallback: "SSL_new failed"))
        }
        self.ssl = ssl
        SSL_set_bio(ssl, bio, bio)
        peergate_ssl_set_no_query_mtu(ssl)
        _ = peergate_ssl_set_mtu(ssl, mtu)
        if role == .client { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Starts the handshake: the client writes its ClientHello; the server waits for one.
    public func start() {
        guard role == .client, state == .handshaking else { return }
        advanceHandshake()
    }

    /// Hands in one datagram from the peer (first byte 20–63, RFC 7983).
    public func receive(_ datagram: [UInt8]) {
        guard !datagram.isEmpty, datagram.count <= Self.maxDatagramLength else {
            droppedDatagrams += 1
            return
        }
        datagramsReceived += 1
        switch state {
        case .handshaking:
            queue.incoming = datagram
            advanceHandshake()
        case .connected:
            queue.incoming = datagram
            readApplicationData()
        case .failed, .closed:
            droppedDatagrams += 1
        }
        queue.incoming = nil
    }

    /// Time until OpenSSL wants ``handleTimeout()`` to retransmit its last flight
    /// (RFC 6347 §4.2.4); nil when no timer runs.
    public var retransmissionDelay: Duration? {
        var remaining = timeval()
        guard peergate_dtls_get_timeout(ssl, &remaining) == 1 else { return nil }
        return .seconds(remaining.tv_sec) + .microseconds(remaining.tv_usec)
    }

    /// The first retransmission wait of each flight from the path's round trip (RFC 9147
    /// §5.8.2 allows a known round trip instead of the 1 s default): three round trips, as
    /// RFC 6298 §2.2's first RTO from one sample (SRTT + 4 × RTTVAR with RTTVAR = R/2),
    /// within 250 ms (room for a loaded peer's key exchange) and 1 s (the default).
    public static func initialRetransmissionTimeout(roundTripTime: Duration) -> Duration {
        min(max(roundTripTime * 3, .milliseconds(250)), .seconds(1))
    }

    /// Sets the first retransmission wait of each flight (the doubling goes on from it, up
    /// to 60 s); call before the flight is sent. Without it, OpenSSL's 1 s.
    public func setInitialRetransmissionTimeout(_ timeout: Duration) {
        let microseconds = max(1, min(timeout / .microseconds(1), 60_000_000))
        peergate_dtls_set_initial_timeout(ssl, UInt32(microseconds))
    }

    /// Retransmits the current flight when its timer expired.
    public func handleTimeout() {
        guard state == .handshaking || isConnected else { return }
        if peergate_dtls_handle_timeout(ssl) < 0 {
            fail(.handshake(OpenSSLErrorQueue.drain(fallback: "retransmission limit reached")))
        }
    }

    /// Datagrams OpenSSL wrote since the last call, to send to the peer in order.
    public func takeDatagrams() -> [[UInt8]] {
        defer { queue.outgoing.removeAll(keepingCapacity: true) }
        datagramsSent += queue.outgoing.count
        return queue.outgoing
    }

    /// Sends close_notify (RFC 5246 §7.2.1) and stops.
    public func close() {
        guard state == .handshaking || isConnected else { return }
        SSL_shutdown(ssl)
        state = .closed
    }

    /// Fails the handshake from outside (e.g. it took too long).
    public func abandon(_ error: DTLSError) {
        guard state == .handshaking else { return }
        fail(error)
    }

    private var isConnected: Bool {
        if case .connected = state { true } else { false }
    }

    private func fail(_ error: DTLSError) {
        ERR_clear_error()
        state = .failed(error)
    }

    private func advanceHandshake() {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            finishHandshake()
            return
        }
        let error = SSL_get_error(ssl, result)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return }
        fail(.handshake(OpenSSLErrorQueue.drain(fallback: "SSL error \(error)")))
    }

    /// RFC 5763 §5: the certificate must match the SDP fingerprint before any key is used.
    private func finishHandshake() {
        guard let certificate = peergate_ssl_get1_peer_certificate(ssl) else { return fail(.noPeerCertificate) }
        defer { X509_free(certificate) }
        do {
            let actual = try DTLSFingerprint.of(certificate, algorithm: expectedFingerprint.algorithm)
            peerFingerprint = actual
            guard actual.matches(expectedFingerprint) else {
                SSL_shutdown(ssl)
                return fail(.fingerprintMismatch(expected: expectedFingerprint.hex, actual: actual.hex))
            }
            state = .connected(try DTLSSRTPKeys.export(from: ssl, isClient: role == .client))
        } catch {
            fail(error)
        }
    }

    /// After the handshake only alerts and retransmitted handshake flights arrive (no data
    /// channel over this association yet): read them so close_notify is seen and the final
    /// flight is re-sent when the peer lost it.
    private func readApplicationData() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        ERR_clear_error()
        let result = SSL_read(ssl, &buffer, Int32(buffer.count))
        if result > 0 { return droppedDatagrams += 1 }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_ZERO_RETURN: state = .closed
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: break
        default: droppedDatagrams += 1
        }
        ERR_clear_error()
    }
}
