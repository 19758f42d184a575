import Foundation
import KVSAPI

/// Input rules of the KVS API model (shapes ChannelName, ResourceARN, Version,
/// MessageTtlSeconds, TagKey, TagValue, NextToken).
extension ControlPlane {
    static func validName(_ value: String?, member: String) throws(KVSError) -> String {
        guard let value else { throw .invalidArgument("\(member) is required") }
        guard ChannelNaming.isValidName(value) else {
            throw .invalidArgument("\(member) must be 1 to 256 characters of [a-zA-Z0-9_.-]")
        }
        return value
    }

    static func validARN(_ value: String?, member: String) throws(KVSError) -> String {
        guard let value else { throw .invalidArgument("\(member) is required") }
        guard ChannelNaming.name(inARN: value) != nil else {
            throw .invalidArgument("\(member) is not a signaling channel ARN (arn:aws:kinesisvideo:region:account:channel/name/time)")
        }
        return value
    }

    static func validVersion(_ value: String?) throws(KVSError) -> String {
        guard let value else { throw .invalidArgument("CurrentVersion is required") }
        guard (1...64).contains(value.utf8.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .invalidArgument("CurrentVersion must be 1 to 64 letters and digits")
        }
        return value
    }

    static func validTTL(_ value: Int?) throws(KVSError) -> Int? {
        guard let value else { return nil }
        guard SignalingChannel.Limits.messageTtlSeconds.contains(value) else {
            throw .invalidArgument("MessageTtlSeconds must be in 5...120")
        }
        return value
    }

    static func validTags(_ tags: [ChannelAPI.Tag], allowEmpty: Bool) throws(KVSError) -> [String: String] {
        guard tags.count <= SignalingChannel.Limits.maxTags else {
            throw .tagsPerResourceExceededLimit("A channel has at most \(SignalingChannel.Limits.maxTags) tags")
        }
        guard allowEmpty || !tags.isEmpty else { throw .invalidArgument("Tags must hold at least one tag") }
        var result: [String: String] = [:]
        for tag in tags {
            guard SignalingChannel.Limits.tagKeyLength.contains(tag.Key.count), isTagText(tag.Key) else {
                throw .invalidArgument("Tag keys are 1 to 128 letters, digits, spaces or _.:/=+-@")
            }
            guard SignalingChannel.Limits.tagValueLength.contains(tag.Value.count), isTagText(tag.Value) else {
                throw .invalidArgument("Tag values are up to 256 letters, digits, spaces or _.:/=+-@")
            }
            result[tag.Key] = tag.Value
        }
        return result
    }

    /// `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`.
    private static func isTagText(_ text: String) -> Bool {
        text.allSatisfy { $0.isLetter || $0.isNumber || $0.isWhitespace || "_.:/=+-@".contains($0) }
    }

    /// NextToken: the base64 text of the last row id of the previous page.
    static func token(_ position: Int64) -> String {
        Data(String(position).utf8).base64EncodedString()
    }

    static func position(inToken token: String) throws(KVSError) -> Int64 {
        guard let data = Data(base64Encoded: token), let position = Int64(String(decoding: data, as: UTF8.self)), position >= 0 else {
            throw .invalidArgument("NextToken is not a token this server returned")
        }
        return position
    }
}
