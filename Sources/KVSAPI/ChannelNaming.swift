/// Names and ARNs of signaling channels (KVS API shapes `ChannelName`, `ResourceARN`).
public enum ChannelNaming {
    /// `[a-zA-Z0-9_.-]{1,256}` — also the rule for client ids.
    public static func isValidName(_ name: String) -> Bool {
        (1...256).contains(name.utf8.count)
            && name.utf8.allSatisfy { isNameByte($0) }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// `arn:aws:kinesisvideo:<region>:<account>:channel/<name>/<creation epoch ms>`.
    public static func arn(region: String, accountId: String, name: String, creationMilliseconds: Int64) -> String {
        "arn:aws:kinesisvideo:\(region):\(accountId):channel/\(name)/\(creationMilliseconds)"
    }

    /// The channel name inside a well-formed channel ARN, nil otherwise.
    public static func name(inARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "kinesisvideo", arn.utf8.count <= 1024 else { return nil }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count == 3, resource[0] == "channel", !resource[2].isEmpty, resource[2].allSatisfy(\.isNumber) else { return nil }
        let name = String(resource[1])
        return isValidName(name) ? name : nil
    }
}
