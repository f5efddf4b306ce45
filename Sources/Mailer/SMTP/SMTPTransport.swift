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

    /// One outcome per message, in order. When the session fails half way, the thrown
    /// `MailerError` carries the outcomes of the messages before the failure, so none of those
    /// is sent again.
    public func send(_ messages: [MailMessage]) async throws -> [DeliveryOutcome] {
        guard !messages.isEmpty else { return [] }
        let client = try await SMTPClient.connect(configuration, group: group, logger: logger)
        var outcomes: [DeliveryOutcome] = []
        do {
            for message in messages {
                outcomes.append(try await client.send(message))
            }
        } catch var error as MailerError {
            await client.close()
            error.outcomes = outcomes
            throw error
        } catch {
            await client.close()
            throw error
        }
        await client.quit()
        return outcomes
    }
}
