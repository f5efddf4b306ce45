import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PaperMap
@testable import PaperboyServer
import Testing

/// The server's SVG charts are well-formed XML with one bar per week, the running week marked,
/// and every piece of text escaped.
struct TrendChartTests {
    /// Elements of an XML document by name, with their attributes and text, as a parser saw them.
    final class Elements: NSObject, XMLParserDelegate {
        var found: [(name: String, attributes: [String: String])] = []
        var titles: [String] = []
        private var text: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            found.append((name, attributes))
            if name == "title" { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title", let text { titles.append(text); self.text = nil }
        }

        /// Parses `xml`, failing the test when it is not well-formed.
        static func parse(_ xml: String) -> Elements {
            let elements = Elements()
            let parser = XMLParser(data: Data(xml.utf8))
            parser.delegate = elements
            let parsed = parser.parse()
            #expect(parsed, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
            return elements
        }

        func named(_ name: String) -> [[String: String]] { found.filter { $0.name == name }.map(\.attributes) }
    }

    static let weeks = TrendWeeks(newestDay: TopicTrendsTests.day("2026-11-25"), today: TopicTrendsTests.day("2026-11-25"), count: 10)

    @Test func aChartHasOneBarPerWeekAndMarksTheRunningOne() {
        let counts = [0, 3, 5, 1, 0, 12, 7, 7, 9, 2]
        let svg = TrendChart(title: "Papers per week", weeks: Self.weeks, counts: counts).svg()
        let elements = Elements.parse(svg)
        let root = elements.found.first
        #expect(root?.name == "svg" && root?.attributes["role"] == "img")
        #expect(root?.attributes["aria-label"] == "Papers per week")
        let bars = elements.named("rect").filter { $0["class"]?.contains("trend-bar") == true }
        #expect(bars.count == counts.count)
        #expect(bars.map { $0["class"]!.contains("trend-bar-partial") } == Array(repeating: false, count: 9) + [true])
        // The tallest bar reaches the top of the scale (12 → 20), heights proportional to counts.
        let heights = bars.map { Double($0["height"]!)! }
        #expect(heights[0] == 0)
        #expect(abs(heights[5] / heights[2] - 12.0 / 5.0) < 0.05)
        #expect(elements.titles.contains("Week of 23 November 2026: 2 papers so far (week still running)"))
        #expect(elements.titles.contains("Week of 21 September 2026: 0 papers"))
    }

    @Test func textIsEscapedAndControlCharactersDropped() {
        let title = "Papers matching \"a < b\" & 'c' <script>\u{1}"
        let svg = TrendChart(title: title, weeks: Self.weeks, counts: Array(repeating: 1, count: 10)).svg()
        #expect(!svg.contains("<script>"))
        let elements = Elements.parse(svg)
        #expect(elements.titles.first == "Papers matching \"a < b\" & 'c' <script> ")
        #expect(elements.found.first?.attributes["aria-label"] == "Papers matching \"a < b\" & 'c' <script> ")

        let spark = TrendChart.sparkline([1, 0, 4], partialLast: true, label: "x & <y>")
        let sparkElements = Elements.parse(spark)
        #expect(sparkElements.named("rect").count == 3)
        #expect(sparkElements.named("rect").last?["class"] == "spark-bar spark-bar-partial")
        #expect(sparkElements.found.first?.attributes["aria-label"] == "x & <y>")
    }

    @Test func theScaleEndsOnARoundNumber() {
        #expect([0, 1, 2, 3, 7, 10, 12, 48, 101].map(TrendChart.niceCeiling) == [1, 1, 2, 5, 10, 10, 20, 50, 200])
    }

    @Test func mailSparklinesAreBlocksScaledToTheHighestWeek() {
        #expect(BlockSparkline.text([0, 1, 4, 8]) == "▁▂▅█")
        #expect(BlockSparkline.text([0, 0]) == "▁▁")
        #expect(BlockSparkline.text([3, 3]) == "██")
    }
}
