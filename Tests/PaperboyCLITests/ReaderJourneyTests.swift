import Foundation
import PaperboyTesting
import Testing

/// A reader's journey through the real `paperboy serve`, in headless Chromium
/// (`Tests/browser/reader_test.py`): sign up, save papers under a tag, the library, a
/// recommendation naming a saved paper, a subscription confirmed through the mail a real SMTP
/// server (aiosmtpd) received from the server's outbox, and the unsubscribe link. Screenshots
/// in `.build/test-output/reader`.
@Suite(.serialized) struct ReaderJourneyTests {
    @Test func aReaderSignsUpSavesGetsRecommendationsAndSubscribes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let imported = try cli.run(["import", Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json").path]
                                   + (try Fixtures.hfPages).map(\.path))
        try #require(imported.status == 0, "\(imported.stderr)")
        let embedded = try cli.run(["embed"])
        try #require(embedded.status == 0, "\(embedded.stderr)")

        try await MailServer.with { mail in
            let port = try FreePort.find()
            var environment = mail.environment
            environment["PAPERBOY_MAIL_SEND_EVERY_SECONDS"] = "1"
            environment["PAPERBOY_ACCOUNTS_BCRYPT_COST"] = "4"
            let (server, out, err) = try cli.start(["serve", "--port", "\(port)"], extraEnvironment: environment)
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            let base = try CommandRunner.readyURL(from: out, server: server, err: err)

            let screenshots = Fixtures.projectRoot.appendingPathComponent(".build/test-output/reader")
            let browser = try ServeLiveTests.run("python3", [Fixtures.projectRoot.appendingPathComponent("Tests/browser/reader_test.py").path,
                                                   base, screenshots.path, mail.maildir.path])
            #expect(browser.status == 0, "the reader's journey failed:\n\(browser.output)\nSMTP server log:\n\(mail.log)")

            kill(server.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(20)
            while server.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
            #expect(!server.isRunning && server.terminationStatus == 0, "the server did not shut down cleanly")
        }
    }
}
