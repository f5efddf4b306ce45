import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// What a browser keeps between requests in router tests: its cookies, as the server set
/// them, and the CSRF token of the last page that had a form, so a test can post the way a
/// reader's browser does (or leave either out on purpose).
struct TestBrowser: Sendable {
    var cookies: [String: String] = [:]
    var csrf: String?
    /// Sent with every request, e.g. `X-Forwarded-For` to be another client address.
    var headers = HTTPFields()

    @discardableResult
    mutating func get(_ uri: String, _ client: any TestClientProtocol) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: requestHeaders(), body: nil) { $0 }
        remember(response)
        return response
    }

    /// Posts an empty form but for the token.
    @discardableResult
    mutating func post(_ uri: String, csrf: String? = nil, _ client: any TestClientProtocol) async throws -> TestResponse {
        try await post(uri, [], csrf: csrf, client)
    }

    /// Posts `fields` as a form, with the remembered token unless `csrf` says otherwise
    /// (an empty `csrf` sends none).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil,
                       _ client: any TestClientProtocol) async throws -> TestResponse {
        var all = fields
        if let token = csrf ?? self.csrf, !token.isEmpty { all.append(("csrf", token)) }
        var headers = requestHeaders()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = all.map { "\(Self.formEscape($0))=\(Self.formEscape($1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers,
                                                body: ByteBuffer(string: body)) { $0 }
        remember(response)
        return response
    }

    func requestHeaders() -> HTTPFields {
        var fields = headers
        if !cookies.isEmpty {
            fields[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return fields
    }

    private mutating func remember(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = Self.csrfToken(in: String(buffer: response.body)) { csrf = token }
    }

    /// The value of the first `name="csrf"` field of `html`.
    static func csrfToken(in html: String) -> String? {
        guard let field = html.range(of: #"name="csrf" value=""#) else { return nil }
        let rest = html[field.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
