import Foundation
import PaperboyTesting
import SearchIndex
import Testing

private func term(_ text: String, _ field: SearchField? = nil) -> QueryExpression { .term(text, field: field) }
private func should(_ expression: QueryExpression) -> QueryClause { QueryClause(.should, expression) }
private func must(_ expression: QueryExpression) -> QueryClause { QueryClause(.must, expression) }
private func mustNot(_ expression: QueryExpression) -> QueryClause { QueryClause(.mustNot, expression) }
private func any(_ expressions: QueryExpression...) -> QueryExpression { .boolean(expressions.map(should)) }
/// Bare words split at spaces, each a should term: what plain text parses to.
private func words(_ text: String) -> QueryExpression { .boolean(text.split(separator: " ").map { should(term(String($0))) }) }

/// Midnight UTC of a day, computed independently of the parser.
private func day(_ text: String) throws -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return try #require(formatter.date(from: text))
}

private func expression(_ query: String) throws -> QueryExpression? { try QueryParser.parse(query).expression }

private func syntaxError(_ query: String) -> QuerySyntaxError? {
    do {
        _ = try QueryParser.parse(query)
        return nil
    } catch {
        return error
    }
}

private func leaves(_ expression: QueryExpression?) -> [String] {
    switch expression {
    case nil: []
    case .term(let text, _), .phrase(let text, _), .prefix(let text, _): [text]
    case .boolean(let clauses): clauses.flatMap { leaves($0.expression) }
    }
}

private func hasExclusion(_ expression: QueryExpression?) -> Bool {
    guard case .boolean(let clauses) = expression else { return false }
    return clauses.contains { $0.occur == .mustNot || hasExclusion($0.expression) }
}

/// The distinct titles (or abstracts) of the Hugging Face papers pages: after each page's
/// header and date, non-empty lines alternate title and abstract.
private func hfEntries(abstracts: Bool = false) throws -> [String] {
    var found: Set<String> = []
    for url in try Fixtures.hfPages {
        let lines = try String(contentsOf: url, encoding: .utf8)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let header = try #require(lines.firstIndex(of: "byAK and the research community"))
        let entries = Array(lines[(header + 2)...])
        for index in stride(from: abstracts ? 1 : 0, to: entries.count, by: 2) { found.insert(entries[index]) }
    }
    return found.sorted()
}

/// Whether a pasted text has a word starting with `-`, the only way it may exclude something.
private func startsWordWithMinus(_ text: String) -> Bool {
    text.split(whereSeparator: \.isWhitespace).contains { $0.count > 1 && $0.first == "-" }
}

