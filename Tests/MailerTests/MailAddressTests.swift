import Mailer
import Testing

struct MailAddressTests {
    @Test(arguments: ["reader@example.org", "first.last+digest@mail.example.co.uk", "o'brien@example.ie",
                      "x@localhost", "user_name-1@sub-domain.example", "a!#$%&'*+/=?^_`{|}~@example.org"])
    func acceptsPlausibleAddresses(_ addrSpec: String) throws {
        let address = try MailAddress(addrSpec)
        #expect(address.addrSpec == addrSpec)
        #expect("\(address.localPart)@\(address.domain)" == addrSpec)
    }

    @Test(arguments: [
        ("reader@example.org\r\nBcc: victim@example.com", "line break"),
        ("reader@example.org\nBcc: victim@example.com", "line break"),
        ("reader\r@example.org", "line break"),
        ("reader@exam\0ple.org", "NUL"),
        ("reader@example.org\t", "control character"),
        ("", "has no @"),
        ("reader", "has no @"),
        ("reader@", "nothing after"),
        ("@example.org", "nothing before"),
        ("a@b@example.org", "more than one @"),
        ("\"quoted local\"@example.org", "space"),
        ("\"quoted\"@example.org", "dot-atom"),
        ("first..last@example.org", "dot-atom"),
        (".first@example.org", "dot-atom"),
        ("first.@example.org", "dot-atom"),
        ("Reader <reader@example.org>", "space"),
        ("<reader@example.org>", "dot-atom"),
        ("reader@-example.org", "label"),
        ("reader@example..org", "label"),
        ("reader@exa_mple.org", "label"),
        ("reader@[192.0.2.1]", "label"),
        ("léa@example.org", "SMTPUTF8"),
        ("reader@exämple.org", "SMTPUTF8"),
        (String(repeating: "a", count: 65) + "@example.org", "64"),
        ("reader@" + String(repeating: "a", count: 64) + ".org", "label"),
    ])
    func refusesImplausibleAddressesNamingTheField(addrSpec: String, problem: String) {
        let error = #expect(throws: MailerError.self) { try MailAddress(addrSpec, field: "to") }
        #expect(error?.code == .invalidMessage)
        #expect(error?.field == "to address")
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\r") == false && error?.message.contains("\n") == false)
    }

    @Test(arguments: ["Boglárka\r\nBcc: victim@example.com", "Niccolò\nBiondi", "Raphaël\0", "Bell\u{07}", "Next\u{85}Line"])
    func refusesControlCharactersInDisplayNames(_ name: String) {
        let error = #expect(throws: MailerError.self) { try MailAddress("reader@example.org", displayName: name, field: "from") }
        #expect(error?.field == "from display name")
    }

    @Test func keepsUnicodeDisplayNamesAndDropsEmptyOnes() throws {
        #expect(try MailAddress("b@example.org", displayName: "Boglárka Ecsedi").displayName == "Boglárka Ecsedi")
        #expect(try MailAddress("b@example.org", displayName: "  ").displayName == nil)
        #expect(try MailAddress("b@example.org", displayName: " Raphaël Baena ").displayName == "Raphaël Baena")
    }
}
