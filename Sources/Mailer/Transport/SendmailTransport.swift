import Foundation

/// Hands each message to the local mail system by running `sendmail -i -f <from> -- <to>` with
/// the message on standard input, as every MTA's sendmail-compatible program accepts. For hosts
/// whose MTA (Postfix, exim, msmtp) already knows how to deliver.
///
/// Exit status 0 means accepted, 75 (`EX_TEMPFAIL`) try again later, any other status refused.
/// A program killed by a signal crashed rather than refused the message: that is temporary.
public struct SendmailTransport: MailTransport {
    public let executable: URL
    /// How long one run may take before it is killed and the batch fails.
    public let timeout: Duration

    public init(executable: URL = URL(fileURLWithPath: "/usr/sbin/sendmail"), timeout: Duration = .seconds(120)) {
        self.executable = executable
        self.timeout = timeout
    }

    public func deliver(_ mails: [OutgoingMail], outcome: (Int, DeliveryOutcome) async throws -> Void) async throws {
        for (index, mail) in mails.enumerated() {
            try await outcome(index, try await deliver(mail))
        }
    }

    /// The arguments for `mail`: `-i` so a line of one dot does not end it, `-f` for the
    /// envelope sender (the bounce address), `--` so no recipient is read as an option.
    static func arguments(for mail: OutgoingMail) -> [String] {
        ["-i", "-f", mail.sender.addrSpec, "--", mail.recipient.addrSpec]
    }

    /// The message with LF line endings, as a local program expects them.
    static func input(for mail: OutgoingMail) -> Data {
        var bytes: [UInt8] = []
        let rendered = mail.bytes
        bytes.reserveCapacity(rendered.count)
        for (index, byte) in rendered.enumerated() where !(byte == 0x0D && index + 1 < rendered.count && rendered[index + 1] == 0x0A) {
            bytes.append(byte)
        }
        return Data(bytes)
    }

    private func deliver(_ mail: OutgoingMail) async throws -> DeliveryOutcome {
        // The message goes through a private file rather than a pipe: a program that exits
        // without reading cannot then block us or kill us with SIGPIPE.
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-sendmail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        let input = spool.appendingPathComponent("message.eml"), output = spool.appendingPathComponent("output.txt")
        do {
            try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try Self.input(for: mail).write(to: input)
        } catch {
            throw MailerError(.sendmail, message: "Could not prepare the message for \(executable.path) in \(spool.path).", cause: error)
        }
        let ended = try await SendmailProcess.run(
            executable.path, arguments: Self.arguments(for: mail), input: input.path, output: output.path, timeout: timeout)
        let printed = (try? Data(contentsOf: output)).map { String(decoding: $0.prefix(4096), as: UTF8.self) } ?? ""
        let text = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let termination = ended else {
            throw MailerError(.timeout, message: "\(executable.path) did not finish within \(timeout) and was stopped\(text.isEmpty ? "" : ": \(text)").")
        }
        let exit = SendmailExit(termination: termination, output: text)
        switch termination {
        case .exited(0): return .accepted(.sendmail(exit))
        case .exited(75), .signalled: return .temporaryFailure(.sendmail(exit))
        case .exited: return .permanentFailure(.sendmail(exit))
        }
    }
}
