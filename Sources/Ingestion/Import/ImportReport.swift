import PaperboyCore

/// What importing one file did: how many records went where, and why the rejected ones
/// were skipped.
public struct ImportReport: Sendable, Codable, Hashable {
    public var file: String
    public var format: InputFormat
    public var counts: UpsertCounts
    /// Every skipped record is counted here, even past the ones kept in `rejections`.
    public var rejected: Int
    /// The first `ImportReport.keptRejections` skipped records, with file, line and reason.
    public var rejections: [Rejection]
    public var seconds: Double

    /// Enough reasons to find what is wrong in a bad file, without holding millions in memory.
    public static let keptRejections = 1_000

    public init(file: String, format: InputFormat) {
        self.file = file
        self.format = format
        counts = UpsertCounts()
        rejected = 0
        rejections = []
        seconds = 0
    }

    /// Records read from the file, good and bad.
    public var records: Int { counts.inserted + counts.updated + counts.unchanged + rejected }

    mutating func reject(_ rejection: Rejection) {
        rejected += 1
        if rejections.count < Self.keptRejections { rejections.append(rejection) }
    }
}

/// How far an import has come, for a progress bar or a log line.
public struct ImportProgress: Sendable {
    public var file: String
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var records: Int

    public var fraction: Double { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : 1 }
}
