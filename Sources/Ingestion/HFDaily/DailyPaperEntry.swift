import Foundation

/// One element of Hugging Face's `api/daily_papers` array, as far as Paperboy reads it. The
/// response carries much more (thumbnails, submitters, AI summaries); only what a `Paper`
/// holds is decoded, and everything but `paper.id` may be missing.
struct DailyPaperEntry: Decodable {
    struct DailyPaper: Decodable {
        struct Author: Decodable {
            var name: String?
        }

        /// An arXiv id.
        var id: String
        var title: String?
        var summary: String?
        var authors: [Author]?
        var publishedAt: String?
        var upvotes: Int?
        var githubRepo: String?
    }

    var paper: DailyPaper
    var title: String?
}

extension DecodingError {
    /// The problem phrased for a rejection, naming the field by its path (`paper.authors[2].name`).
    var rejectionReason: String {
        switch self {
        case .keyNotFound(let key, let context):
            return "field \"\(Self.path(context.codingPath + [key]))\" is missing"
        case .valueNotFound(let type, let context):
            return "field \"\(Self.path(context.codingPath))\" is null, expected \(Self.name(of: type))"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "the element is not a JSON object" }
            return "field \"\(Self.path(context.codingPath))\" has the wrong type, expected \(Self.name(of: type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the element is not valid JSON" }
            return "field \"\(Self.path(context.codingPath))\" cannot be read: \(context.debugDescription)"
        @unknown default:
            return "the element cannot be read: \(self)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of type \(type)"
        }
    }
}
