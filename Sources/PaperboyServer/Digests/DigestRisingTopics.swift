import Foundation
import PaperboyCore
import PaperMap

/// A topic of the map of the field whose latest complete week had clearly more papers than
/// usual, as the digest's "Rising this week" shows it.
public struct DigestRisingTopic: Sendable {
    /// The topic's index on the map, for its `/trends/topic/N` page.
    public var topic: Int
    public var label: String
    /// The Monday starting the week counted.
    public var weekOf: Date
    /// Papers that week.
    public var count: Int
    /// Mean papers per week before it.
    public var usual: Double
    /// Papers per week up to and including that week, oldest first: the sparkline.
    public var recentCounts: [Int]
    /// The topic's newest papers.
    public var papers: [Paper]

    public init(topic: Int, label: String, weekOf: Date, count: Int, usual: Double, recentCounts: [Int], papers: [Paper]) {
        self.topic = topic
        self.label = label
        self.weekOf = weekOf
        self.count = count
        self.usual = usual
        self.recentCounts = recentCounts
        self.papers = papers
    }
}

extension DigestSources {
    /// No rising topics: sources without a map of the field have none.
    public func risingTopics(limit: Int, papersEach: Int) async throws -> [DigestRisingTopic] { [] }
}

/// The "Rising this week" part of a digest's bodies. It accompanies the paper sections and
/// never makes a digest on its own: a topic's rise is not news the reader has not seen, so
/// a period with no new papers still sends nothing.
enum DigestRisingBody {
    static let heading = "Rising this week"
    /// Topics listed at most.
    static let limit = 3
    /// Newest papers listed per topic.
    static let papersEach = 2

    static func text(_ topics: [DigestRisingTopic], settings: DigestSettings) -> String {
        guard !topics.isEmpty else { return "" }
        var text = "\n\(heading.uppercased())\n\n"
        for (offset, topic) in topics.prefix(limit).enumerated() {
            text += "\(offset + 1). \(DigestText.line(topic.label)): \(summary(topic))\n"
            text += "   \(BlockSparkline.text(topic.recentCounts)) papers per week, the last is \(week(topic.weekOf))\n"
            for paper in topic.papers.prefix(papersEach) {
                text += "   - \(DigestText.line(paper.title))\n     \(settings.link(PageModels.paperPath(paper.id)))\n"
            }
            text += "   \(settings.link("/trends/topic/\(topic.topic)"))\n\n"
        }
        return text
    }

    static func html(_ topics: [DigestRisingTopic], settings: DigestSettings) -> String {
        guard !topics.isEmpty else { return "" }
        let link = DigestBody.linkColor
        var body = "<h2 style=\"margin:24px 0 8px;font-size:17px;line-height:1.3\">\(heading)</h2>\n"
        for topic in topics.prefix(limit) {
            let url = settings.link("/trends/topic/\(topic.topic)")
            let spark = BlockSparkline.text(topic.recentCounts)
            body += "<div style=\"margin:0 0 16px\">"
            body += "<a href=\"\(htmlEscape(url))\" style=\"color:\(link);font-size:16px;font-weight:bold;text-decoration:none\">\(htmlEscape(DigestText.line(topic.label)))</a>"
            body += "<div style=\"font-size:14px\">\(htmlEscape(summary(topic))) "
            body += "<span role=\"img\" aria-label=\"papers per week, the last is \(htmlEscape(week(topic.weekOf)))\" style=\"font-family:monospace;letter-spacing:1px;color:\(link)\">\(spark)</span></div>"
            for paper in topic.papers.prefix(papersEach) {
                let paperURL = settings.link(PageModels.paperPath(paper.id))
                body += "<div style=\"font-size:14px;margin-left:12px\">· <a href=\"\(htmlEscape(paperURL))\" style=\"color:\(link)\">\(htmlEscape(DigestText.line(paper.title)))</a></div>"
            }
            body += "</div>\n"
        }
        return body
    }

    /// `14 papers in the week of 16 November 2026, usually 4.2`.
    static func summary(_ topic: DigestRisingTopic) -> String {
        "\(topic.count) \(topic.count == 1 ? "paper" : "papers") in the week of \(TrendChart.dayLabel(TrendWeeks.day(of: topic.weekOf))), usually \(String(format: "%.1f", topic.usual))"
    }

    static func week(_ monday: Date) -> String {
        TrendChart.weekLabel(TrendWeeks.day(of: monday), long: true)
    }
}
