import FuzzTargets

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The target named by the `PEERGATE_FUZZ_TARGET` environment variable, looked up once.
enum SelectedFuzzTarget {
    static let target: FuzzTarget = {
        let name = getenv("PEERGATE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        if let target = FuzzTargets.named(name) { return target }
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
        FuzzCommandLine.fail("set PEERGATE_FUZZ_TARGET to one of: \(names)")
    }()
}
