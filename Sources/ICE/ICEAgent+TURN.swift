import NetworkAddress
import STUN

extension ICEAgent {
    /// Starts an allocation on `server` from `base` (RFC 8656 §7.1): first unauthenticated,
    /// answered with 401 and the realm and nonce to authenticate with.
    func startAllocation(server: ICETURNServer, base: TransportAddress, now: Instant) {
        allocations.append(ICETURNAllocation(server: server, socketBase: base))
        sendAllocate(allocations.count - 1, now: now)
    }

    func sendAllocate(_ index: Int, now: Instant) {
        sendTURNRequest(index, method: STUNMethod.allocate, now: now) { builder in
            builder.append(STUNAttributeType.requestedTransport, [17, 0, 0, 0])  // UDP (RFC 8656 §18.8)
            builder.append(STUNAttributeType.lifetime, uint32: ICETURNAllocation.requestedLifetime)
        }
    }

    @discardableResult
    func sendTURNRequest(_ index: Int, method: UInt16, now: Instant, attributes: (inout STUNMessageBuilder) -> Void) -> [UInt8] {
        let id = STUNMessageBuilder.randomTransactionID()
        let allocation = allocations[index]
        let request = allocation.request(method: method, transactionID: id, attributes: attributes)
        let route = ICERoute.direct(base: allocation.socketBase, destination: allocation.server.address)
        transactions[id] = ICETransaction(id: id, purpose: .turn(allocation: index, method: method), request: request, route: route, now: now, rto: configuration.initialRTO)
        transmit(request, route: route)
        return id
    }

    /// Whether `peer` may be reached through the allocation; if not, asks for the
    /// permission (RFC 8656 §9) and answers false until it is installed.
    func ensurePermission(allocation index: Int, peer: IPAddress, now: Instant) -> Bool {
        guard allocations.indices.contains(index), allocations[index].phase == .allocated else { return false }
        if allocations[index].permissions[peer] != nil { return true }
        if !allocations[index].isPermissionPending(peer) && !allocations[index].refusedPeers.contains(peer) { requestPermissions(index, for: [peer], now: now) }
        return false
    }

    func requestPermissions(_ index: Int, for peers: [IPAddress], now: Instant) {
        let id = sendTURNRequest(index, method: STUNMethod.createPermission, now: now) { builder in
            for peer in peers { builder.append(STUNAttributeType.xorPeerAddress, xorAddress: TransportAddress(ip: peer, port: 0)) }
        }
        allocations[index].permissionRequests[id] = peers
    }

    /// A datagram from a TURN server: a response to one of our requests, or a Data
    /// indication carrying a peer's datagram (RFC 8656 §11.4).
    func receiveFromTURNServer(_ bytes: [UInt8], allocation index: Int, now: Instant) {
        guard let message = try? STUNMessage(parsing: bytes) else {
            counters.malformedMessages += 1
            return
        }
        let base = allocations[index].socketBase
        switch message.type.messageClass {
        case .indication where message.type.method == STUNMethod.data:
            guard let peer = message.xorAddress(STUNAttributeType.xorPeerAddress), let data = message.value(STUNAttributeType.data) else {
                counters.malformedMessages += 1
                return
            }
            let inner = Array(data)
            if STUNMessage.looksLikeSTUN(inner) {
                let relay = localCandidates.first { $0.allocation == index }
                receiveSTUN(inner, route: .relayed(allocation: index, peer: peer), local: relay, now: now)
            } else {
                outputs.append(.application(inner, source: peer))
            }
        case .success, .error:
            guard let transaction = transactions[message.transactionID] else { return }
            guard case .turn(let owner, let method) = transaction.purpose, owner == index else {
                // The same server also answers STUN Binding (gathering).
                receiveSTUN(bytes, route: .direct(base: base, destination: allocations[index].server.address), local: nil, now: now)
                return
            }
            transactions[message.transactionID] = nil
            handleTURNResponse(message, to: transaction.request, allocation: index, method: method, now: now)
        default:
            break
        }
    }

