import Foundation
import TextAnalysis

/// A parsed query turned into indexed terms, with its date range and the terms a snippet
/// should highlight.
public struct CompiledQuery: Sendable, Equatable {
    public var query: KeywordQuery
    /// Days since 1970, inclusive, from `since:`/`until:`.
    public var days: ClosedRange<Int32>?
    /// Indexed forms of the words the reader typed, for highlighting.
    public var highlightTerms: Set<String>
    /// What a paper must satisfy whatever ranks it: the required and excluded clauses,
    /// phrases under `+`, fields and categories, without the optional words (those only
    /// rank). Nil when only `days` (or nothing) narrows the search. Semantic and similar
    /// searches apply it as a filter, so `cat:cs.CL -survey` means the same in every mode.
    public var constraint: KeywordQuery?
}

/// How free text is searched: which fields, with which boosts, and whether stop words count.
public struct SearchOptions: Sendable, Equatable {
    /// Fields a word without a field prefix is searched in, with the boost of each.
    public var defaultFields: [(field: SearchField, boost: Float)]
    /// Drop stop words from optional words of a query that has other words (see BENCHMARKS.md
    /// for the measurement behind the default).
    public var dropsStopWords: Bool
    /// Terms a prefix (`transform*`) expands to, most frequent first.
    public var prefixExpansions: Int

    public init(defaultFields: [(field: SearchField, boost: Float)] = [(.title, 2), (.abstract, 1), (.authors, 1)],
                dropsStopWords: Bool = true, prefixExpansions: Int = 64) {
        self.defaultFields = defaultFields
        self.dropsStopWords = dropsStopWords
        self.prefixExpansions = prefixExpansions
    }

    func boost(of field: SearchField) -> Float {
        defaultFields.first { $0.field == field }?.boost ?? 1
    }

    public static func == (a: SearchOptions, b: SearchOptions) -> Bool {
        a.defaultFields.elementsEqual(b.defaultFields) { $0.field == $1.field && $0.boost == $1.boost }
            && a.dropsStopWords == b.dropsStopWords && a.prefixExpansions == b.prefixExpansions
    }
}

extension KeywordIndex {
    /// Analyzes a parsed query with the indexing analyzers and expands its fields and
    /// prefixes against this index.
    public func compile(_ parsed: ParsedQuery, options: SearchOptions = SearchOptions()) -> CompiledQuery {
        var compiler = QueryCompiler(index: self, options: options)
        var required: [KeywordQuery] = []
        var optional: [KeywordQuery] = []
        var excluded: [KeywordQuery] = []
        if let expression = parsed.expression {
            let clauses: [QueryClause]
            if case let .boolean(list) = expression { clauses = list } else { clauses = [QueryClause(.should, expression)] }
            let dropStopWords = options.dropsStopWords && compiler.hasNonStopWord(clauses)
            for clause in clauses {
                let compiled = compiler.compile(clause.expression, droppingStopWords: dropStopWords && clause.occur == .should)
                switch clause.occur {
                case .must: required.append(compiled)
                case .should: if compiled != .nothing { optional.append(compiled) }
                case .mustNot: if compiled != .nothing { excluded.append(compiled) }
                }
            }
        }
        // Words that analyze to nothing (only stop words) leave no constraint; for the keyword
        // search they match nothing.
        let matchesNothing = parsed.expression != nil && required.isEmpty && optional.isEmpty
        let categories = parsed.categories.map { KeywordQuery.filter($0.lowercased(), field: .categories) }
        if !categories.isEmpty { required.append(categories.count == 1 ? categories[0] : .anyOf(categories)) }
        excluded += parsed.excludedCategories.map { .filter($0.lowercased(), field: .categories) }
        let constraint: KeywordQuery? = required.isEmpty && excluded.isEmpty
            ? nil : .boolean(required: required, optional: [], excluded: excluded)
        if matchesNothing { required.append(.nothing) }
        let days: ClosedRange<Int32>?
        if parsed.since != nil || parsed.until != nil {
            let low = parsed.since.map(IndexDocument.day(of:)) ?? (Int32.min + 1)
            let high = parsed.until.map(IndexDocument.day(of:)) ?? .max
            // An empty range (since after until) matches no paper: no paper is dated Int32.max.
            days = low <= high ? low...high : Int32.max...Int32.max
        } else {
            days = nil
        }
        let query: KeywordQuery = .boolean(required: required, optional: optional, excluded: excluded)
        return CompiledQuery(query: query, days: days, highlightTerms: compiler.highlightTerms, constraint: constraint)
    }
}

/// Turns expressions into `KeywordQuery`, one analyzer per field.
struct QueryCompiler {
    let index: KeywordIndex
    let options: SearchOptions
    private(set) var highlightTerms: Set<String> = []
    /// Tokens of each word per analyzer: a word searched in three fields is analyzed once per analyzer.
    private var analyzed: [AnalysisKey: [Token]] = [:]

    private struct AnalysisKey: Hashable {
        var text: String
        var stemming: Bool
    }

    init(index: KeywordIndex, options: SearchOptions) {
        self.index = index
        self.options = options
    }

    static func analyzer(for field: SearchField) -> TextAnalyzer {
        field == .authors ? .names : .english
    }

