import HTTPTypes
import Hummingbird

extension Views {
    /// A page made for one visitor (accounts, library, For you, subscriptions): never cached,
    /// since it holds their CSRF token and their own data, and sending no referrer, since the
    /// address of several of them (a reset, a subscription's links) is a secret token.
    func personalPage(_ template: String, _ values: [String: Any], for visitor: Visitor = .current,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = PageController.htmlHeaders
        headers[.cacheControl] = "no-store"
        headers[Self.referrerPolicy] = "no-referrer"
        return Response(status: status, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: try render(template, values, for: visitor))))
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
