import NetworkAddress

extension ICEAgent {
    /// Adds a local candidate that can be paired (host or relayed; a server-reflexive
    /// candidate pairs as its base, RFC 8445 §6.1.2.4) and pairs it with every remote one.
    func addPairableCandidate(_ local: ICELocalCandidate) {
        localCandidates.append(local)
        for remote in remoteCandidates { makePair(local: local, remote: remote) }
    }

    /// Whether the transport policy lets a local candidate be used.
    func isUsable(_ local: ICELocalCandidate) -> Bool {
        configuration.policy == .all || local.candidate.kind == .relayed
    }

    /// Pairs two candidates of the same address family (RFC 8445 §6.1.2.2) unless an
    /// equivalent pair exists (§6.1.2.4) or the pair limit is reached.
    @discardableResult
    func makePair(local: ICELocalCandidate, remote: ICECandidate) -> Int? {
        guard isUsable(local), local.candidate.address.ip.isIPv4 == remote.address.ip.isIPv4 else { return nil }
        if let existing = pairs.first(where: { $0.local.candidate.address == local.candidate.address && $0.remote.address == remote.address }) {
            return existing.id
        }
        guard pairs.count < configuration.maxPairs else { return nil }
        let id = nextPairID
        nextPairID += 1
        pairs.append(ICECandidatePair(id: id, local: local, remote: remote))
        return id
    }

    /// The pair checks and media of `pair` travel on.
    func route(of pair: ICECandidatePair) -> ICERoute {
        if let allocation = pair.local.allocation {
            return .relayed(allocation: allocation, peer: pair.remote.address)
        }
        return .direct(base: pair.local.socketBase, destination: pair.remote.address)
    }

    /// Wraps `bytes` for `route`: as-is from the base, or in a Send indication to the TURN server.
    func transmission(_ bytes: [UInt8], route: ICERoute) -> ICETransmission? {
        switch route {
        case .direct(let base, let destination):
            return ICETransmission(bytes: bytes, base: base, destination: destination)
        case .relayed(let index, let peer):
            guard allocations.indices.contains(index) else { return nil }
            return allocations[index].sendIndication(bytes, to: peer)
        }
    }

    func transmit(_ bytes: [UInt8], route: ICERoute) {
        if let transmission = transmission(bytes, route: route) { outputs.append(.transmit(transmission)) }
    }

    /// The pair application data goes on: the selected one, else (before selection) the
    /// best valid pair (RFC 8445 §12.1), else the pair kept across a restart.
    var usablePair: ICECandidatePair? {
        if let selected = pair(selectedPairID) { return selected }
        let valid = pairs.filter { $0.state == .succeeded }
        return valid.max { $0.priority(controlling: isControlling) < $1.priority(controlling: isControlling) } ?? retainedPair
    }

    /// The route of ``usablePair``; the selected pair is read in place (this runs for every
    /// media packet), the others only before selection.
    var usableRoute: ICERoute? {
        if let id = selectedPairID, let index = pairIndex(id) {
            if let allocation = pairs[index].local.allocation { return .relayed(allocation: allocation, peer: pairs[index].remote.address) }
            return .direct(base: pairs[index].local.socketBase, destination: pairs[index].remote.address)
        }
        return usablePair.map(route(of:))
    }

    /// The round trip measured on ``usablePair`` (its last check), nil before one.
    public var usableRoundTripTime: Duration? { usablePair?.roundTripTime }

    /// Whether application data can flow now: a valid pair exists (RFC 8445 §12.1) and
    /// consent has not been lost. DTLS starts as soon as this holds, before nomination.
    public var canSend: Bool {
        state != .failed && state != .closed && usableRoute != nil
    }

    /// Sends application bytes (DTLS, SRTP) on the usable pair; held (up to a limit) until
    /// a pair is usable; dropped once consent is lost (RFC 7675 §5.1).
    public func send(_ bytes: [UInt8]) {
        guard state != .failed, state != .closed else {
            counters.droppedApplicationDatagrams += 1
            return
        }
        guard let route = usableRoute else {
            if pendingApplication.count >= configuration.maxPendingDatagrams {
                pendingApplication.removeFirst()
                counters.droppedApplicationDatagrams += 1
            }
            pendingApplication.append(bytes)
            return
        }
        transmit(bytes, route: route)
    }

    /// Sends what waited for a usable pair.
    func flushPendingApplication() {
        guard let pair = usablePair, !pendingApplication.isEmpty else { return }
        let route = route(of: pair)
        for bytes in pendingApplication { transmit(bytes, route: route) }
        pendingApplication.removeAll()
    }
}
