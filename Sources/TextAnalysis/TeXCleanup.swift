/// Turns TeX markup, which fills arXiv titles and abstracts, into the plain text a reader
/// sees, remembering for every output byte the span of the original text it came from so
/// tokens found in the clean text still point into the original for highlighting.
///
/// Accent commands become the accented letter joined to its word (`Schr{\"o}dinger` →
/// `Schrödinger`); formatting commands vanish and keep their argument (`\emph{x}` → `x`);
/// Greek letters and operator names become words (`\alpha` → `alpha`); citations and labels
/// vanish with their argument; braces vanish; `$`, `~`, `\\` and other commands separate
/// words and are not indexed. A pure function of its input.
public enum TeXCleanup {
    /// Clean text with a map from each of its bytes back to the original text.
    public struct Output: Sendable {
        /// The clean text as UTF-8.
        public internal(set) var utf8: [UInt8] = []
        /// Consecutive pieces of the clean text in order: text copied as it was, or bytes a
        /// piece of markup became. Copies are long, so the map is short.
        var pieces: [Piece] = []

        struct Piece {
            var cleanStart: Int
            var sourceStart: Int
            /// For a copy, unused; for a replacement, the end of the markup it replaces.
            var sourceEnd: Int
            var isCopy: Bool
        }

        /// The clean text.
        public var text: String { String(decoding: utf8, as: UTF8.self) }

        /// The span of the original text (UTF-8 offsets) that produced `range` of the clean
        /// text: from the start of its first byte's source to the end of its last byte's.
        public func sourceRange(of range: Range<Int>) -> Range<Int> {
            guard !pieces.isEmpty else { return 0..<0 }
            let start = sourceSpan(ofByte: range.lowerBound).lowerBound
            let end = range.isEmpty ? start : sourceSpan(ofByte: range.upperBound - 1).upperBound
            return start..<max(start, end)
        }

        private func sourceSpan(ofByte offset: Int) -> Range<Int> {
            var low = 0
            var high = pieces.count - 1
            while low < high {  // the last piece starting at or before `offset`
                let middle = (low + high + 1) / 2
                if pieces[middle].cleanStart <= offset { low = middle } else { high = middle - 1 }
            }
            let piece = pieces[low]
            guard piece.isCopy else { return piece.sourceStart..<piece.sourceEnd }
            let source = piece.sourceStart + offset - piece.cleanStart
            return source..<source + 1
        }
    }

    /// The clean form of `text` and its map back to `text`.
    public static func clean(_ text: String) -> Output {
        var text = text
        return text.withUTF8 { clean(utf8: $0) }
    }

    static func clean(utf8 input: UnsafeBufferPointer<UInt8>) -> Output {
        var cleaner = TeXCleaner(input: input)
        cleaner.run()
        return cleaner.output
    }

    /// Whether `byte` may start TeX markup; text without any such byte needs no clean-up,
    /// which is most abstracts.
    @inline(__always)
    static func isMarkupByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "{")
            || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "~")
    }
}

/// The single pass behind `TeXCleanup.clean`: text between markup is copied in bulk.
private struct TeXCleaner {
    let input: UnsafeBufferPointer<UInt8>
    var output = TeXCleanup.Output()
    /// Set after a command that became a word (`\alpha`) or a `$`, so a word right after it
    /// is a new word (`\alpha x` and `\alpha\beta` are two words) with no stray spaces added.
    var needsBoundary = false

