/// A session description (RFC 8866 §5): the session-level lines, then one media
/// description per `m=` line. Lines this model has no field for are kept in order
/// (`otherLines`, attributes), so parsing then serializing loses nothing WebRTC uses.
public struct SessionDescription: Sendable, Equatable {
    /// `o=` (RFC 8866 §5.2).
    public struct Origin: Sendable, Equatable {
        public var username: String
        public var sessionID: String
        public var sessionVersion: UInt64
        public var networkType: String
        public var addressType: String
        public var address: String

        public init(username: String = "-", sessionID: String, sessionVersion: UInt64, networkType: String = "IN", addressType: String = "IP4", address: String = "127.0.0.1") {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.networkType = networkType
            self.addressType = addressType
            self.address = address
        }
    }

    /// `v=`: always 0 (RFC 8866 §5.1).
    public var version: Int = 0
    public var origin: Origin
    /// `s=` (RFC 8866 §5.3); JSEP uses "-" (RFC 8829 §5.2.1).
    public var sessionName: String = "-"
    /// `t=` start and stop times (RFC 8866 §5.9); JSEP uses "0 0".
    public var timing: String = "0 0"
    /// `c=` at session level, if any (RFC 8866 §5.7).
    public var connection: String?
    /// Session-level lines other than v, o, s, t, c and a (i, u, e, p, b, r, z, k), in order.
    public var otherLines: [SDPLine] = []
    public var attributes: [SDPAttribute] = []
    public var media: [MediaDescription] = []

    public init(origin: Origin, attributes: [SDPAttribute] = [], media: [MediaDescription] = []) {
        self.origin = origin
        self.attributes = attributes
        self.media = media
    }

    /// The description as SDP text: CRLF line endings, RFC 8866 §5 line order.
    public var text: String {
        var lines = ["v=\(version)"]
        lines.append("o=\(origin.username) \(origin.sessionID) \(origin.sessionVersion) \(origin.networkType) \(origin.addressType) \(origin.address)")
        lines.append("s=\(sessionName)")
        lines += otherLines.filter { "iuep".contains($0.type) }.map(\.text)
        if let connection { lines.append("c=\(connection)") }
        lines += otherLines.filter { $0.type == "b" }.map(\.text)
        lines.append("t=\(timing)")
        lines += otherLines.filter { "rzk".contains($0.type) }.map(\.text)
        lines += attributes.map { "a=\($0.text)" }
        for section in media { lines += section.lines }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// A `<type>=<value>` line kept as it was.
public struct SDPLine: Sendable, Equatable {
    public var type: Character
    public var value: String

    public init(type: Character, value: String) {
        self.type = type
        self.value = value
    }

    public var text: String { "\(type)=\(value)" }
}
