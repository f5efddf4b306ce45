import Hummingbird

/// Refuses requests no reader sends: a target longer than `maxTargetLength` (414) or a
/// body larger than `maxBodyBytes` (413), before any route reads them.
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maxTargetLength: Int { 4_096 }
    static var maxBodyBytes: Int { 64 * 1024 }
    /// Library imports carry whole BibTeX files; their route reads at most this much.
    static var maxImportBytes: Int { LibraryController.maxImportBytes }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.string.utf8.count > Self.maxTargetLength {
            throw HTTPError(.uriTooLong, message: "The address is longer than \(Self.maxTargetLength) bytes.")
        }
        let limit = request.uri.path == "/library/import" ? Self.maxImportBytes : Self.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(limit) bytes.")
        }
        return try await next(request, context)
    }
}
