import Foundation
import PaperboyCore

/// The values the page templates render, built from domain types as plain dictionaries
/// (cheap for mustache to walk). Every string here is plain text that the templates escape
/// with `{{…}}`; the only markup, in keys ending in `HTML`, was escaped by `htmlEscape` first
/// and is written with `{{{…}}}`.
enum PageModels {
    /// Cards shown per page of the daily and trending feeds.
    static let feedPageSize = 50
    /// Authors a card names before "et al.".
    static let cardAuthors = 6
    /// Characters of the abstract a card shows.
    static let cardAbstractLength = 320

    /// A paper as a card in a list: title, link, authors, categories, date, votes and either
    /// a highlighted snippet (search) or the start of the abstract.
    static func card(_ paper: Paper, rank: Int, upvotes: Int, snippetHTML: String? = nil) -> [String: Any] {
        let names = paper.authors.map(\.name)
        var authors = names.prefix(cardAuthors).joined(separator: ", ")
        if names.count > cardAuthors { authors += " et al." }
        var card: [String: Any] = [
            "rank": rank,
            "id": paper.id.rawValue,
            "url": paperPath(paper.id),
            "title": paper.title,
            "authors": authors,
            "categories": paper.categories.prefix(4).map { ["name": $0, "url": "/?cat=" + queryEscape($0)] },
            "upvotes": upvotes,
            "hasCategories": !paper.categories.isEmpty,
        ]
        if let published = paper.published {
            card["date"] = DayWindow.isoDay(published)
        }
        if let snippetHTML {
            card["snippetHTML"] = snippetHTML
        } else if !paper.abstract.isEmpty {
            card["abstract"] = shortened(paper.abstract, to: cardAbstractLength)
        }
        return card
    }

    /// `/papers/<id>`: ids keep their `/` (old arXiv ids) and `:` (`doi:`, `title:`), which
    /// the catch-all route reads back; anything else outside a path segment is escaped.
    static func paperPath(_ id: PaperID) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#;")
        return "/papers/" + (id.rawValue.addingPercentEncoding(withAllowedCharacters: allowed) ?? id.rawValue)
    }

    /// A query-string value, escaped so `&`, `=`, `+` and `#` stay inside it.
    static func queryEscape(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?/;")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `path?k=v&…` from the non-nil pairs, in order.
    static func link(_ path: String, _ pairs: [(String, String?)]) -> String {
        let query = pairs.compactMap { key, value in value.map { "\(key)=\(queryEscape($0))" } }
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }

    /// Text cut at a word boundary near `limit` characters, with an ellipsis when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let prefix = text.prefix(limit)
        let cut = prefix.lastIndex(of: " ").map { prefix[..<$0] } ?? prefix
        return cut + "…"
    }

    /// The abstract as paragraphs of plain text (TeX kept as typed: `$…$` stays readable and
    /// is escaped like any other text).
    static func paragraphs(_ text: String) -> [[String: String]] {
        text.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { ["text": $0] }
    }

    /// Previous/next page links of a paginated list (`page` is 1-based).
    static func pagination(page: Int, hasMore: Bool, link: (Int) -> String) -> [String: Any]? {
        guard page > 1 || hasMore else { return nil }
        var model: [String: Any] = ["page": page]
        if page > 1 { model["previous"] = link(page - 1) }
        if hasMore { model["next"] = link(page + 1) }
        return model
    }
}

/// Escapes the five characters that matter in HTML text and attribute values.
func htmlEscape<S: StringProtocol>(_ text: S) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}
