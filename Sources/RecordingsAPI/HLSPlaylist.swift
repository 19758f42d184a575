/// An HLS media playlist (RFC 8216) over recorded fragmented-MP4 segment files, by byte
/// range: each file's `ftyp` + `moov` is its Media Initialization Section (`EXT-X-MAP`,
/// §4.3.2.5) and each `moof` + `mdat` fragment a Media Segment (`EXT-X-BYTERANGE`,
/// §4.3.2.2). The URIs serve the files on one timeline (decode times moved by each
/// file's start), so consecutive files continue each other and only a gap in the
/// recording is a discontinuity (§4.3.2.3); `EXT-X-PROGRAM-DATE-TIME` (§4.3.2.6) gives
/// each file's wall-clock start.
public struct HLSPlaylist: Sendable {
    /// One segment file and the fragments of it the span covers.
    public struct File: Sendable, Equatable {
        /// The file's URL as the playlist writes it (relative to the playlist, or absolute).
        public var uri: String
        /// Wall clock of the file's time zero, Unix µs.
        public var start: Int64
        /// Length of `ftyp` + `moov`.
        public var headerLength: Int64
        public var fragments: [Fragment]

        public init(uri: String, start: Int64, headerLength: Int64, fragments: [Fragment]) {
            self.uri = uri
            self.start = start
            self.headerLength = headerLength
            self.fragments = fragments
        }
    }

    public struct Fragment: Sendable, Equatable {
        public var offset: Int64
        public var length: Int64
        /// From the file's time zero, µs.
        public var startMicros: Int64
        public var durationMicros: Int64

        public init(offset: Int64, length: Int64, startMicros: Int64, durationMicros: Int64) {
            self.offset = offset
            self.length = length
            self.startMicros = startMicros
            self.durationMicros = durationMicros
        }
    }

    public var files: [File]
    /// A file starting more than this after the previous one ended follows a gap.
    public var gapThreshold: Int64

    public init(files: [File], gapThreshold: Int64 = RecordedSpans.defaultThreshold) {
        self.files = files
        self.gapThreshold = gapThreshold
    }

    /// The fragments of a file that overlap the wall-clock span [from, to), from the
    /// fragment ends a scan measured (each starts where the one before ended).
    public static func fragments(ofFileStartingAt start: Int64, ends: [(offset: Int64, length: Int64, endMicros: Int64)], from: Int64, to: Int64) -> [Fragment] {
        var out: [Fragment] = []
        var previousEnd: Int64 = 0
        for entry in ends {
            let fragment = Fragment(offset: entry.offset, length: entry.length, startMicros: previousEnd, durationMicros: max(entry.endMicros - previousEnd, 0))
            previousEnd = max(previousEnd, entry.endMicros)
            guard fragment.durationMicros > 0 else { continue }
            if start + fragment.startMicros + fragment.durationMicros > from && start + fragment.startMicros < to { out.append(fragment) }
        }
        return out
    }

    /// The playlist text (`application/vnd.apple.mpegurl`).
    public var text: String {
        let durations = files.flatMap(\.fragments).map(\.durationMicros)
        // §4.3.3.1: every EXTINF, rounded to the nearest integer, is at most the target.
        let target = max(1, Int(((durations.max() ?? 1_000_000) + 500_000) / 1_000_000))
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:\(target)", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
        var previousEnd: Int64?
        for file in files where !file.fragments.isEmpty {
            let last = file.fragments[file.fragments.count - 1]
            defer { previousEnd = file.start + last.startMicros + last.durationMicros }
            if let previousEnd, file.start + file.fragments[0].startMicros - previousEnd > gapThreshold { lines.append("#EXT-X-DISCONTINUITY") }
            lines.append("#EXT-X-PROGRAM-DATE-TIME:\(RFC3339Time.format(file.start + file.fragments[0].startMicros))")
            lines.append("#EXT-X-MAP:URI=\"\(file.uri)\",BYTERANGE=\"\(file.headerLength)@0\"")
            for fragment in file.fragments {
                lines.append("#EXTINF:\(Self.seconds(fragment.durationMicros)),")
                lines.append("#EXT-X-BYTERANGE:\(fragment.length)@\(fragment.offset)")
                lines.append(file.uri)
            }
        }
        lines.append("#EXT-X-ENDLIST")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds with six decimals (§4.3.2.1: a decimal-floating-point).
    static func seconds(_ micros: Int64) -> String {
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
