import Hummingbird

/// Refuses requests no reader sends: a target longer than `maxTargetLength` (414) or a
/// body larger than `maxBodyBytes` (413), before any route reads them.
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maxTargetLength: Int { 4_096 }
    static var maxBodyBytes: Int { 64 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.string.utf8.count > Self.maxTargetLength {
            throw HTTPError(.uriTooLong, message: "The address is longer than \(Self.maxTargetLength) bytes.")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBodyBytes {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(Self.maxBodyBytes) bytes.")
        }
        return try await next(request, context)
    }
}
