/// Why text is not a session description we accept.
public struct SDPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number (0 for the whole text).
    public var line: Int
    public var reason: String

    public var description: String { line > 0 ? "SDP line \(line): \(reason)" : "SDP: \(reason)" }
}

extension SessionDescription {
    /// The largest description accepted (a WebRTC offer with many tracks and candidates is
    /// well under this); more media sections or lines are refused too.
    public static let maxBytes = 128 * 1024
    public static let maxMediaSections = 64
    public static let maxLines = 8192

    /// Parses SDP text (RFC 8866 §5): `<type>=<value>` lines separated by CRLF (a bare LF
    /// is accepted, §5), `v=0` first, then `o=`, `s=`, and `t=` before the first `m=`.
    public init(parsing text: String) throws(SDPParseError) {
        guard text.utf8.count <= Self.maxBytes else { throw SDPParseError(line: 0, reason: "longer than \(Self.maxBytes) bytes") }
        let rawLines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        guard rawLines.count <= Self.maxLines else { throw SDPParseError(line: 0, reason: "more than \(Self.maxLines) lines") }
        var origin: Origin?
        var sessionName: String?
        var timing: String?
        var session = SessionDescription(origin: Origin(sessionID: "0", sessionVersion: 0))
        var sawVersion = false
        for (index, raw) in rawLines.enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            if line.isEmpty { continue }
            // RFC 8866 §9: no field may hold a CR (a text written back would end its line there).
            guard !line.contains("\r") else { throw SDPParseError(line: number, reason: "a CR inside a line") }
            guard line.count >= 2, let type = line.first, line[line.index(after: line.startIndex)] == "=", type.isASCII, type.isLowercase else {
                throw SDPParseError(line: number, reason: "not a <type>=<value> line")
            }
            let value = String(line.dropFirst(2))
            guard sawVersion || type == "v" else { throw SDPParseError(line: number, reason: "v= must come first") }
            if type == "m" {
                guard origin != nil, sessionName != nil, timing != nil else {
                    throw SDPParseError(line: number, reason: "o=, s= and t= must come before the first m=")
                }
                guard session.media.count < Self.maxMediaSections else {
                    throw SDPParseError(line: number, reason: "more than \(Self.maxMediaSections) media sections")
                }
                session.media.append(try MediaDescription(mLine: value, line: number))
                continue
            }
            if !session.media.isEmpty {
                let last = session.media.count - 1
                switch type {
                case "a": session.media[last].attributes.append(SDPAttribute(parsing: value[...]))
                case "c": session.media[last].connection = value
                case "i", "b", "k": session.media[last].otherLines.append(SDPLine(type: type, value: value))
                default: throw SDPParseError(line: number, reason: "\(type)= is not allowed in a media section")
                }
                continue
            }
            switch type {
            case "v":
                guard !sawVersion, value == "0" else { throw SDPParseError(line: number, reason: "expected v=0 once") }
                sawVersion = true
            case "o": origin = try Origin(parsing: value, line: number)
            case "s": sessionName = value
            case "t": timing = value
            case "c": session.connection = value
            case "a": session.attributes.append(SDPAttribute(parsing: value[...]))
            case "i", "u", "e", "p", "b", "r", "z", "k": session.otherLines.append(SDPLine(type: type, value: value))
            default: throw SDPParseError(line: number, reason: "unknown line type \(type)=")
            }
        }
        guard let origin, let sessionName, let timing else { throw SDPParseError(line: 0, reason: "missing v=, o=, s= or t=") }
        session.origin = origin
        session.sessionName = sessionName
        session.timing = timing
        // Lines kept as they are go in the order RFC 8866 §5 gives them (the order the
        // serializer writes), so a description written back parses to itself.
        session.otherLines = ["iuep", "b", "rzk"].flatMap { group in session.otherLines.filter { group.contains($0.type) } }
        for index in session.media.indices {
            let lines = session.media[index].otherLines
            session.media[index].otherLines = lines.filter { $0.type == "i" } + lines.filter { $0.type != "i" }
        }
        self = session
    }
}

extension SessionDescription.Origin {
    /// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`.
    init(parsing value: String, line: Int) throws(SDPParseError) {
        let fields = value.split(separator: " ")
        guard fields.count == 6, let version = UInt64(fields[2]) else { throw SDPParseError(line: line, reason: "o= needs six fields") }
        self.init(
            username: String(fields[0]), sessionID: String(fields[1]), sessionVersion: version,
            networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }
}

extension MediaDescription {
    /// `m=<media> <port>[/<count>] <proto> <fmt> …` (RFC 8866 §5.14).
    init(mLine value: String, line: Int) throws(SDPParseError) {
        let fields = value.split(separator: " ")
        guard fields.count >= 3, let port = Int(fields[1].split(separator: "/").first ?? ""), (0...65535).contains(port) else {
            throw SDPParseError(line: line, reason: "m= needs <media> <port> <proto> <fmt>…")
        }
        self.init(kind: String(fields[0]), port: port, proto: String(fields[2]), formats: fields.dropFirst(3).map(String.init), connection: nil)
    }
}
