/// Environment variable names of configuration keys.
///
/// The rule is swift-configuration's `EnvironmentVariablesProvider` rule under the
/// `peergate` prefix: each key component's camelCase words are split by `_`, everything is
/// upper-cased, other characters become `_`, and components are joined by `_`:
/// `http.publicURL` → `PEERGATE_HTTP_PUBLIC_URL`,
/// `auth.credentials.0.accessKeyId` → `PEERGATE_AUTH_CREDENTIALS_0_ACCESS_KEY_ID`.
/// It is computed here too so that variables no key maps to can be reported.
enum EnvironmentName {
    /// Every variable starting with this belongs to peergate's configuration, except
    /// ``processVariables``.
    static let prefix = "PEERGATE_"

    /// Variables of the prefix that are no configuration key: read by the process itself
    /// (`PEERGATE_SRTP_CRYPTO`: the SRTP module's crypto; `PEERGATE_FUZZ_TARGET`: the fuzzing
    /// binary's target), so neither set nor reported as unknown.
    static let processVariables: Set<String> = ["PEERGATE_SRTP_CRYPTO", "PEERGATE_FUZZ_TARGET"]

    /// The environment variable read for a dotted key.
    static func of(_ key: String) -> String {
        let components = ["peergate"] + key.split(separator: ".").map(String.init)
        return components.map(encode).joined(separator: "_")
    }

    private static func encode(_ component: String) -> String {
        var output = ""
        var previous: Character?
        for character in component {
            if let previous, previous.isLowercase, character.isUppercase {
                output.append("_")
            }
            output += character.isLetter || character.isNumber ? character.uppercased() : "_"
            previous = character
        }
        return output
    }
}
