/// Reads bits most significant first, with Exp-Golomb codes (ITU-T H.264 §9.1).
struct BitReader {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func bit() -> Int? {
        guard position < bytes.count * 8 else { return nil }
        defer { position += 1 }
        return Int(bytes[position / 8] >> (7 - UInt8(position % 8))) & 1
    }

    mutating func bits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let bit = bit() else { return nil }
            value = value << 1 | bit
        }
        return value
    }

    mutating func skip(_ count: Int) -> Bool {
        position += count
        return position <= bytes.count * 8
    }

    /// ue(v); nil past the end or for codes longer than 31 bits.
    mutating func unsigned() -> Int? {
        var zeros = 0
        while true {
            guard let bit = bit() else { return nil }
            if bit == 1 { break }
            zeros += 1
            if zeros > 31 { return nil }
        }
        guard let rest = bits(zeros) else { return nil }
        return (1 << zeros) - 1 + rest
    }

    mutating func signed() -> Int? {
        guard let code = unsigned() else { return nil }
        return code % 2 == 1 ? (code + 1) / 2 : -(code / 2)
    }
}

/// The cropped picture size in an H.264 SPS (ITU-T H.264 §7.3.2.1.1, §7.4.2.1.1).
struct H264PictureSize {
    let width: Int
    let height: Int

    /// `sps` is the RBSP after the NAL header byte.
    init?(sps: [UInt8]) {
        var reader = BitReader(sps)
        guard let profile = reader.bits(8), reader.skip(16), reader.unsigned() != nil else { return nil }
        var chromaFormat = 1
        var separateColourPlanes = false
        if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(profile) {
            guard let format = reader.unsigned() else { return nil }
            chromaFormat = format
            if format == 3 { separateColourPlanes = reader.bit() == 1 }
            guard reader.unsigned() != nil, reader.unsigned() != nil, reader.skip(1), let matrix = reader.bit() else { return nil }
            if matrix == 1 {
                for index in 0..<(chromaFormat == 3 ? 12 : 8) where reader.bit() == 1 {
                    // scaling_list(): skip the delta_scale values.
                    var last = 8
                    var next = 8
                    for _ in 0..<(index < 6 ? 16 : 64) where next != 0 {
                        guard let delta = reader.signed() else { return nil }
                        next = (last + delta + 256) % 256
                        if next != 0 { last = next }
                    }
                }
            }
        }
        guard reader.unsigned() != nil, let pocType = reader.unsigned() else { return nil }
        if pocType == 0 {
            guard reader.unsigned() != nil else { return nil }
        } else if pocType == 1 {
            guard reader.skip(1), reader.signed() != nil, reader.signed() != nil, let cycle = reader.unsigned(), cycle < 256 else { return nil }
            for _ in 0..<cycle where reader.signed() == nil { return nil }
        }
        guard reader.unsigned() != nil, reader.skip(1), let widthMBs = reader.unsigned(), let heightUnits = reader.unsigned(), let frameMBsOnly = reader.bit() else {
            return nil
        }
        if frameMBsOnly == 0 { _ = reader.skip(1) }
        guard reader.skip(1), let cropping = reader.bit() else { return nil }
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if cropping == 1 {
            guard let left = reader.unsigned(), let right = reader.unsigned(), let top = reader.unsigned(), let bottom = reader.unsigned() else { return nil }
            crop = (left, right, top, bottom)
        }
        let chromaArray = separateColourPlanes ? 0 : chromaFormat
        let cropX = chromaArray == 0 ? 1 : (chromaArray == 3 ? 1 : 2)
        let cropY = (chromaArray == 0 ? 1 : (chromaArray == 1 ? 2 : 1)) * (2 - frameMBsOnly)
        width = (widthMBs + 1) * 16 - cropX * (crop.left + crop.right)
        height = (2 - frameMBsOnly) * (heightUnits + 1) * 16 - cropY * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { return nil }
    }
}

/// The cropped picture size in an H.265 SPS (ITU-T H.265 §7.3.2.2, §7.3.3).
struct H265PictureSize {
    let width: Int
    let height: Int

    /// `sps` is the RBSP after the two NAL header bytes.
    init?(sps: [UInt8]) {
        var reader = BitReader(sps)
        guard reader.skip(4), let subLayersMinus1 = reader.bits(3), reader.skip(1) else { return nil }
        // profile_tier_level(1, sps_max_sub_layers_minus1): general part 96 bits.
        guard reader.skip(96) else { return nil }
        var profilePresent: [Bool] = []
        var levelPresent: [Bool] = []
        for _ in 0..<subLayersMinus1 {
            profilePresent.append(reader.bit() == 1)
            levelPresent.append(reader.bit() == 1)
        }
        if subLayersMinus1 > 0 { guard reader.skip(2 * (8 - subLayersMinus1)) else { return nil } }
        for index in 0..<subLayersMinus1 {
            if profilePresent[index] { guard reader.skip(88) else { return nil } }
            if levelPresent[index] { guard reader.skip(8) else { return nil } }
        }
        guard reader.unsigned() != nil, let chromaFormat = reader.unsigned() else { return nil }
        var separateColourPlanes = false
        if chromaFormat == 3 { separateColourPlanes = reader.bit() == 1 }
        guard let lumaWidth = reader.unsigned(), let lumaHeight = reader.unsigned(), let window = reader.bit() else { return nil }
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if window == 1 {
            guard let left = reader.unsigned(), let right = reader.unsigned(), let top = reader.unsigned(), let bottom = reader.unsigned() else { return nil }
            crop = (left, right, top, bottom)
        }
        let chromaArray = separateColourPlanes ? 0 : chromaFormat
        let subWidth = chromaArray == 1 || chromaArray == 2 ? 2 : 1
        let subHeight = chromaArray == 1 ? 2 : 1
        width = lumaWidth - subWidth * (crop.left + crop.right)
        height = lumaHeight - subHeight * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { return nil }
    }
}
