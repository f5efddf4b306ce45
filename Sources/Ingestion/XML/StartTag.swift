/// The parts of a start tag, read from the bytes between `<` and `>`: the name, the
/// attributes (values decoded), whether it is an empty element (`<link … />`), and the first
/// problem met. Parsing stops at a malformed attribute but keeps what came before it, so one
/// bad attribute costs that attribute, not the element.
struct StartTag {
    var name = ""
    var attributes: [XMLAttribute] = []
    var isEmptyElement = false
    var problem: XMLSyntaxError?
    var invalidUTF8Lines: [Int] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, line startLine: Int) {
        var line = startLine
        var index = 0
        name = Self.name(bytes, from: &index, line: line, invalidLines: &invalidUTF8Lines)
        while true {
            while index < bytes.count, XMLByte.isWhitespace(bytes[index]) {
                if bytes[index] == XMLByte.lineFeed { line += 1 }
                index += 1
            }
            guard index < bytes.count else { return }
            if bytes[index] == XMLByte.slash, index == bytes.count - 1 {
                isEmptyElement = true
                return
            }
            guard XMLByte.isNameStart(bytes[index]) else {
                fail("unexpected \"\(Character(Unicode.Scalar(bytes[index])))\" in start tag <\(name)>", line)
                return
            }
            let attributeName = Self.name(bytes, from: &index, line: line, invalidLines: &invalidUTF8Lines)
            while index < bytes.count, XMLByte.isWhitespace(bytes[index]) {
                if bytes[index] == XMLByte.lineFeed { line += 1 }
                index += 1
            }
            guard index < bytes.count, bytes[index] == XMLByte.equalsSign else {
                fail("attribute \"\(attributeName)\" of <\(name)> has no value", line)
                return
            }
            index += 1
            while index < bytes.count, XMLByte.isWhitespace(bytes[index]) {
                if bytes[index] == XMLByte.lineFeed { line += 1 }
                index += 1
            }
            guard index < bytes.count, bytes[index] == XMLByte.quotationMark || bytes[index] == XMLByte.apostrophe else {
                fail("the value of attribute \"\(attributeName)\" of <\(name)> is not quoted", line)
                return
            }
            let quote = bytes[index]
            let valueStart = index + 1
            index = valueStart
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else {
                fail("the value of attribute \"\(attributeName)\" of <\(name)> has no closing quote", line)
                return
            }
            let decoded = XMLTextDecoder.decode(
                UnsafeBufferPointer(rebasing: bytes[valueStart..<index]), firstLine: line, as: .attributeValue)
            if problem == nil { problem = decoded.problem }
            invalidUTF8Lines += decoded.invalidUTF8Lines
            line += decoded.newlines
            attributes.append(XMLAttribute(name: attributeName, value: decoded.text))
            index += 1
        }
    }

    private mutating func fail(_ message: String, _ line: Int) {
        if problem == nil { problem = XMLSyntaxError(.malformedMarkup, line: line, message) }
    }

    /// The name starting at `index` (which is left just past it).
    private static func name(
        _ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int, line: Int, invalidLines: inout [Int]
    ) -> String {
        let start = index
        while index < bytes.count, XMLByte.isNameByte(bytes[index]) { index += 1 }
        let decoded = XMLTextDecoder.decode(UnsafeBufferPointer(rebasing: bytes[start..<index]), firstLine: line, as: .literal)
        invalidLines += decoded.invalidUTF8Lines
        return decoded.text
    }
}
