import Foundation
import PeerGateTestSupport
import Testing

/// peergate's STUN/TURN server against coturn's clients (turnutils_stunclient,
/// turnutils_uclient), aiortc and a raw STUN prober.
@Suite struct TURNEndToEndTests {
    static let secret = "e2e-turn-rest-secret-0123"
    static let user = ["--set", "turn.users.0.username=bench", "--set", "turn.users.0.password=bench-password-0123"]

    /// "Total lost packets N" and the sent/received totals of a uclient run.
    struct UClientReport {
        let lost: Int?
        let sent: Int?
        let received: Int?

        init(_ output: String) {
            func number(after marker: String) -> Int? {
                guard let range = output.range(of: marker, options: .backwards) else { return nil }
                return Int(output[range.upperBound...].prefix { $0.isNumber })
            }
            lost = number(after: "Total lost packets ")
            sent = number(after: "tot_send_msgs=")
            received = number(after: "tot_recv_msgs=")
        }
    }

    func uclient(_ arguments: [String], port: Int) async throws -> (ExternalProcess.Result, UClientReport) {
        let result = try await ExternalProcess.run("/usr/bin/turnutils_uclient", arguments + ["-p", "\(port)", "127.0.0.1"], timeout: .seconds(120))
        return (result, UClientReport(result.output))
    }

    @Test func stunclientLearnsItsMappedAddress() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0"])
        let port = try #require(server.ports["turn"])
        let result = try await ExternalProcess.run("/usr/bin/turnutils_stunclient", ["-p", "\(port)", "127.0.0.1"], timeout: .seconds(30))
        try await server.stop()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("UDP reflexive addr: 127.0.0.1:"), "\(result.output)")
    }

    /// Every event loop has a UDP listener on the TURN port (SO_REUSEPORT); the TCP listener
    /// holds the port exclusively, so a second server on it fails instead of sharing traffic.
    @Test func aSecondServerOnTheSameTURNPortFailsToStart() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0"])
        let port = try #require(server.ports["turn"])
        let second = try await PeergateProcess.run(["serve", "--http-port", "0", "--data-dir", server.dataDir + "-2", "--set", "turn.port=\(port)"])
        try? FileManager.default.removeItem(atPath: server.dataDir + "-2")
        let stunclient = try await ExternalProcess.run("/usr/bin/turnutils_stunclient", ["-p", "\(port)", "127.0.0.1"], timeout: .seconds(30))
        try await server.stop()
        #expect(second.status == 1)
        #expect(second.stderr.lowercased().contains("address already in use"), "\(second.stderr)")
        #expect(stunclient.output.contains("UDP reflexive addr: 127.0.0.1:"), "\(stunclient.output)")
    }

    @Test func uclientRelaysClientToClientWithoutLoss() async throws {
        let directory = temporaryPath("peergate-turn-tls")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try SelfSignedCertificate(in: directory)
        let server = try await ServerProcess(arguments: [
            "--set", "turn.port=0", "--set", "turn.tlsPort=0", "--set", "turn.allowLoopbackPeers=true", "--set", "turn.secret=\(Self.secret)",
            "--set", "http.tls.certificateFile=\(certificate.certificateFile)", "--set", "http.tls.keyFile=\(certificate.keyFile)",
        ] + Self.user)
        let port = try #require(server.ports["turn"])
        let tlsPort = try #require(server.ports["turnTLS"])
        let load = ["-y", "-n", "100", "-m", "4", "-l", "170"]

        let (udp, udpReport) = try await uclient(["-u", "bench", "-w", "bench-password-0123"] + load, port: port)
        #expect(udp.status == 0, "\(udp.output.suffix(800))")
        #expect(udpReport.lost == 0 && udpReport.sent == udpReport.received && (udpReport.sent ?? 0) >= 400, "UDP: \(udp.output.suffix(600))")

        let (tcp, tcpReport) = try await uclient(["-t", "-u", "bench", "-w", "bench-password-0123"] + load, port: port)
        #expect(tcp.status == 0)
        #expect(tcpReport.lost == 0 && tcpReport.sent == tcpReport.received && (tcpReport.sent ?? 0) >= 400, "TCP: \(tcp.output.suffix(600))")

        let (tls, tlsReport) = try await uclient(["-t", "-S", "-u", "bench", "-w", "bench-password-0123"] + load, port: tlsPort)
        #expect(tls.status == 0)
        #expect(tlsReport.lost == 0 && tlsReport.sent == tlsReport.received && (tlsReport.sent ?? 0) >= 400, "TLS: \(tls.output.suffix(600))")

        // REST credentials: turnutils derives the time-limited username and password from the secret.
        let (rest, restReport) = try await uclient(["-W", Self.secret, "-u", "rest-user"] + load, port: port)
        #expect(rest.status == 0)
        #expect(restReport.lost == 0 && (restReport.received ?? 0) >= 400, "REST: \(rest.output.suffix(600))")

        let (wrong, _) = try await uclient(["-u", "bench", "-w", "not-the-password", "-y", "-n", "5", "-m", "1"], port: port)
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("Cannot complete Allocation"), "\(wrong.output.suffix(400))")
        try await server.stop()
    }

    @Test func aiortcConnectsRelayOnlyThroughPeergate() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"])
        let run = try await PythonPeers.run("turn_aiortc_relay.py", [server.url(), server.accessKeyId, server.secretAccessKey], timeout: .seconds(120))
        try await server.stop()
        #expect(run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(1500))")
        #expect(run.checks.count == 3, "\(run.stderr.suffix(1500))")
    }

    @Test func deniedPeersAndMalformedInputAreRefused() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.secret=\(Self.secret)"])
        let port = try #require(server.ports["turn"])
        let username = "\(Int(Date().timeIntervalSince1970) + 600):prober"
        let password = try await ExternalProcess.run(
            "/usr/bin/env", ["python3", "-c", "import hmac,hashlib,base64,sys;print(base64.b64encode(hmac.new(sys.argv[1].encode(),sys.argv[2].encode(),hashlib.sha1).digest()).decode())", Self.secret, username]
        ).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try await PythonPeers.run("turn_probe.py", ["\(port)", server.url(), username, password])
        let stopped = try await server.stop()
        #expect(run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(1500))")
        #expect(run.checks.count == 10, "\(run.stderr.suffix(1500))")
        #expect(stopped.status == 0, "the server survived the probes and stopped cleanly: \(stopped.stderr.suffix(800))")
    }
}
