import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PaperboyCore

/// The subscription pages: subscribe (with double opt-in), confirm, unsubscribe (a page with
/// one button, and RFC 8058 one-click POSTs from mail programs), and change options from a
/// link in any digest. Links carry `SignedToken`s, so none of these needs a sign-in.
///
/// Readers and CSRF tokens come from outside as closures, so these pages do not depend on how
/// accounts are built. POSTs under `/unsubscribe` carry their own signed token and are exempt
/// from the CSRF check: one-click mail programs post without cookies.
struct SubscriptionController: Sendable {
    let setup: SubscriptionPages
    let views: Views

    var store: any SubscriptionPages.Store { setup.store }
    var composer: DigestComposer { setup.composer }
    var reader: @Sendable (Request) async throws -> ReaderID? { setup.reader }
    var csrf: @Sendable (Request) -> String { setup.csrf }
    var clock: @Sendable () -> Date { setup.clock }

    /// Bodies of posted forms are read up to this size.
    static let maximumFormBytes = 16 << 10

    func register(on router: Router<AppRequestContext>) {
        router.get("/subscribe") { request, _ in try await subscribeForm(request) }
        router.post("/subscribe") { request, _ in try await subscribe(request) }
        router.get("/subscribe/sent") { request, _ in try message(request, "Check your inbox", """
            We sent a message with a confirmation link. Your digest starts once you open it (the link works for 7 days).
            """) }
        router.get("/subscribe/confirm/{token}") { request, context in try await confirm(request, context) }
        router.get("/unsubscribe/{token}") { request, context in try await unsubscribePage(request, context) }
        router.post("/unsubscribe/{token}") { request, context in try await unsubscribe(request, context) }
        router.get("/subscription/{token}") { request, context in try await managePage(request, context) }
        router.post("/subscription/{token}") { request, context in try await manage(request, context) }
    }

    // MARK: Subscribe

    func subscribeForm(_ request: Request) async throws -> Response {
        var form = SubscriptionForm()
        if let reader = try await reader(request) {
            if let existing = try await store.subscription(reader: reader) {
                form = SubscriptionForm(existing)
            } else if let address = try await setup.address(reader) {
                form.email = address
            }
        }
        return try page("subscribe", form.context(csrf: csrf(request), action: "/subscribe",
                                                  signedIn: try await reader(request) != nil, error: nil))
    }

    func subscribe(_ request: Request) async throws -> Response {
        let form = SubscriptionForm(body: try await body(of: request))
        let reader = try await reader(request)
        let subscription: Subscription
        do {
            subscription = try await store.subscribe(
                SubscriptionRequest(email: form.email, reader: reader, options: form.options(forAccount: reader != nil)), at: clock())
        } catch let error as PaperboyError where error.code == .invalidArgument {
            return try page("subscribe", form.context(csrf: csrf(request), action: "/subscribe", signedIn: reader != nil,
                                                      error: error.message), status: .badRequest)
        }
        guard subscription.state == .pending else {
            return try message(request, "Your digest is updated", "Your choices are saved; the next digest follows them.")
        }
        let now = clock()
        let mail = try composer.confirmation(for: subscription, at: now)
        // One confirmation a day per address: posting the form again cannot flood an inbox.
        _ = try await store.enqueue([DigestComposer.draft(mail, key: "confirm:\(subscription.id):\(UTCDay.string(now))")], at: now)
        return Response(status: .seeOther, headers: [.location: "/subscribe/sent", .cacheControl: "no-store"])
    }

