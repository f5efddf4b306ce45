import Crypto
import PaperboyCore

/// HMAC-SHA256 as the CSRF tokens use it, through swift-crypto (the digest links use the same):
/// the key stays on the server, so a token cannot be made without it.
enum KeyedDigest {
    /// The MAC of `message` under `key`, as 64 lowercase hex digits.
    static func sha256(key: [UInt8], message: [UInt8]) -> String {
        Hex.encode(Array(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))))
    }

    /// Compares two MACs in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
