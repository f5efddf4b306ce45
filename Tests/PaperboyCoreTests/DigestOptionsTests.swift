import Foundation
import PaperboyCore
import Testing

/// Subscription options and addresses: bad values are refused naming the field.
struct DigestOptionsTests {
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PaperboyError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func badOptionsAreRefusedNamingTheField() {
        #expect(Self.message { _ = try DigestOptions(frequency: .weekly(weekday: 8)) }?.hasPrefix("weekday:") == true)
        #expect(Self.message { _ = try DigestOptions(sendHour: 24) }?.hasPrefix("hour:") == true)
        #expect(Self.message { _ = try DigestOptions(sendHour: -1) }?.hasPrefix("hour:") == true)
        #expect(Self.message { _ = try DigestOptions(timeZone: "Mars/Olympus_Mons") }?.hasPrefix("timezone:") == true)
        #expect(Self.message { _ = try DigestOptions(savedSearches: (1...11).map { "query \($0)" }) }?.hasPrefix("searches:") == true)
        #expect(Self.message { _ = try DigestOptions(savedSearches: ["mixture\r\nBcc: x@example.org"]) }?.hasPrefix("searches:") == true)
        #expect(Self.message { _ = try DigestOptions(savedSearches: [String(repeating: "a", count: 201)]) }?.hasPrefix("searches:") == true)
    }

    @Test func savedSearchesAreTrimmedWithoutBlanksOrRepeats() throws {
        let options = try DigestOptions(savedSearches: [" mixture of experts ", "", "mixture of experts", "diffusion"])
        #expect(options.savedSearches == ["mixture of experts", "diffusion"])
        #expect(try DigestOptions(timeZone: "Asia/Kathmandu").schedule.timeZone.identifier == "Asia/Kathmandu")
    }

    @Test func addressesAreNormalizedAndCheckedNamingTheField() throws {
        #expect(try EmailAddress.normalized("  Ada.Lovelace@Example.ORG ") == "ada.lovelace@example.org")
        for bad in ["", "ada", "ada@", "@example.org", "ada@localhost", "ada@example.org\r\nBcc: eve@example.org",
                    "ada@exa mple.org", "a@b@example.org", "ada@example.org\0", "<ada@example.org>"] {
            #expect(Self.message { _ = try EmailAddress.normalized(bad) }?.hasPrefix("email:") == true, "\(bad.debugDescription)")
        }
    }
}
