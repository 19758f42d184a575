/// The query of a listing (`?from=&to=&limit=&order=&next=`), checked: a bad value is an
/// error that names the parameter, never a silent default.
public struct ListingQuery: Sendable, Equatable {
    public enum Order: String, Sendable { case asc, desc }

    /// Unix microseconds; [from, to).
    public var from: Int64
    public var to: Int64
    public var limit: Int
    public var order: Order
    /// Where the previous page stopped (its last row's start and id).
    public var after: PageToken?

    public static let defaultLimit = 100
    /// A day of one-minute segments fits in one page.
    public static let maxLimit = 5000

    /// - Parameters:
    ///   - parameters: the query's name → value (the first of repeated names).
    ///   - defaultFrom: `from` when absent (the Unix epoch); `to` defaults to `now`.
    public init(_ parameters: [String: String], now: Int64, defaultFrom: Int64 = 0) throws(RecordingsAPIError) {
        from = try Self.time(parameters, "from") ?? defaultFrom
        to = try Self.time(parameters, "to") ?? now
        guard from < to else { throw .badRequest("from (\(RFC3339Time.format(from))) must be before to (\(RFC3339Time.format(to)))") }
        if let text = parameters["limit"] {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else { throw .badRequest("limit must be a number from 1 to \(Self.maxLimit)") }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        if let text = parameters["order"] {
            guard let value = Order(rawValue: text) else { throw .badRequest("order must be asc or desc") }
            order = value
        } else {
            order = .asc
        }
        if let text = parameters["next"] {
            guard let token = PageToken(text) else { throw .badRequest("next is not a token this server issued") }
            after = token
        }
    }

    static func time(_ parameters: [String: String], _ name: String) throws(RecordingsAPIError) -> Int64? {
        guard let text = parameters[name] else { return nil }
        guard let value = RFC3339Time.parse(text) else {
            throw .badRequest("\(name) must be an RFC 3339 date-time such as 2026-11-26T10:45:00Z (got \"\(text.prefix(64))\")")
        }
        return value
    }
}

/// Where a page stopped: the start (µs) and id of its last row, as `<start>.<id>` text.
public struct PageToken: Sendable, Equatable, CustomStringConvertible {
    public var start: Int64
    public var id: Int64

    public init(start: Int64, id: Int64) {
        self.start = start
        self.id = id
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, text.count <= 42, let start = Int64(parts[0]), let id = Int64(parts[1]), id >= 0 else { return nil }
        self.start = start
        self.id = id
    }

    public var description: String { "\(start).\(id)" }
}

/// A refusal of the recordings API: the HTTP status, a short code and words for people.
public enum RecordingsAPIError: Error, Sendable, Equatable {
    case badRequest(String)
    case notFound(String)
    case conflict(String)
    case rangeNotSatisfiable(size: Int64)
    case unsupportedMedia(String)
    case unavailable(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .notFound: 404
        case .conflict: 409
        case .rangeNotSatisfiable: 416
        case .unsupportedMedia: 415
        case .unavailable: 503
        }
    }

    public var body: RecordingsAPI.ErrorBody {
        switch self {
        case .badRequest(let message): .init(error: "BadRequest", message: message)
        case .notFound(let message): .init(error: "NotFound", message: message)
        case .conflict(let message): .init(error: "Conflict", message: message)
        case .rangeNotSatisfiable(let size): .init(error: "RangeNotSatisfiable", message: "the requested range is outside the file's \(size) bytes")
        case .unsupportedMedia(let message): .init(error: "UnsupportedMedia", message: message)
        case .unavailable(let message): .init(error: "Unavailable", message: message)
        }
    }
}
