import Foundation
import PaperboyCore

/// Bytes read in chunks, so parsers stream any size of input in flat memory and can be fed
/// from a file, a network body or a test's `Data` alike.
public protocol ByteSource {
    /// Up to `maxLength` next bytes; an empty array at the end of input.
    mutating func read(maxLength: Int) throws -> [UInt8]
}

/// A file read in chunks through a file descriptor.
public final class FileByteSource: ByteSource {
    private let handle: FileHandle
    public let url: URL
    /// Bytes delivered so far, for progress reporting.
    public private(set) var bytesRead: Int64 = 0

    public init(url: URL) throws {
        self.url = url
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw PaperboyError(.unreadableFile, "\(url.path): cannot be opened for reading", cause: error)
        }
    }

    deinit { try? handle.close() }

    public func read(maxLength: Int) throws -> [UInt8] {
        do {
            guard let data = try handle.read(upToCount: maxLength) else { return [] }
            bytesRead += Int64(data.count)
            return [UInt8](data)
        } catch {
            throw PaperboyError(.unreadableFile, "\(url.path): read failed after \(bytesRead) bytes", cause: error)
        }
    }
}

/// Bytes already in memory (tests, small HTTP bodies).
public struct DataByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ data: Data) { bytes = [UInt8](data) }
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { bytes = Array(text.utf8) }

    public mutating func read(maxLength: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + maxLength)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

