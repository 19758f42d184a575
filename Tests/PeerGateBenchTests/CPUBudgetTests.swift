import Foundation
import PeerGateBench
import Testing

/// The CPU budget the TURN benchmark gives each server: a spinning process put in a budget
/// of a fifth of a CPU gets about that, and the group goes away afterwards.
@Suite struct CPUBudgetTests {
    @Test func aSpinningProcessGetsNoMoreThanItsBudget() async throws {
        let budget = try CPUBudget(name: "peergate-test-budget-\(getpid())", cpus: 0.2)
        let spinner = Process()
        spinner.executableURL = URL(filePath: "/bin/sh")
        spinner.arguments = ["-c", "while :; do :; done"]
        try spinner.run()
        defer {
            // SIGKILL: a test runner's children may inherit SIGTERM ignored.
            kill(spinner.processIdentifier, SIGKILL)
            spinner.waitUntilExit()
            budget.remove()
        }
        try budget.add(pid: spinner.processIdentifier)
        #expect(budget.processes == [spinner.processIdentifier])
        let membership = try String(contentsOfFile: "/proc/\(spinner.processIdentifier)/cgroup", encoding: .utf8)
        #expect(membership.contains((budget.directory as NSString).lastPathComponent))

        let start = ContinuousClock.now
        let before = try #require(BenchReport.cpuSeconds(pid: spinner.processIdentifier))
        try await Task.sleep(for: .seconds(2))
        let used = try #require(BenchReport.cpuSeconds(pid: spinner.processIdentifier)) - before
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        // 0.2 CPU over ~2 s is 0.4 s; clock ticks (10 ms) and the period's rounding add a little.
        #expect(used <= 0.2 * elapsed + 0.15, "the spinner used \(used) s of CPU in \(elapsed) s")
        #expect(used >= 0.05, "the spinner did not run: \(used) s")
    }

    @Test func removingTheGroupMovesItsProcessesOut() throws {
        let budget = try CPUBudget(name: "peergate-test-budget-remove-\(getpid())", cpus: 0.5)
        try withSleepingProcess { pid in
            try budget.add(pid: pid)
            budget.remove()
            #expect(!FileManager.default.fileExists(atPath: budget.directory))
            let membership = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
            #expect(!membership.contains((budget.directory as NSString).lastPathComponent))
        }
    }

    @Test func aBudgetMustBePositive() {
        #expect(throws: (any Error).self) { try CPUBudget(name: "peergate-test-budget-zero", cpus: 0) }
    }
}
