/// The message as the DATA step sends it (RFC 5321 §4.5.2): every line ending made CRLF, a `.`
/// doubled at the start of every line, so no line of the message can be mistaken for the end,
/// then the lone `.` that is.
///
/// A bare CR or LF becomes CRLF because servers disagree about them: one that ends the data at
/// `<LF>.<LF>` while another does not would let a recorded message carry a second, smuggled one.
enum SMTPDataEncoding {
    static func encode(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var index = message.startIndex
        while index < message.endIndex {
            let byte = message[index]
            index += 1
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0D, index < message.endIndex, message[index] == 0x0A { index += 1 }
                output += [0x0D, 0x0A]
                atLineStart = true
                continue
            }
            if atLineStart, byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = false
        }
        if !output.isEmpty, !output.ends(with: [0x0D, 0x0A]) { output += [0x0D, 0x0A] }
        output += Array(".\r\n".utf8)
        return output
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
