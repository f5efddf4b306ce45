import Foundation
import Logging
import PaperboyCore

/// Imports paper files into a store: detects each file's format from its content, streams
/// its records, and writes them in batches, each batch one transaction.
///
/// A file that is not a known format, or is empty, is refused before anything is written.
/// Malformed records are skipped and reported; everything valid is kept. An import killed
/// midway leaves whole batches only, and running it again completes it without duplicates
/// because writes are merges.
public struct FileImporter: Sendable {
    public var store: any PaperStore
    /// Papers per write transaction. Larger batches amortize the index pages every commit
    /// rewrites; 10,000 keeps memory near 170 MB whatever the input size.
    public var batchSize: Int
    /// Forces a format instead of detecting it.
    public var format: InputFormat?
    private let logger = Logger(label: "paperboy.import")

    public init(store: any PaperStore, batchSize: Int = 10_000, format: InputFormat? = nil) {
        precondition(batchSize > 0, "batch size must be positive")
        self.store = store
        self.batchSize = batchSize
        self.format = format
    }

    /// Imports one file, calling `progress` after each batch.
    public func importFile(_ url: URL, progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws -> ImportReport {
        let started = ContinuousClock.now
        let name = url.path
        let totalBytes = try Self.size(of: url)
        let format = try self.format ?? Self.detectFormat(of: url, size: totalBytes)
        var report = ImportReport(file: name, format: format)
        let source = try FileByteSource(url: url)
        var parser = format.parser(reading: source, file: name)
        logger.info("importing", metadata: ["file": "\(name)", "format": "\(format.rawValue)", "bytes": "\(totalBytes)"])
        // A snapshot is millions of papers, each with its own arXiv id: the store may load
        // it faster in bulk. Other formats carry title-only records that need every index.
        let bulk = format == .arxivSnapshot
        if bulk { try await store.beginBulkLoad() }
        do {
            try await load(&parser, into: &report, source: source, totalBytes: totalBytes, progress: progress)
        } catch {
            if bulk { try? await store.endBulkLoad() }
            throw error
        }
        if bulk { try await store.endBulkLoad() }
        report.seconds = (ContinuousClock.now - started).seconds
        logger.info("imported", metadata: [
            "file": "\(name)", "inserted": "\(report.counts.inserted)", "updated": "\(report.counts.updated)",
            "unchanged": "\(report.counts.unchanged)", "rejected": "\(report.rejected)",
        ])
        return report
    }

    /// Streams the parser's records into the store in batches.
    private func load(
        _ parser: inout any RecordParser, into report: inout ImportReport, source: FileByteSource, totalBytes: Int64,
        progress: (@Sendable (ImportProgress) -> Void)?
    ) async throws {
        let name = report.file

        var batch: [Paper] = []
        batch.reserveCapacity(batchSize)
        var pendingWrite: Task<UpsertCounts, any Error>?
        var endOfInput = false
        while !endOfInput {
            while batch.count < batchSize {
                guard let record = try parser.next() else {
                    endOfInput = true
                    break
                }
                switch record {
                case .paper(let paper): batch.append(paper)
                case .rejected(let rejection): report.reject(rejection)
                }
            }
            // Parse the next batch while this one is written: the two halves use both cores.
            if let pendingWrite { report.counts += try await pendingWrite.value }
            let papers = batch
            pendingWrite = papers.isEmpty ? nil : Task { [store] in try await store.upsert(papers) }
            batch.removeAll(keepingCapacity: true)
            progress?(ImportProgress(file: name, bytesRead: source.bytesRead, totalBytes: totalBytes,
                                     records: report.records + papers.count))
        }
        if let pendingWrite { report.counts += try await pendingWrite.value }
    }

    /// Reads the head of the file and names its format, or refuses the file with a sentence
    /// that says what was expected.
    public static func detectFormat(of url: URL, size: Int64) throws -> InputFormat {
        guard size > 0 else {
            throw PaperboyError(.emptyFile, "\(url.path): the file is empty; nothing was imported")
        }
        let source = try FileByteSource(url: url)
        let head = try source.read(maxLength: 64 * 1024)
        guard let format = InputFormat.detect(prefix: head) else {
            throw PaperboyError(.unknownFormat, InputFormat.unknownFormatMessage(file: url.path))
        }
        return format
    }

    private static func size(of url: URL) throws -> Int64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let type = attributes[.type] as? FileAttributeType, type == .typeDirectory {
                throw PaperboyError(.unreadableFile, "\(url.path): is a directory, not a file")
            }
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch let error as PaperboyError {
            throw error
        } catch {
            throw PaperboyError(.unreadableFile, "\(url.path): no such file or it cannot be read", cause: error)
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
