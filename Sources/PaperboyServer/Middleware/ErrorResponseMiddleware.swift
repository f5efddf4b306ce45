import Foundation
import Hummingbird
import Logging

/// Turns every error a route throws into an answer a person can act on: JSON
/// `{"error": …, "parameter": …, "column": …}` under `/api/`, an HTML page elsewhere.
/// Bad parameters are 400s naming the parameter; an unexpected error is a 500 that shows
/// no internals (it is logged instead).
struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message, parameter, column) = describe(error, logger: context.logger)
            if request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix("/feeds/") {
                var body: [String: Any] = ["error": message]
                if let parameter { body["parameter"] = parameter }
                if let column { body["column"] = column }
                let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
                return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
            }
            let html = (try? views.render("error", ["title": status.reasonPhrase, "status": status.code, "message": message],
                                         for: context.visitor))
                ?? message
            return Response(status: status,
                            headers: [.contentType: "text/html; charset=utf-8",
                                      .contentSecurityPolicy: PageController.contentSecurityPolicy,
                                      .xContentTypeOptions: "nosniff"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
    }

    private func describe(_ error: any Error, logger: Logger) -> (HTTPResponse.Status, String, String?, Int?) {
        switch error {
        case let error as ParameterError:
            return (.badRequest, error.description, error.parameter, error.column)
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase, nil, nil)
        case let error as any HTTPResponseError:
            return (error.status, error.status.reasonPhrase, nil, nil)
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            return (.internalServerError, "Something went wrong on the server; it has been logged.", nil, nil)
        }
    }
}
