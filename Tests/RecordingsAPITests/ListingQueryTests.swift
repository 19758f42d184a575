import Testing

@testable import RecordingsAPI

@Suite struct ListingQueryTests {
    let now: Int64 = 1_795_689_900_000_000

    @Test func defaultsCoverEverythingUpToNow() throws {
        let query = try ListingQuery([:], now: now)
        #expect(query.from == 0 && query.to == now && query.limit == ListingQuery.defaultLimit && query.order == .asc && query.after == nil)
    }

    @Test func readsEveryParameter() throws {
        let query = try ListingQuery(
            ["from": "2026-11-26T00:00:00Z", "to": "2026-11-27T00:00:00Z", "limit": "5", "order": "desc", "next": "1795689900000000.42"], now: now)
        #expect(query.from == 1_795_651_200_000_000 && query.to == 1_795_737_600_000_000)
        #expect(query.limit == 5 && query.order == .desc && query.after == PageToken(start: 1_795_689_900_000_000, id: 42))
    }

    @Test func refusesBadValuesNamingTheParameter() {
        let cases: [([String: String], String)] = [
            (["from": "yesterday"], "from"), (["to": "2026-11-26"], "to"), (["from": "2026-11-27T00:00:00Z", "to": "2026-11-26T00:00:00Z"], "before"),
            (["limit": "0"], "limit"), (["limit": "5001"], "limit"), (["limit": "ten"], "limit"), (["order": "newest"], "order"),
            (["next": "../../etc"], "next"), (["next": "1.2.3"], "next"),
        ]
        for (parameters, word) in cases {
            #expect {
                try ListingQuery(parameters, now: now)
            } throws: { error in
                guard case .badRequest(let message) = error as? RecordingsAPIError else { return false }
                return message.contains(word)
            }
        }
    }

    @Test func pageTokensRoundTrip() {
        let token = PageToken(start: -5, id: 9)
        #expect(PageToken(token.description) == token)
        #expect(PageToken("5.-1") == nil)
        #expect(PageToken("") == nil)
    }
}
