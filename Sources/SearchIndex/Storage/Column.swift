import Foundation

/// An immutable array of plain values in memory the column owns, so query code can walk it
/// through raw pointers for as long as the column lives, and saving or loading it is one
/// copy of its bytes.
final class Column<Element: BitwiseCopyable>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    /// A column of `count` values filled by `fill`, plus `padding` zeroed bytes after them
    /// so block decoders may read whole words past the end.
    init(count: Int, padding: Int = 0, fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        let stride = MemoryLayout<Element>.stride
        let extra = (padding + stride - 1) / stride
        let storage = UnsafeMutablePointer<Element>.allocate(capacity: max(1, count + extra))
        UnsafeMutableRawPointer(storage).initializeMemory(as: UInt8.self, repeating: 0, count: max(1, count + extra) * stride)
        self.base = storage
        self.count = count
        try fill(UnsafeMutableBufferPointer(start: storage, count: count))
    }

    convenience init(_ values: [Element], padding: Int = 0) {
        self.init(count: values.count, padding: padding) { buffer in
            _ = values.withUnsafeBufferPointer { memcpy(buffer.baseAddress!, $0.baseAddress!, $0.count * MemoryLayout<Element>.stride) }
        }
    }

    deinit { base.deallocate() }

    @inline(__always)
    subscript(index: Int) -> Element { base[index] }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// Bytes the values take in memory and on disk.
    var byteCount: Int { count * MemoryLayout<Element>.stride }
}

/// Many short strings stored back to back: paper ids and terms, without one heap object per
/// string.
struct StringColumn: Sendable {
    /// UTF-8 bytes of all strings, concatenated.
    let bytes: Column<UInt8>
    /// `offsets[i]..<offsets[i + 1]` are the bytes of string `i`; `count + 1` entries.
    let offsets: Column<UInt32>

    init(bytes: Column<UInt8>, offsets: Column<UInt32>) {
        precondition(offsets.count >= 1, "a string column has count + 1 offsets")
        self.bytes = bytes
        self.offsets = offsets
    }

    init<S: Sequence>(_ strings: S) where S.Element == String {
        var bytes: [UInt8] = []
        var offsets: [UInt32] = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            precondition(bytes.count <= Int(UInt32.max), "a string column holds at most 4 GiB")
            offsets.append(UInt32(bytes.count))
        }
        self.init(bytes: Column(bytes), offsets: Column(offsets))
    }

    var count: Int { offsets.count - 1 }

    @inline(__always)
    func utf8(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(offsets[index])
        return UnsafeBufferPointer(start: bytes.base + start, count: Int(offsets[index + 1]) - start)
    }

    subscript(index: Int) -> String { String(decoding: utf8(index), as: UTF8.self) }

    var byteCount: Int { bytes.byteCount + offsets.byteCount }
}

