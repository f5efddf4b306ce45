/// Marks a query's terms in a text and cuts the snippet a results page shows: the part of
/// the text with the most distinct query terms, cut between words and outside TeX math or
/// braces, with `…` where text was cut.
///
/// Uses the analyzer the index used, so `networks` in the text lights up for a query
/// `network`, and `Schr{\"o}dinger` for `schrödinger`.
public struct Highlighter: Sendable {
    public let analyzer: TextAnalyzer

    public init(analyzer: TextAnalyzer = .english) {
        self.analyzer = analyzer
    }

    /// The snippet of `text` around its densest run of `terms` (analyzed forms, as the index
    /// stores them). `maxLength` counts Unicode scalars, ellipses included; a text that fits
    /// is returned whole. Runs of whitespace become one space.
    public func snippet(of text: String, terms: Set<String>, maxLength: Int = 240) -> Snippet {
        var cache = TermCache(capacity: 128)
        return snippet(of: text, terms: terms, maxLength: maxLength, cache: &cache)
    }

    /// `snippet(of:terms:maxLength:)` with a term cache kept across calls: a page of results
    /// shares most of its words, so each is stemmed once per page rather than once per hit.
    public func snippet(of text: String, terms: Set<String>, maxLength: Int = 240, cache: inout TermCache) -> Snippet {
        let layout = TextLayout(utf8: Array(text.utf8))
        guard let firstChunk = layout.chunks.first, let lastChunk = layout.chunks.last else {
            return Snippet(text: "", highlights: [])
        }
        let matches = terms.isEmpty ? []
            : analyzer.analyze(text, cache: &cache).filter { terms.contains($0.term) }.sorted { $0.start < $1.start }
        let content = firstChunk.lowerBound..<lastChunk.upperBound
        guard layout.length(content) > maxLength else {
            return layout.snippet(content, matches: matches, ellipsisBefore: false, ellipsisAfter: false)
        }
        let budget = max(maxLength - 2, 1)
        let window = densestWindow(matches, layout: layout, budget: budget) ?? 0...0
        let range: Range<Int>
        if layout.length(layout.span(window)) > budget {
            // One unbreakable piece (a long formula, a URL) longer than the snippet: cut it.
            let start = matches.first { layout.span(window).contains($0.start) }?.start ?? content.lowerBound
            range = start..<layout.offset(movingForward: budget, from: start)
        } else {
            range = layout.span(layout.expand(window, budget: budget))
        }
        return layout.snippet(range, matches: matches, ellipsisBefore: range.lowerBound > content.lowerBound,
                              ellipsisAfter: range.upperBound < content.upperBound)
    }

    /// The chunks from the first to the last match of the window of at most `budget` scalars
    /// holding the most distinct terms (then the most matches, then the earliest).
    private func densestWindow(_ matches: [Token], layout: TextLayout, budget: Int) -> ClosedRange<Int>? {
        guard !matches.isEmpty else { return nil }
        let firstChunks = matches.map { layout.chunkIndex(containing: $0.start) }
        let lastChunks = matches.map { layout.chunkIndex(containing: max($0.end - 1, $0.start)) }
        func chunks(_ first: Int, _ last: Int) -> ClosedRange<Int> {
            firstChunks[first]...max(firstChunks[first], lastChunks[first...last].max() ?? lastChunks[last])
        }
        var counts: [String: Int] = [:]
        var best: (distinct: Int, total: Int, chunks: ClosedRange<Int>) = (0, 0, 0...0)
        var first = 0
        for last in matches.indices {
            counts[matches[last].term, default: 0] += 1
            while first < last, layout.length(layout.span(chunks(first, last))) > budget {
                let term = matches[first].term
                counts[term, default: 1] -= 1
                if counts[term] == 0 { counts[term] = nil }
                first += 1
            }
            let total = last - first + 1
            if counts.count > best.distinct || (counts.count == best.distinct && total > best.total) {
                best = (counts.count, total, chunks(first, last))
            }
        }
        return best.chunks
    }
}

/// A cut of a text with the query's terms marked.
public struct Snippet: Equatable, Sendable {
    /// The snippet, with `…` where the text was cut.
    public var text: String
    /// UTF-8 byte ranges of `text` to highlight, in order and not overlapping.
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>]) {
        self.text = text
        self.highlights = highlights
    }

    /// The text with `open` and `close` around each highlight (`<mark>`, `</mark>`).
    public func marked(open: String, close: String) -> String {
        marked(open: open, close: close, escape: { String($0) })
    }

    /// The text with each highlight between `open` and `close` and every piece of the text
    /// passed through `escape` first, so HTML can be escaped without escaping the marks.
    public func marked(open: String, close: String, escape: (Substring) -> String) -> String {
        let utf8 = text.utf8
        var result = ""
        var offset = 0
        func piece(_ range: Range<Int>) -> Substring {
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(
                utf8.startIndex, offsetBy: range.upperBound)])
        }
        for highlight in highlights where highlight.lowerBound >= offset && highlight.upperBound <= utf8.count {
            result += escape(piece(offset..<highlight.lowerBound))
            result += open + escape(piece(highlight)) + close
            offset = highlight.upperBound
        }
        result += escape(piece(offset..<utf8.count))
        return result
    }
}

/// Lengths, unbreakable chunks and whitespace folding over a text's UTF-8 bytes, for
/// cutting snippets.
private struct TextLayout {
    let utf8: [UInt8]
    /// The number of scalars that start before each byte offset (one entry past the end).
    private let scalarsBefore: [Int32]
    /// The pieces a snippet is made of and never cuts, in order: words, whole TeX math spans
    /// and brace groups (so no snippet leaves half of `$\mathcal{O}(n^2)$` behind), and each
    /// CJK character on its own, since CJK text has no spaces to cut at.
    let chunks: [Range<Int>]

