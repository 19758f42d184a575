import Foundation
import Media

/// Where segment files live: `<dataDir>/recordings/<channel>/<YYYY>/<MM>/<DD>/<start UTC>.mp4`
/// (`.webm`/`.mkv` for VP8)
/// (the start as `20261126T104500.123456Z`, sortable), the channel name made safe for any
/// file system. The index stores paths relative to the data directory.
public struct SegmentPaths: Sendable {
    public let dataDirectory: String

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The recordings root: `<dataDir>/recordings`.
    public var root: String { (dataDirectory as NSString).appendingPathComponent("recordings") }

    /// A channel name as one safe path component: ASCII letters, digits, `-` and `.` kept,
    /// everything else (slashes, `_`, control characters, spaces) as `_<hex code point>_`,
    /// so two names never meet in one directory; never empty, `.` or `..`.
    public static func sanitized(_ channel: String) -> String {
        var out = ""
        for scalar in channel.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || scalar == "-" || scalar == "." {
                out.unicodeScalars.append(scalar)
            } else {
                out += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "_" + out.map { _ in "2e" }.joined() + "_" }
        return String(out.prefix(200))
    }

    /// The relative path of a segment of `channel` starting at `start` (Unix µs).
    public func relativePath(channel: String, start: Int64, container: SegmentContainer = .fragmentedMP4) -> String {
        let date = Date(timeIntervalSince1970: Double(start) / 1_000_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = ((start % 1_000_000) + 1_000_000) % 1_000_000
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let name = "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))T\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2)).\(pad(Int(micros), 6))Z.\(container.fileExtension)"
        return ["recordings", Self.sanitized(channel), pad(parts.year, 4), pad(parts.month, 2), pad(parts.day, 2), name].joined(separator: "/")
    }

    /// The absolute path of a relative one.
    public func absolute(_ relative: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(relative)
    }

    /// The channel directory name and start time a relative path encodes (for files that
    /// reconciliation finds without a row); nil for anything else.
    public static func parse(_ relative: String) -> (channelDirectory: String, start: Int64)? {
        let parts = relative.split(separator: "/").map(String.init)
        guard parts.count == 6, parts[0] == "recordings", let container = SegmentContainer(path: parts[5]) else { return nil }
        let name = parts[5].dropLast(container.fileExtension.count + 1)
        guard name.hasSuffix("Z") else { return nil }
        let stamp = name.dropLast()  // 20261126T104500.123456
        guard stamp.count == 22, let micros = Int64(stamp.suffix(6)) else { return nil }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        let digits = Array(stamp)
        func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
        components.year = number(0..<4)
        components.month = number(4..<6)
        components.day = number(6..<8)
        components.hour = number(9..<11)
        components.minute = number(11..<13)
        components.second = number(13..<15)
        guard digits[8] == "T", digits[15] == ".", let date = Calendar(identifier: .gregorian).date(from: components) else { return nil }
        return (parts[1], Int64(date.timeIntervalSince1970.rounded()) * 1_000_000 + micros)
    }
}
