/// A part of a paper the keyword index searches separately, so a query can ask for a word
/// in one of them (`title:diffusion`). The order of the cases is the order of the fields in
/// the index file; append new fields at the end.
public enum SearchField: String, Sendable, CaseIterable {
    case title, abstract, authors
    /// Category codes, as keywords. The query language never yields terms in this field:
    /// `cat:` is a filter (`ParsedQuery.categories`), which the index may answer from it.
    case categories
}

/// What a `name:` prefix in a query stands for: a field to search in, or a filter.
enum QueryFieldName: Equatable {
    case search(SearchField)
    case category
    case since
    case until

    /// The prefixes readers type, lower-cased; arXiv's own short forms (`ti:`, `abs:`, `au:`)
    /// are accepted because readers bring them from arXiv's search box.
    private static let byName: [String: QueryFieldName] = [
        "title": .search(.title), "ti": .search(.title),
        "abstract": .search(.abstract), "abs": .search(.abstract),
        "author": .search(.authors), "authors": .search(.authors), "au": .search(.authors),
        "cat": .category, "category": .category,
        "since": .since, "until": .until,
    ]

    /// The field a prefix names, ignoring case; nil for any other word before a colon.
    init?(_ name: String) {
        guard let known = Self.byName[name.lowercased()] else { return nil }
        self = known
    }

    /// Filters narrow the whole query instead of being searched.
    var isFilter: Bool {
        if case .search = self { return false }
        return true
    }

    /// Whether the value is a date, so a space after the colon is a typo, not prose.
    var takesDate: Bool { self == .since || self == .until }
}
