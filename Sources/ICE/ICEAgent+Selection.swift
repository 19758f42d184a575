import NetworkAddress
import STUN

extension ICEAgent {
    /// Drives every timer: paced checks, retransmissions, nomination, consent, TURN
    /// refreshes, and the failed state. Call at ``nextDeadline`` (and after any input).
    public func tick(now: Instant) {
        guard state != .closed else { return }
        lastTick = now
        retransmit(now: now)
        refreshAllocations(now: now)
        nominateIfReady(now: now)
        sendNextCheck(now: now)
        checkConsent(now: now)
        updateFailure()
    }

    /// The earliest time ``tick(now:)`` has work to do.
    public var nextDeadline: Instant? {
        guard state != .closed else { return nil }
        var deadlines = transactions.values.map(\.nextRetransmission)
        // Only work that can be done when the deadline comes: a relayed pair waiting for its
        // permission is woken by the CreatePermission answer, not by the pacer.
        let sendable = !triggeredQueue.isEmpty || pairs.contains { $0.state == .waiting && hasRoute($0) }
        if sendable, remoteCredentials != nil, let due = lastCheckSent.map({ $0 + configuration.pacingInterval }) ?? lastTick {
            deadlines.append(due)
        }
        if isControlling, selectedPairID == nil, nominationInFlight == nil, !pairs.contains(where: \.nominated), let firstValidAt {
            deadlines.append(firstValidAt + configuration.nominationDelay)
        }
        if state == .connected || state == .disconnected {
            if let nextConsentCheck { deadlines.append(nextConsentCheck) }
            if let lastConsent, selectedPairID != nil {
                deadlines.append(lastConsent + (state == .disconnected ? configuration.consentTimeout : configuration.disconnectedAfter))
            }
        }
        deadlines += allocations.compactMap(\.nextRefresh)
        return deadlines.min()
    }

    /// Regular nomination by the controlling agent (RFC 8445 §8.1.1): the best valid pair,
    /// once no better pair is still being checked or the nomination delay has passed.
    func nominateIfReady(now: Instant) {
        guard isControlling, nominationInFlight == nil, !pairs.contains(where: \.nominated), let firstValidAt else { return }
        let controlling = true
        let valid = pairs.filter { $0.state == .succeeded }
        guard let best = valid.max(by: { $0.priority(controlling: controlling) < $1.priority(controlling: controlling) }) else { return }
        let betterPending = pairs.contains {
            ($0.state == .waiting || $0.state == .inProgress) && $0.priority(controlling: controlling) > best.priority(controlling: controlling)
        }
        guard !betterPending || now - firstValidAt >= configuration.nominationDelay else { return }
        nominationInFlight = best.id
        sendCheck(pairID: best.id, nominating: true, now: now)
    }

    /// Selects the best nominated valid pair (RFC 8445 §8.1.1, §8.2) and reports it.
    func updateSelection(now: Instant) {
        let controlling = isControlling
        let nominated = pairs.filter { $0.nominated && $0.state == .succeeded }
        guard let best = nominated.max(by: { $0.priority(controlling: controlling) < $1.priority(controlling: controlling) }),
            best.id != selectedPairID
        else { return }
        selectedPairID = best.id
        retainedPair = nil
        nominationInFlight = nil
        outputs.append(.selectedPair(local: best.local.candidate, remote: best.remote))
        lastConsent = now
        scheduleConsentCheck(now: now)
        setState(.connected)
        flushPendingApplication()
    }

    /// RFC 8445 §8.1.2 / §7.2.5.4: without a usable pair, once every pair failed and both
    /// sides finished gathering, the checks failed.
    func updateFailure() {
        guard state == .checking, selectedPairID == nil, retainedPair == nil, remoteGatheringComplete, gatheringState == .complete else { return }
        guard !pairs.contains(where: { $0.state != .failed }) else { return }
        setState(.failed)
    }
}
