import Foundation
import PaperboyTesting
import Testing

/// `paperboy model install` and `paperboy model status` run as a real process, with the real
/// model copied from `Fixtures.modelDirectory` and named by `--model`.
@Suite(.serialized) struct ModelCommandTests {
    static let files = ["model.safetensors", "config.json", "tokenizer.json", "sentence_bert_config.json",
                        "tokenizer_config.json", "1_Pooling/config.json"]

    /// A copy of the real model in `directory/name`, or nil after recording how to install it.
    static func modelCopy(in directory: TemporaryDirectory, named name: String = "source") throws -> URL? {
        let model = Fixtures.modelDirectory
        guard FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path) else {
            Issue.record("all-MiniLM-L6-v2 not found at \(model.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        let copy = directory.file(name)
        for file in files where FileManager.default.fileExists(atPath: model.appendingPathComponent(file).path) {
            let target = copy.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: model.appendingPathComponent(file), to: target)
        }
        return copy
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func installFromNamedDirectoryThenStatusFindsItInTheDataDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        guard let source = try Self.modelCopy(in: dir) else { return }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let installed = dir.file("data/models/all-MiniLM-L6-v2")

        let install = try cli.run(["model", "install", "--model", source.path])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout == "Installed all-MiniLM-L6-v2 from --model \(source.path) in \(installed.path) (SHA-256 verified).\n")
        #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent("1_Pooling/config.json").path))

        let status = try cli.run(["model", "status", "--json", "--model", installed.path])
        let object = try Self.json(status.stdout)
        #expect(object["installed"] as? Bool == true)
        #expect(object["verified"] as? Bool == true)
        #expect(object["directory"] as? String == installed.path)
        #expect(object["sha256"] as? String == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")

        // Without a named directory, the data directory's copy is the one found (unless the
        // environment names one, which always wins).
        if ProcessInfo.processInfo.environment["PAPERBOY_MODEL"] == nil {
            let text = try cli.run(["model", "status"])
            #expect(text.stdout == "all-MiniLM-L6-v2 is in \(installed.path) (data-directory), SHA-256 verified.\n")
            let again = try Self.json(try cli.run(["model", "install", "--json"]).stdout)
            #expect(again["alreadyInstalled"] as? Bool == true)
            #expect(again["source"] as? String == "data-directory")
        }
    }

    @Test func installRefusesDamagedWeightsAndInstallsNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        guard let source = try Self.modelCopy(in: dir) else { return }
        let weights = source.appendingPathComponent("model.safetensors")
        let handle = try FileHandle(forUpdating: weights)
        try handle.seek(toOffset: 1_000_000)
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: 1_000_000)
        try handle.write(contentsOf: Data([byte ^ 0x80]))
        try handle.close()
        let cli = CommandRunner(dataDirectory: dir.file("data"))

        let text = try cli.run(["model", "install", "--model", source.path])
        #expect(text.status == 1)
        #expect(text.stderr.contains("error: \(weights.path): SHA-256 is "))
        #expect(text.stderr.contains("expected 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"))
        let json = try cli.run(["model", "install", "--model", source.path, "--json"])
        #expect(json.status == 1)
        #expect(try Self.json(json.stdout)["code"] as? String == "checksumMismatch")
        let models = dir.file("data/models")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []).isEmpty)
    }

    @Test func statusWithoutAModelSaysSearchUsesKeywordsOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let nowhere = dir.file("nowhere").path
        let text = try cli.run(["model", "status", "--model", nowhere])
        #expect(text.status == 0)
        #expect(text.stdout == """
            No embedding model: search uses keywords only. Run `paperboy model install`.
              --model \(nowhere): no such directory

            """)
        let object = try Self.json(try cli.run(["model", "status", "--json", "--model", nowhere]).stdout)
        #expect(object["installed"] as? Bool == false)
        let skipped = try #require(object["skipped"] as? [[String: Any]])
        #expect(skipped.first?["reason"] as? String == "no such directory")
        #expect(skipped.first?["source"] as? String == "explicit")
    }
}
