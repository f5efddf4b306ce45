extension TitleKey {
    /// The key of an ASCII title, or nil when the title has any non-ASCII byte. Mirrors
    /// `stripTeXAccents` then the word split of `normalize`, byte by byte.
    static func asciiKey(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let backslash = UInt8(ascii: "\\"), space = UInt8(ascii: " ")
        var stripped: [UInt8] = []
        stripped.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte < 0x80 else { return nil }
            if byte == backslash, i + 1 < bytes.count {
                let next = bytes[i + 1]
                guard next < 0x80 else { return nil }
                if !isASCIILetter(next) {
                    i += 2  // \' \" \` \^ \~ \= \. and escaped symbols
                    continue
                }
                if isAccentCommand(next), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "{") || bytes[i + 2] == space {
                    i += 2
                    continue
                }
                stripped.append(space)
                i += 1
                continue
            }
            if byte != UInt8(ascii: "{") && byte != UInt8(ascii: "}") && byte != UInt8(ascii: "$") {
                stripped.append(byte)
            }
            i += 1
        }
        var key: [UInt8] = []
        key.reserveCapacity(stripped.count)
        var pendingSpace = false
        for byte in stripped {
            if isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if pendingSpace { key.append(space) }
                pendingSpace = false
                key.append(byte | (isASCIILetter(byte) ? 0x20 : 0))
            } else {
                pendingSpace = !key.isEmpty
            }
        }
        return String(decoding: key, as: UTF8.self)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The accent commands that take an argument (`\v{c}`, `\c c`), as in `stripTeXAccents`.
    private static func isAccentCommand(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "u"), UInt8(ascii: "v"), UInt8(ascii: "H"), UInt8(ascii: "c"), UInt8(ascii: "k"),
             UInt8(ascii: "r"), UInt8(ascii: "d"), UInt8(ascii: "b"), UInt8(ascii: "t"):
            true
        default:
            false
        }
    }
}
