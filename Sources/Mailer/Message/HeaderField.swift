/// One header field as pieces that may be folded between, so that long values wrap at 78
/// characters (RFC 5322 §2.1.1) without changing their meaning. Pieces come only from the
/// builders below, which check or encode every value: none holds a CR or LF.
struct HeaderField: Equatable {
    static let preferredLineLength = 78

    let name: String
    let pieces: [String]

    init(_ name: String, _ pieces: [String]) {
        precondition(pieces.allSatisfy { !$0.utf8.contains(0x0D) && !$0.utf8.contains(0x0A) },
                     "a header piece holds a line break: a builder let a value through unchecked")
        self.name = name
        self.pieces = pieces
    }

    /// `Name: piece piece` with CRLF, folded before a piece that would pass column 78. The
    /// first piece stays beside the name; a piece too long for any line (a long URL) gets a
    /// line of its own, which the builders keep under 998 octets.
    var rendered: String {
        var lines: [String] = []
        var line = name + ":"
        for (index, piece) in pieces.enumerated() {
            if index == 0 || line.utf8.count + 1 + piece.utf8.count <= Self.preferredLineLength {
                line += " " + piece
            } else {
                lines.append(line)
                line = " " + piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Unstructured text (`Subject`): the words themselves when the text is plain ASCII that
    /// folds cleanly, otherwise encoded-words, which keep every character and space exactly.
    static func unstructured(_ name: String, _ text: String) -> HeaderField {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let firstRoom = preferredLineLength - name.utf8.count - 2
        let plain = HeaderText.isPrintableASCII(text) && !text.contains("=?")
            && words.allSatisfy { !$0.isEmpty && $0.utf8.count <= firstRoom }
        if text.isEmpty || plain {
            return HeaderField(name, words.filter { !$0.isEmpty }.map(String.init))
        }
        return HeaderField(name, EncodedWord.encode(text, firstLimit: firstRoom))
    }

    /// A display name (RFC 5322 `phrase`) as pieces: atoms as they are, other printable ASCII as
    /// one quoted-string, anything else (non-ASCII, or too long to fold) as encoded-words.
    static func phrase(_ text: String, firstRoom: Int) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        if words.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(HeaderText.isAtext) && $0.utf8.count <= firstRoom })
            && !text.contains("=?") {
            return words.map(String.init)
        }
        if HeaderText.isPrintableASCII(text), !text.contains("=?") {
            var quoted = "\""
            for character in text {
                if character == "\"" || character == "\\" { quoted += "\\" }
                quoted.append(character)
            }
            quoted += "\""
            if quoted.utf8.count <= firstRoom { return [quoted] }
        }
        return EncodedWord.encode(text, firstLimit: firstRoom)
    }

    /// `Name: Display Name <local@domain>`, or the bare address when it has no name.
    static func address(_ name: String, _ address: MailAddress) -> HeaderField {
        guard let displayName = address.displayName else { return HeaderField(name, [address.addrSpec]) }
        let room = preferredLineLength - name.utf8.count - 2
        return HeaderField(name, phrase(displayName, firstRoom: room) + ["<\(address.addrSpec)>"])
    }
}
