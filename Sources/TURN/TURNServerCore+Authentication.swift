import NetworkAddress
import STUN

/// The long-term credential mechanism on the server side (RFC 8489 §9.2.4).
extension TURNServerCore {
    struct Authenticated {
        let username: String
        let user: String
        let key: [UInt8]
    }

    /// The credentials of a request, or the error response to send: 401 with REALM and
    /// NONCE when integrity is missing or wrong or the username unknown or expired; 400 when
    /// USERNAME, REALM or NONCE is missing; 438 Stale Nonce with a fresh one. An expired REST
    /// username still authenticates requests on the allocation it made (Refresh,
    /// CreatePermission, ChannelBind): the expiry bounds when a session may start, not how
    /// long it may last (clients such as browsers cannot swap the credentials of a running
    /// ICE session; a new Allocate with it gets 401).
    mutating func authenticate(_ request: STUNMessage, from tuple: TURNFiveTuple, now: Int) -> Result<Authenticated, TURNRefusal> {
        let challenge: (inout STUNMessageBuilder) -> Void = { [configuration, nonces] builder in
            builder.append(STUNAttributeType.realm, text: configuration.realm)
            builder.append(STUNAttributeType.nonce, text: nonces.issue(for: tuple.client.ip, now: now))
        }
        guard request.integrityKind != nil else {
            return .failure(TURNRefusal(response: errorResponse(request, code: STUNErrorCode.unauthorized, extra: challenge)))
        }
        guard let username = request.text(STUNAttributeType.username), let realm = request.text(STUNAttributeType.realm),
            let nonce = request.text(STUNAttributeType.nonce), username.utf8.count <= 512
        else {
            counters.authFailures += 1
            return .failure(TURNRefusal(response: errorResponse(request, code: STUNErrorCode.badRequest)))
        }
        guard nonces.isValid(nonce, for: tuple.client.ip, now: now), realm == configuration.realm else {
            return .failure(TURNRefusal(response: errorResponse(request, code: STUNErrorCode.staleNonce, extra: challenge)))
        }
        let password: String
        let user: String
        switch credentials.lookup(username, now: now) {
        case .password(let value, let name):
            (password, user) = (value, name)
        case .expired(let value, let name) where continuesAllocation(request, of: username, on: tuple):
            (password, user) = (value, name)
        default:
            counters.authFailures += 1
            return .failure(TURNRefusal(response: errorResponse(request, code: STUNErrorCode.unauthorized, extra: challenge)))
        }
        let key = STUNIntegrity.longTermKey(username: username, realm: configuration.realm, password: password)
        guard request.hasValidIntegrity(key: key) else {
            counters.authFailures += 1
            return .failure(TURNRefusal(response: errorResponse(request, code: STUNErrorCode.unauthorized, extra: challenge)))
        }
        return .success(Authenticated(username: username, user: user, key: key))
    }

    /// Whether `request` is for the allocation this 5-tuple holds, made by `username`.
    private func continuesAllocation(_ request: STUNMessage, of username: String, on tuple: TURNFiveTuple) -> Bool {
        guard request.type.method != STUNMethod.allocate, let id = byFiveTuple[tuple], let allocation = allocations[id] else { return false }
        return allocation.username == username
    }
}

/// An error response that ends the handling of a request.
struct TURNRefusal: Error {
    let response: [UInt8]
}
