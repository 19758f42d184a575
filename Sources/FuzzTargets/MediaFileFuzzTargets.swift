import MediaFiles

/// The segment scanners start-up reconciliation runs on files a crash may have cut
/// anywhere, and the `tfdt` rewriting of HLS playback.
public enum MediaFileFuzzTargets {
    /// ISO/IEC 14496-12 box walk: bounds hold, and the scan is idempotent — the file cut
    /// to `validLength` (what repair does) scans to the same result. `DecodeTimeShift`
    /// on the same bytes keeps their size.
    public static let fragmentedMP4 = FuzzTarget(
        name: "mp4-scan",
        summary: "fragmented-MP4 scan of reconciliation (ISO/IEC 14496-12): bounds, repair idempotent; tfdt shift keeps sizes"
    ) { bytes in
        guard let scan = scanRepairingTwice(bytes, validLength: \.validLength, scan: FragmentedMP4Scan.init) else { return }
        FuzzCheck.expect(scan.headerLength <= scan.validLength, "the header ends after the valid length")
        var end = scan.headerLength
        for fragment in scan.fragmentRanges {
            FuzzCheck.expect(fragment.offset >= end && fragment.length > 0, "fragments overlap or go backwards")
            end = fragment.offset + fragment.length
        }
        FuzzCheck.expect(end <= scan.validLength, "a fragment past the valid length")
        var shifted = bytes
        _ = try? DecodeTimeShift.apply(to: &shifted, micros: 3_600_000_000, timescales: scan.timescales)
        FuzzCheck.expect(shifted.count == bytes.count, "the tfdt shift changed the size")
    }

    /// Matroska/WebM element walk (RFC 9559): the same bounds and idempotence.
    public static let matroska = FuzzTarget(
        name: "matroska-scan",
        summary: "Matroska/WebM scan of reconciliation (RFC 9559): bounds, repair idempotent"
    ) { bytes in
        _ = scanRepairingTwice(bytes, validLength: \.validLength, scan: MatroskaScan.init)
    }

    /// Scans `bytes`; when that succeeds, checks that the valid length lies inside the file
    /// and that the file cut to it (what repair does) scans to the same result.
    static func scanRepairingTwice<Scan: Equatable, Failure: Error>(
        _ bytes: [UInt8], validLength: KeyPath<Scan, Int64>, scan: (Int64, (Int64, Int) -> [UInt8]?) throws(Failure) -> Scan
    ) -> Scan? {
        guard let first = try? scan(Int64(bytes.count), reader(bytes)) else { return nil }
        let length = first[keyPath: validLength]
        FuzzCheck.expect(length >= 0 && length <= Int64(bytes.count), "validLength \(length) outside the file")
        let cut = Array(bytes.prefix(Int(length)))
        FuzzCheck.expect((try? scan(Int64(cut.count), reader(cut))) == first, "scanning the repaired file gives another result")
        return first
    }

    /// Reads like a file handle: up to `count` bytes at `offset`, fewer at the end.
    static func reader(_ bytes: [UInt8]) -> (Int64, Int) -> [UInt8]? {
        { offset, count in
            guard offset >= 0, offset <= Int64(bytes.count), count >= 0 else { return nil }
            let start = Int(offset)
            return Array(bytes[start..<min(bytes.count, start + count)])
        }
    }
}
