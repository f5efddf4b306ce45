import PaperboyCore
@testable import StorageSQLite
import Testing

/// `papers.title_hash` is part of the file format.
struct TitleKeyStorageHashTests {
    @Test func storageHashIsFNV1a() {
        #expect(TitleKey.storageHash("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        #expect(TitleKey.storageHash("a") == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
    }
}
