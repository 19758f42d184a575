import FuzzTargets

// Built with `-sanitize=fuzzer -DFUZZING` (`make fuzz`), libFuzzer's own main calls
// `LLVMFuzzerTestOneInput` with each input; `PEERGATE_FUZZ_TARGET` names the target.
// Built normally, this is a command-line tool that lists the targets, replays inputs
// through them and writes the seed corpora.

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    SelectedFuzzTarget.target.run(bytes)
    return 0
}
#else
@main
enum PeerGateFuzz {
    static func main() {
        FuzzCommandLine.main(CommandLine.arguments)
    }
}
#endif
