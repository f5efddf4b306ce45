import Crypto
import Foundation
import PaperboyCore

/// What a signed link lets its holder do.
public enum LinkPurpose: String, Sendable, CaseIterable {
    /// Confirm a subscription (double opt-in); expires after `SignedToken.confirmationLifetime`.
    case confirm = "c"
    /// Unsubscribe; never expires (RFC 8058 links live in old mail), harmless to replay.
    case unsubscribe = "u"
    /// Change a subscription's options from a link in its mail; never expires.
    case manage = "m"
}

/// A link token: purpose, subscription and expiry in the clear, and an HMAC-SHA256 over them
/// and the subscription's address under the store's site secret, all base64url.
///
/// Binding the address means a token stops working when its subscription's address changes,
/// and no token for one subscription opens another. The token carries no address, so a link
/// in mail reveals nothing a forwarded message does not.
public struct SignedToken: Sendable, Hashable {
    public static let confirmationLifetime: TimeInterval = 7 * 86_400

    public var purpose: LinkPurpose
    public var subscription: SubscriptionID
    /// Nil for tokens that never expire.
    public var expiresAt: Date?
    let mac: [UInt8]

    /// Reads a token without trusting it: `LinkSigner.verify` decides.
    ///
    /// - Throws: `SignedTokenError.malformed` for anything not shaped like a token.
    public init(parsing text: String) throws(SignedTokenError) {
        guard text.utf8.count <= 200, let bytes = Base64URL.decode(text), bytes.count > 32 else { throw .malformed }
        let body = String(decoding: bytes.dropLast(32), as: UTF8.self)
        let fields = body.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 3, let purpose = LinkPurpose(rawValue: String(fields[0])),
              let id = Int64(fields[1]), id > 0, let expiry = Int64(fields[2]), expiry >= 0,
              body == "\(purpose.rawValue).\(id).\(expiry)"  // one spelling per token: no `+1`, no `01`
        else { throw .malformed }
        self.purpose = purpose
        subscription = SubscriptionID(rawValue: id)
        expiresAt = expiry == 0 ? nil : Date(timeIntervalSince1970: Double(expiry))
        mac = Array(bytes.suffix(32))
    }

    init(purpose: LinkPurpose, subscription: SubscriptionID, expiresAt: Date?, mac: [UInt8]) {
        self.purpose = purpose
        self.subscription = subscription
        self.expiresAt = expiresAt
        self.mac = mac
    }

    /// `purpose.id.expiry`, the clear part (expiry 0: never).
    var body: String {
        "\(purpose.rawValue).\(subscription.rawValue).\(expiresAt.map { Int64($0.timeIntervalSince1970) } ?? 0)"
    }

    /// The token as it goes into a URL path.
    public var text: String { Base64URL.encode(Array(body.utf8) + mac) }
}

/// Why a link token was refused, in words for the page that says so.
public enum SignedTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed
    case wrongPurpose
    case expired
    /// The signature does not match: forged, altered, or for an address since changed.
    case forged

    public var description: String {
        switch self {
        case .malformed: "This link is incomplete or damaged. Copy the whole link from the message, or subscribe again."
        case .wrongPurpose: "This link is meant for another page."
        case .expired: "This confirmation link has expired (links last 7 days). Subscribe again to get a new one."
        case .forged: "This link is not valid for any subscription here."
        }
    }
}

/// Signs and checks link tokens with the store's site secret.
public struct LinkSigner: Sendable {
    private let key: SymmetricKey

    public init(secret: [UInt8]) {
        precondition(secret.count >= 32, "a link secret has at least 32 bytes")
        key = SymmetricKey(data: secret)
    }

    /// A token for `purpose` on `subscription`; confirmation tokens expire after 7 days.
    public func token(_ purpose: LinkPurpose, for subscription: Subscription, at now: Date) -> SignedToken {
        let expiry = purpose == .confirm
            ? Date(timeIntervalSince1970: (now.timeIntervalSince1970 + SignedToken.confirmationLifetime).rounded(.up)) : nil
        let unsigned = SignedToken(purpose: purpose, subscription: subscription.id, expiresAt: expiry, mac: [])
        return SignedToken(purpose: purpose, subscription: subscription.id, expiresAt: expiry,
                           mac: mac(unsigned.body, email: subscription.email))
    }

    /// Checks `token` against the subscription it names (already looked up by the caller):
    /// the purpose, the expiry, then the signature in constant time.
    public func verify(_ token: SignedToken, purpose: LinkPurpose, for subscription: Subscription, at now: Date) throws(SignedTokenError) {
        guard token.purpose == purpose else { throw .wrongPurpose }
        guard token.subscription == subscription.id,
              HMAC<Crypto.SHA256>.isValidAuthenticationCode(token.mac, authenticating: signed(token.body, email: subscription.email), using: key)
        else { throw .forged }
        if let expiry = token.expiresAt, expiry <= now { throw .expired }
    }

    private func mac(_ body: String, email: String) -> [UInt8] {
        Array(HMAC<Crypto.SHA256>.authenticationCode(for: signed(body, email: email), using: key))
    }

    /// What the MAC covers: a fixed label (so these MACs mean nothing elsewhere), the clear part
    /// and the address, separated by a byte no address or body holds.
    private func signed(_ body: String, email: String) -> [UInt8] {
        Array("paperboy subscription link\n\(body)\n\(email)".utf8)
    }
}

/// Base64 with `-` and `_`, unpadded (RFC 4648 §5): safe in a URL path as it is.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }), text.utf8.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        // One spelling per token: unused low bits of the last character must be zero.
        guard encode(Array(data)) == text else { return nil }
        return Array(data)
    }
}
