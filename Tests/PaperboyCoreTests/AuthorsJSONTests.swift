import Foundation
import PaperboyCore
import Testing

/// The hand-written JSON codec of `papers.authors`, checked against Foundation's.
struct AuthorsJSONTests {
    /// Authors whose text needs every kind of escape, built field by field so control
    /// characters survive (`Author.init` would collapse them).
    private static var awkwardAuthors: [Author] {
        func author(_ name: String, _ affiliation: String? = nil) -> Author {
            var author = Author(name: "")
            author.name = name
            author.affiliation = affiliation
            return author
        }
        return [
            author(#"J. "Jay" O'Brien\Jr"#, "Dept. of \"Quotes\""),
            author("Zoë Ångström", "Universität Zürich"),
            author("tab\there, newline\nthere, nul\u{0}, bell\u{7}, unit separator\u{1F}", nil),
            author("李 华 🚀 𝔘𝔫𝔦", "/slashes/ are plain"),
            author("", ""),
        ]
    }

    @Test func awkwardTextRoundTrips() {
        let authors = Self.awkwardAuthors
        #expect(AuthorsJSON.decode(AuthorsJSON.encode(authors)) == authors)
        #expect(AuthorsJSON.encode([]) == "[]")
        #expect(AuthorsJSON.decode("[]") == [])
    }

    @Test func foundationReadsWhatItWrites() throws {
        let authors = Self.awkwardAuthors
        let decoded = try JSONDecoder().decode([Author].self, from: Data(AuthorsJSON.encode(authors).utf8))
        #expect(decoded == authors)
    }

    @Test func readsWhatFoundationWrites() throws {
        let authors = Self.awkwardAuthors
        let text = String(decoding: try JSONEncoder().encode(authors), as: UTF8.self)
        #expect(AuthorsJSON.decode(text) == authors)
    }

    @Test func readsEscapesWhitespaceNullsAndUnknownMembers() {
        let text = #" [ { "orcid" : "0000-0002" , "name" : "A\u00e9\ud83d\ude80\/B" , "affiliation" : null } ] "#
        #expect(AuthorsJSON.decode(text) == [Author(name: "Aé🚀/B")])
    }

    @Test(arguments: [
        "", "[", "{}", "[{}]", #"[{"name":1}]"#, #"[{"affiliation":"x"}]"#, #"[{"name":"a"}] x"#,
        #"[{"name":"a"},]"#, #"[{"name":"a\q"}]"#, #"[{"name":"\ud83d"}]"#, #"[{"name":"a}]"#,
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(AuthorsJSON.decode(text) == nil)
    }
}
