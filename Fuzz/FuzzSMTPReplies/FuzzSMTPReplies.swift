import Mailer

/// libFuzzer entry: bytes from a server, split into reads whose sizes the first byte picks,
/// give well-formed replies (codes 200–559, at most `maximumLines` lines) or a protocol error;
/// the same bytes give the same replies however they are split. See RELIABILITY.md for how it
/// is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReplies(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let split = replies(bytes, readSize: Int(data[0] % 16) + 1)
    let whole = replies(bytes, readSize: max(1, bytes.count))
    precondition(split == whole, "splitting the input into reads changed the replies: \(split) vs \(whole)")
    return 0
}

/// The replies read before the first error, and whether an error came.
private func replies(_ bytes: [UInt8], readSize: Int) -> Outcome {
    var parser = SMTPReplyParser()
    var outcome = Outcome()
    var start = 0
    while start < bytes.count {
        parser.append(bytes[start..<min(bytes.count, start + readSize)])
        start += readSize
        do {
            while let reply = try parser.next() {
                precondition((200...559).contains(reply.code), "reply code \(reply.code)")
                precondition(!reply.lines.isEmpty && reply.lines.count <= SMTPReplyParser.maximumLines, "\(reply.lines.count) lines")
                outcome.replies.append(reply)
            }
        } catch {
            outcome.failed = true
            return outcome
        }
    }
    return outcome
}

private struct Outcome: Equatable {
    var replies: [SMTPReply] = []
    var failed = false
}
