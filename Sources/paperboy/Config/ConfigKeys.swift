import Foundation
import Ingestion
import StoragePostgres

/// Every key `paperboy.toml` knows. The README's configuration table lists the same keys
/// (a test holds the two together); a key the file holds that is not here is refused, so a
/// typo cannot silently leave a default in force.
enum ConfigKeys {
    // MARK: [server]
    static let serverHost = ConfigKey<String>("server", "host", "The address `paperboy serve` listens on.")
    static let serverPort = ConfigKey<Int>("server", "port", "The port `paperboy serve` listens on (0: any free port).") {
        (0...65_535).contains($0) ? nil : "must be between 0 and 65535"
    }
    static let serverPublicURL = ConfigKey<String>("server", "public_url",
                                                   "The address readers reach the server at, for absolute links in feeds.")
    static let serverPageCacheMiB = ConfigKey<Int>("server", "page_cache_mib",
                                                   "Memory for rendered pages and API answers, in MiB (0 turns it off).") {
        $0 >= 0 ? nil : "must be 0 or more"
    }
    static let serverPaperMemoryMiB = ConfigKey<Int>("server", "paper_memory_mib",
                                                     "Memory for the papers results showed lately, which searches show while the store is unreachable, in MiB (0 turns it off).") {
        $0 >= 0 ? nil : "must be 0 or more"
    }
    static let serverRefreshSeconds = ConfigKey<Int>("server", "refresh_seconds",
                                                     "Seconds between the server's looks at the store for papers stored by other processes, and its embedding rounds.") {
        $0 >= 1 ? nil : "must be at least 1"
    }

    // MARK: [store]
    static let storeURL = ConfigKey<String>("store", "url",
                                            "A PostgreSQL store shared by several Paperboy nodes, as a URL; unset, the SQLite file in the data directory.") {
        PostgresLocation.isURL($0) ? nil : "must be a postgres:// URL"
    }

    // MARK: [accounts]
    static let accountsBcryptCost = ConfigKey<Int>("accounts", "bcrypt_cost",
                                                   "bcrypt's cost for reader passwords (each step doubles the work).") {
        (4...31).contains($0) ? nil : "must be between 4 and 31"
    }

    // MARK: [harvest]
    static let harvestSchedule = ConfigKey<Bool>("harvest", "schedule",
                                                 "Harvest on a schedule while `paperboy serve` runs, as `serve --harvest` does.")
    static let harvestContact = ConfigKey<String>("harvest", "contact",
                                                  "An email address sent with every request, as arXiv asks harvesters to identify themselves.")
    static let harvestSets = ConfigKey<[String]>("harvest", "sets",
                                                 "The arXiv sets to harvest (`cs`, `math`, `physics:hep-th`, …); empty for all of arXiv.")
    static let harvestMetadataPrefix = ConfigKey<String>("harvest", "metadata_prefix",
                                                         "The OAI-PMH metadata format: `arXiv`, `arXivRaw` or `oai_dc`.") {
        ["arXiv", "arXivRaw", "oai_dc"].contains($0) ? nil : "must be arXiv, arXivRaw or oai_dc"
    }
    static let harvestOAIURL = ConfigKey<String>("harvest", "oai_url", "arXiv's OAI-PMH endpoint.", check: httpURL)
    static let harvestArxivAPIURL = ConfigKey<String>("harvest", "arxiv_api_url", "arXiv's API endpoint (`api/query`).", check: httpURL)
    static let harvestHFURL = ConfigKey<String>("harvest", "hf_url", "The Hugging Face daily papers endpoint.", check: httpURL)
    static let harvestTimeoutSeconds = ConfigKey<Int>("harvest", "timeout_seconds",
                                                      "Seconds to wait for a response before trying again.") {
        $0 >= 1 ? nil : "must be at least 1"
    }
    static let harvestAttempts = ConfigKey<Int>("harvest", "attempts",
                                                "Tries per request before a source counts as unreachable.") {
        $0 >= 1 ? nil : "must be at least 1"
    }
    static let harvestDailyAt = ConfigKey<String>("harvest", "daily_at",
                                                  "When the scheduled arXiv harvest runs each day, as HH:MM in `time_zone`.") {
        DailyTime($0) == nil ? "must be a time of day as HH:MM" : nil
    }
    static let harvestTimeZone = ConfigKey<String>("harvest", "time_zone",
                                                   "The time zone of `daily_at` (an IANA name such as `America/New_York`).") {
        TimeZone(identifier: $0) == nil ? "must be an IANA time zone such as America/New_York or UTC" : nil
    }
    static let harvestUpvotesEveryMinutes = ConfigKey<Int>("harvest", "upvotes_every_minutes",
                                                           "Minutes between scheduled Hugging Face daily papers harvests (upvotes); 0 turns them off.") {
        $0 >= 0 ? nil : "must be 0 or more"
    }

