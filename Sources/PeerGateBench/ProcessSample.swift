import Foundation

/// What a soak watches of a process: resident memory, open file descriptors, threads and
/// CPU time, read from /proc/<pid>.
public struct ProcessSample: Sendable, Equatable {
    public var residentBytes: Int
    public var openFiles: Int
    /// The open files that are sockets (UDP and TCP alike).
    public var sockets: Int
    public var threads: Int
    public var cpuSeconds: Double

    public init(residentBytes: Int, openFiles: Int, sockets: Int = 0, threads: Int, cpuSeconds: Double) {
        self.residentBytes = residentBytes
        self.openFiles = openFiles
        self.sockets = sockets
        self.threads = threads
        self.cpuSeconds = cpuSeconds
    }

    /// The process's sample now, or nil when it is gone.
    public static func take(pid: Int32) -> ProcessSample? {
        guard let resident = BenchReport.residentBytes(pid: pid), let cpu = BenchReport.cpuSeconds(pid: pid),
            let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"),
            let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        else { return nil }
        let sockets = files.count { name in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(name)"))?.hasPrefix("socket:") == true
        }
        return ProcessSample(residentBytes: resident, openFiles: files.count, sockets: sockets, threads: threads.count, cpuSeconds: cpu)
    }
}

/// How far a series of samples strays: (max − min) / min, and the last against the first.
public struct SampleSpread: Sendable, Equatable {
    public var minimum: Double
    public var maximum: Double
    public var first: Double
    public var last: Double

    public init?(_ values: [Double]) {
        guard let minimum = values.min(), let maximum = values.max(), let first = values.first, let last = values.last else { return nil }
        self.minimum = minimum
        self.maximum = maximum
        self.first = first
        self.last = last
    }

    /// (max − min) / min: 0.05 is "flat within 5 %".
    public var spread: Double { minimum > 0 ? (maximum - minimum) / minimum : (maximum > 0 ? .infinity : 0) }
    /// last / first − 1: the drift from the start of the window to its end.
    public var drift: Double { first > 0 ? last / first - 1 : 0 }
}
