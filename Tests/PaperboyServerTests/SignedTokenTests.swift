import Foundation
import PaperboyCore
@testable import PaperboyServer
import Testing

/// Link tokens: bound to purpose, subscription and address; confirmation links expire; any
/// change to any character is refused.
struct SignedTokenTests {
    let signer = DigestFixture.composer.signer
    let now = DigestFixture.now

    @Test func aTokenVerifiesForItsPurposeSubscriptionAndAddress() throws {
        let subscription = try DigestFixture.subscription()
        for purpose in LinkPurpose.allCases {
            let text = signer.token(purpose, for: subscription, at: now).text
            #expect(text.utf8.allSatisfy { $0 < 0x80 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")) })
            let parsed = try SignedToken(parsing: text)
            #expect(parsed.subscription == subscription.id && parsed.purpose == purpose)
            try signer.verify(parsed, purpose: purpose, for: subscription, at: now)
        }
    }

    @Test func confirmationExpiresAfterSevenDaysAndUnsubscribeNever() throws {
        let subscription = try DigestFixture.subscription()
        let confirm = try SignedToken(parsing: signer.token(.confirm, for: subscription, at: now).text)
        try signer.verify(confirm, purpose: .confirm, for: subscription, at: now + 7 * 86_400 - 1)
        #expect(throws: SignedTokenError.expired) {
            try signer.verify(confirm, purpose: .confirm, for: subscription, at: now + 7 * 86_400)
        }
        let unsubscribe = try SignedToken(parsing: signer.token(.unsubscribe, for: subscription, at: now).text)
        #expect(unsubscribe.expiresAt == nil)
        try signer.verify(unsubscribe, purpose: .unsubscribe, for: subscription, at: now + 10 * 365 * 86_400)
    }

    @Test func aTokenForOnePurposeOpensNoOther() throws {
        let subscription = try DigestFixture.subscription()
        let confirm = try SignedToken(parsing: signer.token(.confirm, for: subscription, at: now).text)
        #expect(throws: SignedTokenError.wrongPurpose) { try signer.verify(confirm, purpose: .unsubscribe, for: subscription, at: now) }
        let manage = try SignedToken(parsing: signer.token(.manage, for: subscription, at: now).text)
        #expect(throws: SignedTokenError.wrongPurpose) { try signer.verify(manage, purpose: .confirm, for: subscription, at: now) }
    }

    @Test func aTokenIsBoundToItsSubscriptionItsAddressAndTheSecret() throws {
        let subscription = try DigestFixture.subscription()
        let token = try SignedToken(parsing: signer.token(.unsubscribe, for: subscription, at: now).text)
        var moved = subscription
        moved.email = "eve@example.org"
        #expect(throws: SignedTokenError.forged) { try signer.verify(token, purpose: .unsubscribe, for: moved, at: now) }
        var other = subscription
        other.id = SubscriptionID(rawValue: 43)
        #expect(throws: SignedTokenError.forged) { try signer.verify(token, purpose: .unsubscribe, for: other, at: now) }
        let stranger = LinkSigner(secret: Array(repeating: 7, count: 32))
        #expect(throws: SignedTokenError.forged) { try stranger.verify(token, purpose: .unsubscribe, for: subscription, at: now) }
    }

    /// Every character of a token replaced by every other base64url character, and every
    /// character dropped: none is accepted.
    @Test func tamperingWithAnyCharacterIsRefused() throws {
        let subscription = try DigestFixture.subscription()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for purpose in LinkPurpose.allCases {
            let text = Array(signer.token(purpose, for: subscription, at: now).text)
            var tried = 0
            for index in text.indices {
                var variants = alphabet.filter { $0 != text[index] }.map { replacement -> String in
                    var changed = text
                    changed[index] = replacement
                    return String(changed)
                }
                var dropped = text
                dropped.remove(at: index)
                variants.append(String(dropped))
                for variant in variants {
                    tried += 1
                    #expect(!accepts(variant, purpose: purpose, subscription: subscription), "\(variant) was accepted")
                }
            }
            #expect(tried == text.count * alphabet.count)
            #expect(!accepts(String(text) + "A", purpose: purpose, subscription: subscription))
            #expect(!accepts("", purpose: purpose, subscription: subscription))
        }
    }

    @Test func forgedTokensWithoutTheSecretAreRefused() throws {
        let subscription = try DigestFixture.subscription()
        for forged in [Base64URL.encode(Array("u.42.0".utf8) + Array(repeating: 0, count: 32)), "u.42.0", "../../etc/passwd", String(repeating: "A", count: 500)] {
            #expect(!accepts(forged, purpose: .unsubscribe, subscription: subscription))
        }
    }

    private func accepts(_ text: String, purpose: LinkPurpose, subscription: Subscription) -> Bool {
        guard let token = try? SignedToken(parsing: text) else { return false }
        return (try? signer.verify(token, purpose: purpose, for: subscription, at: now)) != nil
    }
}
