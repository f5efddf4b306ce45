import Foundation
import PaperboyServer
import SearchIndex
import Testing

struct SearchRequestTests {
    @Test func readsEveryParameterAndNarrowsTheQuery() throws {
        let request = try SearchRequest(Parameters(["q": " diffusion cat:cs ", "mode": "keyword", "since": "2024-01-01",
                                                    "until": "2024-12-31", "cat": "cs.CV", "author": "Ho",
                                                    "sort": "newest", "page": "3", "size": "10"]))
        #expect(request.query == "diffusion cat:cs" && request.mode == .keyword && request.sort == .newest)
        #expect(request.page == 3 && request.pageSize == 10 && request.author == "Ho" && request.category == "cs.CV")
        let parsed = try #require(try request.parsed())
        #expect(parsed.categories == ["cs.CV"])
        #expect(parsed.since == DayWindow.day("2024-01-01") && parsed.until == DayWindow.day("2024-12-31"))
        #expect(parsed.expression == .boolean([QueryClause(.must, .term("diffusion", field: nil)),
                                               QueryClause(.must, .phrase("Ho", field: .authors))]))
    }

    /// Each bad value names its parameter; a query that does not parse keeps its column.
    @Test func badValuesNameTheirParameter() throws {
        let cases: [([String: String], String)] = [
            (["page": "0"], "page"), (["page": "x"], "page"), (["size": "1000"], "size"), (["mode": "fuzzy"], "mode"),
            (["sort": "oldest"], "sort"), (["since": "2024-02-30"], "since"), (["cat": "<b>"], "cat"),
            (["q": String(repeating: "a", count: 501)], "q"), (["q": "a\u{7}b"], "q"),
            (["since": "2024-05-01", "until": "2024-04-01"], "until"),
        ]
        for (values, parameter) in cases {
            #expect(throws: ParameterError.self, "\(values)") { try SearchRequest(Parameters(values)) }
            do {
                _ = try SearchRequest(Parameters(values))
            } catch {
                #expect(error.parameter == parameter, "\(values)")
            }
        }
        let unclosed = try SearchRequest(Parameters(["q": "graph \"neural"]))
        #expect(throws: ParameterError.self) { try unclosed.parsed() }
        do {
            _ = try unclosed.parsed()
        } catch {
            #expect(error.parameter == "q" && error.column == 7)
        }
    }

    /// A typed `cat:` and the form's category both hold: the narrower one wins, and
    /// disjoint ones match nothing.
    @Test func typedAndFormCategoriesIntersect() throws {
        let narrowed = try SearchRequest(Parameters(["q": "cat:cs", "cat": "cs.LG"])).parsed()
        #expect(narrowed?.categories == ["cs.LG"])
        let disjoint = try SearchRequest(Parameters(["q": "cat:math.CO", "cat": "cs.LG"])).parsed()
        #expect(disjoint == nil)
    }
}
