import Foundation
@testable import paperboy
import PaperboyTesting
import Testing

/// `paperboy.toml`: what it may hold, how a bad value is reported, and which source wins.
@Suite struct ConfigurationTests {
    static func file(_ text: String, in dir: TemporaryDirectory) throws -> URL {
        let url = dir.file("paperboy.toml")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func fileValuesAreReadByType() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = try Self.file("""
            # Follow computer science and maths.
            [server]
            port = 9090

            [harvest]
            contact = "librarian@example.org"
            sets = ["cs", "math"]
            schedule = true
            daily_at = "21:15"
            """, in: dir)
        let config = try Configuration(file: url, environment: [:])
        #expect(config.value(ConfigKeys.serverPort) == 9090)
        #expect(config.value(ConfigKeys.harvestContact) == "librarian@example.org")
        #expect(config.value(ConfigKeys.harvestSets) == ["cs", "math"])
        #expect(config.value(ConfigKeys.harvestSchedule) == true)
        #expect(config.value(ConfigKeys.serverHost) == nil)
        let harvest = HarvestSettings(config)
        #expect(harvest.daily.description == "daily at 21:15 America/New_York")
        #expect(harvest.oaiSets == ["cs", "math"])
    }

    @Test func environmentOverridesTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = try Self.file("[server]\nport = 9090\n[harvest]\nsets = [\"cs\"]\n", in: dir)
        let config = try Configuration(file: url, environment: ["PAPERBOY_SERVER_PORT": "7070", "PAPERBOY_HARVEST_SETS": "math, physics:hep-th"])
        #expect(config.value(ConfigKeys.serverPort) == 7070)
        #expect(config.value(ConfigKeys.harvestSets) == ["math", "physics:hep-th"])
    }

    @Test func aMissingFileIsAnEmptyOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = try Configuration(file: dir.file("paperboy.toml"), environment: [:])
        #expect(config.value(ConfigKeys.serverPort) == nil)
        #expect(HarvestSettings(config).daily == .afterArxivAnnouncement)
    }

    /// Each bad file is refused with its path, the line and the key, never half-read.
    @Test(arguments: [
        ("[server]\nport = 8080\n\n[harvest]\ncontat = \"x\"\n", "line 5: harvest.contat is not a setting Paperboy knows (did you mean harvest.contact?)"),
        ("[harvest]\nattempts = \"three\"\n", "line 2: harvest.attempts must be a whole number, not \"three\""),
        ("[harvest]\nsets = \"cs\"\n", "line 2: harvest.sets must be a list of strings"),
        ("[server]\nport = 70000\n", "line 2: server.port must be between 0 and 65535, not 70000"),
        ("[harvest]\ndaily_at = \"8pm\"\n", "line 2: harvest.daily_at must be a time of day as HH:MM"),
        ("[harvest]\ntime_zone = \"Mars/Olympus\"\n", "line 2: harvest.time_zone must be an IANA time zone"),
        ("[harvest]\noai_url = \"ftp://example.org\"\n", "line 2: harvest.oai_url must be an http or https URL"),
        ("port = 8080\n", "line 1: port is not a section"),
        ("[server]\nport = 80\n[server\n", "line 3: "),
    ])
    func badFilesAreRefusedWithTheirPlace(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = try Self.file(text, in: dir)
        let error = #expect(throws: ConfigError.self) { try Configuration(file: url, environment: [:]) }
        #expect(error?.description.hasPrefix(url.path + ", ") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.contains(expected) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func badEnvironmentValuesAreRefusedByName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = #expect(throws: ConfigError.self) {
            try Configuration(file: dir.file("paperboy.toml"), environment: ["PAPERBOY_HARVEST_ATTEMPTS": "many"])
        }
        #expect(error?.description == "$PAPERBOY_HARVEST_ATTEMPTS (harvest.attempts) must be a whole number, not \"many\"")
    }

    /// The README's table documents every key and its variable.
    @Test func everyKeyIsDocumented() throws {
        let readme = try String(contentsOf: Fixtures.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for key in ConfigKeys.all {
            let documented = readme.contains("`\(key.path)`"), named = readme.contains("`\(key.environmentName)`")
            #expect(documented, "README.md does not document \(key.path)")
            #expect(named, "README.md does not name \(key.environmentName)")
        }
    }

    @Test func nearestKeyNeedsToBeClose() {
        let keys = ConfigKeys.all.map(\.path)
        #expect(Configuration.nearest(to: "server.prot", in: keys) == "server.port")
        #expect(Configuration.nearest(to: "digest.relay_server", in: keys) == nil)
        #expect(Configuration.editDistance("kitten", "sitting") == 3)
        #expect(Configuration.editDistance("", "abc") == 3)
    }
}