    /// - Parameter request: the request answered, to tell a challenge to the nonce this
    ///   allocation holds from one to a nonce it has already replaced.
    func handleTURNResponse(_ message: STUNMessage, to request: [UInt8], allocation index: Int, method: UInt16, now: Instant) {
        let code = message.errorCode?.code
        if code == STUNErrorCode.unauthorized || code == STUNErrorCode.staleNonce {
            return handleChallenge(message, to: request, allocation: index, method: method, now: now)
        }
        if code == STUNErrorCode.allocationMismatch && method != STUNMethod.allocate {
            // RFC 8656 §7.3, §9.1: the server has no allocation on this 5-tuple any more.
            return allocationLost(index, reason: "TURN server no longer holds the allocation (437)")
        }
        allocations[index].authenticationAttempts = 0
        switch method {
        case STUNMethod.allocate: handleAllocateResponse(message, allocation: index, now: now)
        case STUNMethod.refresh:
            allocations[index].refreshPending = false
            guard message.type.messageClass == .success else { return refreshFailed(index, now: now) }
            let lifetime = Duration.seconds(Int(message.uint32(STUNAttributeType.lifetime) ?? ICETURNAllocation.requestedLifetime))
            allocations[index].refreshAt = now + max(lifetime - ICETURNAllocation.refreshMargin, lifetime / 2)
        case STUNMethod.createPermission:
            let peers = allocations[index].permissionRequests.removeValue(forKey: message.transactionID) ?? []
            guard message.type.messageClass == .success else { return permissionRefused(peers, allocation: index) }
            for peer in peers { allocations[index].permissions[peer] = now + ICETURNAllocation.permissionLifetime - ICETURNAllocation.refreshMargin }
            sendNextCheck(now: now)
        default: break
        }
    }

    /// A 401 or 438 (RFC 8489 §9.2.5, RFC 8656 §7.3): the request goes again at once with the
    /// realm and nonce of the challenge. A challenge to a request that carried a nonce the
    /// allocation has since replaced (requests in flight when the nonce went stale) is not
    /// counted as an attempt; only challenges to the current nonce are, so wrong credentials
    /// still fail after a few. A Refresh waits for nothing: its retry at the refresh margin
    /// would reach the server as the allocation expires.
    func handleChallenge(_ message: STUNMessage, to request: [UInt8], allocation index: Int, method: UInt16, now: Instant) {
        let permissionPeers = allocations[index].permissionRequests.removeValue(forKey: message.transactionID)
        let sentNonce = (try? STUNMessage(parsing: request))?.text(STUNAttributeType.nonce)
        let outdated = sentNonce != nil && sentNonce != allocations[index].nonce
        if !outdated && !allocations[index].acceptChallenge(message) {
            let reason = "TURN server refused the credentials (\(message.errorCode?.code ?? 0))"
            return allocations[index].phase == .allocated ? allocationLost(index, reason: reason) : allocationFailed(index, reason: reason)
        }
        switch method {
        case STUNMethod.allocate: sendAllocate(index, now: now)
        case STUNMethod.refresh: sendRefresh(index, now: now)
        case STUNMethod.createPermission: if let permissionPeers { requestPermissions(index, for: permissionPeers, now: now) }
        default: break
        }
    }

    /// RFC 8656 §9.2: an error other than a credential challenge is final for these peers
    /// (403 Forbidden: the server's policy). Their relayed pairs fail instead of asking again
    /// at every pacing step.
    func permissionRefused(_ peers: [IPAddress], allocation index: Int) {
        allocations[index].refusedPeers.formUnion(peers)
        for pair in pairs.indices where pairs[pair].local.allocation == index && peers.contains(pairs[pair].remote.address.ip) && pairs[pair].state == .waiting {
            pairs[pair].state = .failed
        }
        updateFailure()
    }

