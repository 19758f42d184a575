import Foundation

/// peergate's STUN/TURN server side by side with coturn's `turnserver` on loopback: the same
/// `turnutils_uclient` client-to-client load (a ladder of client counts) against both, and
/// the same STUN Binding load generator against both.
public struct TURNBenchmark: Sendable {
    public var serverExecutable: String
    public var clientLadder: [Int]
    public var messagesPerClient: Int
    public var messageBytes: Int
    public var stunSeconds: Double
    /// Interleaved STUN rounds (coturn, peergate, coturn, …); each server's figure is its median.
    public var stunRounds = 3
    /// Sockets of the STUN load and requests each keeps in flight.
    public var stunSockets = 8
    public var stunWindow = 64
    /// When set, each server runs in a ``CPUBudget`` of this many CPUs, so that the server
    /// runs out before the load generator does (turnutils_uclient is one thread and shares
    /// the machine).
    public var serverCPUs: Double?

    public init(serverExecutable: String, clientLadder: [Int], messagesPerClient: Int, messageBytes: Int, stunSeconds: Double) {
        self.serverExecutable = serverExecutable
        self.clientLadder = clientLadder
        self.messagesPerClient = messagesPerClient
        self.messageBytes = messageBytes
        self.stunSeconds = stunSeconds
    }

    public struct RelayRun: Sendable {
        public var clients: Int
        public var received: Int
        public var seconds: Int
        public var lostPercent: Double
        /// CPU time the server used during the run (user + system, all threads).
        public var serverCPUSeconds: Double
        public var messagesPerSecond: Double { seconds > 0 ? Double(received) / Double(seconds) : 0 }
        /// Relayed messages per second of server CPU: capacity per core, whatever the load
        /// generator can offer.
        public var messagesPerCPUSecond: Double { serverCPUSeconds > 0 ? Double(received) / serverCPUSeconds : 0 }
    }

    public struct Result: Sendable {
        public var peergateRelay: [RelayRun]
        public var coturnRelay: [RelayRun]
        public var peergateSTUN: Double
        public var coturnSTUN: Double

        /// The highest relayed rate of a run without loss.
        public static func best(_ runs: [RelayRun]) -> Double {
            runs.filter { $0.lostPercent == 0 && $0.received > 0 }.map(\.messagesPerSecond).max() ?? 0
        }

        /// Relayed messages per server CPU-second over every run without loss.
        public static func efficiency(_ runs: [RelayRun]) -> Double {
            let clean = runs.filter { $0.lostPercent == 0 && $0.received > 0 }
            let cpu = clean.map(\.serverCPUSeconds).reduce(0, +)
            return cpu > 0 ? Double(clean.map(\.received).reduce(0, +)) / cpu : 0
        }
    }

    static let username = "bench"
    static let password = "bench-password-0123"

    public func run(report: (String) -> Void) async throws -> Result {
        let peergate = try await BenchServer.start(executable: serverExecutable, extraArguments: [
            "--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true", "--set", "turn.maxKbpsPerUser=0",
            "--set", "turn.maxAllocationsPerUser=10000", "--set", "turn.relayPorts=20000-24999",
            "--set", "turn.users.0.username=\(Self.username)", "--set", "turn.users.0.password=\(Self.password)",
        ])
        defer { peergate.stop() }
        let coturn = try await CoturnProcess.start(
            port: Int.random(in: 11000...19000), relayPorts: 25000...29999, username: Self.username, password: Self.password)
        defer { coturn.stop() }
        var budgets: [CPUBudget] = []
        defer { for budget in budgets { budget.remove() } }
        if let serverCPUs {
            for (server, pid) in [("peergate", peergate.pid), ("coturn", coturn.process.processIdentifier)] {
                let budget = try CPUBudget(name: "peergate-bench-turn-\(server)-\(pid)", cpus: serverCPUs)
                budgets.append(budget)
                try budget.add(pid: pid)
            }
        }
        guard let peergatePort = peergate.ports["turn"] else { throw BenchFailure(message: "peergate reported no TURN port") }
        var result = Result(peergateRelay: [], coturnRelay: [], peergateSTUN: 0, coturnSTUN: 0)
        for clients in clientLadder {
            let theirs = try await relayRun(port: coturn.port, clients: clients, serverPID: coturn.process.processIdentifier)
            result.coturnRelay.append(theirs)
            report(Self.describe(theirs, server: "coturn"))
            let ours = try await relayRun(port: peergatePort, clients: clients, serverPID: peergate.pid)
            result.peergateRelay.append(ours)
            report(Self.describe(ours, server: "peergate"))
        }
        var theirs: [Double] = []
        var ours: [Double] = []
        for round in 1...max(1, stunRounds) {
            theirs.append(try await STUNBindingLoad(host: "127.0.0.1", port: coturn.port, sockets: stunSockets, window: stunWindow).run(seconds: stunSeconds))
            report("STUN binding, round \(round): coturn \(Int(theirs.last ?? 0)) responses/s")
            ours.append(try await STUNBindingLoad(host: "127.0.0.1", port: peergatePort, sockets: stunSockets, window: stunWindow).run(seconds: stunSeconds))
            report("STUN binding, round \(round): peergate \(Int(ours.last ?? 0)) responses/s")
        }
        result.coturnSTUN = Self.median(theirs)
        result.peergateSTUN = Self.median(ours)
        return result
    }

    static func describe(_ run: RelayRun, server: String) -> String {
        "relay, \(run.clients) clients: \(server) \(Int(run.messagesPerSecond)) msg/s (loss \(run.lostPercent)%), "
            + "server CPU \(String(format: "%.2f", run.serverCPUSeconds)) s, \(Int(run.messagesPerCPUSecond)) msg per CPU-second"
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// One `turnutils_uclient -y -c` run: `clients` clients each sending `messagesPerClient`
    /// messages to another client through both their relays.
    private func relayRun(port: Int, clients: Int, serverPID: Int32) async throws -> RelayRun {
        let arguments = [
            "-y", "-c", "-u", Self.username, "-w", Self.password, "-m", "\(clients)", "-n", "\(messagesPerClient)", "-l", "\(messageBytes)",
            "-z", "1", "-p", "\(port)", "127.0.0.1",
        ]
        let cpuBefore = BenchReport.cpuSeconds(pid: serverPID) ?? 0
        let output = try await BenchCommandLine.run("/usr/bin/turnutils_uclient", arguments, timeout: 600)
        let cpu = (BenchReport.cpuSeconds(pid: serverPID) ?? 0) - cpuBefore
        func number(after marker: String) -> Double? {
            guard let range = output.range(of: marker, options: .backwards) else { return nil }
            return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        return RelayRun(
            clients: clients, received: Int(number(after: "tot_recv_msgs=") ?? 0), seconds: Int(number(after: "Total transmit time is ") ?? 0),
            lostPercent: number(after: "Total lost packets ").flatMap { _ in
                guard let open = output.range(of: "(", range: output.range(of: "Total lost packets ", options: .backwards).map { $0.upperBound..<output.endIndex }) else { return nil }
                return Double(output[open.upperBound...].prefix { $0.isNumber || $0 == "." })
            } ?? 100, serverCPUSeconds: cpu)
    }
}
