/// The message as the DATA step sends it (RFC 5321 §4.5.2): a `.` doubled at the start of every
/// line, so no line of the message can be mistaken for the end, then the lone `.` that is.
enum SMTPDataEncoding {
    static func encode(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = byte == 0x0A
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
