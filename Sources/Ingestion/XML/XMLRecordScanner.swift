/// What an XML importer sees of a document: element starts, element ends with the text the
/// element held, and problems as values rather than thrown errors, so one damaged record never
/// stops the rest. Invalid UTF-8 in an event becomes a problem just before that event.
///
/// An element's text is the character data since its last child element started or ended
/// (for the leaf elements arXiv's formats use, all of it); keeping no more than that keeps
/// memory flat on a page of thousands of records.
struct XMLRecordScanner {
    enum Step {
        /// `depth` is the element's own depth: 1 for the root.
        case start(localName: String, attributes: XMLAttributes, depth: Int, line: Int)
        case end(localName: String, text: String, depth: Int, line: Int)
        case problem(XMLSyntaxError)
    }

    private var reader: XMLEventReader
    private var text = ""
    private var pending: Step?
    private(set) var depth = 0
    /// Whether any element was seen: a document without one is empty or not XML.
    private(set) var sawRootElement = false

    init(source: any ByteSource, chunkSize: Int) {
        reader = XMLEventReader(source: source, chunkSize: chunkSize)
    }

    /// The line the reader has reached.
    var line: Int { reader.line }

    /// The next step, or nil at the end of the document; throws only when the source cannot be read.
    mutating func next() throws -> Step? {
        if let step = pending {
            pending = nil
            return step
        }
        while let produced = try reader.nextStep() {
            let event: XMLEvent
            switch produced {
            case .problem(let problem): return .problem(problem)
            case .event(let next): event = next
            }
            let step: Step
            switch event.kind {
            case .startElement(_, let localName, let attributes):
                depth += 1
                sawRootElement = true
                text = ""
                step = .start(localName: localName, attributes: attributes, depth: depth, line: event.line)
            case .endElement(_, let localName):
                step = .end(localName: localName, text: text, depth: depth, line: event.line)
                text = ""
                depth -= 1
            case .text(let content):
                text += content
                if let line = event.invalidUTF8Lines.first { return .problem(Self.invalidUTF8(line)) }
                continue
            }
            if let line = event.invalidUTF8Lines.first {
                pending = step
                return .problem(Self.invalidUTF8(line))
            }
            return step
        }
        return nil
    }

    private static func invalidUTF8(_ line: Int) -> XMLSyntaxError {
        XMLSyntaxError(.invalidUTF8, line: line, "bytes that are not UTF-8")
    }
}

extension XMLSyntaxError {
    /// The reason a rejection gives for a record (or document) spoiled by this problem.
    var rejectionReason: String {
        switch kind {
        case .truncatedDocument, .limitExceeded: message
        case .invalidUTF8: "line \(line) holds bytes that are not UTF-8"
        case .mismatchedEndTag, .badEntity, .malformedMarkup: "malformed XML at line \(line): \(message)"
        }
    }
}
