import Foundation
import Hummingbird
import MCP

/// Translation between Hummingbird's requests and responses and the SDK's framework-free
/// ones, which the streamable HTTP transport reads and answers.
enum HTTPBridge {
    /// One header field (Hummingbird re-exports the collection, not the type of its elements).
    private typealias Field = HTTPFields.Element

    /// Largest JSON-RPC message accepted in one POST.
    static let maxBody = 4 << 20

    static func request(_ request: Request, body: ByteBuffer?) -> MCP.HTTPRequest {
        var headers: [String: String] = [:]
        for field in request.headers {
            // Repeated headers are one comma-separated value (RFC 9110, section 5.3).
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value
        }
        let data = body.flatMap { $0.readableBytes > 0 ? Data($0.readableBytesView) : nil }
        return MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: data, path: request.uri.path)
    }

    static func response(_ answer: MCP.HTTPResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let name = Field.Name(name) { headers.append(Field(name: name, value: value)) }
        }
        switch answer {
        case .stream(let events, _):
            // Server-sent events, written as they come, until the transport ends the stream.
            return Response(status: .init(code: answer.statusCode), headers: headers, body: ResponseBody { writer in
                for try await chunk in events { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
        default:
            let body = answer.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
            return Response(status: .init(code: answer.statusCode), headers: headers, body: body)
        }
    }

    /// Whether `body` holds an `initialize` request, the one message that opens a session.
    static func isInitialize(_ body: Data?) -> Bool {
        guard let body, let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return message["method"] as? String == "initialize" && message["id"] != nil
    }
}
