import NetworkAddress
import STUN
import TURN

/// STUN messages and the TURN server fed from hostile clients.
public enum STUNFuzzTargets {
    static let integrityKey = STUNIntegrity.longTermKey(username: "fuzz", realm: "peergate", password: "fuzz-password")
    static let integrityAttributes: Set<UInt16> = [
        STUNAttributeType.messageIntegrity, STUNAttributeType.messageIntegritySHA256, STUNAttributeType.fingerprint,
    ]

    /// RFC 8489 §5–6 and §14: the parser, every attribute decoder and the integrity check.
    /// A parsed message written again by ``STUNMessageBuilder`` parses to the same attributes.
    public static let message = FuzzTarget(
        name: "stun-message",
        summary: "STUN parser (RFC 8489 §5, §14), attribute decoders, integrity check; re-encoding keeps the attributes"
    ) { bytes in
        _ = STUNMessage.looksLikeSTUN(bytes)
        guard let message = try? STUNMessage(parsing: bytes) else { return }
        FuzzCheck.expect(message.attributes.count <= STUNMessage.maxAttributes, "more attributes than the limit")
        for attribute in message.attributes {
            FuzzCheck.expect(attribute.valueRange.upperBound <= message.raw.count, "attribute \(attribute.type) past the end")
            _ = message.xorAddress(attribute.type)
            _ = message.uint32(attribute.type)
            _ = message.text(attribute.type)
            _ = STUNAddressCoding.decodePlain(message.raw[attribute.valueRange])
        }
        _ = message.errorCode
        _ = message.hasValidIntegrity(key: integrityKey)
        _ = message.unknownRequiredAttributes(known: [])
        // The attributes that count, written again, parse to the same types and values.
        var builder = STUNMessageBuilder(type: message.type, transactionID: message.transactionID)
        let kept = message.attributes.filter { !integrityAttributes.contains($0.type) }
        for attribute in kept { builder.append(attribute.type, message.raw[attribute.valueRange]) }
        builder.appendFingerprint()
        guard let again = try? STUNMessage(parsing: builder.bytes) else {
            FuzzCheck.expect(false, "a re-encoded message does not parse")
            return
        }
        let againKept = again.attributes.filter { !integrityAttributes.contains($0.type) }
        FuzzCheck.expect(againKept.map(\.type) == kept.map(\.type), "re-encoding changed the attribute types")
        for (a, b) in zip(kept, againKept) {
            FuzzCheck.expect(message.raw[a.valueRange].elementsEqual(again.raw[b.valueRange]), "re-encoding changed attribute \(a.type)")
        }
    }

    /// RFC 8656: the TURN server state machine driven by records — raw client messages over
    /// UDP and TCP, requests re-signed with a valid long-term credential and fresh nonce (so
    /// Allocate, Refresh, CreatePermission, ChannelBind and Send are reached), ChannelData,
    /// peer datagrams, relay sockets opening or failing, and time passing. Every message
    /// the server sends to a client must itself be valid STUN with a valid fingerprint.
    public static let turnServer = FuzzTarget(
        name: "turn-server",
        summary: "TURN server core (RFC 8656) fed raw and re-signed requests, ChannelData, peer data and time; its answers must parse"
    ) { bytes in
        var driver = TURNFuzzDriver()
        var input = FuzzInput(bytes)
        while !input.isAtEnd { driver.step(&input) }
    }
}
