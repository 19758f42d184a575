import ICE
import NetworkAddress

/// Groups consecutive datagrams from one socket to one destination into one write that the
/// kernel splits again (UDP generic segmentation offload, Linux `UDP_SEGMENT`, 4.18+): a
/// frame's packets to a viewer cross the network stack once instead of once each. The
/// kernel's rule decides what may join: every segment but the last has the size of the
/// first, the last is no larger, at most ``maxSegments`` and ``maxBytes`` in all. The
/// receiver gets the same datagrams as without it. Sans-I/O: writes go to a closure.
struct DatagramCoalescer {
    /// One write: one datagram, or several to be sent as one segmented write.
    struct Write {
        var base: TransportAddress
        var destination: TransportAddress
        var datagrams: [[UInt8]]
        var bytes: Int
        /// The last datagram is shorter than the first: nothing more may join.
        var closed: Bool

        var segmentSize: Int { datagrams.first?.count ?? 0 }
    }

    /// `UDP_MAX_SEGMENTS` of Linux (64 up to 6.x).
    static let maxSegments = 64
    /// Below UDP's 65,507-byte payload limit, with room for headers.
    static let maxBytes = 65_000

    /// Off: every datagram is a write of its own.
    var enabled: Bool
    private var current: Write?

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Adds a datagram; a write that it cannot join is handed to `emit` first.
    mutating func add(_ transmission: ICETransmission, emit: (Write) -> Void) {
        let size = transmission.bytes.count
        if enabled, size > 0, var write = current, !write.closed, write.base == transmission.base, write.destination == transmission.destination,
            size <= write.segmentSize, write.datagrams.count < Self.maxSegments, write.bytes + size <= Self.maxBytes
        {
            current = nil  // The array stays uniquely referenced while it grows.
            write.datagrams.append(transmission.bytes)
            write.bytes += size
            write.closed = size < write.segmentSize
            current = write
            return
        }
        if let write = current { emit(write) }
        current = Write(base: transmission.base, destination: transmission.destination, datagrams: [transmission.bytes], bytes: size, closed: size == 0)
    }

    /// Hands the write being built to `emit`.
    mutating func finish(emit: (Write) -> Void) {
        if let write = current { emit(write) }
        current = nil
    }
}
