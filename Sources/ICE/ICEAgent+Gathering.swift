import NetworkAddress
import STUN

extension ICEAgent {
    /// Gathers candidates (RFC 8445 §5.1.1) for the transport's sockets: a host candidate
    /// per base at once, server-reflexive ones through each STUN server, relayed ones
    /// through each TURN server. Each is reported as ``ICEOutput/localCandidate(_:)`` when
    /// known, then ``ICEOutput/gatheringComplete``.
    public func gather(bases: [TransportAddress], now: Instant) {
        guard gatheringState == .new else { return }
        gatheringState = .gathering
        self.bases = bases
        for (index, base) in bases.enumerated() {
            let localPreference = UInt32(65_535 - min(index, 1000))
            let host = ICECandidate(
                foundation: ICECandidate.foundation(kind: .host, baseIP: base.ip),
                priority: ICECandidate.priority(kind: .host, localPreference: localPreference), address: base, kind: .host)
            addPairableCandidate(ICELocalCandidate(candidate: host, socketBase: base, allocation: nil))
            if configuration.policy == .all { announce(host) }
            for server in configuration.stunServers where server.ip.isIPv4 == base.ip.isIPv4 {
                let id = STUNMessageBuilder.randomTransactionID()
                var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: id)
                builder.appendFingerprint()
                let route = ICERoute.direct(base: base, destination: server)
                transactions[id] = ICETransaction(id: id, purpose: .gather(base: base, server: server), request: builder.bytes, route: route, now: now, rto: configuration.initialRTO)
                transmit(builder.bytes, route: route)
            }
            for server in configuration.turnServers where server.address.ip.isIPv4 == base.ip.isIPv4 {
                startAllocation(server: server, base: base, now: now)
            }
        }
        finishGatheringStep()
        if remoteCredentials != nil && state == .new && !pairs.isEmpty { setState(.checking) }
    }

    /// Signals a gathered candidate unless an equal address was signaled already
    /// (RFC 8445 §5.1.3 removes redundant candidates).
    func announce(_ candidate: ICECandidate) {
        guard !announcedCandidates.contains(where: { $0.address == candidate.address }) else { return }
        announcedCandidates.append(candidate)
        outputs.append(.localCandidate(candidate))
    }

    /// A server-reflexive candidate from a STUN server's answer (RFC 8445 §5.1.1.1); it is
    /// signaled but pairs as its base (§6.1.2.4).
    func handleGatherResponse(_ message: STUNMessage, base: TransportAddress, now: Instant) {
        defer { finishGatheringStep() }
        guard message.type.messageClass == .success, let mapped = message.xorAddress(STUNAttributeType.xorMappedAddress) else { return }
        addServerReflexive(mapped, base: base)
    }

    func addServerReflexive(_ mapped: TransportAddress, base: TransportAddress) {
        guard mapped != base, configuration.policy == .all else { return }
        let baseIndex = bases.firstIndex(of: base) ?? 0
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(kind: .serverReflexive, baseIP: base.ip),
            priority: ICECandidate.priority(kind: .serverReflexive, localPreference: UInt32(65_535 - min(baseIndex, 1000))),
            address: mapped, kind: .serverReflexive, relatedAddress: base)
        announce(candidate)
    }

    /// Gathering is complete once no gathering request and no allocation is pending.
    func finishGatheringStep() {
        guard gatheringState == .gathering else { return }
        let pendingGather = transactions.values.contains { if case .gather = $0.purpose { true } else { false } }
        let pendingAllocation = allocations.contains { $0.isAllocating }
        guard !pendingGather, !pendingAllocation else { return }
        gatheringState = .complete
        outputs.append(.gatheringComplete)
    }
}
