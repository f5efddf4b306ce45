/// Markup: tags, CDATA sections, and the constructs the reader skips (comments, processing
/// instructions, the XML declaration, the DOCTYPE).
extension XMLEventReader {
    enum MarkupKind {
        case tag, comment, cdata, processingInstruction, declaration

        /// The first offset from `<` where the closing `>` can be (after `<!--` and `--`, …).
        var firstEndOffset: Int {
            switch self {
            case .tag: 1
            case .comment: 6
            case .cdata: 11
            case .processingInstruction: 3
            case .declaration: 2
            }
        }
    }

    enum TokenEnd {
        /// The token ends just before this index (past its `>`).
        case closed(Int)
        /// A tag was cut short by a `<` at this index: its `>` is missing.
        case interrupted(Int)
        case tooLong
        case endOfInput
    }

    mutating func readMarkup() throws {
        guard try ensure(2) else { return finishInput() }
        let second = buffer[position + 1]
        switch second {
        case XMLByte.slash:
            try readEndTag()
        case XMLByte.questionMark:
            try skip(.processingInstruction)
        case XMLByte.exclamationMark:
            if try ensure(4), buffer[position + 2] == XMLByte.hyphen, buffer[position + 3] == XMLByte.hyphen {
                try skip(.comment)
            } else if try ensure(9), buffer[position..<(position + 9)].elementsEqual(Self.cdataOpening) {
                try readCDATA()
            } else {
                try skip(.declaration)
            }
        default:
            if XMLByte.isNameStart(second) {
                try readStartTag()
            } else {
                try readText(strayAtStart: true)
            }
        }
    }

    private static let cdataOpening = Array("<![CDATA[".utf8)

    /// Where the markup token at `position` ends, reading more input as needed.
    private mutating func findEnd(_ kind: MarkupKind) throws -> TokenEnd {
        while true {
            if let end = scanForEnd(kind) {
                scan = Scan()
                return end
            }
            if scan.offset > maximumTokenBytes {
                scan = Scan()
                return .tooLong
            }
            if inputEnded {
                scan = Scan()
                return .endOfInput
            }
            try refill()
        }
    }

    /// Scans the buffered bytes for the end of the token, resuming where the last scan stopped.
    private mutating func scanForEnd(_ kind: MarkupKind) -> TokenEnd? {
        var state = scan
        let start = position
        let result: TokenEnd? = buffer.withUnsafeBufferPointer { bytes in
            var index = start + max(state.offset, kind.firstEndOffset)
            defer { state.offset = index - start }
            while index < bytes.count {
                let byte = bytes[index]
                switch kind {
                case .tag, .declaration:
                    if state.quote != 0 {
                        if byte == state.quote { state.quote = 0 }
                        if byte == XMLByte.lessThan, kind == .tag { return .interrupted(index) }
                    } else if byte == XMLByte.quotationMark || byte == XMLByte.apostrophe {
                        state.quote = byte
                    } else if byte == XMLByte.lessThan, kind == .tag {
                        return .interrupted(index)
                    } else if byte == XMLByte.leftSquareBracket {
                        state.bracketDepth += 1
                    } else if byte == XMLByte.rightSquareBracket {
                        state.bracketDepth = max(0, state.bracketDepth - 1)
                    } else if byte == XMLByte.greaterThan, kind == .tag || state.bracketDepth == 0 {
                        return .closed(index + 1)
                    }
                case .comment, .cdata, .processingInstruction:
                    if byte == XMLByte.greaterThan, Self.closes(kind, bytes[index - 2], bytes[index - 1]) {
                        return .closed(index + 1)
                    }
                }
                index += 1
            }
            return nil
        }
        scan = state
        return result
    }

    /// Whether the two bytes before a `>` finish a comment (`--`), CDATA (`]]`) or PI (`?`).
    private static func closes(_ kind: MarkupKind, _ first: UInt8, _ second: UInt8) -> Bool {
        switch kind {
        case .comment: first == XMLByte.hyphen && second == XMLByte.hyphen
        case .cdata: first == XMLByte.rightSquareBracket && second == XMLByte.rightSquareBracket
        case .processingInstruction: second == XMLByte.questionMark
        case .tag, .declaration: true
        }
    }

    /// Consumes a comment, processing instruction or declaration.
    private mutating func skip(_ kind: MarkupKind) throws {
        switch try findEnd(kind) {
        case .closed(let end), .interrupted(let end):
            consume(upTo: end)
        case .tooLong:
            stop("markup longer than \(maximumTokenBytes) bytes starts at line \(line)")
        case .endOfInput:
            finishInput()
        }
    }

    /// Moves past `position..<end`, counting its lines.
    private mutating func consume(upTo end: Int) {
        line += buffer[position..<end].reduce(0) { $0 + ($1 == XMLByte.lineFeed ? 1 : 0) }
        position = end
    }