    // MARK: Confirm, unsubscribe, manage

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let subscription: Subscription
        do {
            subscription = try await verified(context, .confirm)
        } catch let error as SignedTokenError {
            return try refused(request, error)
        }
        guard let confirmed = try await store.confirm(subscription.id, at: clock()) else {
            return try message(request, "Not subscribed", "This address unsubscribed after the link was sent. Subscribe again to get digests.",
                               status: .gone)
        }
        let manage = composer.signer.token(.manage, for: confirmed, at: clock()).text
        return try message(request, "You are subscribed", "Your \(confirmed.options.frequency.name) digest goes to \(confirmed.email).",
                           link: "/subscription/\(manage)", linkLabel: "Change what you get")
    }

    func unsubscribePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            let subscription = try await verified(context, .unsubscribe)
            return try page("unsubscribe", ["csrf": csrf(request), "email": subscription.email,
                                            "action": request.uri.path, "subscribed": subscription.state != .unsubscribed])
        } catch let error as SignedTokenError {
            return try refused(request, error)
        }
    }

    /// The button on the page, or a mail program's RFC 8058 one-click POST
    /// (`List-Unsubscribe=One-Click`, no cookies): either way it takes effect at once and
    /// answers 200. Posting it again changes nothing.
    func unsubscribe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            let subscription = try await verified(context, .unsubscribe)
            _ = try await store.unsubscribe(subscription.id, at: clock())
            context.logger.info("unsubscribed", metadata: ["subscription": "\(subscription.id)"])
            return try message(request, "You are unsubscribed", "No more digests go to \(subscription.email).")
        } catch let error as SignedTokenError {
            return try refused(request, error)
        }
    }

    func managePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            let subscription = try await verified(context, .manage)
            return try page("subscribe", SubscriptionForm(subscription).context(
                csrf: csrf(request), action: request.uri.path, signedIn: subscription.reader != nil, error: nil)
                .merging(["manage": true, "unsubscribe": "/unsubscribe/" + composer.signer.token(.unsubscribe, for: subscription, at: clock()).text]) { $1 })
        } catch let error as SignedTokenError {
            return try refused(request, error)
        }
    }

    func manage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let subscription: Subscription
        do {
            subscription = try await verified(context, .manage)
        } catch let error as SignedTokenError {
            return try refused(request, error)
        }
        var form = SubscriptionForm(body: try await body(of: request))
        form.email = subscription.email  // the address is what the link is bound to
        do {
            _ = try await store.updateOptions(subscription.id, form.options(forAccount: subscription.reader != nil), at: clock())
        } catch let error as PaperboyError where error.code == .invalidArgument {
            return try page("subscribe", form.context(csrf: csrf(request), action: request.uri.path, signedIn: subscription.reader != nil,
                                                      error: error.message).merging(["manage": true]) { $1 }, status: .badRequest)
        }
        return try message(request, "Your digest is updated", "Your choices are saved; the next digest follows them.",
                           link: request.uri.path, linkLabel: "Change them again")
    }

    // MARK: Helpers

    /// The subscription the path's token is for, checked for `purpose`, expiry and signature.
    func verified(_ context: AppRequestContext, _ purpose: LinkPurpose) async throws -> Subscription {
        let token = try SignedToken(parsing: context.parameters.get("token") ?? "")
        guard let subscription = try await store.subscription(token.subscription) else { throw SignedTokenError.forged }
        let signer = composer.signer
        try signer.verify(token, purpose: purpose, for: subscription, at: clock())
        return subscription
    }

    func refused(_ request: Request, _ error: SignedTokenError) throws -> Response {
        try message(request, "This link does not work", error.description, status: error == .expired ? .gone : .badRequest)
    }

    func body(of request: Request) async throws -> String {
        String(buffer: try await request.body.collect(upTo: Self.maximumFormBytes))
    }

    func message(_ request: Request, _ title: String, _ text: String, status: HTTPResponse.Status = .ok,
                 link: String? = nil, linkLabel: String? = nil) throws -> Response {
        var context: [String: Any] = ["title": title, "message": text]
        if let link, let linkLabel { context["link"] = link; context["linkLabel"] = linkLabel }
        return try page("subscription-message", context, status: status)
    }

    func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        try views.personalPage(template, context, status: status)
    }
}
