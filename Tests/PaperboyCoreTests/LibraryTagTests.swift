import Testing
@testable import PaperboyCore

struct LibraryTagTests {
    @Test func tagsAreTrimmedAndOneWhateverTheirCase() throws {
        let tag = try LibraryTag("  Mixture of Experts\t")
        #expect(tag.name == "Mixture of Experts")
        #expect(tag == (try LibraryTag("mixture OF experts")))
        #expect(try LibraryTag("ÜBER").key == (try LibraryTag("über")).key)
        #expect(try LibraryTag(String(repeating: "é", count: 64)).name.count == 64)
    }

    @Test func badTagsAreRefusedNamingTheField() {
        for (text, words) in [("   ", "at least one character"), (String(repeating: "x", count: 65), "at most 64"),
                              ("a, b", "\",\""), ("{x}", "\"{\""), ("line\nbreak", "a control character")] {
            #expect {
                try LibraryTag(text)
            } throws: { error in
                guard let error = error as? PaperboyError else { return false }
                return error.code == .invalidInput && error.message.hasPrefix("tag: ") && error.message.contains(words)
            }
        }
    }
}
