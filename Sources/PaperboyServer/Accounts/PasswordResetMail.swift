import Foundation
import Mailer
import PaperboyCore

/// The mail with a password-reset link, composed for the outbox.
enum PasswordResetMail {
    static let subject = "Reset your Paperboy password"

    static func draft(to reader: Reader, link: String, key: String, from: MailAddress, at now: Date) throws -> OutboxDraft {
        let to = try MailAddress(reader.email, field: "email")
        let text = """
            Someone, we hope you, asked to reset the password of the Paperboy account \(reader.email).

            To choose a new password, open this link within an hour:

            \(link)

            The link works once. If you did not ask, ignore this mail: your password stays as it is.

            """
        let html = """
            <p>Someone, we hope you, asked to reset the password of the Paperboy account \(htmlEscape(reader.email)).</p>
            <p>To choose a new password, open this link within an hour:</p>
            <p><a href="\(htmlEscape(link))">\(htmlEscape(link))</a></p>
            <p>The link works once. If you did not ask, ignore this mail: your password stays as it is.</p>
            """
        let message = try MailMessage(from: from, to: to, subject: subject, text: text, html: html, date: now,
                                      messageID: try MessageID.unique(in: String(from.domain)))
        return OutboxDraft(key: key, sender: from.addrSpec, recipient: to.addrSpec, message: Data(message.rendered()))
    }
}