    func handleAllocateResponse(_ message: STUNMessage, allocation index: Int, now: Instant) {
        guard message.type.messageClass == .success, let relayed = message.xorAddress(STUNAttributeType.xorRelayedAddress) else {
            let reason = message.errorCode.map { "\($0.code) \($0.reason)" } ?? "no relayed address"
            return allocationFailed(index, reason: "TURN Allocate failed: \(reason)")
        }
        let lifetime = Duration.seconds(Int(message.uint32(STUNAttributeType.lifetime) ?? ICETURNAllocation.requestedLifetime))
        let mapped = message.xorAddress(STUNAttributeType.xorMappedAddress)
        allocations[index].phase = .allocated
        allocations[index].relayed = relayed
        allocations[index].mapped = mapped
        allocations[index].refreshAt = now + max(lifetime - ICETURNAllocation.refreshMargin, lifetime / 2)
        let base = allocations[index].socketBase
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(kind: .relayed, baseIP: base.ip, server: allocations[index].server.address),
            priority: ICECandidate.priority(kind: .relayed), address: relayed, kind: .relayed, relatedAddress: mapped ?? base)
        addPairableCandidate(ICELocalCandidate(candidate: candidate, socketBase: base, allocation: index))
        announce(candidate)
        if let mapped { addServerReflexive(mapped, base: base) }
        finishGatheringStep()
        if remoteCredentials != nil && state == .new && !pairs.isEmpty { setState(.checking) }
        sendNextCheck(now: now)  // asks for the permissions the new relayed pairs need
    }

    func allocationFailed(_ index: Int, reason: String) {
        allocations[index].phase = .failed(reason)
        finishGatheringStep()
    }

    /// An allocation that was working and is gone (its server forgot it, or refuses the
    /// credentials now): nothing more is sent through it.
    func allocationLost(_ index: Int, reason: String) {
        allocations[index].phase = .failed(reason)
        allocations[index].permissionRequests.removeAll()
    }

    /// A Refresh answered with an error other than a challenge or lost: tried again soon,
    /// while the allocation still lives (RFC 8656 §8).
    func refreshFailed(_ index: Int, now: Instant) {
        allocations[index].refreshAt = now + ICETURNAllocation.refreshRetry
    }

    func allocationRequestTimedOut(allocation index: Int, method: UInt16, now: Instant) {
        if method == STUNMethod.allocate { allocationFailed(index, reason: "TURN server did not answer") }
        if method == STUNMethod.refresh {
            allocations[index].refreshPending = false
            refreshFailed(index, now: now)
        }
    }

    /// Refreshes allocations and permissions before they expire (RFC 8656 §8, §9).
    func refreshAllocations(now: Instant) {
        for index in allocations.indices where allocations[index].phase == .allocated {
            if let refreshAt = allocations[index].refreshAt, refreshAt <= now, !allocations[index].refreshPending {
                sendRefresh(index, now: now)
            }
            let due = allocations[index].permissions.filter { $0.value <= now }.map(\.key)
            if !due.isEmpty {
                for peer in due { allocations[index].permissions[peer] = now + ICETURNAllocation.refreshMargin }
                requestPermissions(index, for: due, now: now)
            }
        }
    }

    /// A Refresh asking for the default lifetime again; until it is answered the next
    /// attempt waits for the refresh margin (the transaction's own retransmissions cover loss).
    func sendRefresh(_ index: Int, now: Instant) {
        allocations[index].refreshPending = true
        allocations[index].refreshAt = now + ICETURNAllocation.refreshMargin
        sendTURNRequest(index, method: STUNMethod.refresh, now: now) { builder in
            builder.append(STUNAttributeType.lifetime, uint32: ICETURNAllocation.requestedLifetime)
        }
    }

    /// Deletes allocations with a zero-lifetime Refresh (RFC 8656 §8), without waiting.
    func releaseAllocations(now: Instant) {
        for index in allocations.indices where allocations[index].phase == .allocated {
            let request = allocations[index].request(method: STUNMethod.refresh, transactionID: STUNMessageBuilder.randomTransactionID()) { builder in
                builder.append(STUNAttributeType.lifetime, uint32: 0)
            }
            transmit(request, route: .direct(base: allocations[index].socketBase, destination: allocations[index].server.address))
            allocations[index].phase = .released
        }
    }
}
