import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads the model's files from a Hugging Face hub endpoint
/// (`<endpoint>/<repository>/resolve/main/<file>`) into a staging directory. Required files
/// must arrive; optional ones the hub lacks (404) are left out.
struct HubDownload: Sendable {
    var endpoint: URL
    /// Seconds without a byte before a request fails.
    var idleTimeout: TimeInterval
    var progress: @Sendable (ModelInstallProgress) -> Void

    func fetchAll(into staging: URL) async throws(ModelInstallError) {
        for name in ModelFiles.required + ModelFiles.optional {
            let url = fileURL(name)
            let destination = staging.appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw ModelInstallError(.fileSystem, path: destination.path, "cannot create the directory", cause: error)
            }
            let status = try await fetch(url, to: destination, name: name)
            if (200..<300).contains(status) { continue }
            try? FileManager.default.removeItem(at: destination)
            if name.contains("/") { _ = rmdir(destination.deletingLastPathComponent().path) }  // only if left empty
            guard status == 404, !ModelFiles.required.contains(name) else {
                throw ModelInstallError(.download, path: url.absoluteString, "the hub answered HTTP \(status)")
            }
        }
    }

    /// `<endpoint>/sentence-transformers/all-MiniLM-L6-v2/resolve/main/<name>`.
    func fileURL(_ name: String) -> URL { Self.fileURL(name, endpoint: endpoint) }

    static func fileURL(_ name: String, endpoint: URL) -> URL {
        var url = endpoint
        for part in (ModelFiles.hubRepository + "/resolve/main/" + name).split(separator: "/") {
            url.appendPathComponent(String(part))
        }
        return url
    }

    /// Streams one file to `destination` and returns the HTTP status; the body of an error
    /// answer is discarded.
    private func fetch(_ url: URL, to destination: URL, name: String) async throws(ModelInstallError) -> Int {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: destination) else {
            throw ModelInstallError(.fileSystem, path: destination.path, "cannot create the file")
        }
        defer { try? handle.close() }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = 3600
        let receiver = DownloadReceiver(file: handle, name: name, progress: progress)
        let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                receiver.start(continuation)
                session.dataTask(with: URLRequest(url: url)).resume()
            }
        } catch let error as ModelInstallError {
            throw error
        } catch {
            throw ModelInstallError(.download, path: url.absoluteString, "the download failed: \(error.localizedDescription)")
        }
    }
}

/// Receives one response: writes a 2xx body to the file as it arrives and reports progress.
/// URLSession calls it on its own serial queue; the lock guards the hand-over to the caller.
private final class DownloadReceiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let file: FileHandle
    private let name: String
    private let progress: @Sendable (ModelInstallProgress) -> Void
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Int, any Error>?
    private var status = 0
    private var expected: Int64?
    private var received: Int64 = 0
    private var writeError: (any Error)?

    init(file: FileHandle, name: String, progress: @escaping @Sendable (ModelInstallProgress) -> Void) {
        self.file = file
        self.name = name
        self.progress = progress
    }

    func start(_ continuation: CheckedContinuation<Int, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock {
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            expected = response.expectedContentLength > 0 ? response.expectedContentLength : nil
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (ok, received, expected) = lock.withLock { () -> (Bool, Int64, Int64?) in
            guard (200..<300).contains(status), writeError == nil else { return (false, 0, nil) }
            do { try file.write(contentsOf: data) } catch { writeError = error; return (false, 0, nil) }
            self.received += Int64(data.count)
            return (true, self.received, self.expected)
        }
        if ok { progress(ModelInstallProgress(step: "downloading \(name)", completedBytes: received, totalBytes: expected)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, status, writeError) = lock.withLock { () -> (CheckedContinuation<Int, any Error>?, Int, (any Error)?) in
            defer { self.continuation = nil }
            return (self.continuation, self.status, self.writeError)
        }
        if let error = error ?? writeError { continuation?.resume(throwing: error) } else { continuation?.resume(returning: status) }
    }
}
