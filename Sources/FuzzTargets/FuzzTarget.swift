/// One libFuzzer target: a parser or state machine that must take any bytes without
/// crashing, hanging or breaking the invariants its `run` checks.
public struct FuzzTarget: Sendable {
    /// The name `PEERGATE_FUZZ_TARGET` selects and the corpus directory carries.
    public let name: String
    /// What it feeds and what it checks, for `peergate-fuzz list`.
    public let summary: String
    /// Runs one input. A broken invariant stops the process through ``FuzzCheck/expect(_:_:)``,
    /// which libFuzzer records as a crash with the input that caused it.
    public let run: @Sendable ([UInt8]) -> Void

    public init(name: String, summary: String, run: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

/// Every target, in the order `make fuzz` runs them.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        STUNFuzzTargets.message, STUNFuzzTargets.turnServer,
        SDPFuzzTarget.sessionDescription,
        RTPFuzzTargets.rtpPacket, RTPFuzzTargets.rtcpCompound,
        RTPFuzzTargets.h264, RTPFuzzTargets.h265, RTPFuzzTargets.vp8, RTPFuzzTargets.audio,
        SignalingFuzzTargets.messages, SignalingFuzzTargets.hub,
        SigV4FuzzTarget.requests,
        MediaFileFuzzTargets.fragmentedMP4, MediaFileFuzzTargets.matroska,
        RecordingsAPIFuzzTarget.queries,
    ]

    /// The target of a name.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// Invariant checks inside fuzz targets.
public enum FuzzCheck {
    /// Stops the process with `message` when `condition` is false: a finding.
    public static func expect(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
    }
}
