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

    /// Reads straight into the returned array with read(2): no intermediate `Data` copy.
    public func read(maxLength: Int) throws -> [UInt8] {
        let descriptor = handle.fileDescriptor
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: maxLength) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < maxLength {
                let n = Foundation.read(descriptor, base + count, maxLength - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 {
            throw PaperboyError(.unreadableFile, "\(url.path): read failed after \(bytesRead) bytes: \(String(cString: strerror(failure)))")
        }
        bytesRead += Int64(bytes.count)
        return bytes
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

