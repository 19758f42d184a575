import Foundation

/// Keeps processes on chosen CPUs (`taskset -a -p`: every thread the process has, and
/// threads it starts later inherit it). A benchmark that reports CPU time per unit of work
/// gives the process under test a core of its own, so the figure does not depend on how
/// the scheduler mixes it with the load generator on the same cores.
public enum CPUPinning {
    /// CPUs this process may run on.
    public static var availableCPUs: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Pins process `pid` (all its threads) to the CPUs `cpus`.
    public static func pin(pid: Int32, to cpus: ClosedRange<Int>) throws {
        try taskset(["-a"], id: pid, to: cpus)
    }

    /// Pins the calling thread alone (its id read from `/proc/thread-self`) to `cpu`.
    public static func pinCurrentThread(to cpu: Int) throws {
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"), let id = link.split(separator: "/").last.flatMap({ Int32($0) }) else {
            throw BenchFailure(message: "no thread id in /proc/thread-self")
        }
        try taskset([], id: id, to: cpu...cpu)
    }

    private static func taskset(_ options: [String], id pid: Int32, to cpus: ClosedRange<Int>) throws {
        guard cpus.lowerBound >= 0, cpus.upperBound < availableCPUs else {
            throw BenchFailure(message: "CPUs \(cpus.lowerBound)-\(cpus.upperBound) are not all available (\(availableCPUs) CPUs)")
        }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/taskset")
        process.arguments = options + ["-c", "-p", "\(cpus.lowerBound)-\(cpus.upperBound)", "\(pid)"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchFailure(message: "taskset could not pin process \(pid) to CPUs \(cpus.lowerBound)-\(cpus.upperBound): \(message)")
        }
    }

    /// The CPUs a process is allowed on now (`/proc/PID/status`, `Cpus_allowed_list`).
    public static func allowedCPUs(pid: Int32) -> String? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }.map {
            $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
        }
    }
}
