@testable import Gateway
import Testing

@Suite struct JSONLogHandlerTests {
    @Test func stringsAreEscapedAsRFC8259Requires() {
        #expect(JSONLogHandler.quoted("plain") == #""plain""#)
        #expect(JSONLogHandler.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONLogHandler.quoted("line\nnext\ttab") == #""line\nnext\ttab""#)
        #expect(JSONLogHandler.quoted("\u{1}") == #""\u0001""#)
        #expect(JSONLogHandler.quoted("é") == "\"é\"")
    }
}
