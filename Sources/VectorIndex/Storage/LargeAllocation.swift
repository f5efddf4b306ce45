#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for the index's big flat buffers. A graph walk reads rows at random across
/// hundreds of megabytes: with 4 KiB pages nearly every row is also a TLB miss and a page
/// walk, which even a prefetch has to wait for. Blocks of `hugeThreshold` bytes or more are
/// therefore aligned to 2 MiB and advised to use transparent huge pages (Linux `madvise`
/// mode, the common default); elsewhere, or if the kernel declines, they are ordinary pages.
enum LargeAllocation {
    static let hugePage = 2 << 20
    static let hugeThreshold = 4 << 20

    static func allocate<Element>(_: Element.Type, capacity: Int) -> UnsafeMutablePointer<Element> {
        let bytes = capacity * MemoryLayout<Element>.stride
        guard bytes >= hugeThreshold else { return .allocate(capacity: capacity) }
        let rounded = (bytes + hugePage - 1) / hugePage * hugePage
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: hugePage)
        #if os(Linux)
        _ = madvise(raw, rounded, MADV_HUGEPAGE)
        #endif
        return raw.bindMemory(to: Element.self, capacity: capacity)
    }

    /// Frees what `allocate` returned.
    static func deallocate<Element>(_ pointer: UnsafeMutablePointer<Element>) {
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
