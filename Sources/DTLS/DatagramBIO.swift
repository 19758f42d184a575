import COpenSSL

/// The datagrams between OpenSSL and the transport: what the peer sent and is waiting to
/// be read, and what OpenSSL wrote (one write = one datagram).
final class DatagramQueue {
    var incoming: [UInt8]?
    var outgoing: [[UInt8]] = []
}

/// A BIO whose reads return exactly the datagram handed in and whose writes each become
/// one datagram, so DTLS records never straddle or merge datagrams (RFC 6347 §4.1.1).
/// It reports no MTU of its own; the endpoint sets it with `SSL_set_mtu`.
enum DatagramBIO {
    /// The BIO method, registered once per process.
    private static let method: BIOMethod? = BIOMethod.make()

    /// A new BIO reading from and writing to `queue`; the caller keeps `queue` alive for the
    /// BIO's lifetime.
    static func make(queue: DatagramQueue) -> OpaquePointer? {
        guard let method = method?.pointer, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(queue).toOpaque())
        return bio
    }

    private static func queue(of bio: OpaquePointer?) -> DatagramQueue? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DatagramQueue>.fromOpaque(data).takeUnretainedValue()
    }

    /// The `BIO_METHOD` pointer, immutable once made.
    struct BIOMethod: @unchecked Sendable {
        let pointer: OpaquePointer

        static func make() -> BIOMethod? {
            let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
            guard let method = BIO_meth_new(type, "peergate datagram") else { return nil }
            BIO_meth_set_write(method) { bio, data, length in
                guard let queue = DatagramBIO.queue(of: bio), let data, length >= 0 else { return -1 }
                queue.outgoing.append(Array(UnsafeRawBufferPointer(start: data, count: Int(length))))
                return length
            }
            BIO_meth_set_read(method) { bio, data, capacity in
                guard let bio, let queue = DatagramBIO.queue(of: bio), let data else { return -1 }
                peergate_bio_clear_retry_flags(bio)
                guard let datagram = queue.incoming else {
                    peergate_bio_set_retry_read(bio)
                    return -1
                }
                queue.incoming = nil
                let count = min(Int(capacity), datagram.count)
                datagram.withUnsafeBytes { source in
                    UnsafeMutableRawPointer(data).copyMemory(from: source.baseAddress!, byteCount: count)
                }
                return Int32(count)
            }
            BIO_meth_set_ctrl(method) { _, command, _, _ in
                switch command {
                case BIO_CTRL_FLUSH: 1
                default: 0  // no pending bytes, no MTU query, no peer address, no timers
                }
            }
            BIO_meth_set_create(method) { bio in
                BIO_set_init(bio, 1)
                return 1
            }
            BIO_meth_set_destroy(method) { _ in 1 }
            return BIOMethod(pointer: method)
        }
    }
}
