import Testing
@testable import PaperboyServer

/// arXiv's `search_query` syntax written out in Paperboy's query language.
struct ArxivSearchQueryTests {
    @Test(arguments: [
        ("au:del_maestro", #"author:"del maestro""#),
        ("au:del_maestro AND ti:checkerboard", #"author:"del maestro" AND title:checkerboard"#),
        ("ti:\"quantum criticality\"", #"title:"quantum criticality""#),
        ("all:electron", "electron"),
        ("electron", "electron"),
        ("abs:graph ANDNOT ti:tree", "abstract:graph AND NOT title:tree"),
        ("ti:a OR (au:b AND abs:c)", "title:a OR (author:b AND abstract:c)"),
        ("all:transformer AND cat:cs.LG", "(transformer) cat:cs.LG"),
        ("cat:cs.LG OR cat:stat.ML", "cat:cs.LG cat:stat.ML"),
        ("(ti:x OR ti:y) ANDNOT cat:hep-th", "(title:x OR title:y) -cat:hep-th"),
        ("ti:-minus", #"title:"-minus""#),
    ])
    func translates(arxiv: String, paperboy: String) throws {
        let translated = try ArxivSearchQuery(arxiv).paperboyQuery
        #expect(translated == paperboy)
    }

    @Test func idTermsBecomeAnIdList() throws {
        let query = try ArxivSearchQuery("id:0704.0001 OR id:0704.0002")
        #expect(query.ids == ["0704.0001", "0704.0002"])
        #expect(query.paperboyQuery.isEmpty)
        let narrowed = try ArxivSearchQuery("id:0704.0001 AND ti:diphoton")
        #expect(narrowed.ids == ["0704.0001"] && narrowed.text == "title:diphoton")
    }

    @Test(arguments: ["ti:(a", "ti:\"open", "AND ti:x", "ti:x OR", "jr:Nature", "ti:a OR cat:cs.LG",
                      "cat:cs.LG AND cat:cs.AI", "(ti:a))"])
    func rejects(arxiv: String) {
        #expect(throws: ArxivSearchQuery.Problem.self) { try ArxivSearchQuery(arxiv) }
    }

    @Test func everyTranslationParsesInPaperboy() throws {
        for text in ["au:del_maestro AND ti:checkerboard", "all:transformer AND cat:cs.LG", "cat:cs.LG OR cat:stat.ML",
                     "(ti:x OR ti:y) ANDNOT cat:hep-th", "abs:graph ANDNOT ti:tree", "ti:a OR (au:b AND abs:c)"] {
            let translated = try ArxivSearchQuery(text).paperboyQuery
            #expect(throws: Never.self, "\(translated)") { try SearchRequest(query: translated).parsed() }
        }
    }
}
