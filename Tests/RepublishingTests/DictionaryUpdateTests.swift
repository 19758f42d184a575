import Testing

@testable import Republishing

/// `updateEachValue`: the republisher's per-frame walk over its viewers changes each entry in
/// place, keeps every key, and sees every entry once.
@Suite struct DictionaryUpdateTests {
    @Test func everyValueIsChangedOnceAndTheKeysStay() {
        var viewers = Dictionary(uniqueKeysWithValues: (0..<50).map { ("viewer-\($0)", $0) })
        var seen = 0
        viewers.updateEachValue { value in
            seen += 1
            value = value * 2 + 1
        }
        #expect(seen == 50)
        #expect(viewers.count == 50)
        for index in 0..<50 { #expect(viewers["viewer-\(index)"] == index * 2 + 1) }
    }

    @Test func anEmptyDictionaryIsLeftAlone() {
        var empty: [String: Int] = [:]
        var calls = 0
        empty.updateEachValue { _ in calls += 1 }
        #expect(calls == 0 && empty.isEmpty)
    }
}
