import PaperboyCore

/// One thing the pull reader found in an XML document, with the 1-based line it starts on.
///
/// Names keep their prefix (`arxiv:doi`) and also come without it (`doi`): importers match
/// local names because the prefixes differ between arXiv's 2016 and 2026 feeds; namespaces
/// are not resolved.
public struct XMLEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `<name attr="value">`; an empty element `<name/>` gives a start and an end event.
        case startElement(name: String, localName: String, attributes: XMLAttributes)
        /// `</name>`, or the implied end of an element closed by a mismatched end tag.
        case endElement(name: String, localName: String)
        /// Character data with entities and character references decoded, or a CDATA section.
        /// A run of text may come as several events (split by comments or CDATA); concatenate them.
        case text(String)
    }

    public var kind: Kind
    /// The line the event starts on (text that spans lines reports its first line).
    public var line: Int
    /// Lines where the event's bytes were not valid UTF-8; those bytes were decoded as U+FFFD.
    /// Usually empty. A record parser rejects the record that contains such an event.
    public var invalidUTF8Lines: [Int]

    public init(_ kind: Kind, line: Int, invalidUTF8Lines: [Int] = []) {
        self.kind = kind
        self.line = line
        self.invalidUTF8Lines = invalidUTF8Lines
    }
}

/// One attribute of a start tag.
public struct XMLAttribute: Hashable, Sendable {
    /// The qualified name as written (`xml:lang`).
    public var name: String
    /// The value with entities decoded and whitespace characters normalized to spaces.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The name without its prefix (`lang`).
    public var localName: Substring { XMLName.local(name) }
}

/// The attributes of a start tag in document order, looked up by local name.
public struct XMLAttributes: Hashable, Sendable, RandomAccessCollection {
    /// In document order.
    public var elements: [XMLAttribute]

    public init(_ elements: [XMLAttribute] = []) { self.elements = elements }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> XMLAttribute { elements[position] }

    /// The value of the first attribute whose local name is `localName`, prefix ignored.
    public subscript(localName: String) -> String? {
        elements.first { $0.localName == localName }?.value
    }
}

/// Qualified-name helpers.
enum XMLName {
    /// The part after the last colon (`oai_dc:dc` → `dc`).
    static func local(_ qualified: String) -> Substring {
        guard let colon = qualified.utf8.lastIndex(of: UInt8(ascii: ":")) else { return qualified[...] }
        return qualified[qualified.utf8.index(after: colon)...]
    }
}

/// A well-formedness problem found by `XMLEventReader`, with the line it is on.
///
/// The reader throws it wrapped in a `PaperboyError` (code `.invalidInput`, this as `cause`).
/// Reading can go on after a problem unless `isFatal`: a mismatched end tag closes the
/// elements it skipped, an unknown entity is kept as written.
public struct XMLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// An end tag that does not close the innermost open element.
        case mismatchedEndTag
        /// Input ended inside an element or a piece of markup.
        case truncatedDocument
        /// `&name;` that is not one of the five predefined entities, or a bad character reference.
        case badEntity
        /// Markup that cannot be read: a bad name, an unquoted attribute, a stray `<`.
        case malformedMarkup
        /// Bytes that are not UTF-8 (reported by record parsers; the reader decodes them as U+FFFD).
        case invalidUTF8
        /// A single token or the element nesting exceeds the reader's memory bounds.
        case limitExceeded
    }

    public var kind: Kind
    /// The 1-based line of the problem.
    public var line: Int
    /// What is wrong, for a person (without the line).
    public var message: String
    /// Whether the reader stopped: nothing follows a fatal problem.
    public var isFatal: Bool

    public init(_ kind: Kind, line: Int, _ message: String, isFatal: Bool = false) {
        self.kind = kind
        self.line = line
        self.message = message
        self.isFatal = isFatal
    }

    public var description: String { "line \(line): \(message)" }

    /// The error a caller of `XMLEventReader.next()` receives.
    var asPaperboyError: PaperboyError {
        PaperboyError(.invalidInput, "malformed XML", cause: self)
    }
}

extension PaperboyError {
    /// The XML well-formedness problem this error reports, when it is one.
    public var xmlSyntaxError: XMLSyntaxError? { cause as? XMLSyntaxError }
}
