import Foundation
import PaperboyTesting
import Testing

@testable import Mailer

/// `SendmailTransport` against a stand-in sendmail: a shell script that records its arguments
/// and input, and exits as a real MTA's sendmail does for the recipient's local part.
struct SendmailTransportTests {
    private struct FakeSendmail {
        let directory: TemporaryDirectory
        var program: URL { directory.file("sendmail") }

        init() throws {
            directory = try TemporaryDirectory()
            let script = """
                #!/bin/sh
                for last; do :; done
                printf '%s\\n' "$@" > "\(directory.url.path)/$last.args"
                cat > "\(directory.url.path)/$last.eml"
                case "$last" in
                  temp*) echo "mail queue is full, try later" >&2; exit 75 ;;
                  reject*) echo "no such user: $last" >&2; exit 67 ;;
                  crash*) kill -KILL $$ ;;
                  hang*) exec sleep 30 ;;
                esac
                exit 0
                """
            try directory.write("sendmail", Data(script.utf8))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        }

        func file(_ name: String) throws -> Data { try Data(contentsOf: directory.file(name)) }
    }

    @Test func pipesTheMessageWithTheEnvelopeAsArguments() async throws {
        let sendmail = try FakeSendmail()
        defer { sendmail.directory.remove() }
        let message = try SampleMail.digest()
        let outcomes = try await SendmailTransport(executable: sendmail.program).send([message])
        guard case .accepted(.sendmail(let exit)) = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(exit.termination == .exited(0))
        #expect(String(decoding: try sendmail.file("boglarka@example.org.args"), as: UTF8.self)
            == "-i\n-f\ndigest@paperboy.example\n--\nboglarka@example.org\n")
        let input = try sendmail.file("boglarka@example.org.eml")
        #expect(!input.contains(0x0D), "a local program gets LF line endings")
        #expect(String(decoding: input, as: UTF8.self) == String(decoding: message.rendered(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
    }

    @Test func theExitStatusDecidesTheOutcome() async throws {
        let sendmail = try FakeSendmail()
        defer { sendmail.directory.remove() }
        let messages = try ["first@example.org", "temporary@example.org", "rejected@example.org", "crashing@example.org"]
            .map { try SampleMail.digest(to: $0) }
        let outcomes = try await SendmailTransport(executable: sendmail.program).send(messages)
        try #require(outcomes.count == 4)
        #expect(outcomes[0].isAccepted)
        #expect(outcomes[1] == .temporaryFailure(.sendmail(SendmailExit(termination: .exited(75), output: "mail queue is full, try later"))))
        #expect(outcomes[2] == .permanentFailure(.sendmail(SendmailExit(termination: .exited(67), output: "no such user: rejected@example.org"))))
        #expect(outcomes[3] == .temporaryFailure(.sendmail(SendmailExit(termination: .signalled(9), output: ""))))
        #expect(outcomes[2].description == "permanent failure: sendmail exited with status 67: no such user: rejected@example.org")
    }

    @Test func aMissingProgramIsNamedInTheError() async throws {
        let transport = SendmailTransport(executable: URL(fileURLWithPath: "/nonexistent/sbin/sendmail"))
        let error = await #expect(throws: MailerError.self) { try await transport.send([SampleMail.digest()]) }
        #expect(error?.code == .sendmail)
        #expect(error?.message.contains("/nonexistent/sbin/sendmail") == true)
    }

    @Test func aHangingProgramIsStoppedAndEarlierOutcomesKept() async throws {
        let sendmail = try FakeSendmail()
        defer { sendmail.directory.remove() }
        let messages = try ["first@example.org", "hanging@example.org"].map { try SampleMail.digest(to: $0) }
        let transport = SendmailTransport(executable: sendmail.program, timeout: .milliseconds(500))
        let error = await #expect(throws: MailerError.self) { try await transport.send(messages) }
        #expect(error?.code == .timeout)
        #expect(error?.outcomes.map(\.isAccepted) == [true])
    }
}
