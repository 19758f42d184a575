import STUN

extension ICEAgent {
    /// The next consent request 5 s ± 20 % from now (RFC 7675 §5.1), randomised so that
    /// many sessions do not synchronise.
    func scheduleConsentCheck(now: Instant) {
        let interval = configuration.consentInterval
        nextConsentCheck = now + interval * Double.random(in: 0.8...1.2)
    }

    /// Sends due consent requests and judges consent: none for `disconnectedAfter` →
    /// disconnected; none for `consentTimeout` (30 s) → failed, and nothing more is sent
    /// (RFC 7675 §5.1).
    func checkConsent(now: Instant) {
        guard let pairID = selectedPairID, let lastConsent else { return }
        let silence = now - lastConsent
        if silence >= configuration.consentTimeout {
            nextConsentCheck = nil
            pendingApplication.removeAll()
            setState(.failed)
            return
        }
        if silence >= configuration.disconnectedAfter { setState(.disconnected) }
        guard let due = nextConsentCheck, now >= due, let index = pairIndex(pairID) else { return }
        scheduleConsentCheck(now: now)
        let id = STUNMessageBuilder.randomTransactionID()
        guard let request = checkRequest(for: pairs[index], nominating: false, transactionID: id) else { return }
        let route = route(of: pairs[index])
        var transaction = ICETransaction(id: id, purpose: .consent(pair: pairID), request: request, route: route, now: now, rto: configuration.consentInterval, retransmits: false)
        transaction.nextRetransmission = now + configuration.consentInterval
        transactions[id] = transaction
        counters.consentRequestsSent += 1
        transmit(request, route: route)
    }

    /// An authenticated success response refreshes consent (RFC 7675 §5.1).
    func handleConsentResponse(_ message: STUNMessage, transaction: ICETransaction, pairID: Int, now: Instant) {
        guard message.type.messageClass == .success, let remoteCredentials,
            message.hasValidIntegrity(key: STUNIntegrity.shortTermKey(password: remoteCredentials.password))
        else { return }
        counters.consentResponses += 1
        lastConsent = now
        if let index = pairIndex(pairID) { pairs[index].roundTripTime = now - transaction.firstSent }
        if state == .disconnected { setState(.connected) }
    }
}