    // MARK: [mail]
    static let mailFrom = ConfigKey<String>("mail", "from",
                                            "The address mail comes from, `Name <address>` or a bare address; also where bounces go.") {
        MailSettings.addressProblem($0)
    }
    static let mailSMTPHost = ConfigKey<String>("mail", "smtp_host", "The SMTP server that sends mail (a submission server or a local relay).") {
        $0.isEmpty || $0.contains(where: { $0.isWhitespace || $0.isNewline }) ? "must be a host name or address" : nil
    }
    static let mailSMTPPort = ConfigKey<Int>("mail", "smtp_port", "The SMTP server's port (default 587, 465 with `tls`, 25 with `none`).") {
        (1...65_535).contains($0) ? nil : "must be between 1 and 65535"
    }
    static let mailTLS = ConfigKey<String>("mail", "tls",
                                           "How to encrypt: `starttls` (required), `tls` (from the first byte) or `none` (a relay on this machine).") {
        MailSettings.Encryption(rawValue: $0) == nil ? "must be starttls, tls or none" : nil
    }
    static let mailUsername = ConfigKey<String>("mail", "username", "The user name to log in to the SMTP server with, if it asks.")
    static let mailPassword = ConfigKey<String>("mail", "password", "The password for `username` (sent only over TLS).")
    static let mailSendmail = ConfigKey<String>("mail", "sendmail",
                                                "A sendmail program to hand mail to instead of an SMTP server, e.g. `/usr/sbin/sendmail`.") {
        $0.hasPrefix("/") ? nil : "must be an absolute path"
    }
    static let mailSendEverySeconds = ConfigKey<Int>("mail", "send_every_seconds",
                                                     "Seconds between the outbox's delivery runs while `paperboy serve` runs.") {
        $0 >= 1 ? nil : "must be at least 1"
    }

    // MARK: [log]
    static let logLevel = ConfigKey<String>("log", "level",
                                            "Messages on standard error from this level up: trace, debug, info, notice, warning, error, critical.") {
        ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains($0) ? nil : "must be one of trace, debug, info, notice, warning, error, critical"
    }

    static let all: [any AnyConfigKey] = [
        serverHost, serverPort, serverPublicURL, serverPageCacheMiB, serverPaperMemoryMiB, serverRefreshSeconds,
        storeURL,
        accountsBcryptCost,
        harvestSchedule, harvestContact, harvestSets, harvestMetadataPrefix, harvestOAIURL, harvestArxivAPIURL, harvestHFURL,
        harvestTimeoutSeconds, harvestAttempts, harvestDailyAt, harvestTimeZone, harvestUpvotesEveryMinutes,
        mailFrom, mailSMTPHost, mailSMTPPort, mailTLS, mailUsername, mailPassword, mailSendmail, mailSendEverySeconds,
        logLevel,
    ]

    @Sendable static func httpURL(_ text: String) -> String? {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            return "must be an http or https URL"
        }
        return nil
    }
}

/// A key whatever its type, for checking a whole file.
protocol AnyConfigKey: Sendable {
    var path: String { get }
    var environmentName: String { get }
    var summary: String { get }
    /// Why `value` cannot be this key's value, or nil.
    func problem(with value: TOMLScalar) -> String?
    /// Why the environment's `text` cannot be this key's value, or nil.
    func problem(environment text: String) -> String?
}

extension ConfigKey: AnyConfigKey {
    func problem(with value: TOMLScalar) -> String? {
        guard let typed = Value(toml: value) else { return "must be \(Value.kind)" }
        return check(typed)
    }

    func problem(environment text: String) -> String? {
        guard let typed = Value(environment: text) else { return "must be \(Value.kind)" }
        return check(typed)
    }
}
