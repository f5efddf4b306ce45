import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core (logger, route parameters), the
/// address the connection came from (for the sign-in throttle) and the `Visitor` that
/// `VisitorMiddleware` found for the request: the signed-in reader, if any, and the CSRF
/// token the request's pages put in their forms.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection: a reverse proxy when there is one.
    public let remoteAddress: SocketAddress?
    /// Who is asking; anonymous with no CSRF token until `VisitorMiddleware` has run.
    public var visitor = Visitor.unknown

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