    private mutating func tokens(_ text: String, _ analyzer: TextAnalyzer) -> [Token] {
        let key = AnalysisKey(text: text, stemming: analyzer.stemming)
        if let known = analyzed[key] { return known }
        let tokens = analyzer.analyze(text)
        analyzed[key] = tokens
        return tokens
    }

    private mutating func isStopWord(_ text: String) -> Bool {
        tokens(text, .english).allSatisfy { StopWords.english.contains($0.term) }
    }

    /// Whether some optional word of the query is not a stop word (else nothing is dropped).
    mutating func hasNonStopWord(_ clauses: [QueryClause]) -> Bool {
        for clause in clauses where clause.occur == .should {
            guard case let .term(text, _) = clause.expression else { return true }
            if !isStopWord(text) { return true }
        }
        return false
    }

    mutating func compile(_ expression: QueryExpression, droppingStopWords: Bool = false) -> KeywordQuery {
        switch expression {
        case let .term(text, field):
            if droppingStopWords, isStopWord(text) { return .nothing }
            return over(field, text, .word)
        case let .phrase(text, field):
            return over(field, text, .phrase)
        case let .prefix(text, field):
            return over(field, text, .prefix)
        case let .boolean(clauses):
            var required: [KeywordQuery] = [], optional: [KeywordQuery] = [], excluded: [KeywordQuery] = []
            for clause in clauses {
                let compiled = compile(clause.expression)
                switch clause.occur {
                case .must: required.append(compiled)
                case .should: if compiled != .nothing { optional.append(compiled) }
                case .mustNot: if compiled != .nothing { excluded.append(compiled) }
                }
            }
            if required.isEmpty && optional.isEmpty { return .nothing }
            return .boolean(required: required, optional: optional, excluded: excluded)
        }
    }

    private enum Shape { case word, phrase, prefix }

    /// The query in one field, or over the default fields summed.
    private mutating func over(_ field: SearchField?, _ text: String, _ shape: Shape) -> KeywordQuery {
        let fields = field.map { [(field: $0, boost: options.boost(of: $0))] } ?? options.defaultFields
        var alternatives: [KeywordQuery] = []
        for (field, boost) in fields {
            let built: KeywordQuery
            switch shape {
            case .word: built = word(text, in: field, boost: boost)
            case .phrase: built = phrase(text, in: field, boost: boost)
            case .prefix: built = prefix(text, in: field, boost: boost)
            }
            if built != .nothing { alternatives.append(built) }
        }
        if alternatives.isEmpty { return .nothing }
        return alternatives.count == 1 ? alternatives[0] : .anyOf(alternatives)
    }

    /// A word in a field. One plain term is a term query. A technical compound (`gpt-4`)
    /// matches whole or by its parts in a row, so `GPT-4`, `GPT 4` and `gpt4` find each other,
    /// and the exact spelling scores twice. Several terms from one word (`O(n^2)`) must appear
    /// together, as a phrase.
    private mutating func word(_ text: String, in field: SearchField, boost: Float) -> KeywordQuery {
        if field == .categories { return .filter(text.lowercased(), field: field) }
        let tokens = tokens(text, Self.analyzer(for: field))
        if field != .authors { highlightTerms.formUnion(tokens.map(\.term)) }
        let plain = tokens.filter { $0.kind != .compound }.map(\.term)
        let compounds = tokens.filter { $0.kind == .compound }.map(\.term)
        if tokens.count == 1 { return .term(tokens[0].term, field: field, boost: boost) }
        if plain.isEmpty { return compounds.isEmpty ? .nothing : .term(compounds[0], field: field, boost: boost) }
        let inRow: KeywordQuery = plain.count == 1 ? .term(plain[0], field: field, boost: boost)
            : .phrase(plain, field: field, boost: boost)
        if compounds.count == 1, tokens.first?.kind == .compound {
            return .anyOf([.term(compounds[0], field: field, boost: boost), inRow])
        }
        return inRow
    }

    private mutating func phrase(_ text: String, in field: SearchField, boost: Float) -> KeywordQuery {
        // In a phrase, compounds match through their parts at consecutive positions.
        let tokens = tokens(text, Self.analyzer(for: field)).filter { $0.kind != .compound }
        if field != .authors { highlightTerms.formUnion(tokens.map(\.term)) }
        switch tokens.count {
        case 0: return .nothing
        case 1: return .term(tokens[0].term, field: field, boost: boost)
        default: return .phrase(tokens.map(\.term), field: field, boost: boost)
        }
    }

    /// The most frequent indexed terms starting with the folded (unstemmed) prefix.
    private mutating func prefix(_ text: String, in field: SearchField, boost: Float) -> KeywordQuery {
        guard let folded = tokens(text, .names).first?.term else { return .nothing }
        var frequency: [String: Int] = [:]
        for segment in index.segments {
            let postings = segment.field(field)
            for ordinal in postings.dictionary.ordinals(withPrefix: folded) {
                frequency[postings.dictionary[ordinal], default: 0] += Int(postings.documentFrequency[ordinal])
            }
        }
        let chosen = frequency.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(options.prefixExpansions).map(\.key).sorted()
        highlightTerms.formUnion(chosen)
        if chosen.isEmpty { return .nothing }
        let alternatives = chosen.map { KeywordQuery.term($0, field: field, boost: boost) }
        return alternatives.count == 1 ? alternatives[0] : .anyOf(alternatives)
    }
}
