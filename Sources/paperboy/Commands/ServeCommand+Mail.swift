import Foundation
import Logging
import Mailer
import PaperboyCore
import ServiceLifecycle
import StorageSQLite

extension ServeCommand {
    /// The outbox's delivery, when mail is configured: mail any part of Paperboy enqueues goes
    /// out within `mail.send_every_seconds`. Without mail settings the outbox only fills, and
    /// the server says so once.
    func mailServices(_ config: Configuration, store: any PaperboyStore, logger: Logger) throws -> [any Service] {
        let mail = MailSettings(config)
        guard mail.isConfigured else {
            logger.info("mail is not configured (mail.smtp_host or mail.sendmail): the outbox is not delivered")
            return []
        }
        return [OutboxDelivery(sender: OutboxSender(store: store, transport: try mail.transport()), interval: mail.sendEvery)]
    }
}