    init(utf8: [UInt8]) {
        self.utf8 = utf8
        var scalarsBefore = [Int32](repeating: 0, count: utf8.count + 1)
        var scalars: Int32 = 0
        for (offset, byte) in utf8.enumerated() {
            scalarsBefore[offset] = scalars
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        scalarsBefore[utf8.count] = scalars
        self.scalarsBefore = scalarsBefore
        // Unbalanced markup would make the rest of the text one chunk; then spaces alone count.
        chunks = Self.chunks(of: utf8, respectingMarkup: true) ?? Self.chunks(of: utf8, respectingMarkup: false) ?? []
    }

    /// The chunks of `utf8`, or nil when `respectingMarkup` finds unbalanced braces or `$`.
    private static func chunks(of utf8: [UInt8], respectingMarkup: Bool) -> [Range<Int>]? {
        var chunks: [Range<Int>] = []
        var chunkStart: Int?
        var braceDepth = 0
        var inMath = false
        var offset = 0
        while offset < utf8.count {
            let byte = utf8[offset]
            let outside = braceDepth == 0 && !inMath
            if respectingMarkup {
                switch byte {
                case UInt8(ascii: "\\"): offset += 1  // an escaped brace or dollar is text
                case UInt8(ascii: "{"): braceDepth += 1
                case UInt8(ascii: "}"): braceDepth = max(braceDepth - 1, 0)
                case UInt8(ascii: "$"): inMath.toggle()
                default: break
                }
            }
            if outside, isWhitespace(byte) {
                if let start = chunkStart { chunks.append(start..<offset) }
                chunkStart = nil
            } else if outside, (0xE3...0xE9).contains(byte) {  // U+3000–U+9FFF: kana and CJK ideographs
                if let start = chunkStart { chunks.append(start..<offset) }
                chunks.append(offset..<min(offset + 3, utf8.count))
                chunkStart = nil
                offset += 2
            } else if chunkStart == nil {
                chunkStart = offset
            }
            offset += 1
        }
        if let start = chunkStart { chunks.append(start..<utf8.count) }
        return braceDepth == 0 && !inMath ? chunks : nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\r")
    }

    /// The length of a byte range in Unicode scalars.
    func length(_ range: Range<Int>) -> Int {
        Int(scalarsBefore[range.upperBound] - scalarsBefore[range.lowerBound])
    }

    /// The bytes from the first to the last of `chunks`.
    func span(_ chunks: ClosedRange<Int>) -> Range<Int> {
        self.chunks[chunks.lowerBound].lowerBound..<self.chunks[chunks.upperBound].upperBound
    }

    /// The index of the chunk holding `offset`, or of the last chunk before it.
    func chunkIndex(containing offset: Int) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle].lowerBound <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// `window` grown by whole chunks to at most `budget` scalars: up to a third of the spare
    /// room before the matches, then after them, then whatever the text's end left before.
    func expand(_ window: ClosedRange<Int>, budget: Int) -> ClosedRange<Int> {
        var first = window.lowerBound
        var last = window.upperBound
        var roomBefore = (budget - length(span(window))) / 3
        while first > 0 {
            let added = length(chunks[first - 1].lowerBound..<chunks[first].lowerBound)
            guard added <= roomBefore else { break }
            roomBefore -= added
            first -= 1
        }
        while last + 1 < chunks.count, length(span(first...(last + 1))) <= budget { last += 1 }
        while first > 0, length(span((first - 1)...last)) <= budget { first -= 1 }
        return first...last
    }

    /// The offset `scalars` scalars after `start` (or the end of the text).
    func offset(movingForward scalars: Int, from start: Int) -> Int {
        var offset = start
        var moved = 0
        while offset < utf8.count, moved < scalars {
            offset += 1
            while offset < utf8.count, utf8[offset] & 0xC0 == 0x80 { offset += 1 }
            moved += 1
        }
        return offset
    }

    /// The text of `range` with whitespace runs folded to one space, ellipses where cut, and
    /// the matches inside it as merged byte ranges of that text.
    func snippet(_ range: Range<Int>, matches: [Token], ellipsisBefore: Bool, ellipsisAfter: Bool) -> Snippet {
        let ellipsis = Array("…".utf8)
        var text: [UInt8] = ellipsisBefore ? ellipsis : []
        var newOffsets = [Int](repeating: 0, count: range.count + 1)
        var lastWasSpace = false
        for offset in range {
            newOffsets[offset - range.lowerBound] = text.count
            let byte = utf8[offset]
            if Self.isWhitespace(byte) {
                if !lastWasSpace { text.append(UInt8(ascii: " ")) }
                lastWasSpace = true
            } else {
                text.append(byte)
                lastWasSpace = false
            }
        }
        newOffsets[range.count] = text.count
        if ellipsisAfter { text += ellipsis }

        var highlights: [Range<Int>] = []
        for match in matches where match.start >= range.lowerBound && match.end <= range.upperBound {
            let highlight = newOffsets[match.start - range.lowerBound]..<newOffsets[match.end - range.lowerBound]
            if let last = highlights.last, highlight.lowerBound <= last.upperBound {
                highlights[highlights.count - 1] = last.lowerBound..<max(last.upperBound, highlight.upperBound)
            } else {
                highlights.append(highlight)
            }
        }
        return Snippet(text: String(decoding: text, as: UTF8.self), highlights: highlights)
    }
}