    private mutating func readCDATA() throws {
        let startLine = line
        switch try findEnd(.cdata) {
        case .closed(let end), .interrupted(let end):
            let range = (position + 9)..<(end - 3)
            let decoded = buffer.withUnsafeBufferPointer { bytes in
                XMLTextDecoder.decode(UnsafeBufferPointer(rebasing: bytes[range]), firstLine: startLine, as: .literal)
            }
            consume(upTo: end)
            guard !openElements.isEmpty else { return }
            queue.append(.event(XMLEvent(.text(decoded.text), line: startLine, invalidUTF8Lines: decoded.invalidUTF8Lines)))
        case .tooLong:
            stop("a CDATA section longer than \(maximumTokenBytes) bytes starts at line \(line)")
        case .endOfInput:
            finishInput()
        }
    }

    /// Where the tag at `position` ends: the end of its content (before `>`, or where a `<`
    /// interrupts it) and where reading resumes. Nil when the tag is too long or the input
    /// ended inside it, both already reported.
    private mutating func tagBounds() throws -> (contentEnd: Int, end: Int)? {
        switch try findEnd(.tag) {
        case .closed(let index): return (index - 1, index)
        case .interrupted(let index): return (index, index)
        case .tooLong:
            stop("a tag longer than \(maximumTokenBytes) bytes starts at line \(line)")
            return nil
        case .endOfInput:
            finishInput()
            return nil
        }
    }

    private mutating func readStartTag() throws {
        let startLine = line
        guard let (contentEnd, end) = try tagBounds() else { return }
        let tag = buffer.withUnsafeBufferPointer { bytes in
            StartTag(UnsafeBufferPointer(rebasing: bytes[(position + 1)..<contentEnd]), line: startLine)
        }
        consume(upTo: end)
        if contentEnd == end {
            queue.append(.problem(XMLSyntaxError(.malformedMarkup, line: startLine, "start tag <\(tag.name) is not closed by \">\"")))
        }
        if let problem = tag.problem { queue.append(.problem(problem)) }
        guard openElements.count < Self.maximumDepth else {
            return stop("elements nested deeper than \(Self.maximumDepth) levels at line \(startLine)")
        }
        let localName = String(XMLName.local(tag.name))
        openElements.append(OpenElement(name: tag.name, localName: localName, line: startLine))
        queue.append(.event(XMLEvent(
            .startElement(name: tag.name, localName: localName, attributes: XMLAttributes(tag.attributes)),
            line: startLine, invalidUTF8Lines: tag.invalidUTF8Lines)))
        if tag.isEmptyElement {
            openElements.removeLast()
            queue.append(.event(XMLEvent(.endElement(name: tag.name, localName: localName), line: startLine)))
        }
    }

    private mutating func readEndTag() throws {
        let startLine = line
        guard let (contentEnd, end) = try tagBounds() else { return }
        let (name, wellFormed) = buffer.withUnsafeBufferPointer { bytes in
            var index = position + 2
            while index < contentEnd, XMLByte.isNameByte(bytes[index]) { index += 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 2)..<index]), as: UTF8.self)
            let rest = UnsafeBufferPointer(rebasing: bytes[index..<contentEnd])
            return (name, contentEnd < end && rest.allSatisfy(XMLByte.isWhitespace))
        }
        consume(upTo: end)
        guard !name.isEmpty else {
            queue.append(.problem(XMLSyntaxError(.malformedMarkup, line: startLine, "end tag without a name (ignored)")))
            return
        }
        if !wellFormed {
            queue.append(.problem(XMLSyntaxError(.malformedMarkup, line: startLine, "end tag </\(name)> is malformed")))
        }
        closeElement(named: name, line: startLine)
    }

    /// Closes `name`. When it is not the innermost open element, reports the mismatch and
    /// either closes the elements inside it too (each gets an end event, so consumers keep
    /// their depth) or, when nothing open has that name, ignores the tag.
    private mutating func closeElement(named name: String, line endLine: Int) {
        guard let innermost = openElements.last else {
            queue.append(.problem(XMLSyntaxError(
                .mismatchedEndTag, line: endLine, "end tag </\(name)> with no element open (ignored)")))
            return
        }
        if innermost.name == name {
            openElements.removeLast()
            queue.append(.event(XMLEvent(.endElement(name: name, localName: innermost.localName), line: endLine)))
            return
        }
        guard let index = openElements.lastIndex(where: { $0.name == name }) else {
            queue.append(.problem(XMLSyntaxError(
                .mismatchedEndTag, line: endLine,
                "end tag </\(name)> matches no open element; <\(innermost.name)> opened at line \(innermost.line) "
                    + "is the innermost (the tag is ignored)")))
            return
        }
        queue.append(.problem(XMLSyntaxError(
            .mismatchedEndTag, line: endLine,
            "end tag </\(name)> does not match <\(innermost.name)> opened at line \(innermost.line)")))
        for element in openElements[index...].reversed() {
            queue.append(.event(XMLEvent(.endElement(name: element.name, localName: element.localName), line: endLine)))
        }
        openElements.removeSubrange(index...)
    }
}
