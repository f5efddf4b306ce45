/// SHA-256 of a whole message, for content-derived identifiers that must never change between
/// releases (title-derived paper ids, the text hash of a paper vector). One implementation,
/// `StreamingSHA256`, serves these and the model files hashed while they are read.
public enum SHA256 {
    /// The digest of `message` as lowercase hexadecimal.
    public static func hex(_ message: [UInt8]) -> String {
        var hasher = StreamingSHA256()
        message.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }
}
