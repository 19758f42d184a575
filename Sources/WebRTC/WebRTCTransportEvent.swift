import ICE
import SRTP

/// What a transport reports to its owner.
public enum WebRTCTransportEvent: Sendable, Equatable {
    /// A local candidate to signal (trickle ICE, RFC 8838).
    case localCandidate(ICECandidate)
    /// Gathering finished: signal end-of-candidates.
    case gatheringComplete
    case iceStateChanged(ICEConnectionState)
    case selectedPair(local: ICECandidate, remote: ICECandidate)
    /// ICE selected a pair and DTLS finished, the fingerprint matched and SRTP is keyed
    /// (W3C `connectionState` "connected"). Media may flow from the first valid pair on.
    case connected(SRTPProfile)
    /// The connection failed for good (ICE failed, consent lost, DTLS failed).
    case failed(String)
    case closed
    /// A decrypted RTP packet.
    case rtp([UInt8])
    /// A decrypted compound RTCP packet.
    case rtcp([UInt8])
}

/// Counters of one transport, as the stats of its selected candidate pair and transport
/// report them (W3C `RTCIceCandidatePairStats`, `RTCTransportStats`).
public struct WebRTCTransportStats: Sendable, Equatable {
    public var packetsSent = 0
    public var bytesSent = 0
    public var packetsReceived = 0
    public var bytesReceived = 0
    /// SRTP/SRTCP packets whose authentication tag failed.
    public var srtpAuthenticationFailures = 0
    /// SRTP/SRTCP packets refused by the replay window.
    public var srtpReplays = 0
    /// Datagrams of no known kind, or media before keys: dropped.
    public var droppedDatagrams = 0
    /// Writes that carried several datagrams as one (``WebRTCTransportConfiguration/udpSegmentation``).
    public var segmentedWrites = 0
    /// Segmented writes the kernel
    /// refused; their datagrams went again one by one and segmentation stopped.
    public var segmentedWritesRefused = 0
    /// SRTP/SRTCP datagrams dropped by the simulated loss of the configuration.
    public var simulatedLossDrops = 0
    /// Datagrams read by polling the sockets (``WebRTCTransportConfiguration/pollsSocketsWhileReceiving``).
    public var polledDatagrams = 0
    /// Polled reads that carried several datagrams as one message (coalesced by the kernel,
    /// ``UDPDatagramReceiver/enableCoalescing(on:)``).
    public var polledCoalescedReads = 0
    /// Polled reads that failed with an error other than "nothing waiting".
    public var socketReadErrors = 0
    /// Round-trip time of the selected pair's last check or consent request.
    public var roundTripTime: Duration?
    public var ice = ICECounters()

    public init() {}
}
