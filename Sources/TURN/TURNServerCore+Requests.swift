import NetworkAddress
import STUN

/// Allocate, Refresh, CreatePermission and ChannelBind (RFC 8656 §7–12).
extension TURNServerCore {
    mutating func authenticatedRequest(_ request: STUNMessage, from tuple: TURNFiveTuple, now: Int) -> [Output] {
        let auth: Authenticated
        switch authenticate(request, from: tuple, now: now) {
        case .success(let value): auth = value
        case .failure(let refusal): return [.toClient(tuple, refusal.response)]
        }
        let unknown = request.unknownRequiredAttributes(known: Self.knownAttributes)
        guard unknown.isEmpty else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.unknownAttribute, key: auth.key) { builder in
                builder.append(STUNAttributeType.unknownAttributes, unknown.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
            })]
        }
        if request.type.method == STUNMethod.allocate {
            return allocate(request, auth, from: tuple, now: now)
        }
        // Every other request needs the allocation of this 5-tuple, made by the same user.
        guard let id = byFiveTuple[tuple], let allocation = allocations[id], allocation.pending == nil else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.allocationMismatch, key: auth.key))]
        }
        guard allocation.username == auth.username else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.wrongCredentials, key: auth.key))]
        }
        switch request.type.method {
        case STUNMethod.refresh: return refresh(request, auth, id, now: now)
        case STUNMethod.createPermission: return createPermission(request, auth, id, now: now)
        case STUNMethod.channelBind: return channelBind(request, auth, id, now: now)
        default: return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
    }

    /// Allocate (RFC 8656 §7.2).
    private mutating func allocate(_ request: STUNMessage, _ auth: Authenticated, from tuple: TURNFiveTuple, now: Int) -> [Output] {
        if let id = byFiveTuple[tuple], let existing = allocations[id] {
            // A retransmission of the Allocate that made it is answered again; anything else mismatches.
            if existing.allocateTransaction == request.transactionID {
                return existing.pending == nil ? [.toClient(tuple, existing.allocateResponse)] : []
            }
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.allocationMismatch, key: auth.key))]
        }
        guard let transport = request.value(STUNAttributeType.requestedTransport), transport.count == 4 else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        guard transport.first == 17 else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.unsupportedTransportProtocol, key: auth.key))]
        }
        if let family = request.value(STUNAttributeType.requestedAddressFamily), family.first != 0x01 {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.addressFamilyNotSupported, key: auth.key))]
        }
        if request.attribute(STUNAttributeType.dontFragment) != nil {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.unknownAttribute, key: auth.key) { builder in
                builder.append(STUNAttributeType.unknownAttributes, [0x00, 0x1A])
            })]
        }
        guard allocationsPerUser[auth.user, default: 0] < configuration.maxAllocationsPerUser else {
            counters.quotaRefusals += 1
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.allocationQuotaReached, key: auth.key))]
        }
        let evenPort = request.value(STUNAttributeType.evenPort)
        let token = request.value(STUNAttributeType.reservationToken)
        guard evenPort == nil || token == nil, token == nil || token?.count == 8 else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        let port: UInt16
        var reserveNext = false
        if let token {
            // RFC 8656 §7.2: the port reserved by an earlier EVEN-PORT allocation with the R bit.
            guard let reserved = reservations.removeValue(forKey: Array(token)), reserved.expires > now else {
                return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.insufficientCapacity, key: auth.key))]
            }
            port = reserved.port
        } else {
            reserveNext = (evenPort?.first ?? 0) & 0x80 != 0
            guard let free = freePort(even: evenPort != nil, withNext: reserveNext) else {
                return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.insufficientCapacity, key: auth.key))]
            }
            port = free
        }
        let id = AllocationID(value: nextID)
        nextID += 1
        let relay = TransportAddress(ip: configuration.relayAddress, port: port)
        usedPorts.insert(port)
        var reservation: [UInt8]?
        if reserveNext {
            var generator = SystemRandomNumberGenerator()
            let newToken = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            usedPorts.insert(port + 1)
            reservations[newToken] = (port + 1, now + 30)
            reservation = newToken
        }
        allocations[id] = Allocation(
            id: id, fiveTuple: tuple, username: auth.username, user: auth.user, key: auth.key, relay: relay,
            expires: now + 30,
            pending: .init(
                integrity: request.integrityKind ?? .sha1, lifetime: lifetime(request), attemptsLeft: token == nil ? 8 : 1,
                evenPort: evenPort != nil, reservationToken: reservation),
            allocateTransaction: request.transactionID, pendingRequest: request)
        byFiveTuple[tuple] = id
        allocationsPerUser[auth.user, default: 0] += 1
        return [.openRelay(id, relay)]
    }

    /// The driver bound the relay socket: the allocation is live; answer the Allocate.
    public mutating func relayOpened(_ id: AllocationID, now: Int) -> [Output] {
        guard var allocation = allocations[id], let pending = allocation.pending, let request = allocation.pendingRequest else { return [] }
        allocation.pending = nil
        allocation.pendingRequest = nil
        allocation.expires = now + pending.lifetime
        allocation.allocateResponse = successResponse(request, key: allocation.key) { builder in
            builder.append(STUNAttributeType.xorRelayedAddress, xorAddress: allocation.relay)
            builder.append(STUNAttributeType.lifetime, uint32: UInt32(pending.lifetime))
            if let token = pending.reservationToken { builder.append(STUNAttributeType.reservationToken, token) }
            builder.append(STUNAttributeType.xorMappedAddress, xorAddress: allocation.fiveTuple.client)
        }
        allocations[id] = allocation
        byRelay[allocation.relay] = id
        counters.allocationsCreated += 1
        counters.allocationsCurrent += 1
        return [.toClient(allocation.fiveTuple, allocation.allocateResponse)]
    }

    /// The relay port could not be bound: try another, or answer 508 Insufficient Capacity.
    public mutating func relayFailed(_ id: AllocationID, now: Int) -> [Output] {
        guard var allocation = allocations[id], var pending = allocation.pending, let request = allocation.pendingRequest else { return [] }
        usedPorts.remove(allocation.relay.port)
        if let token = pending.reservationToken, let reserved = reservations.removeValue(forKey: token) {
            usedPorts.remove(reserved.port)
            pending.reservationToken = nil
        }
        pending.attemptsLeft -= 1
        if pending.attemptsLeft > 0, let port = freePort(even: pending.evenPort, withNext: false) {
            usedPorts.insert(port)
            allocation.relay.port = port
            allocation.pending = pending
            allocations[id] = allocation
            return [.openRelay(id, allocation.relay)]
        }
        let response = errorResponse(request, code: STUNErrorCode.insufficientCapacity, key: allocation.key)
        forget(id)
        return [.toClient(allocation.fiveTuple, response)]
    }

    /// Refresh (RFC 8656 §8): a new lifetime, or 0 to delete the allocation.
    private mutating func refresh(_ request: STUNMessage, _ auth: Authenticated, _ id: AllocationID, now: Int) -> [Output] {
        guard var allocation = allocations[id] else { return [] }
        if request.uint32(STUNAttributeType.lifetime) == 0 {
            let response = successResponse(request, key: auth.key) { $0.append(STUNAttributeType.lifetime, uint32: 0) }
            forget(id)
            return [.toClient(allocation.fiveTuple, response), .closeRelay(id)]
        }
        let granted = lifetime(request)
        allocation.expires = now + granted
        allocations[id] = allocation
        return [.toClient(allocation.fiveTuple, successResponse(request, key: auth.key) { $0.append(STUNAttributeType.lifetime, uint32: UInt32(granted)) })]
    }

    /// CreatePermission (RFC 8656 §10): every XOR-PEER-ADDRESS must be allowed, or none is installed.
    private mutating func createPermission(_ request: STUNMessage, _ auth: Authenticated, _ id: AllocationID, now: Int) -> [Output] {
        guard var allocation = allocations[id] else { return [] }
        let peers = request.xorAddresses(STUNAttributeType.xorPeerAddress)
        guard !peers.isEmpty, peers.allSatisfy({ $0 != nil }) else {
            return [.toClient(allocation.fiveTuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        for peer in peers.compactMap({ $0 }) where !configuration.peerPolicy.permits(peer.ip) {
            counters.deniedPeers += 1
            return [.toClient(allocation.fiveTuple, errorResponse(request, code: STUNErrorCode.forbidden, key: auth.key))]
        }
        for peer in peers.compactMap({ $0 }) {
            allocation.permissions[peer.ip] = now + configuration.permissionLifetime
        }
        allocations[id] = allocation
        return [.toClient(allocation.fiveTuple, successResponse(request, key: auth.key) { _ in })]
    }

    /// ChannelBind (RFC 8656 §11.2): binds a channel number to a peer (and refreshes both the
    /// binding and the peer's permission).
    private mutating func channelBind(_ request: STUNMessage, _ auth: Authenticated, _ id: AllocationID, now: Int) -> [Output] {
        guard var allocation = allocations[id] else { return [] }
        let tuple = allocation.fiveTuple
        guard let numberBytes = request.value(STUNAttributeType.channelNumber), numberBytes.count == 4,
            let peer = request.xorAddress(STUNAttributeType.xorPeerAddress)
        else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        let number = UInt16(numberBytes[numberBytes.startIndex]) << 8 | UInt16(numberBytes[numberBytes.startIndex + 1])
        guard ChannelData.channelNumbers.contains(number) else {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        guard configuration.peerPolicy.permits(peer.ip) else {
            counters.deniedPeers += 1
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.forbidden, key: auth.key))]
        }
        // The number must not be bound to another peer, nor the peer to another number.
        if let bound = allocation.channelToPeer[number], bound.expires > now, bound.peer != peer {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        if let other = allocation.channel(for: peer, now: now), other != number {
            return [.toClient(tuple, errorResponse(request, code: STUNErrorCode.badRequest, key: auth.key))]
        }
        allocation.channelToPeer[number] = (peer, now + configuration.channelLifetime)
        allocation.peerToChannel[peer] = number
        allocation.permissions[peer.ip] = now + configuration.permissionLifetime
        allocations[id] = allocation
        return [.toClient(tuple, successResponse(request, key: auth.key) { _ in })]
    }

    /// The lifetime to grant (RFC 8656 §7.2): the requested one capped at the maximum, and
    /// never below the default.
    private func lifetime(_ request: STUNMessage) -> Int {
        guard let requested = request.uint32(STUNAttributeType.lifetime) else { return configuration.defaultLifetime }
        return max(configuration.defaultLifetime, min(Int(requested), configuration.maxLifetime))
    }

    /// A random free relay port (even when asked, and with the next one free too when it is
    /// to be reserved), nil when the range is exhausted.
    private func freePort(even: Bool, withNext: Bool) -> UInt16? {
        let range = configuration.relayPorts
        guard usedPorts.count + (withNext ? 1 : 0) < range.count else { return nil }
        func fits(_ port: UInt16) -> Bool {
            range.contains(port) && !usedPorts.contains(port) && (!even || port % 2 == 0)
                && (!withNext || (port < range.upperBound && !usedPorts.contains(port + 1)))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<64 {
            var port = UInt16.random(in: range, using: &generator)
            if even { port &= ~1 }
            if fits(port) { return port }
        }
        return range.first(where: fits)
    }

    /// Removes an allocation's state (the driver closes its socket).
    mutating func forget(_ id: AllocationID) {
        guard let allocation = allocations.removeValue(forKey: id) else { return }
        byFiveTuple[allocation.fiveTuple] = nil
        if byRelay[allocation.relay] == id { byRelay[allocation.relay] = nil }
        usedPorts.remove(allocation.relay.port)
        allocationsPerUser[allocation.user, default: 1] -= 1
        if allocationsPerUser[allocation.user] == 0 {
            allocationsPerUser[allocation.user] = nil
            buckets[allocation.user] = nil
        }
        if allocation.pending == nil { counters.allocationsCurrent -= 1 }
    }

    /// Permissions installed across all allocations.
    public var permissionCount: Int {
        allocations.values.reduce(0) { $0 + $1.permissions.count }
    }
}
