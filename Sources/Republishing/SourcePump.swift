import Dispatch
import Foundation
import Locking
import Media
import SDP
import Signaling

/// Reads one source on a thread of its own (libavformat calls block): opens it, reads
/// frames, paces files in real time (a live source paces itself), loops files on request,
/// and when the source fails or ends (live) opens it again with exponential backoff.
/// Frames come out on one continuous timeline (``SourceClock``), H.264/H.265 keyframes with
/// their parameter sets (``ParameterSetCarrier``).
public final class SourcePump: Sendable {
    public struct Configuration: Sendable {
        /// `rtsp://…` or a file path (anything libavformat opens).
        public var source: String
        /// Start a file again at its end (live sources reconnect instead).
        public var loop: Bool
        /// RTSP lower transport: `tcp` (interleaved) or `udp`.
        public var rtspTransport: String
        public var openTimeout: Duration
        public var readTimeout: Duration
        public var backoff: ReconnectBackoff
        /// Audio WebRTC cannot carry (AAC, as most cameras send) is re-encoded to Opus;
        /// otherwise such a source is republished without audio.
        public var transcodeAudio: Bool

        public init(
            source: String, loop: Bool = false, rtspTransport: String = "tcp", openTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(5),
            backoff: ReconnectBackoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(30)), transcodeAudio: Bool = true
        ) {
            self.transcodeAudio = transcodeAudio
            self.source = source
            self.loop = loop
            self.rtspTransport = rtspTransport
            self.openTimeout = openTimeout
            self.readTimeout = readTimeout
            self.backoff = backoff
        }

        /// A network source delivers in real time; a file is paced here.
        public var isLive: Bool {
            let scheme = source.split(separator: ":").first.map { $0.lowercased() } ?? ""
            return ["rtsp", "rtsps", "rtmp", "udp", "rtp", "srt", "http", "https", "tcp"].contains(scheme) && source.contains("://")
        }

        var readerOptions: MediaSourceOptions {
            var options = MediaSourceOptions(openTimeout: openTimeout, readTimeout: readTimeout)
            options.transcodeAudioToOpus = transcodeAudio
            if source.lowercased().hasPrefix("rtsp") { options.formatOptions["rtsp_transport"] = rtspTransport }
            return options
        }
    }

    public enum Event: Sendable {
        /// The source is open with these streams (the ones republished); not repeated for
        /// each loop of a file.
        case opened([MediaStreamInfo])
        case frame(SourceFrame)
        /// Opening or reading failed (or a live source ended); the next try is after `retryIn`.
        case lost(reason: String, retryIn: Duration)
        /// A file without loop reached its end; the pump stops.
        case ended
    }

    private struct State {
        var stopped = false
        var cancellation: MediaSourceCancellation?
    }

    public let configuration: Configuration
    private let handler: @Sendable (Event) -> Void
    private let state = LockedState(State())
    private let wake = DispatchSemaphore(value: 0)

    public init(configuration: Configuration, handler: @escaping @Sendable (Event) -> Void) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Starts reading on a new thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "peergate-source"
        thread.start()
    }

    /// Stops reading: a blocking open or read is interrupted, the thread ends soon after.
    public func stop() {
        let cancellation = state.withLock { state in
            state.stopped = true
            return state.cancellation
        }
        cancellation?.cancel()
        wake.signal()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Waits until `deadline` or a stop; false when stopped.
    private func sleep(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return !isStopped }
        let (seconds, attoseconds) = remaining.components
        _ = wake.wait(timeout: .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
        if isStopped {
            wake.signal()  // Later waits return at once too.
            return false
        }
        return true
    }

    private func run() {
        let started = ContinuousClock.now
        var clock = SourceClock()
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        // A file's next loop goes on silently; the first opening and every reopening after a loss are announced.
        var announce = true
        while !isStopped {
            let outcome: PumpPass.Outcome
            do {
                outcome = try pass(started: started, clock: &clock, announce: announce)
            } catch {
                outcome = .failed("\(error)")
            }
            switch outcome {
            case .stopped:
                return
            case .finished where !configuration.isLive && !configuration.loop:
                handler(.ended)
                return
            case .finished where !configuration.isLive:
                attempt = 0
                announce = false
                continue  // The next loop of the file.
            case .finished:
                announce = true
                reportLost("the source ended", attempt: &attempt, generator: &generator)
            case .failed(let reason):
                announce = true
                reportLost(reason, attempt: &attempt, generator: &generator)
            }
        }
    }

    private func reportLost(_ reason: String, attempt: inout Int, generator: inout SystemRandomNumberGenerator) {
        let delay = configuration.backoff.ceiling(attempt: attempt) / 2 + configuration.backoff.delay(attempt: attempt, using: &generator) / 2
        attempt += 1
        handler(.lost(reason: reason, retryIn: delay))
        _ = sleep(until: .now + delay)
    }

    /// One opening of the source, read to its end.
    private func pass(started: ContinuousClock.Instant, clock: inout SourceClock, announce: Bool) throws -> PumpPass.Outcome {
        let cancellation = MediaSourceCancellation()
        let stopped = state.withLock { state in
            state.cancellation = cancellation
            return state.stopped
        }
        if stopped { return .stopped }
        var options = configuration.readerOptions
        options.cancellation = cancellation
        let reader = try MediaSourceReader(url: configuration.source, options: options)
        var pass = try PumpPass(streams: reader.streams, source: configuration.source)
        if announce { handler(.opened(pass.streams)) }
        clock.restart()
        var frames = 0
        let paced = !configuration.isLive
        while let packet = try reader.next() {
            guard let frame = pass.frame(packet, clock: &clock, elapsed: Self.micros(since: started)) else { continue }
            if paced, !sleep(until: started + .microseconds(frame.time)) { return .stopped }
            if isStopped { return .stopped }
            handler(.frame(frame))
            frames += 1
        }
        if isStopped { return .stopped }
        return frames == 0 ? .failed("no frames in \(configuration.source)") : .finished
    }

    static func micros(since start: ContinuousClock.Instant) -> Int64 {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
