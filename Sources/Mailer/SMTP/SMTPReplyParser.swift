/// Turns the bytes a server sends into `SMTPReply`s, however the network splits them: a reply
/// may arrive a byte at a time, and with pipelining several replies arrive in one read. Pure,
/// so it is tested alone on malformed input; anything that is not a reply is refused rather
/// than guessed at, since a client that misreads one reply misreads every reply after it.
public struct SMTPReplyParser: Sendable {
    /// RFC 5321 §4.5.3.1.5 allows 512 octets; real servers send longer EHLO lines, so allow more.
    public static let maximumLineLength = 2048
    /// More lines than this in one reply is a server gone wrong, not a reply.
    public static let maximumLines = 256

    private var buffer: [UInt8] = []
    private var consumed = 0
    private var pending: (code: Int, lines: [String])?

    public init() {}

    /// Whether bytes are waiting that do not yet make a whole reply. After STARTTLS's 220 there
    /// must be none: bytes sent in the clear then would be read as if they came over TLS.
    public var hasBufferedInput: Bool { consumed < buffer.count || pending != nil }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if consumed > 4096, consumed * 2 > buffer.count {
            buffer.removeFirst(consumed)
            consumed = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil until more bytes arrive.
    ///
    /// - Throws: `MailerError` (`.protocolViolation`) for a line that is not `ddd`, `ddd text` or
    ///   `ddd-text`, a code outside 200–559, a multiline reply whose lines disagree on the code,
    ///   a line over `maximumLineLength`, or a reply over `maximumLines`.
    public mutating func next() throws -> SMTPReply? {
        while let end = buffer[consumed...].firstIndex(of: 0x0A) {
            var line = buffer[consumed..<end]
            consumed = end + 1
            if line.last == 0x0D { line = line.dropLast() }
            guard line.count <= Self.maximumLineLength else { throw Self.error("a reply line is longer than \(Self.maximumLineLength) bytes", line) }
            let (code, isLast, text) = try Self.parse(line)
            var lines = [text]
            if let pending {
                guard pending.code == code else {
                    throw Self.error("a line of a multiline reply has code \(code) where the reply began with \(pending.code)", line)
                }
                lines = pending.lines + [text]
                guard lines.count <= Self.maximumLines else { throw Self.error("a reply has more than \(Self.maximumLines) lines", line) }
            }
            if isLast {
                self.pending = nil
                return SMTPReply(code: code, lines: lines)
            }
            self.pending = (code, lines)
        }
        // An unfinished line may hold its CR already: one byte more than a line may have.
        if buffer.count - consumed > Self.maximumLineLength + 1 {
            throw Self.error("a reply line is longer than \(Self.maximumLineLength) bytes", buffer[consumed...].prefix(80))
        }
        return nil
    }

    /// The code, whether the line ends the reply (`ddd ` or bare `ddd`) and its text.
    private static func parse(_ line: ArraySlice<UInt8>) throws -> (Int, Bool, String) {
        let digits = Array(line.prefix(3))
        guard digits.count == 3, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw error("a reply line does not start with a three-digit code", line)
        }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard (2...5).contains(code / 100), code / 10 % 10 <= 5 else {
            throw error("reply code \(code) is not an SMTP reply code (2xx–5xx, second digit 0–5)", line)
        }
        let rest = line.dropFirst(3)
        guard let separator = rest.first else { return (code, true, "") }
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw error("the code is followed by neither a space nor a hyphen", line)
        }
        return (code, separator == UInt8(ascii: " "), String(decoding: rest.dropFirst(), as: UTF8.self))
    }

    private static func error(_ problem: String, _ line: ArraySlice<UInt8>) -> MailerError {
        let shown = MailerError.quoted(String(decoding: line.prefix(120), as: UTF8.self))
        return MailerError(.protocolViolation, message: "The server's reply is malformed: \(problem) (\(shown)).")
    }
}
