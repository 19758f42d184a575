import Yams

extension PeerGateConfig {
    /// The configuration as YAML in the layout of `Config/peergate.yaml`; a file that
    /// `serve --config` reads back to the same configuration when secrets are revealed.
    /// - Parameter revealSecrets: false (the default) writes `****` for every secret.
    public func yaml(revealSecrets: Bool = false) -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = false
        do {
            return try encoder.encode(self, userInfo: [Secret.revealKey: revealSecrets])
        } catch {
            preconditionFailure("PeerGateConfig encodes only strings, numbers, booleans and lists: \(error)")
        }
    }
}