    init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
        output.utf8.reserveCapacity(input.count)
    }

    mutating func run() {
        var index = 0
        var copyStart = 0
        while index < input.count {
            let byte = input[index]
            guard TeXCleanup.isMarkupByte(byte) else {
                index += 1
                continue
            }
            copy(copyStart..<index)
            switch byte {
            case UInt8(ascii: "\\"):
                index = command(at: index)
            case UInt8(ascii: "{"):
                // `Schr{\"o}dinger` and `{\O}bro` join; a brace between two letters where a
                // command lost its backslash (`textbf{specialist}`) separates.
                if let last = output.utf8.last, isASCIILetter(last), index + 1 < input.count,
                   isASCIILetter(input[index + 1]) {
                    emit(space, from: index..<index + 1)
                }
                index += 1
            case UInt8(ascii: "}"):
                if index + 1 < input.count, input[index + 1] == UInt8(ascii: "{") {
                    emit(space, from: index..<index + 2)  // `\frac{a}{b}`: two arguments, two words
                    index += 2
                } else {
                    index += 1
                }
            case UInt8(ascii: "~"):
                emit(space, from: index..<index + 1)
                index += 1
            default:
                // `$`: math separates words (`CeAg$_2$Ge$_2$`) but not from a hyphen, so
                // `$k$-means` and `$\alpha$-stable` stay compounds.
                let hyphenBefore = index > 0 && input[index - 1] == UInt8(ascii: "-")
                let hyphenAfter = index + 1 < input.count && input[index + 1] == UInt8(ascii: "-")
                if !hyphenBefore, !hyphenAfter { needsBoundary = true }
                index += 1
            }
            copyStart = index
        }
        copy(copyStart..<input.count)
    }

    /// Handles the command starting with the backslash at `start`; returns where to go on.
    private mutating func command(at start: Int) -> Int {
        let nameStart = start + 1
        guard nameStart < input.count else { return input.count }
        let first = input[nameStart]
        guard isASCIILetter(first) else { return controlSymbol(first, at: start) }
        var nameEnd = nameStart
        while nameEnd < input.count, isASCIILetter(input[nameEnd]) { nameEnd += 1 }
        let source = start..<nameEnd
        let afterSpaces = skipSpaces(from: nameEnd)  // TeX drops spaces after a control word
        let name = String(decoding: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]), as: UTF8.self)
        switch TeXCommands.meaning[name] {
        case .accent(let mark):
            return accent(mark, source: source)
        case .letter(let letter):
            emit(Array(letter.utf8), from: source)
            return afterSpaces
        case .word(let word):
            if let last = output.utf8.last, isWordByte(last) { emit(space, from: source) }
            emit(Array(word.utf8), from: source)
            needsBoundary = true
            return afterSpaces
        case .symbol(let symbol):
            emit(Array(symbol.utf8), from: source)
            return afterSpaces
        case .formatting:
            // The argument's brace is swallowed so `Evo\textbf{Lved}` stays one word.
            return afterSpaces < input.count && input[afterSpaces] == UInt8(ascii: "{") ? afterSpaces + 1 : afterSpaces
        case .droppingArgument:
            let end = skipArgument(from: afterSpaces)
            emit(space, from: start..<end)
            return end
        case nil:
            emit(space, from: source)
            return afterSpaces
        }
    }

    /// A backslash followed by one non-letter: an accent, an escaped character or a space.
    private mutating func controlSymbol(_ symbol: UInt8, at start: Int) -> Int {
        guard symbol < 0x80 else {
            emit(space, from: start..<start + 1)  // a stray backslash before a non-ASCII character
            return start + 1
        }
        let end = start + 2
        switch symbol {
        case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "^"), UInt8(ascii: "\""),
             UInt8(ascii: "~"), UInt8(ascii: "="), UInt8(ascii: "."):
            let mark = TeXCommands.meaning[String(Character(Unicode.Scalar(symbol)))]
            if case .accent(let scalar) = mark { return accent(scalar, source: start..<end) }
            return end
        case UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "$"), UInt8(ascii: "#"),
             UInt8(ascii: "_"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            emit(symbol, from: start..<end)
        case UInt8(ascii: "-"), UInt8(ascii: "/"):
            break  // a discretionary hyphen or an italic correction: nothing
        default:
            emit(space, from: start..<end)  // `\\`, `\,`, `\ `, `\(`, `\[` …
        }
        return end
    }

    /// Emits the letter an accent command applies to followed by the combining `mark`
    /// (`\"o`, `\"{o}`, `\'{\i}`, `\c c`), all mapped to the command's whole span.
    private mutating func accent(_ mark: Unicode.Scalar, source: Range<Int>) -> Int {
        var index = skipSpaces(from: source.upperBound)
        let braced = index < input.count && input[index] == UInt8(ascii: "{")
        if braced { index = skipSpaces(from: index + 1) }
        guard index < input.count else { return source.upperBound }
        var base = input[index]
        if base == UInt8(ascii: "\\"), index + 1 < input.count,
           input[index + 1] == UInt8(ascii: "i") || input[index + 1] == UInt8(ascii: "j"),
           index + 2 == input.count || !isASCIILetter(input[index + 2]) {
            base = input[index + 1]  // `\i`, `\j`: the dotless letters accents sit on
            index += 2
        } else if isASCIILetter(base) {
            index += 1
        } else {
            return source.upperBound  // `\'{}` or an accent on something else: nothing to add
        }
        if braced {
            index = skipSpaces(from: index)
            if index < input.count, input[index] == UInt8(ascii: "}") { index += 1 }
        }
        emit([base] + Array(String(mark).utf8), from: source.lowerBound..<index)
        return index
    }

    /// Skips a dropped command's optional `[…]` arguments and its `{…}` argument.
    private func skipArgument(from start: Int) -> Int {
        var index = skipSpaces(from: start)
        while index < input.count, input[index] == UInt8(ascii: "[") {
            index = skipGroup(from: index, open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
            index = skipSpaces(from: index)
        }
        guard index < input.count, input[index] == UInt8(ascii: "{") else { return index }
        return skipGroup(from: index, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"))
    }

    /// The offset after the group opened at `start`, nested groups and escapes included.
    private func skipGroup(from start: Int, open: UInt8, close: UInt8) -> Int {
        var depth = 0
        var index = start
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == open { depth += 1 }
            if byte == close {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return input.count
    }

    private func skipSpaces(from start: Int) -> Int {
        var index = start
        while index < input.count, input[index] == UInt8(ascii: " ") || input[index] == UInt8(ascii: "\n") {
            index += 1
        }
        return index
    }

    private let space = UInt8(ascii: " ")

    /// Copies input bytes as they are.
    private mutating func copy(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        if needsBoundary {
            needsBoundary = false
            if isWordByte(input[range.lowerBound]), let last = output.utf8.last, isWordByte(last) {
                emit(space, from: range.lowerBound..<range.lowerBound)
            }
        }
        let last = output.pieces.last
        if let last, last.isCopy, last.sourceStart + output.utf8.count - last.cleanStart == range.lowerBound {
            // continues the previous copy: the map needs no new piece
        } else {
            output.pieces.append(.init(cleanStart: output.utf8.count, sourceStart: range.lowerBound,
                                       sourceEnd: range.upperBound, isCopy: true))
        }
        output.utf8.append(contentsOf: UnsafeBufferPointer(rebasing: input[range]))
    }

    /// Adds bytes that markup at `source` became.
    private mutating func emit(_ bytes: [UInt8], from source: Range<Int>) {
        guard let first = bytes.first else { return }
        if needsBoundary {
            needsBoundary = false
            if isWordByte(first), let last = output.utf8.last, isWordByte(last) {
                emit(space, from: source.lowerBound..<source.lowerBound)
            }
        }
        let last = output.pieces.last
        if let last, !last.isCopy, last.sourceStart == source.lowerBound, last.sourceEnd == source.upperBound {
            // more bytes from the same markup
        } else {
            output.pieces.append(.init(cleanStart: output.utf8.count, sourceStart: source.lowerBound,
                                       sourceEnd: source.upperBound, isCopy: false))
        }
        output.utf8.append(contentsOf: bytes)
    }

    private mutating func emit(_ byte: UInt8, from source: Range<Int>) {
        emit([byte], from: source)
    }

    private func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    private func isWordByte(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || byte &- UInt8(ascii: "0") < 10 || byte >= 0x80
    }
}

/// What a TeX command means to a reader of the text.
private enum TeXCommand {
    /// An accent: its letter followed by this combining mark.
    case accent(Unicode.Scalar)
    /// A letter joined to its word (`\ss`, `{\O}`).
    case letter(String)
    /// A word readers type (`\alpha` → `alpha`, `\log`).
    case word(String)
    /// A character that is not part of words (`\textless` → `<`).
    case symbol(String)
    /// Markup around text that stays (`\emph`, `\mathcal`).
    case formatting
    /// A command whose argument is not text (`\cite{key}`, `\label{…}`).
    case droppingArgument
}

private enum TeXCommands {
    static let meaning: [String: TeXCommand] = {
        var table: [String: TeXCommand] = [:]
        let accents: [String: UInt32] = [
            "'": 0x301, "`": 0x300, "^": 0x302, "\"": 0x308, "~": 0x303, "=": 0x304, ".": 0x307,
            "u": 0x306, "v": 0x30C, "H": 0x30B, "c": 0x327, "k": 0x328, "r": 0x30A, "d": 0x323,
            "b": 0x331, "t": 0x361,
        ]
        for (name, mark) in accents {
            if let scalar = Unicode.Scalar(mark) { table[name] = .accent(scalar) }
        }
        let letters: [String: String] = [
            "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ",
            "OE": "Œ", "l": "ł", "L": "Ł", "i": "i", "j": "j", "dh": "ð", "DH": "Ð", "th": "þ",
            "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "ell": "l",
        ]
        for (name, letter) in letters { table[name] = .letter(letter) }
        let greek = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho"
            + " sigma tau upsilon phi chi psi omega digamma"
        for name in greek.split(separator: " ").map(String.init) {
            table[name] = .word(name)
            table["var" + name] = .word(name)
            table[name.prefix(1).uppercased() + name.dropFirst()] = .word(name)
        }
        let operators = "log ln lg exp sin cos tan cot sec csc sinh cosh tanh coth arcsin arccos arctan max min"
            + " sup inf lim limsup liminf det dim ker deg gcd lcm arg argmax argmin Pr hom"
        for name in operators.split(separator: " ").map(String.init) { table[name] = .word(name.lowercased()) }
        let formatting = "emph textbf textit texttt textsf textsc textrm textup textmd textsl textnormal text"
            + " textsuperscript textsubscript mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak"
            + " mathscr mathnormal boldsymbol bm pmb mbox hbox makebox fbox em bf it rm sf tt sc sl"
            + " bfseries itshape ttfamily upshape mdseries underline overline operatorname hat widehat"
            + " tilde widetilde bar vec dot ddot check breve acute grave mathring url href footnote small"
            + " large Large LARGE huge Huge tiny scriptsize footnotesize normalsize displaystyle textstyle"
            + " scriptstyle noindent centering"
        for name in formatting.split(separator: " ") { table[String(name)] = .formatting }
        let dropping = "cite citep citet citealt citealp citeauthor citeyear nocite ref eqref autoref cref Cref"
            + " pageref label begin end vspace hspace includegraphics bibitem bibliography"
            + " bibliographystyle usepackage documentclass input include color textcolor"
        for name in dropping.split(separator: " ") { table[String(name)] = .droppingArgument }
        for (name, symbol) in ["textless": "<", "textgreater": ">", "textbar": "|", "textasciitilde": "~"] {
            table[name] = .symbol(symbol)
        }
        return table
    }()
}
