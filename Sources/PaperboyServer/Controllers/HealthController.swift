import Foundation
import Hummingbird

/// `/healthz` (is the store reachable?) and `/metrics` (Prometheus). While the store is
/// away the node still answers searches from memory, but it cannot write (sign-ins, votes,
/// libraries), so it reports itself unhealthy: a load balancer sends readers elsewhere.
struct HealthController {
    let catalog: PaperCatalog
    let metrics: RequestMetrics

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            do {
                _ = try await catalog.store.generation()
                catalog.engine.memory?.storeAnswered()
                return .text("ok\n")
            } catch {
                let searches = catalog.engine.memory == nil ? "" : "searches show the papers this node remembers; writes fail\n"
                return .text("store unreachable: \(error)\n\(searches)", status: .serviceUnavailable)
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
