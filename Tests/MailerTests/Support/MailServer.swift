import Foundation
import Mailer
import PaperboyTesting

/// A real SMTP server, aiosmtpd driven by `Tests/mail/smtp_server.py`, in a child process on a
/// free port of 127.0.0.1, writing what it accepts into a fresh directory.
struct MailServer {
    static let pipCommand = "python3 -m pip install aiosmtpd==1.4.6 (or add --break-system-packages)"

    struct Options {
        var startTLS = false
        var credentials: (user: String, password: String)?
        var mechanisms = ["PLAIN", "LOGIN"]
        var authWithoutTLS = false
        var pipelining = true
        /// `normal`, `silent` (never greets) or `mute` (greets, never answers).
        var behaviour = "normal"
        /// TLS from the first byte instead of STARTTLS.
        var implicitTLS = false
        /// Seconds every reply to a message's final dot is held.
        var delay: Double?
        /// After this many messages, the next one's reply is held until the client goes away.
        var holdAfter: Int?
    }

    let process: Process
    let port: Int
    let directory: TemporaryDirectory
    /// The self-signed certificate a STARTTLS server presents, for the client to trust.
    let certificateFile: String?

    var maildir: URL { directory.file("mail") }

    /// Starts a server, runs `body` with it, and stops it.
    static func with<T>(_ options: Options = Options(), _ body: (MailServer) async throws -> T) async throws -> T {
        let server = try await start(options)
        defer { server.stop() }
        return try await body(server)
    }

    /// A client configuration for this server: plain unless it speaks TLS, short timeouts.
    func configuration(startTLS: SMTPConfiguration.StartTLS? = nil, implicitTLS: Bool = false, host: String = "127.0.0.1",
                       credentials: SMTPConfiguration.Credentials? = nil) -> SMTPConfiguration {
        SMTPConfiguration(
            host: host, port: port, startTLS: startTLS ?? (certificateFile == nil || implicitTLS ? .never : .required), implicitTLS: implicitTLS,
            trust: certificateFile.map { .certificateFile($0) } ?? .systemRoots, credentials: credentials,
            localName: "client.paperboy.test", timeouts: .all(.seconds(20)))
    }

    /// Every message the server accepted, in order of arrival.
    func received() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: maildir.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let eml = maildir.appendingPathComponent(name)
            let sidecar = eml.deletingPathExtension().appendingPathExtension("json")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return ReceivedMail(raw: Array(try Data(contentsOf: eml)),
                                envelope: try decoder.decode(ReceivedMail.Envelope.self, from: Data(contentsOf: sidecar)))
        }
    }

    /// Whether the server is holding a reply (`Options.holdAfter`).
    var isHolding: Bool { FileManager.default.fileExists(atPath: maildir.appendingPathComponent("holding.txt").path) }

    /// The environment that points `paperboy` at this server, in the clear.
    var environment: [String: String] {
        ["PAPERBOY_MAIL_SMTP_HOST": "127.0.0.1", "PAPERBOY_MAIL_SMTP_PORT": "\(port)", "PAPERBOY_MAIL_TLS": "none",
         "PAPERBOY_MAIL_FROM": "digest@paperboy.example"]
    }

    /// Kills the server: SIGKILL, because a process started from a test's thread inherits a
    /// signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }

    /// What the server wrote to stderr so far (Python's warnings and tracebacks).
    var log: String { (try? String(contentsOf: directory.file("stderr.txt"), encoding: .utf8)) ?? "" }

    static func start(_ options: Options) async throws -> MailServer {
        try aiosmtpdAvailable.get()
        let directory = try TemporaryDirectory()
        var arguments = [Fixtures.projectRoot.appendingPathComponent("Tests/mail/smtp_server.py").path,
                         directory.file("mail").path, "--behaviour", options.behaviour]
        if options.startTLS { arguments.append("--starttls") }
        if let credentials = options.credentials {
            arguments += ["--auth", credentials.user, credentials.password, "--auth-mechanisms"] + options.mechanisms
        }
        if options.authWithoutTLS { arguments.append("--auth-without-tls") }
        if !options.pipelining { arguments.append("--no-pipelining") }
        if options.implicitTLS { arguments.append("--tls") }
        if let delay = options.delay { arguments += ["--delay", "\(delay)"] }
        if let holdAfter = options.holdAfter { arguments += ["--hold-after", "\(holdAfter)"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        // A file, not a pipe: nobody reads stderr while the server runs, and a full pipe would stall it.
        _ = FileManager.default.createFile(atPath: directory.file("stderr.txt").path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: directory.file("stderr.txt"))
        try process.run()

        // Blocking reads happen on a thread of their own, never on the few the tests share.
        let reader = out.fileHandleForReading
        let lines = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            Thread {
                var text = ""
                while !text.contains("PORT ") || !text.hasSuffix("\n") {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }  // the server exited
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text.split(separator: "\n").map(String.init))
            }.start()
        }
        if let portLine = lines.first(where: { $0.hasPrefix("PORT ") }), let port = Int(portLine.dropFirst(5)) {
            let certificate = lines.first { $0.hasPrefix("CA ") }.map { String($0.dropFirst(3)) }
            return MailServer(process: process, port: port, directory: directory, certificateFile: certificate)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let errors = (try? String(contentsOf: directory.file("stderr.txt"), encoding: .utf8)) ?? ""
        directory.remove()
        throw MailServerError(description: "the SMTP test server never said it was ready; stdout: \(lines) stderr: \(errors)")
    }

    /// Checked once: a failure names the pip command when python3 or aiosmtpd is missing,
    /// because these tests never skip.
    private static let aiosmtpdAvailable = Result { try requireAiosmtpd() }

    private static func requireAiosmtpd() throws(MailServerError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw MailServerError(description: "python3 is needed for the SMTP tests (\(error)); then \(pipCommand)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MailServerError(description: "python3 with aiosmtpd is needed for the SMTP tests: \(pipCommand)\n\(String(decoding: output, as: UTF8.self))")
        }
    }
}

struct MailServerError: Error, CustomStringConvertible {
    var description: String
}

/// One message as the test server received it: the bytes, and its JSON sidecar.
struct ReceivedMail {
    struct Address: Decodable, Equatable {
        var displayName: String
        var addrSpec: String
    }

    struct Part: Decodable {
        var contentType: String
        var charset: String?
        var transferEncoding: String?
        var body: String
    }

    /// The message as Python's `email` package (policy `default`) reads it.
    struct Parsed: Decodable {
        var headers: [[String]]
        var contentType: String
        var parts: [Part]
        var defects: [String]
        var from: [Address]?
        var to: [Address]?
    }

    struct Envelope: Decodable {
        var mailFrom: String
        var rcptTos: [String]
        var mailOptions: [String]
        var tls: Bool
        var authMechanism: String?
        /// What the client had sent beyond MAIL FROM before the server answered it.
        var bufferedAfterMail: String
        var parsed: Parsed
    }

    let raw: [UInt8]
    let envelope: Envelope

    /// The decoded values of every header named `name` (case-insensitive).
    func header(_ name: String) -> [String] {
        envelope.parsed.headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }

    var headerNames: [String] { envelope.parsed.headers.compactMap(\.first) }
}
