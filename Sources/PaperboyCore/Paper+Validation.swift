extension Paper {
    /// Bounds a record must respect to be stored. They are far above any real paper and keep
    /// a corrupt or hostile input (a 10 MB "title") from bloating the store and every index.
    public enum Limits {
        public static let titleBytes = 4 * 1024
        public static let abstractBytes = 256 * 1024
        public static let authors = 20_000
        public static let authorNameBytes = 1024
        public static let categories = 64
        public static let otherFieldBytes = 64 * 1024
    }

    /// Why this record cannot be stored, naming the field; nil when it is fine.
    public var validationProblem: String? {
        if title.isEmpty { return "field \"title\" is empty" }
        if let problem = Self.tooLong("title", title, Limits.titleBytes) { return problem }
        if let problem = Self.tooLong("abstract", abstract, Limits.abstractBytes) { return problem }
        if authors.count > Limits.authors { return "\(authors.count) authors, more than the limit of \(Limits.authors)" }
        if let index = authors.firstIndex(where: { $0.name.utf8.count > Limits.authorNameBytes }) {
            return Self.tooLong("authors[\(index)]", authors[index].name, Limits.authorNameBytes)
        }
        if categories.count > Limits.categories { return "\(categories.count) categories, more than the limit of \(Limits.categories)" }
        for (name, value) in [("journal-ref", journalRef), ("comments", comments), ("doi", doi)] {
            if let value, let problem = Self.tooLong(name, value, Limits.otherFieldBytes) { return problem }
        }
        return nil
    }

    private static func tooLong(_ field: String, _ value: String, _ limit: Int) -> String? {
        let size = value.utf8.count
        return size > limit ? "field \"\(field)\" is \(size) bytes, more than the limit of \(limit)" : nil
    }
}
