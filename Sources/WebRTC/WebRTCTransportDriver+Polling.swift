import NIOCore
import NetworkAddress
import UDPSockets

/// Polled reads. A receiving connection's sockets are read by the event loop's wake-ups
/// for each burst of datagrams (a frame's packets, an audio packet): with forty sessions on
/// a loop that was thousands of wake-ups a second, and NIO's read path for every datagram
/// (a buffer, an envelope, an address conversion, a pipeline call) — together about half
/// of a recorder's CPU. Once media flows, the connection's sockets leave NIO's reads
/// (`autoRead` off, so the loop no longer watches them) and are drained every tick of the
/// media receiver (``LoopReceiverTicker``, 100 ms), one `recvmmsg` per 32 messages, all
/// connections of a loop in one wake-up. Polled sockets take a run of datagrams of one flow
/// as one message (UDP GRO): a frame sent as one segmented write stays one buffer on the
/// way in, and a network card's receive path merges back-to-back packets the same way.
/// Before media flows (ICE, DTLS) and on connections that only send, reads stay
/// event-driven: handshakes keep their round-trip times.
extension WebRTCTransportDriver {
    /// Most datagrams read from one socket in one tick (a connection's bursts between ticks
    /// are far fewer; the rest waits for the next tick, so one flooding peer cannot hold
    /// the loop).
    static let maxDatagramsPerPoll = 2_048

    /// Takes the sockets out of NIO's reads and reads them on every tick from now on, with
    /// coalesced reads on (NIO's reads could not split them: only polled sockets get them).
    /// Sockets without a sender of their own (no descriptor to read) stay with NIO.
    func startPolling() {
        guard pollsSockets, polledSockets.isEmpty else { return }
        for (base, sender) in senders {
            guard let channel = channels[base], (try? channel.syncOptions?.setOption(.autoRead, value: false)) != nil else { continue }
            scratch.datagrams.enableCoalescing(on: sender)
            polledSockets.append((base, sender))
        }
    }

    /// Reads what waits on the polled sockets into the core (with the loop's shared batch
    /// reader, ``LoopScratch``), then flushes once.
    func poll() {
        guard !polledSockets.isEmpty else { return }
        let reader = scratch.datagrams
        let now = ContinuousClock.now
        var mediaOnly = true
        var received = 0
        let coalescedBefore = reader.coalescedMessages
        for (base, socket) in polledSockets {
            let receivedBefore = received
            while received - receivedBefore < Self.maxDatagramsPerPoll {
                let outcome = reader.receive(from: socket) { bytes, source in
                    received += 1
                    if mediaOnly, let first = bytes.first, !PacketClass.mediaFirstBytes.contains(first) { mediaOnly = false }
                    core.receive(bytes, from: source, at: base, now: now)
                }
                guard case .received(let count) = outcome else {
                    core.stats.socketReadErrors += 1
                    break
                }
                if count < reader.batchSize { break }
            }
        }
        core.stats.polledDatagrams += received
        core.stats.polledCoalescedReads += reader.coalescedMessages - coalescedBefore
        if received > 0 { flush(mediaOnly: mediaOnly) }
    }
}
