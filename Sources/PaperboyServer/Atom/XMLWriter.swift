/// Builds an XML document as text, escaping every text node and attribute value, so a
/// paper's title can never become markup. Characters XML 1.0 forbids (most C0 controls)
/// are dropped rather than escaped: no parser accepts them in any form.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// Opens `name` with `attributes` (written in the order given); close it with `end()`.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += indent + "<" + name + Self.attributes(attributes) + ">\n"
        open.append(name)
    }

    mutating func end() {
        guard let name = open.popLast() else { return }
        text += indent + "</" + name + ">\n"
    }

    /// `<name attributes>content</name>`, or `<name attributes/>` when `content` is nil.
    mutating func element(_ name: String, _ content: String? = nil, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += indent + "<" + name + Self.attributes(attributes)
        if let content {
            text += ">" + Self.escape(content) + "</" + name + ">\n"
        } else {
            text += "/>\n"
        }
    }

    /// The finished document; unclosed elements are closed.
    mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    /// Text safe inside an element or a double-quoted attribute.
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if isAllowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// XML 1.0's `Char` production.
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
