import Foundation
import Hummingbird

/// `/healthz` (is the store reachable?) and `/metrics` (Prometheus).
struct HealthController {
    let catalog: PaperCatalog
    let metrics: RequestMetrics

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            do {
                _ = try await catalog.store.generation()
                return .text("ok\n")
            } catch {
                return .text("store unreachable: \(error)\n", status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            let engine = catalog.engine
            metrics.setGauge("keyword_index", unit: "documents", Double(engine.keywordIndex.documentCount),
                             help: "Papers in the keyword index")
            metrics.setGauge("vector_index", unit: "vectors", Double(engine.semanticIndex?.vectors.count ?? 0),
                             help: "Paper vectors in the vector index")
            return .text(metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}

extension Response {
    /// A plain-text (or other textual) response.
    static func text(_ body: String, status: HTTPResponse.Status = .ok,
                     contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
