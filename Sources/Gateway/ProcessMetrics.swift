import CoreMetrics
import Foundation
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics.
///
/// swift-metrics allows one bootstrap per process; the first use of ``registry``
/// performs it, so every `Counter`/`Gauge`/`Timer` created through swift-metrics anywhere
/// in peergate (and Hummingbird's `MetricsMiddleware`) is exported by `/metrics`.
public enum ProcessMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        registry.makeGauge(
            descriptor: .init(namespace: "peergate", metricName: "build", unitName: "info", helpText: "peergate build; always 1"),
            labels: [("version", PeerGateVersion.current)]
        ).set(to: 1)
        registry.makeGauge(
            descriptor: .init(namespace: "process", metricName: "start_time", unitName: "seconds", helpText: "Start time since the Unix epoch")
        ).set(to: Date().timeIntervalSince1970)
        return registry
    }()

    private static let residentMemory = registry.makeGauge(
        descriptor: .init(namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size"))
    private static let openFileDescriptors = registry.makeGauge(
        descriptor: .init(namespace: "process", metricName: "open", unitName: "fds", helpText: "Open file descriptors"))
    private static let threads = registry.makeGauge(
        descriptor: .init(namespace: "process", metricName: "threads", unitName: "count", helpText: "Threads of the process"))

    /// The Prometheus text exposition (format 0.0.4) of every metric, with the process
    /// gauges (RSS, open descriptors, threads from `/proc/self`) refreshed first.
    public static func exposition() -> [UInt8] {
        refreshProcessGauges()
        return registry.emitToBuffer()
    }

    private static func refreshProcessGauges() {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        {
            residentMemory.set(to: Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))))
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFileDescriptors.set(to: Double(descriptors.count))
        }
        if let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") {
            threads.set(to: Double(tasks.count))
        }
    }
}
