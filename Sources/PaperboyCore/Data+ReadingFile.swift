import Foundation

extension Data {
    /// The bytes of the file at `url`, as `Data(contentsOf:options:)` reads them, except that
    /// an empty file gives empty data without being read. Foundation on Linux reads a file
    /// whose size is 0 into a 4 KiB buffer of its own (in case it is one of /proc's, which
    /// report no size) and leaks the buffer when nothing comes; fuzzing the model and index
    /// readers found it. Files Paperboy reads from a reader's disk go through here.
    public init(readingFile url: URL, options: Data.ReadingOptions = []) throws {
        if let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int, size == 0 {
            self.init()
            return
        }
        try self.init(contentsOf: url, options: options)
    }
}
