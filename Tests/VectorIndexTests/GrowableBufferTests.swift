import Testing
@testable import VectorIndex

struct GrowableBufferTests {
    /// Appends carry a buffer from ordinary pages across the huge-page threshold and on;
    /// every value must survive each move, and big blocks must sit on 2 MiB boundaries
    /// (the alignment transparent huge pages need).
    @Test func growingAcrossTheHugePageThresholdKeepsEveryValue() {
        let buffer = GrowableBuffer<UInt32>(capacity: 1_000)
        let total = 3 * LargeAllocation.hugeThreshold / 4
        for value in 0..<UInt32(total) { buffer.append(value) }
        #expect(buffer.count == total)
        #expect(buffer.byteCount >= 2 * LargeAllocation.hugeThreshold)
        #expect(Int(bitPattern: buffer.base) % LargeAllocation.hugePage == 0)
        #expect(buffer.buffer.enumerated().allSatisfy { UInt32($0.offset) == $0.element })
        let copy = buffer.copy()
        copy.base[7] = 0
        #expect(buffer.base[7] == 7 && copy.base[total - 1] == UInt32(total - 1))
    }
}
