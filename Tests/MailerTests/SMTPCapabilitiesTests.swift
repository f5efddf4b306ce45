import Mailer
import Testing

struct SMTPCapabilitiesTests {
    @Test func readsExtensionsAndTheirParameters() {
        let reply = SMTPReply(code: 250, lines: ["mail.example.org", "PIPELINING", "SIZE 10240000", "starttls", "AUTH PLAIN LOGIN CRAM-MD5", "8BITMIME"])
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.supports("PIPELINING"))
        #expect(capabilities.supports("STARTTLS"))
        #expect(!capabilities.supports("mail.example.org"))
        #expect(capabilities.maximumMessageSize == 10_240_000)
        #expect(capabilities.authenticationMechanisms == ["PLAIN", "LOGIN", "CRAM-MD5"])
    }

    @Test func readsTheOldAuthEqualsForm() {
        let capabilities = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["old.example.org", "AUTH=LOGIN PLAIN", "SIZE 0"]))
        #expect(capabilities.authenticationMechanisms == ["LOGIN", "PLAIN"])
        #expect(capabilities.maximumMessageSize == nil)
    }

    @Test func heloMeansNoExtensions() {
        #expect(!SMTPCapabilities.none.supports("PIPELINING"))
        #expect(SMTPCapabilities.none.authenticationMechanisms.isEmpty)
    }
}
