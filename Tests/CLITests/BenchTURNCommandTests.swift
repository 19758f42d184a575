import Foundation
import PeerGateTestSupport
import Testing

/// `peergate bench turn` on a tiny load, with each server held to a CPU budget: both
/// servers relay uclient's messages without loss, the report names the budget and gives
/// ratios, and the budgets' control groups are gone afterwards.
@Suite struct BenchTURNCommandTests {
    @Test func budgetedRunComparesBothServers() async throws {
        let result = try await PeergateProcess.run(
            ["bench", "turn", "--clients", "4", "--messages", "250", "--stun-seconds", "0.5", "--stun-rounds", "1", "--server-cpus", "0.5"],
            timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(result.stdout.contains("--server-cpus 0.5"), "\(result.stdout)")
        // uclient's pace, not the servers, sets the rate of so small a load (its whole-second
        // transmit time makes the two rates differ a little).
        #expect(result.stdout.contains(/relay, 4 clients: coturn [1-9][0-9]* msg\/s \(loss 0.0%\)/), "\(result.stdout)")
        #expect(result.stdout.contains(/relay, 4 clients: peergate [1-9][0-9]* msg\/s \(loss 0.0%\)/), "\(result.stdout)")
        #expect(result.stdout.contains(/relayed messages\/s at 0 loss: peergate [1-9][0-9]*, coturn [1-9][0-9]*, ratio [0-9]+\.[0-9][0-9]/), "\(result.stdout)")
        #expect(result.stdout.contains(/STUN binding responses\/s: peergate [1-9][0-9]*, coturn [1-9][0-9]*, ratio/), "\(result.stdout)")
        let groups = ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup"].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }
        #expect(!groups.contains { $0.hasPrefix("peergate-bench-turn-") }, "\(groups)")
    }
}
