import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A CPU quota shared by the processes put in it: a control group of the kernel's `cpu`
/// controller (cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`, or cgroup v2 `cpu.max`).
/// Benchmarks give each server under test the same budget so that the server, not the load
/// generator sharing the machine, is what runs out first. Needs root.
public final class CPUBudget: Sendable {
    /// CPUs' worth of time per period (0.5 = half of one CPU).
    public let cpus: Double
    /// The group's directory.
    public let directory: String

    /// A short period keeps the throttled stretches short (a 100 ms period at half a CPU
    /// would stop a server for up to 50 ms at a time, longer than socket buffers cover).
    public static let periodMicroseconds = 10_000

    /// Makes the group `name` (replacing an empty one left by an earlier run) with `cpus` of budget.
    public init(name: String, cpus: Double) throws {
        guard cpus > 0, cpus <= 1024 else { throw BenchFailure(message: "a CPU budget is above 0 and at most 1024 CPUs (got \(cpus))") }
        // cgroup v1 has a `cpu` hierarchy of its own; v2 one tree with the controller listed.
        let isV1 = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
        let root: String
        if isV1 {
            root = "/sys/fs/cgroup/cpu"
        } else if let controllers = try? String(contentsOfFile: "/sys/fs/cgroup/cgroup.controllers", encoding: .utf8),
            controllers.split(separator: " ").contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "cpu" })
        {
            root = "/sys/fs/cgroup"
        } else {
            throw BenchFailure(message: "no cgroup cpu controller under /sys/fs/cgroup: a CPU budget needs one (and root)")
        }
        self.cpus = cpus
        self.directory = root + "/" + name
        rmdir(directory)
        guard mkdir(directory, 0o755) == 0 else {
            throw BenchFailure(message: "cannot make the control group \(directory): \(String(cString: strerror(errno)))")
        }
        let quota = max(1000, Int((cpus * Double(Self.periodMicroseconds)).rounded()))
        if isV1 {
            try write("\(Self.periodMicroseconds)", to: "cpu.cfs_period_us")
            try write("\(quota)", to: "cpu.cfs_quota_us")
        } else {
            try? Self.write("+cpu", to: root + "/cgroup.subtree_control")
            try write("\(quota) \(Self.periodMicroseconds)", to: "cpu.max")
        }
    }

    /// Moves process `pid` with all its threads into the group; threads it starts later
    /// are born in it.
    public func add(pid: Int32) throws {
        try write("\(pid)", to: "cgroup.procs")
    }

    /// The processes in the group.
    public var processes: [Int32] {
        let text = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// Removes the group, moving processes still in it back to the parent group first.
    public func remove() {
        let parent = (directory as NSString).deletingLastPathComponent + "/cgroup.procs"
        for pid in processes { try? Self.write("\(pid)", to: parent) }
        rmdir(directory)
    }

    private func write(_ value: String, to file: String) throws {
        try Self.write(value, to: directory + "/" + file)
    }

    /// Control-group files take one value per `write(2)`: no buffered writer, no temporary file.
    private static func write(_ value: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchFailure(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = value.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        guard written >= 0 else { throw BenchFailure(message: "cannot write \(value) to \(path): \(String(cString: strerror(errno)))") }
    }
}
