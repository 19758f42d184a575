import ICE
import NetworkAddress

/// A local address a transport binds a UDP socket to, and the address it announces as
/// its host candidate (different behind a 1:1 NAT, e.g. a cloud VM's public IP).
public struct WebRTCHostInterface: Sendable, Equatable {
    public var bindAddress: IPAddress
    public var announcedAddress: IPAddress?
    /// 0 picks a free port.
    public var port: UInt16

    public init(bindAddress: IPAddress, announcedAddress: IPAddress? = nil, port: UInt16 = 0) {
        self.bindAddress = bindAddress
        self.announcedAddress = announcedAddress
        self.port = port
    }

    public static let loopback = WebRTCHostInterface(bindAddress: .v4(0x7F00_0001))
}

/// Sockets and ICE settings of a transport.
public struct WebRTCTransportConfiguration: Sendable {
    /// Where host candidates come from; loopback only unless configured (secure default).
    public var interfaces: [WebRTCHostInterface] = [.loopback]
    public var ice = ICEConfiguration()
    /// Fraction (0…1) of received SRTP/SRTCP datagrams to drop on purpose, after ICE and
    /// DTLS: a fault-injection hook to exercise NACK/RTX recovery on the real media path
    /// (tests, `peergate join --simulate-loss`). 0 in normal operation.
    public var simulatedMediaLoss: Double = 0
    /// Consecutive datagrams to one destination leave in one write the kernel splits (UDP
    /// segmentation offload, Linux 4.18+; ``DatagramCoalescer``). Used where the system
    /// supports it; a transport whose write is refused goes on without it.
    public var udpSegmentation = true
    /// Once media arrives, the sockets are read every tick of the media receiver (20 ms)
    /// instead of on every burst of datagrams (see `WebRTCTransportDriver.poll()`): one
    /// wake-up per tick for all receiving connections of an event loop. Adds up to a tick
    /// to the media's arrival; handshakes and send-only connections are not polled.
    public var pollsSocketsWhileReceiving = true

    public init(interfaces: [WebRTCHostInterface] = [.loopback], ice: ICEConfiguration = ICEConfiguration()) {
        self.interfaces = interfaces
        self.ice = ice
    }
}
