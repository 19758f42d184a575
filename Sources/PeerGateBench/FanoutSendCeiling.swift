import Foundation
import Glibc
import Locking
import NetworkAddress
import SRTP
import UDPSockets

/// The anchor of `peergate bench fanout`: how many packets per CPU-second this machine's
/// kernel sends in a fan-out's pattern when nothing else is done per packet — ready-made
/// datagrams through peergate's socket layer (``UDPDatagramSender``), no event loop, no
/// RTP state — and, with ``encrypted``, with SRTP's per-viewer encryption on top: the floor
/// any SRTP fan-out pays on this machine. Whatever a republisher does besides comes on top,
/// so its figure can only be a fraction of these.
///
/// Each viewer has a sending socket and a receiving one on 127.0.0.1, read every 100 ms with
/// coalescing like the benchmark's viewers (on loopback the kernel charges the receive path
/// to the sender, as it does for the republisher). Per viewer and second: 30 video frames
/// of `bitrate / 240` bytes, each sent as one segmented write of 1,200-byte packets (as
/// peergate sends a frame), and 50 audio packets of 120 bytes sent one by one (Opus every
/// 20 ms). The sender is one thread, on a CPU of its own when there are two; its CPU time
/// (`CLOCK_THREAD_CPUTIME_ID`) is the figure.
public struct FanoutSendCeiling: Sendable {
    public var viewers: Int
    public var seconds: Double
    public var bitrate: Int
    /// Each datagram an RTP packet protected with SRTP (AES-128-GCM, RFC 7714) for its viewer.
    public var encrypted: Bool

    public struct Result: Sendable {
        public var packetsSent: Int
        public var packetsReceived: Int
        public var cpuSeconds: Double
        public var seconds: Double
        public var packetsPerCPUSecond: Double { cpuSeconds > 0 ? Double(packetsSent) / cpuSeconds : 0 }
    }

    static let videoPacketBytes = 1_200
    static let audioPacketBytes = 120
    static let tick = Duration.milliseconds(20)
    static let loopback = IPAddress.v4(0x7F00_0001)

    public init(viewers: Int, seconds: Double, bitrate: Int, encrypted: Bool) {
        self.viewers = viewers
        self.seconds = seconds
        self.bitrate = bitrate
        self.encrypted = encrypted
    }

    /// One video frame's packets: full-size ones, then the rest.
    var videoFrame: [[UInt8]] {
        let bytes = max(1, bitrate / 8 / 30)
        return stride(from: 0, to: bytes, by: Self.videoPacketBytes).map { [UInt8](repeating: 0x80, count: min(Self.videoPacketBytes, bytes - $0)) }
    }

    /// Sends for `seconds` on a thread of its own and returns once the receivers have read
    /// what arrived.
    public func run() async throws -> Result {
        var receiving: [CInt] = []
        var destinations: [TransportAddress] = []
        defer { for descriptor in receiving { close(descriptor) } }
        for _ in 0..<viewers {
            let (descriptor, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
            receiving.append(descriptor)
            destinations.append(TransportAddress(ip: Self.loopback, port: port))
        }
        let cpus = CPUPinning.availableCPUs
        let stop = LockedState(false)
        let readers = receiving
        let received = Self.onThread(cpu: cpus >= 2 ? 0 : nil) { Self.receive(from: readers, until: stop) }
        let targets = destinations
        let sent = Self.onThread(cpu: cpus >= 2 ? cpus - 1 : nil) { [self] in try send(to: targets) }
        let outcome = try await sent.value
        stop.withLock { $0 = true }
        let count = try await received.value
        return Result(packetsSent: outcome.packets, packetsReceived: count, cpuSeconds: outcome.cpuSeconds, seconds: seconds)
    }

    private func send(to destinations: [TransportAddress]) throws -> (packets: Int, cpuSeconds: Double) {
        let scratch = UDPSegmentBuffer()
        var viewers: [Viewer] = []
        for destination in destinations {
            let (descriptor, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
            defer { close(descriptor) }
            let session = encrypted ? try SRTPSession(keys: SRTPBenchmark.keys(.aeadAES128GCM)) : nil
            viewers.append(Viewer(socket: try UDPDatagramSender(duplicating: descriptor, scratch: scratch), destination: destination, srtp: session))
        }
        let video = videoFrame.map { Self.rtpHeader + $0 }
        let audio = [Self.rtpHeader + [UInt8](repeating: 0x80, count: Self.audioPacketBytes)]
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(seconds * 1000))
        let cpuStart = Self.threadCPUSeconds()
        var packets = 0
        var ticks = 0
        var frames = 0
        while clock.now < end {
            // Frame n is due at n/30 s, tick t comes at t/50 s: 3 frames every 5 ticks.
            let videoDue = frames * 5 <= ticks * 3
            for viewer in viewers {
                if viewer.send(audio) { packets += 1 }
                if videoDue, viewer.send(video) { packets += video.count }
            }
            if videoDue { frames += 1 }
            ticks += 1
            let next = start + Self.tick * ticks
            if next > clock.now { Thread.sleep(forTimeInterval: (next - clock.now) / .seconds(1)) }
        }
        return (packets, Self.threadCPUSeconds() - cpuStart)
    }

    /// RTP version 2, payload type 96, sequence number and SSRC filled in per viewer.
    static let rtpHeader: [UInt8] = [0x80, 96, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44]

    /// One viewer's socket, and its SRTP session when the datagrams are protected.
    final class Viewer {
        let socket: UDPDatagramSender
        let destination: TransportAddress
        let srtp: SRTPSession?
        var sequence: UInt16 = 0

        init(socket: UDPDatagramSender, destination: TransportAddress, srtp: SRTPSession?) {
            self.socket = socket
            self.destination = destination
            self.srtp = srtp
        }

        /// Sends `datagrams` as one write; with SRTP, each a copy numbered and protected.
        func send(_ datagrams: [[UInt8]]) -> Bool {
            guard let srtp else { return socket.send(datagrams, to: destination) == .sent }
            var protected: [[UInt8]] = []
            protected.reserveCapacity(datagrams.count)
            for datagram in datagrams {
                var packet = datagram
                packet.reserveCapacity(datagram.count + 16)
                packet[2] = UInt8(sequence >> 8)
                packet[3] = UInt8(sequence & 0xFF)
                sequence &+= 1
                guard (try? srtp.protectRTP(&packet)) != nil else { return false }
                protected.append(packet)
            }
            return socket.send(protected, to: destination) == .sent
        }
    }

    private static func receive(from descriptors: [CInt], until stop: LockedState<Bool>) -> Int {
        let receiver = UDPDatagramReceiver(batchSize: 64, slotSize: UDPDatagramReceiver.coalescedSlotSize)
        let sockets = descriptors.compactMap { try? UDPDatagramSender(duplicating: $0) }
        for socket in sockets { receiver.enableCoalescing(on: socket) }
        var finalPass = false
        while true {
            for socket in sockets {
                while case .received(let count) = receiver.receive(from: socket, { _, _ in }), count > 0 {}
            }
            if finalPass { break }
            if stop.withLock({ $0 }) { finalPass = true } else { Thread.sleep(forTimeInterval: 0.1) }
        }
        return receiver.datagramsReceived
    }

    /// Runs `body` on a new thread, pinned to `cpu` when given.
    static func onThread<T: Sendable>(cpu: Int?, _ body: @escaping @Sendable () throws -> T) -> Task<T, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    continuation.resume(
                        with: Swift.Result {
                            if let cpu { try CPUPinning.pinCurrentThread(to: cpu) }
                            return try body()
                        })
                }
                thread.start()
            }
        }
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
