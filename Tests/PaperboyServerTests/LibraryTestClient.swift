import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
@testable import PaperboyServer

/// The app with readers' libraries, as one fixed reader (or nobody) sees it: the reader and
/// CSRF closures stand where accounts plug in.
extension ServerFixture {
    static let csrfToken = "csrf-token-for-tests"

    func libraryRouter(as reader: ReaderID?) throws -> Router<AppRequestContext> {
        try buildRouter(catalog: catalog, settings: ServerSettings(host: "127.0.0.1", port: 8080),
                        accounts: nil, library: LibraryAccess(store: store, reader: { _ in reader }, csrf: { _ in Self.csrfToken }))
    }

    /// Runs `body` with a client of the app as `reader` sees it.
    func test(as reader: ReaderID?, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: try libraryRouter(as: reader)).test(.router, body)
    }
}

extension TestClientProtocol {
    /// Posts an HTML form (`application/x-www-form-urlencoded`), as a browser does.
    func postForm(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        let body = fields.map { name, value -> String in
            let escaped = value.addingPercentEncoding(withAllowedCharacters: allowed)?.replacingOccurrences(of: "%20", with: "+") ?? ""
            return "\(name)=\(escaped)"
        }.joined(separator: "&")
        return try await executeRequest(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: body))
    }

    /// Posts a form with a file, as `multipart/form-data`.
    func postMultipart(_ uri: String, fields: [(String, String)],
                       file: (field: String, name: String, text: String)) async throws -> TestResponse {
        let boundary = "----PaperboyBoundary7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
        body += "Content-Type: application/octet-stream\r\n\r\n\(file.text)\r\n--\(boundary)--\r\n"
        return try await executeRequest(uri: uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(string: body))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: .get, headers: [:], body: nil)
    }
}
