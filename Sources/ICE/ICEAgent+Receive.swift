import NetworkAddress
import STUN

extension ICEAgent {
    /// A datagram that arrived on the socket bound to `base` from `source`. Returns false
    /// when it is not for ICE (not STUN, not from a TURN server): the transport then
    /// hands it to DTLS or SRTP (RFC 7983).
    @discardableResult
    public func receive(_ bytes: [UInt8], from source: TransportAddress, at base: TransportAddress, now: Instant) -> Bool {
        guard state != .closed else { return STUNMessage.looksLikeSTUN(bytes) }
        if let allocation = allocationRoutes.firstIndex(of: .direct(base: base, destination: source)) {
            receiveFromTURNServer(bytes, allocation: allocation, now: now)
            return true
        }
        guard STUNMessage.looksLikeSTUN(bytes) else { return false }
        let route = ICERoute.direct(base: base, destination: source)
        guard let local = localCandidates.first(where: { $0.allocation == nil && $0.socketBase == base }) else {
            // A response to a gathering request, or a check to a base not (yet) known.
            receiveSTUN(bytes, route: route, local: nil, now: now)
            return true
        }
        receiveSTUN(bytes, route: route, local: local, now: now)
        return true
    }

    /// A STUN message that arrived directly or unwrapped from a TURN Data indication.
    func receiveSTUN(_ bytes: [UInt8], route: ICERoute, local: ICELocalCandidate?, now: Instant) {
        guard let message = try? STUNMessage(parsing: bytes) else {
            counters.malformedMessages += 1
            return
        }
        switch message.type.messageClass {
        case .request where message.type.method == STUNMethod.binding:
            guard let local else { return }
            handleBindingRequest(message, route: route, local: local, now: now)
        case .success, .error:
            guard let transaction = transactions.removeValue(forKey: message.transactionID) else { return }
            switch transaction.purpose {
            case .check(let pairID, let nominating):
                handleCheckResponse(message, transaction: transaction, pairID: pairID, nominating: nominating, arrivedVia: route, now: now)
            case .consent(let pairID):
                handleConsentResponse(message, transaction: transaction, pairID: pairID, now: now)
            case .gather(let base, _):
                handleGatherResponse(message, base: base, now: now)
            case .turn:
                transactions[message.transactionID] = transaction  // only valid from the TURN server
            }
        default:
            break  // Binding indications are keepalives (RFC 8445 §11)
        }
    }

    /// A connectivity check from the peer (RFC 8445 §7.3.1).
    func handleBindingRequest(_ message: STUNMessage, route: ICERoute, local: ICELocalCandidate, now: Instant) {
        counters.checksReceived += 1
        guard message.hasValidFingerprint else { return counters.malformedMessages += 1 }
        let username = message.text(STUNAttributeType.username) ?? ""
        guard username.hasPrefix(localCredentials.ufrag + ":"),
            message.hasValidIntegrity(key: STUNIntegrity.shortTermKey(password: localCredentials.password))
        else {
            // RFC 8489 §9.1.3: missing credentials → 400, wrong ones → 401; no integrity on the answer.
            counters.unauthenticatedRequests += 1
            respondError(to: message, code: message.integrityKind == nil ? STUNErrorCode.badRequest : STUNErrorCode.unauthorized, route: route)
            return
        }
        if resolveRoleConflict(message, route: route) { return }
        let source = peerAddress(of: route)
        var builder = STUNMessageBuilder(responseTo: message, success: true)
        builder.append(STUNAttributeType.xorMappedAddress, xorAddress: source)
        builder.appendMessageIntegrity(key: STUNIntegrity.shortTermKey(password: localCredentials.password))
        builder.appendFingerprint()
        transmit(builder.bytes, route: route)

        // §7.3.1.3: an unknown source is a peer-reflexive remote candidate.
        var remote = remoteCandidates.first { $0.address == source }
        if remote == nil, remoteCandidates.count < configuration.maxRemoteCandidates {
            let priority = message.uint32(STUNAttributeType.priority) ?? ICECandidate.priority(kind: .peerReflexive)
            let learnt = ICECandidate(foundation: "prflx\(remoteCandidates.count)", priority: priority, address: source, kind: .peerReflexive)
            remoteCandidates.append(learnt)
            remote = learnt
        }
        guard let remote, let pairID = makePair(local: local, remote: remote), let index = pairIndex(pairID) else { return }
        if remoteCredentials != nil && state == .new { setState(.checking) }
        let useCandidate = message.attribute(STUNAttributeType.useCandidate) != nil
        // §7.3.1.4 triggered check; §7.3.1.5 nomination seen by the controlled agent.
        switch pairs[index].state {
        case .succeeded:
            if useCandidate && !isControlling {
                pairs[index].nominated = true
                updateSelection(now: now)
            }
        case .inProgress:
            if useCandidate && !isControlling { pairs[index].nominateOnSuccess = true }
        case .waiting, .frozen, .failed:
            if useCandidate && !isControlling { pairs[index].nominateOnSuccess = true }
            pairs[index].state = .waiting
            if !triggeredQueue.contains(pairID) { triggeredQueue.append(pairID) }
            // A nominated pair is checked at once so media can start (§7.3.1.4 allows it ahead of pacing).
            if useCandidate { lastCheckSent = nil }
        }
        sendNextCheck(now: now)
    }

    /// RFC 8445 §7.3.1.1: both sides claim the same role; the larger tie-breaker keeps it.
    /// Returns true when the request was answered with 487.
    func resolveRoleConflict(_ message: STUNMessage, route: ICERoute) -> Bool {
        let theirs = message.value(isControlling ? STUNAttributeType.iceControlling : STUNAttributeType.iceControlled)
        guard let theirs, theirs.count == 8 else { return false }
        let theirBreaker = theirs.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        counters.roleConflicts += 1
        let oursIsLarger = tieBreaker >= theirBreaker
        if isControlling == oursIsLarger {
            // We stay controlling (and they must switch), or we stay controlled: answer 487.
            respondError(to: message, code: STUNErrorCode.roleConflict, route: route, integrity: true)
            return true
        }
        isControlling.toggle()
        return false
    }

    func respondError(to message: STUNMessage, code: Int, route: ICERoute, integrity: Bool = false) {
        var builder = STUNMessageBuilder(responseTo: message, success: false)
        builder.appendErrorCode(code)
        if integrity { builder.appendMessageIntegrity(key: STUNIntegrity.shortTermKey(password: localCredentials.password)) }
        builder.appendFingerprint()
        transmit(builder.bytes, route: route)
    }

    func peerAddress(of route: ICERoute) -> TransportAddress {
        switch route {
        case .direct(_, let destination): destination
        case .relayed(_, let peer): peer
        }
    }
}
