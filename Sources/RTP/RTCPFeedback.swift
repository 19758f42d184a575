/// Generic NACK (RFC 4585 §6.2.1): sequence numbers the receiver lost, sent as PID + BLP
/// pairs (a PID and a bitmask of the 16 following).
public struct RTCPNack: Sendable, Equatable {
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    /// Lost sequence numbers in the order they appear.
    public var lost: [UInt16]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lost: [UInt16]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.lost = lost
    }

    /// PID/BLP pairs covering `lost` (sorted in sequence order, wrap-around aware).
    var entries: [(pid: UInt16, blp: UInt16)] {
        var result: [(UInt16, UInt16)] = []
        for sequence in lost {
            if let last = result.last, case let distance = sequence &- last.0, distance >= 1, distance <= 16 {
                result[result.count - 1].1 |= 1 << (distance - 1)
            } else {
                result.append((sequence, 0))
            }
        }
        return result
    }

    static func lost(fromEntries entries: [(pid: UInt16, blp: UInt16)]) -> [UInt16] {
        entries.flatMap { entry in
            [entry.pid] + (0..<16).filter { entry.blp & (1 << $0) != 0 }.map { entry.pid &+ UInt16($0) &+ 1 }
        }
    }
}

/// Full Intra Request (RFC 5104 §4.3.1): per target source, a command sequence number.
public struct RTCPFullIntraRequest: Sendable, Equatable {
    public var senderSSRC: UInt32
    public var entries: [Entry]

    public struct Entry: Sendable, Equatable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public init(senderSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.entries = entries
    }
}

/// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb §2.2): an application
/// layer feedback message (PSFB FMT 15) starting with "REMB".
public struct RTCPReceiverEstimatedBitrate: Sendable, Equatable {
    public var senderSSRC: UInt32
    public var bitsPerSecond: UInt64
    public var ssrcs: [UInt32]

    public init(senderSSRC: UInt32, bitsPerSecond: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitsPerSecond = bitsPerSecond
        self.ssrcs = ssrcs
    }

    /// Exponent (6 bits) and mantissa (18 bits) of the bitrate.
    var exponentAndMantissa: (UInt8, UInt32) {
        var exponent: UInt8 = 0
        var mantissa = bitsPerSecond
        while mantissa > 0x3FFFF {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }
}
