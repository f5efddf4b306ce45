import PaperboyCore

extension TitleKey {
    /// The stored hash of a title key (`papers.title_hash`): 64-bit FNV-1a of its UTF-8 bytes.
    /// Part of the file format, so it must never change.
    static func storageHash(_ key: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
