import Foundation
import Testing

@testable import PeerGateBench

/// `CPUPinning`: a process is kept on the CPUs asked for, and CPUs the machine does not
/// have are refused with a clear error.
@Suite struct CPUPinningTests {
    @Test func aProcessIsKeptOnTheCPUsAskedFor() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(filePath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer {
            // SIGKILL: the test process may hold SIGTERM blocked, and a child inherits that.
            kill(sleeper.processIdentifier, SIGKILL)
            sleeper.waitUntilExit()
        }
        let last = CPUPinning.availableCPUs - 1
        try CPUPinning.pin(pid: sleeper.processIdentifier, to: last...last)
        #expect(CPUPinning.allowedCPUs(pid: sleeper.processIdentifier) == "\(last)")
        try CPUPinning.pin(pid: sleeper.processIdentifier, to: 0...last)
        #expect(CPUPinning.allowedCPUs(pid: sleeper.processIdentifier) == (last == 0 ? "0" : "0-\(last)"))
    }

    @Test func cpusTheMachineLacksAreRefused() {
        let beyond = CPUPinning.availableCPUs
        #expect(throws: BenchFailure.self) { try CPUPinning.pin(pid: getpid(), to: beyond...beyond) }
    }
}
