import PaperboyCore

/// A random 256-bit token handed to a browser (session cookie, reset link) and the SHA-256
/// digest the store keeps instead, so a leaked store signs nobody in.
struct SecretToken: Sendable, Hashable {
    /// 64 lowercase hex digits: safe in a cookie, a URL path and a form.
    let text: String

    /// A fresh token from the system's cryptographic generator (`getrandom` on Linux).
    static func random() -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        return SecretToken(unchecked: Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    private init(unchecked text: String) { self.text = text }

    /// A token as a browser sent it back: nil unless it has the shape this server makes, so
    /// nothing else reaches the store.
    init?(_ text: String) {
        guard text.utf8.count == 64, text.utf8.allSatisfy({ Hex.value(of: $0) != nil }) else { return nil }
        self.text = text
    }

    /// What the store keeps.
    var digest: String { SHA256.hex(Array(text.utf8)) }
}

/// Lowercase hexadecimal.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// The value of one lowercase hex digit.
    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
