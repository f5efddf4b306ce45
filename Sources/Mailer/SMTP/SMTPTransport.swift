import Logging
import NIOCore
import NIOPosix

/// Sends a batch of messages over one SMTP session: connect, each message in turn (RSET between
/// them), QUIT.
public struct SMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration
    let group: any EventLoopGroup
    let logger: Logger

    public init(
        configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "paperboy.mailer")
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    /// One session for the whole batch; each outcome is reported as the server gives it. When
    /// the session fails half way the connection is closed and the error thrown: the messages
    /// reported so far are settled, none of them is sent again.
    public func deliver(_ mails: [OutgoingMail], outcome: (Int, DeliveryOutcome) async throws -> Void) async throws {
        guard !mails.isEmpty else { return }
        let client = try await SMTPClient.connect(configuration, group: group, logger: logger)
        do {
            for (index, mail) in mails.enumerated() {
                try await outcome(index, try await client.send(mail))
            }
        } catch {
            await client.close()
            throw error
        }
        await client.quit()
    }
}
