import Foundation
import Mailer
import PaperboyCore

/// Composes digests and confirmation mail as Mailer `MailMessage`s: pure, so what a reader
/// gets is tested without a clock, a store or a server.
///
/// User-controlled text (the address, saved searches, tags, paper titles from sources) reaches
/// headers only through Mailer's checked types, which refuse control characters, and bodies
/// only through `DigestText.line` and HTML escaping; the subject holds no user text at all.
public struct DigestComposer: Sendable {
    public let settings: DigestSettings
    public let signer: LinkSigner

    /// Papers a section lists at most.
    public static let sectionLimit = 10

    public init(settings: DigestSettings, signer: LinkSigner) {
        self.settings = settings
        self.signer = signer
    }

    /// The digest of `period` for `subscription`, or nil when no section has a paper: an empty
    /// digest is never sent. `rising` topics follow the sections but never make a digest on
    /// their own.
    ///
    /// - Throws: `MailerError` when the subscription's address cannot be mailed.
    public func digest(for subscription: Subscription, period: DuePeriod, sections: [DigestSection],
                       rising: [DigestRisingTopic] = [], at now: Date) throws -> MailMessage? {
        let sections = sections.filter { !$0.entries.isEmpty }
        guard !sections.isEmpty else { return nil }
        let count = Set(sections.flatMap { $0.entries.map(\.paper.id) }).count
        let links = MailLinks(
            unsubscribe: settings.link("/unsubscribe/" + signer.token(.unsubscribe, for: subscription, at: now).text),
            manage: settings.link("/subscription/" + signer.token(.manage, for: subscription, at: now).text))
        let title = "Your \(subscription.options.frequency.name) Paperboy digest, \(period.period.rawValue)"
        let papers = count == 1 ? "1 new paper" : "\(count) new papers"
        return try MailMessage(
            from: settings.from, to: MailAddress(subscription.email, field: "to"),
            subject: "Paperboy digest \(period.period.rawValue): \(papers)",
            text: DigestBody.text(title: title, sections: sections, rising: rising, settings: settings, links: links),
            html: DigestBody.html(title: title, sections: sections, rising: rising, settings: settings, links: links),
            date: now, messageID: MessageID(left: "digest.\(subscription.id).\(period.period.rawValue)", right: settings.host),
            list: MailingList(id: settings.listID, name: "Paperboy digest", unsubscribeURL: links.unsubscribe, unsubscribeAddress: nil))
    }

    /// The double opt-in message: one link that confirms, valid for 7 days.
    public func confirmation(for subscription: Subscription, at now: Date) throws -> MailMessage {
        let confirm = settings.link("/subscribe/confirm/" + signer.token(.confirm, for: subscription, at: now).text)
        let frequency = subscription.options.frequency.name
        let text = """
            Someone, hopefully you, asked for a \(frequency) Paperboy digest of new papers at this address.

            Confirm by opening this link within 7 days:
            \(confirm)

            If it was not you, ignore this message: nothing will be sent.
            """
        let html = DigestBody.page(title: "Confirm your Paperboy digest", body: """
            <p style="margin:0 0 16px">Someone, hopefully you, asked for a \(frequency) Paperboy digest of new papers at this address.</p>
            <p style="margin:0 0 16px">\(DigestBody.button("Confirm my subscription", href: confirm))</p>
            <p style="margin:0 0 16px;font-size:14px">Or open this link within 7 days: <a href="\(htmlEscape(confirm))" style="color:#1a5fb4;word-break:break-all">\(htmlEscape(confirm))</a></p>
            <p style="margin:0;font-size:14px">If it was not you, ignore this message: nothing will be sent.</p>
            """)
        return try MailMessage(
            from: settings.from, to: MailAddress(subscription.email, field: "to"),
            subject: "Confirm your Paperboy digest", text: text + "\n", html: html, date: now,
            messageID: MessageID(left: "confirm.\(subscription.id).\(Int64(now.timeIntervalSince1970))", right: settings.host))
    }

    /// The message as the outbox records it, under `key`.
    public static func draft(_ message: MailMessage, key: String) -> OutboxDraft {
        OutboxDraft(key: key, sender: message.from.addrSpec, recipient: message.to.addrSpec, message: Data(message.rendered()))
    }

    /// `digest:<subscription>:<period>`: one outbox message per subscription and period.
    public static func outboxKey(_ subscription: SubscriptionID, _ period: DigestPeriod) -> String {
        "digest:\(subscription):\(period)"
    }
}

/// The two links at the foot of every digest.
struct MailLinks {
    var unsubscribe: String
    var manage: String
}
