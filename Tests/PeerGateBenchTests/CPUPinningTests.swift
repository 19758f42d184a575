import Foundation
import Testing

@testable import PeerGateBench

/// `CPUPinning`: a process is kept on the CPUs asked for, and CPUs the machine does not
/// have are refused with a clear error.
@Suite struct CPUPinningTests {
    @Test func aProcessIsKeptOnTheCPUsAskedFor() throws {
        try withSleepingProcess { pid in
            let last = CPUPinning.availableCPUs - 1
            try CPUPinning.pin(pid: pid, to: last...last)
            #expect(CPUPinning.allowedCPUs(pid: pid) == "\(last)")
            try CPUPinning.pin(pid: pid, to: 0...last)
            #expect(CPUPinning.allowedCPUs(pid: pid) == (last == 0 ? "0" : "0-\(last)"))
        }
    }

    @Test func cpusTheMachineLacksAreRefused() {
        let beyond = CPUPinning.availableCPUs
        #expect(throws: BenchFailure.self) { try CPUPinning.pin(pid: getpid(), to: beyond...beyond) }
    }
}
