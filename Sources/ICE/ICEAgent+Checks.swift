import NetworkAddress
import STUN

extension ICEAgent {
    /// A Binding request for a connectivity check (RFC 8445 §7.2.2): USERNAME
    /// `remote:local`, PRIORITY of a peer-reflexive candidate from this base, the role
    /// attribute with the tie-breaker, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY
    /// with the remote password, FINGERPRINT.
    func checkRequest(for pair: ICECandidatePair, nominating: Bool, transactionID: [UInt8]) -> [UInt8]? {
        guard let remoteCredentials else { return nil }
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: transactionID)
        builder.append(STUNAttributeType.username, text: "\(remoteCredentials.ufrag):\(localCredentials.ufrag)")
        let localPreference = (pair.local.candidate.priority >> 8) & 0xFFFF
        builder.append(STUNAttributeType.priority, uint32: ICECandidate.priority(kind: .peerReflexive, localPreference: localPreference))
        let tieBreakerBytes = (0..<8).map { UInt8(truncatingIfNeeded: tieBreaker >> (56 - 8 * $0)) }
        builder.append(isControlling ? STUNAttributeType.iceControlling : STUNAttributeType.iceControlled, tieBreakerBytes)
        if nominating { builder.append(STUNAttributeType.useCandidate, [UInt8]()) }
        builder.appendMessageIntegrity(key: STUNIntegrity.shortTermKey(password: remoteCredentials.password))
        builder.appendFingerprint()
        return builder.bytes
    }

    /// Sends a check on a pair now and tracks its transaction.
    func sendCheck(pairID: Int, nominating: Bool, now: Instant) {
        guard let index = pairIndex(pairID) else { return }
        let id = STUNMessageBuilder.randomTransactionID()
        guard let request = checkRequest(for: pairs[index], nominating: nominating, transactionID: id) else { return }
        let route = route(of: pairs[index])
        if case .relayed(let allocation, let peer) = route, !ensurePermission(allocation: allocation, peer: peer.ip, now: now) {
            return  // the check waits for the permission (RFC 8656 §9)
        }
        if pairs[index].state != .succeeded { pairs[index].state = .inProgress }
        transactions[id] = ICETransaction(id: id, purpose: .check(pair: pairID, nominating: nominating), request: request, route: route, now: now, rto: configuration.initialRTO)
        counters.checksSent += 1
        lastCheckSent = now
        transmit(request, route: route)
    }

    /// One paced step (RFC 8445 §6.1.4.2): a triggered check first, else the best waiting pair.
    func sendNextCheck(now: Instant) {
        guard remoteCredentials != nil else { return }
        if let last = lastCheckSent, now - last < configuration.pacingInterval { return }
        while !triggeredQueue.isEmpty {
            let id = triggeredQueue.removeFirst()
            if let pair = pair(id), pair.state == .waiting {
                sendCheck(pairID: id, nominating: false, now: now)
                return
            }
        }
        let waiting = pairs.filter { $0.state == .waiting && isRouteReady($0, now: now) }
        if let best = waiting.max(by: { $0.priority(controlling: isControlling) < $1.priority(controlling: isControlling) }) {
            sendCheck(pairID: best.id, nominating: false, now: now)
        }
    }

    /// Whether a pair's check can leave now (a relayed pair needs its permission installed).
    func hasRoute(_ pair: ICECandidatePair) -> Bool {
        guard let index = pair.local.allocation else { return true }
        return allocations.indices.contains(index) && allocations[index].permissions[pair.remote.address.ip] != nil
    }

    /// Relayed pairs wait until their allocation exists; asking for it starts the permission.
    func isRouteReady(_ pair: ICECandidatePair, now: Instant) -> Bool {
        guard let allocation = pair.local.allocation else { return true }
        return ensurePermission(allocation: allocation, peer: pair.remote.address.ip, now: now)
    }

    /// A response to one of our checks (RFC 8445 §7.2.5).
    func handleCheckResponse(_ message: STUNMessage, transaction: ICETransaction, pairID: Int, nominating: Bool, arrivedVia route: ICERoute, now: Instant) {
        guard let index = pairIndex(pairID), let remoteCredentials else { return }
        // §7.2.5.2.1: the response must come back on the route the request took.
        guard route == transaction.route else {
            pairs[index].state = .failed
            return
        }
        let key = STUNIntegrity.shortTermKey(password: remoteCredentials.password)
        guard message.hasValidIntegrity(key: key) else {
            counters.malformedMessages += 1
            return
        }
        if message.type.messageClass == .error {
            handleCheckError(message, pairIndex: index, now: now)
            return
        }
        pairs[index].state = .succeeded
        pairs[index].roundTripTime = now - transaction.firstSent
        lastConsent = now
        if firstValidAt == nil { firstValidAt = now }
        if nominating || (!isControlling && pairs[index].nominateOnSuccess) { pairs[index].nominated = true }
        if nominationInFlight == pairID && !nominating { nominationInFlight = nil }
        updateSelection(now: now)
        nominateIfReady(now: now)  // at once when no better pair is pending, not at the next tick
        flushPendingApplication()
    }

    /// 487 Role Conflict (RFC 8445 §7.2.5.1): switch roles and check the pair again.
    func handleCheckError(_ message: STUNMessage, pairIndex index: Int, now: Instant) {
        if message.errorCode?.code == STUNErrorCode.roleConflict {
            counters.roleConflicts += 1
            isControlling.toggle()
            pairs[index].state = .waiting
            triggeredQueue.append(pairs[index].id)
            return
        }
        pairs[index].state = .failed
    }

    /// A request that got no response after its last transmission.
    func transactionTimedOut(_ transaction: ICETransaction, now: Instant) {
        switch transaction.purpose {
        case .check(let pairID, _):
            if let index = pairIndex(pairID), pairs[index].state == .inProgress { pairs[index].state = .failed }
            if nominationInFlight == pairID { nominationInFlight = nil }
        case .consent:
            break  // consent is judged by the time since the last response
        case .gather:
            finishGatheringStep()
        case .turn(let allocation, let method):
            allocationRequestTimedOut(allocation: allocation, method: method, now: now)
        }
    }

    /// Retransmits due requests (RFC 8489 §6.2.1) and expires those out of transmissions.
    func retransmit(now: Instant) {
        for (id, transaction) in transactions where transaction.nextRetransmission <= now {
            guard transaction.retransmits, transaction.transmissions < configuration.maxTransmissions else {
                transactions[id] = nil
                transactionTimedOut(transaction, now: now)
                continue
            }
            var updated = transaction
            updated.transmissions += 1
            updated.rto = min(updated.rto * 2, .seconds(3))
            updated.nextRetransmission = now + updated.rto
            transactions[id] = updated
            transmit(transaction.request, route: transaction.route)
        }
    }
}
