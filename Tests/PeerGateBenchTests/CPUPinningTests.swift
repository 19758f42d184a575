import Foundation
import Testing

@testable import PeerGateBench

/// `CPUPinning`: a process, or one thread of it, is kept on the CPUs asked for, and CPUs the
/// machine does not have are refused with a clear error.
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

    @Test func aThreadAloneIsKeptOnTheCPUAskedFor() async throws {
        let last = CPUPinning.availableCPUs - 1
        let (own, process) = try await FanoutSendCeiling.onThread(cpu: last) {
            let status = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
            let own = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }.map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
            return (own, CPUPinning.allowedCPUs(pid: getpid()))
        }.value
        #expect(own == "\(last)")
        // The process's other threads keep every CPU.
        #expect(process == (last == 0 ? "0" : "0-\(last)"))
    }

    @Test func cpusTheMachineLacksAreRefused() {
        let beyond = CPUPinning.availableCPUs
        #expect(throws: BenchFailure.self) { try CPUPinning.pin(pid: getpid(), to: beyond...beyond) }
    }
}
