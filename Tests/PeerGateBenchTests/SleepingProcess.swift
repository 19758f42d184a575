import Foundation

/// A `sleep 30` child for tests that place a process somewhere (a CPU budget, CPUs): runs
/// `body` with its pid, then kills it with SIGKILL (the test process may hold SIGTERM
/// blocked, and a child inherits that).
func withSleepingProcess(_ body: (Int32) throws -> Void) throws {
    let sleeper = Process()
    sleeper.executableURL = URL(filePath: "/bin/sleep")
    sleeper.arguments = ["30"]
    try sleeper.run()
    defer {
        kill(sleeper.processIdentifier, SIGKILL)
        sleeper.waitUntilExit()
    }
    try body(sleeper.processIdentifier)
}
