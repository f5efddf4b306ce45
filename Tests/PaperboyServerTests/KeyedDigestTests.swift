@testable import PaperboyServer
import Testing

/// HMAC-SHA256 against RFC 4231's test vectors, and the token shape accounts rely on.
struct KeyedDigestTests {
    @Test func matchesRFC4231() {
        #expect(KeyedDigest.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(KeyedDigest.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // A key longer than a block is hashed first (test case 6).
        #expect(KeyedDigest.sha256(key: [UInt8](repeating: 0xaa, count: 131),
                            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func secretTokensAreFreshAndOnlyTheirShapeIsAccepted() {
        let a = SecretToken.random(), b = SecretToken.random()
        #expect(a != b && a.text.count == 64)
        #expect(SecretToken(a.text) == a)
        #expect(SecretToken(a.text.uppercased()) == nil || a.text == a.text.uppercased())
        #expect(SecretToken("abc") == nil && SecretToken(String(repeating: "g", count: 64)) == nil)
        #expect(a.digest.count == 64 && a.digest != a.text)
        #expect(KeyedDigest.equal("abc", "abc") && !KeyedDigest.equal("abc", "abd") && !KeyedDigest.equal("abc", "abcd"))
    }
}
