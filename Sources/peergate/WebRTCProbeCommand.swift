import ArgumentParser
import DTLS
import Foundation
import ICE
import NetworkAddress
import SDP
import WebRTC

/// `peergate webrtc-probe`: one WebRTC transport (ICE + DTLS + SRTP) driven over standard
/// input and output, to check that a browser or another stack connects to peergate's.
/// Descriptions travel as JSON lines `{"type": "offer"|"answer", "sdp": …}` (all candidates
/// included, no trickle); events are printed as JSON lines `{"event": …}`, the first being
/// `ready` once the candidates are gathered.
struct WebRTCProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-probe",
        abstract: "Connect one WebRTC transport to a peer, exchanging SDP as JSON lines on stdin/stdout.",
        discussion: """
            With --offer peergate prints its offer and reads the answer; otherwise it reads an offer and prints \
            its answer. It then prints connection events, sends a test RTP packet every 20 ms once connected \
            (--send-rtp) and exits when standard input closes, or with status 1 when it does not connect in time.
            """)

    @Flag(help: "Make the offer (controlling ICE agent, a=setup:actpass).") var offer = false
    @Option(help: "Address to bind the UDP socket to.") var bind = "127.0.0.1"
    @Option(help: "STUN server host:port for a server-reflexive candidate.") var stun: String?
    @Option(help: "TURN server host:port for a relayed candidate.") var turn: String?
    @Option(help: "TURN username.") var turnUser = ""
    @Option(help: "TURN password.") var turnPassword = ""
    @Flag(help: "Use relayed candidates only.") var relayOnly = false
    @Flag(help: "Send a test RTP packet every 20 ms once connected.") var sendRTP = false
    @Option(help: "Seconds to wait for the connection.") var timeout = 20.0

    func validate() throws {
        guard IPAddress(bind) != nil else { throw ValidationError("--bind must be an IP address") }
        if stun.flatMap(Self.address) == nil && stun != nil { throw ValidationError("--stun must be host:port") }
        if turn.flatMap(Self.address) == nil && turn != nil { throw ValidationError("--turn must be host:port") }
    }

    static func address(_ text: String) -> TransportAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
            let ip = IPAddress(String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        else { return nil }
        return TransportAddress(ip: ip, port: port)
    }

    func run() async throws {
        var configuration = WebRTCTransportConfiguration(interfaces: [WebRTCHostInterface(bindAddress: IPAddress(bind)!)])
        configuration.ice.stunServers = stun.flatMap(Self.address).map { [$0] } ?? []
        if let turn = turn.flatMap(Self.address) {
            configuration.ice.turnServers = [ICETURNServer(address: turn, username: turnUser, password: turnPassword)]
        }
        if relayOnly { configuration.ice.policy = .relay }
        let probe = WebRTCProbe(offering: offer, sendRTP: sendRTP, timeout: .milliseconds(Int(timeout * 1000)))
        let connected = try await probe.run(configuration: configuration, input: StandardInputLines.stream())
        if !connected { throw ExitCode(1) }
    }
}
