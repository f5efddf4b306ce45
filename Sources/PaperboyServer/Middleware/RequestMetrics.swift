import Foundation
import Hummingbird
import Prometheus

/// The server's Prometheus metrics, served at `/metrics`: a latency histogram per route,
/// method and status, and gauges of what the indexes hold (set when scraped). Its own
/// registry rather than the process-wide swift-metrics one, so two apps in one process
/// (as in the tests) keep separate counts.
public final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// From 1 ms to 10 s: the pages aim at tens of milliseconds, and anything past a
    /// second is an incident.
    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                      .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                      .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10)]

    public init() {}

    func record(route: String, method: String, status: Int, nanoseconds: Int64) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "paperboy", metricName: "http_request_duration", unitName: "seconds",
                                             helpText: "Time from a request's arrival to its response"),
            labels: [("route", route), ("method", method), ("status", String(status))],
            buckets: Self.buckets).recordNanoseconds(nanoseconds)
    }

    /// Sets the gauge `paperboy_<name>`.
    func setGauge(_ name: String, unit: String, _ value: Double, help: String) {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "paperboy", metricName: name, unitName: unit,
                                                            helpText: help)).set(to: value)
    }

    /// The Prometheus text exposition.
    func text() -> String { registry.emitToString() }
}

/// Times every request into `RequestMetrics`, labelled by its route pattern (`/papers/{id}`,
/// never the raw path, which would make one series per paper).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        // Timed to the response, not to its last byte: every body here is built in memory
        // before it is returned, so the two differ by the socket write alone.
        do {
            let response = try await next(request, context)
            metrics.record(route: route, method: method, status: response.status.code,
                           nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: route, method: method, status: status,
                           nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
            throw error
        }
    }
}
