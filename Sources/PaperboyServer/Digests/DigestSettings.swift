import Foundation
import Mailer
import PaperboyCore

/// Who digests come from and where their links point.
public struct DigestSettings: Sendable {
    /// `https://paperboy.example`, without a trailing slash: every link in mail starts with it.
    public let baseURL: String
    public let from: MailAddress
    /// The host of `baseURL`: the right side of Message-IDs and the list id's domain.
    public let host: String

    /// - Throws: `PaperboyError` (`.invalidArgument`) naming `baseURL` unless it is an absolute
    ///   http(s) URL, or `from` when the address is refused by the mailer. Mail clients offer
    ///   RFC 8058 one-click unsubscribe for https links only; a server on plain http (a laptop,
    ///   a test) still mails working unsubscribe pages.
    public init(baseURL: String, from: String, fromName: String = "Paperboy") throws {
        let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        guard let url = URL(string: trimmed), url.scheme == "https" || url.scheme == "http", let host = url.host, !host.isEmpty,
              url.query == nil, url.fragment == nil, (try? MessageID(left: "digest", right: host)) != nil else {
            throw PaperboyError(.invalidArgument, "baseURL: \(baseURL.debugDescription) is not an http(s) address like https://paperboy.example; digests need one for their unsubscribe links.")
        }
        do {
            self.from = try MailAddress(from, displayName: fromName, field: "from")
        } catch {
            throw PaperboyError(.invalidArgument, "from: \(error)")
        }
        self.baseURL = trimmed
        self.host = host.lowercased()
    }

    /// `digest.<host>`, the `List-Id` of every digest from this server.
    var listID: String { "digest.\(host)" }

    func link(_ path: String) -> String { baseURL + path }
}