/// SplitMix64: a seeded generator, so the random queries are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct QueryParserTests {
    @Test func emptyOrBlankQueryParsesToEmptyQuery() throws {
        for query in ["", " ", "\t\n  ", "()", "( )"] {
            #expect(try QueryParser.parse(query) == ParsedQuery(), "\(query)")
        }
        #expect(try QueryParser.parse("  ").isEmpty)
    }

    @Test func bareWordsAreOptionalClausesJoinedByOr() throws {
        #expect(try expression("mixture of experts routing") == words("mixture of experts routing"))
        #expect(try expression("diffusion") == term("diffusion"))
    }

    @Test func quotedTextIsOnePhraseKeptAsTyped() throws {
        #expect(try expression(#""speculative decoding""#) == .phrase("speculative decoding", field: nil))
        #expect(try expression(#""Mixture-of-Experts (MoE)" routing"#) == any(.phrase("Mixture-of-Experts (MoE)", field: nil), term("routing")))
    }

    @Test func authorCategoryAndSinceSplitIntoSearchAndFilters() throws {
        let parsed = try QueryParser.parse("author:Karpathy cat:cs.LG since:2024-01-01")
        #expect(parsed.expression == term("Karpathy", .authors))
        #expect(parsed.categories == ["cs.LG"])
        #expect(parsed.since == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(parsed.until == nil && parsed.excludedCategories.isEmpty)
    }

    @Test func minusAtTheStartOfAWordExcludesIt() throws {
        #expect(try expression("diffusion -video") == .boolean([should(term("diffusion")), mustNot(term("video"))]))
    }

    @Test(arguments: [
        ("a AND b", .boolean([must(term("a")), must(term("b"))])),
        ("a OR b", any(term("a"), term("b"))),
        ("+a b", .boolean([must(term("a")), should(term("b"))])),
        ("NOT a", .boolean([mustNot(term("a"))])),
        ("a NOT b", .boolean([should(term("a")), mustNot(term("b"))])),
        ("a AND NOT b", .boolean([must(term("a")), mustNot(term("b"))])),
        ("-\"a b\" c", .boolean([mustNot(.phrase("a b", field: nil)), should(term("c"))])),
        ("NOT NOT a", term("a")),
        ("a OR b AND c", any(term("a"), .boolean([must(term("b")), must(term("c"))]))),
        ("a b AND c", any(term("a"), .boolean([must(term("b")), must(term("c"))]))),
        ("NOT a AND b", .boolean([mustNot(term("a")), must(term("b"))])),
        ("a AND b OR c AND d", any(.boolean([must(term("a")), must(term("b"))]), .boolean([must(term("c")), must(term("d"))]))),
        ("(a OR b) AND c", .boolean([must(any(term("a"), term("b"))), must(term("c"))])),
        ("-(a b)", .boolean([mustNot(any(term("a"), term("b")))])),
        ("((a))", term("a")),
    ] as [(String, QueryExpression)])
    func operatorsFollowLucenePrecedenceNotAndOr(query: String, expected: QueryExpression) throws {
        #expect(try expression(query) == expected)
    }

    @Test func fieldsApplyToTermsPhrasesPrefixesAndGroups() throws {
        #expect(try expression("title:diffusion") == term("diffusion", .title))
        #expect(try expression("TITLE:\"video diffusion\"") == .phrase("video diffusion", field: .title))
        #expect(try expression("Abstract:transform*") == .prefix("transform", field: .abstract))
        #expect(try expression("title:(diffusion video)") == any(term("diffusion", .title), term("video", .title)))
        #expect(try expression("title:(a abstract:b -c)") == .boolean([should(term("a", .title)), should(term("b", .abstract)), mustNot(term("c", .title))]))
        #expect(try expression("-author:Karpathy") == .boolean([mustNot(term("Karpathy", .authors))]))
        #expect(try expression("au:Hinton ti:capsules") == any(term("Hinton", .authors), term("capsules", .title)))
    }

    @Test func starAfterTwoCharactersIsAPrefixElseText() throws {
        #expect(try expression("transform*") == .prefix("transform", field: nil))
        #expect(try expression("ab*") == .prefix("ab", field: nil))
        for text in ["a*", "*", "**", "foo*bar", "foo**", "*foo"] {
            #expect(try expression(text) == term(text), "\(text)")
        }
    }

    @Test(arguments: [
        ("since:2024", "2024-01-01", nil), ("until:2024", nil, "2024-12-31"),
        ("since:2024-03", "2024-03-01", nil), ("until:2024-02", nil, "2024-02-29"),
        ("until:2023-02", nil, "2023-02-28"), ("since:2000-02-29 until:2024-1-5", "2000-02-29", "2024-01-05"),
        ("since:2023 since:2024-06-01 until:2025 until:2024-12", "2024-06-01", "2024-12-31"),
    ] as [(String, String?, String?)])
    func datesMeanTheFirstDayForSinceAndTheLastForUntil(query: String, since: String?, until: String?) throws {
        let parsed = try QueryParser.parse(query)
        #expect(parsed.since == (try since.map(day)))
        #expect(parsed.until == (try until.map(day)))
        #expect(parsed.expression == nil)
    }

    @Test func categoriesAreFiltersSpelledAsArxivDoes() throws {
        let parsed = try QueryParser.parse("cat:CS.lg cat:stat cat:cs.* cat:cs.LG OR cat:math.AG -cat:cs.CV NOT cat:eess.IV llm")
        #expect(parsed.categories == ["cs.LG", "stat", "cs", "math.AG"])
        #expect(parsed.excludedCategories == ["cs.CV", "eess.IV"])
        #expect(parsed.expression == term("llm"))
        #expect(try expression("llm AND cat:cs.CL") == term("llm"))
        #expect(try QueryParser.parse("+cat:cs").categories == ["cs"])
    }

    @Test(arguments: [
        ("Attention (as in transformers) is all you need",
         .boolean([should(term("Attention")), should(words("as in transformers")), should(term("is")), should(term("all")), should(term("you")), should(term("need"))])),
        ("state-of-the-art GPT-4", words("state-of-the-art GPT-4")),
        ("Note: results", words("Note: results")),
        ("BERT: pre-training", words("BERT: pre-training")),
        ("http://arxiv.org/abs/1706.03762", term("http://arxiv.org/abs/1706.03762")),
        ("C++ templates", words("C++ templates")),
        ("O(n^2) 1.5 l2 k-nn", words("O(n^2) 1.5 l2 k-nn")),
        ("sorting in O(n log n) time", words("sorting in O(n log n) time")),
        ("f(x)(a) g", words("f(x)(a) g")),
        ("cats AND", words("cats AND")),
        ("AND gates", words("AND gates")),
        ("cats OR", words("cats OR")),
        ("cats NOT", words("cats NOT")),
        ("(cats AND) dogs", any(words("cats AND"), term("dogs"))),
        ("title: Attention", words("title: Attention")),
        ("Title:", term("Title:")),
        ("a - b + c", words("a - b + c")),
        ("loss -0.5 +1", words("loss -0.5 +1")),
        ("Less -- Implementing", words("Less -- Implementing")),
        ("a-b -c-d", .boolean([should(term("a-b")), mustNot(term("c-d"))])),
        ("12\" display", words("12\" display")),
        ("(PROMST): Integrating", words("PROMST : Integrating")),
        ("ToolChain*: with A* Search", words("ToolChain*: with A* Search")),
        ("\"a b\"-c", any(.phrase("a b", field: nil), term("-c"))),
        ("title:-video", term("-video", .title)),
        ("a AND ()", term("a")),
        ("two reasons: 1) data i) models", words("two reasons: 1) data i) models")),
        ("EL1 and ECL (EL1 may be given as EL/1", words("EL1 and ECL EL1 may be given as EL/1")),
        ("(as above)) :)", .boolean([should(words("as above")), should(term(")")), should(term(":)"))])),
    ] as [(String, QueryExpression)])
    func punctuationThatNamesNoOperatorIsSearchedAsText(query: String, expected: QueryExpression) throws {
        #expect(try expression(query) == expected)
    }

    @Test(arguments: [
        ("\"speculative decoding", QuerySyntaxError.Code.unclosedQuote, "\""),
        ("diffusion \"video", .unclosedQuote, "\""),
        ("🚀 \"launch", .unclosedQuote, "\""),
        ("(a OR b", .unbalancedParenthesis, "("),
        ("(a (b) -c", .unbalancedParenthesis, "("),
        ("a OR b) AND c", .unbalancedParenthesis, ")"),
        ("title:diffusion video)", .unbalancedParenthesis, ")"),
        ("(a) -b) c", .unbalancedParenthesis, ")"),
        ("a AND OR b", .misplacedOperator, "O"),
        ("a OR AND b", .misplacedOperator, "A"),
        ("a NOT AND b", .misplacedOperator, "A"),
        ("since:2024-13-01", .invalidDate, "2"),
        ("llm until:2023-02-29", .invalidDate, "2"),
        ("since:24", .invalidDate, "2"),
        ("since:yesterday", .invalidDate, "y"),
        ("since: 2024-01-01", .invalidDate, " "),
        ("until:2023 since:2024", .emptyDateRange, "2"),
        ("cat:cs.XY", .invalidCategory, "c"),
        ("cat:\"cs LG\"", .invalidCategory, "\""),
        ("(llm cat:cs.LG)", .misplacedFilter, "c"),
        ("title:(llm since:2024)", .misplacedFilter, "s"),
        ("llm OR cat:cs.LG", .misplacedFilter, "O"),
        ("-since:2024", .misplacedFilter, "-"),
        ("NOT until:2024", .misplacedFilter, "N"),
        ("cat:cs.LG AND cat:stat.ML", .misplacedFilter, "c"),
        (String(repeating: "(", count: 65) + "a" + String(repeating: ")", count: 65), .nestedTooDeeply, "("),
    ] as [(String, QuerySyntaxError.Code, Character)])
    func errorsPointAtTheOffendingCharacter(query: String, code: QuerySyntaxError.Code, offending: Character) throws {
        let error = try #require(syntaxError(query))
        #expect(error.code == code)
        #expect(error.query == query)
        let characters = Array(query)
        try #require((1...characters.count).contains(error.column))
        #expect(characters[error.column - 1] == offending, "\(error)")
    }

    @Test func errorColumnsOfSpecificCasesAreExact() throws {
        #expect(syntaxError("since:2024-13-01")?.column == 7)
        #expect(syntaxError("llm until:2023 since:2024")?.column == 22)
        #expect(syntaxError("(a (b) +c")?.column == 1)
        #expect(syntaxError("a OR b) AND c")?.column == 7)
        #expect(syntaxError("é (à AND b")?.column == 3)
        #expect(syntaxError(String(repeating: "(", count: 65) + "a")?.column == 65)
    }

    @Test func errorDescriptionShowsTheQueryWithACaretUnderTheColumn() throws {
        let error = try #require(syntaxError("llm\tsince:2024-13-01"))
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[0].contains("month 13") && lines[0].contains("column 11"))
        #expect(lines[1] == "llm since:2024-13-01")
        #expect(lines[2] == String(repeating: " ", count: 10) + "^")
    }

    @Test func everyPastedHuggingFaceTitleParsesAsTheWordsItContains() throws {
        let titles = try hfEntries()
        #expect(titles.count == 335)
        let syntax: Set<Character> = ["(", ")", "\"", "*"]
        let letters = { (text: String) in String(text.filter { !$0.isWhitespace && !syntax.contains($0) }) }
        for title in titles {
            let parsed = try QueryParser.parse(title)
            #expect(!hasExclusion(parsed.expression) || startsWordWithMinus(title), "\(title)")
            #expect(parsed.categories.isEmpty && parsed.since == nil && parsed.until == nil, "\(title)")
            #expect(letters(leaves(parsed.expression).joined()) == letters(title), "\(title)")
        }
    }

    /// Abstracts bring enumerations (`1) data`), nested parentheses and TeX (`Schr\"odinger`,
    /// ``…''); the one abstract that opens a quote it never closes (`"chain-of-thought''`) is
    /// the only one refused.
    @Test func everyPastedAbstractParsesUnlessItOpensAQuoteItNeverCloses() throws {
        let abstracts = try hfEntries(abstracts: true)
        #expect(abstracts.count >= 330)
        var refused: [String] = []
        for abstract in abstracts {
            if let error = syntaxError(abstract) {
                #expect(error.code == .unclosedQuote, "\(error)")
                refused.append(abstract)
                continue
            }
            let parsed = try QueryParser.parse(abstract)
            #expect(parsed.expression != nil && parsed.categories.isEmpty && parsed.since == nil, "\(abstract)")
            #expect(!hasExclusion(parsed.expression) || startsWordWithMinus(abstract), "\(abstract)")
        }
        #expect(refused.count == 1 && refused.allSatisfy { $0.contains("\"chain-of-thought''") })
    }

    @Test func randomInputsEitherParseOrFailWithAColumnInsideTheQuery() {
        let pieces = [
            "(", ")", "\"", "+", "-", ":", "*", " ", " ", "AND", "OR", "NOT", "title:", "cat:", "since:", "until:",
            "author:", "abs:", "a", "bc", "transform", "2024-01-01", "2024-13", "cs.LG", "é", "e\u{301}", "\u{301}",
            "🚀", "👩‍👩‍👧", "中文", "\n", "\t", "\r\n", "\u{00A0}", "-0", "C++", "O(n", "x)",
        ]
        var generator = SplitMix64(state: 20_240_101)
        var failures = 0
        var refused = 0
        for _ in 0..<100_000 {
            var query = ""
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                if Int.random(in: 0..<8, using: &generator) == 0 {
                    query.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x20...0x2FFF, using: &generator)) ?? "?")
                } else {
                    query += pieces.randomElement(using: &generator) ?? ""
                }
            }
            do {
                _ = try QueryParser.parse(query)
            } catch {
                refused += 1
                if !(1...max(1, query.count)).contains(error.column) || error.query != query {
                    failures += 1
                    Issue.record("column \(error.column) outside \(query.debugDescription)")
                }
            }
            if failures > 10 { break }
        }
        #expect(failures == 0)
        // Both outcomes are exercised, so the test says something about each.
        #expect((10_000...90_000).contains(refused), "\(refused) of 100000 refused")
    }
}
