/// The version of this peergate build, printed by `peergate --version`, exported as the
/// `peergate_build_info` metric and sent as the HTTP `Server` header.
public enum PeerGateVersion {
    public static let current = "0.1.0"
}
