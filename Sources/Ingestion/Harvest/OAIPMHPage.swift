import Foundation
import PaperboyCore

/// One `ListRecords` response, read whole: its papers, rejections and paging state. A
/// response whose root element never closed was cut short on the way and is refused as
/// `IncompletePage`, so the client fetches it again instead of storing half a page.
struct OAIPMHPage {
    var papers: [Paper] = []
    var rejections: [Rejection] = []
    var resumptionToken: OAIPMHParser.ResumptionToken?
    var error: OAIPMHParser.OAIError?
    /// The day the repository answered (`yyyy-MM-dd`, UTC).
    var responseDay: String?

    init(_ data: Data, url: String) throws {
        var parser = OAIPMHParser(source: DataByteSource(data), file: url)
        (papers, rejections) = try parser.drain()
        guard parser.isComplete else { throw IncompletePage(url: url, bytes: data.count) }
        resumptionToken = parser.resumptionToken
        error = parser.oaiError
        responseDay = parser.responseDate.map { String($0.prefix(10)) }
        // The repository's error is the page's answer, not a record's fault.
        if error != nil { rejections.removeAll { $0.reason.hasPrefix("OAI-PMH error ") } }
    }
}

/// A response that ended before its document did.
struct IncompletePage: TransientPageError, CustomStringConvertible {
    var url: String
    var bytes: Int
    var description: String { "\(url): the response ended after \(bytes) bytes, before the end of its document" }
}
