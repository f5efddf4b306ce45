import Foundation
import PaperboyCore
import PaperMap

/// Weekly counts drawn by the server as an inline SVG bar chart: no script, no library, no
/// request of its own, so the chart is there as soon as the page is, and it reads in both
/// colour schemes because every colour comes from the app's CSS variables (`app.css`,
/// `.trend-chart`). Presentation attributes give a plain fallback where the style sheet is
/// missing.
///
/// Accessible by construction: the chart is one `role="img"` with a `<title>` and an
/// `aria-label` that say what it shows; each bar has its own `<title>` (week, count, and
/// whether the week is still running); the page also lists the numbers as a table.
/// Every piece of text is XML-escaped, since topic labels come from paper abstracts and
/// queries from readers.
struct TrendChart: Sendable {
    /// What the chart shows, for its title ("Papers per week: diffusion models").
    var title: String
    var weeks: TrendWeeks
    /// One count per week of `weeks`, oldest first.
    var counts: [Int]

    static let width = 640
    static let height = 220
    private static let left = 44, right = 8, top = 12, bottom = 36

    /// The whole `<svg>` element.
    func svg() -> String {
        precondition(counts.count == weeks.count, "one count per week")
        let plotWidth = Double(Self.width - Self.left - Self.right)
        let plotHeight = Double(Self.height - Self.top - Self.bottom)
        let scaleTop = Self.niceCeiling(counts.max() ?? 0)
        let slot = plotWidth / Double(max(1, counts.count))
        let barWidth = max(1, slot * 0.8)
        let baseline = Double(Self.top) + plotHeight
        let label = xmlEscape(title)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 \(Self.width) \(Self.height)" \
            role="img" aria-label="\(label)"><title>\(label)</title>
            """
        // Horizontal grid lines with their counts: 0, half and the top of the scale.
        for tick in Set([0, scaleTop / 2, scaleTop]).sorted() {
            let y = baseline - plotHeight * Double(tick) / Double(scaleTop)
            svg += "<line class=\"trend-grid\" x1=\"\(Self.left)\" x2=\"\(Self.width - Self.right)\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#8888\"/>"
            svg += "<text class=\"trend-axis\" x=\"\(Self.left - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(tick)</text>"
        }
        for (index, count) in counts.enumerated() {
            let partial = weeks.latestIsPartial && index == counts.count - 1
            let height = plotHeight * Double(count) / Double(scaleTop)
            let x = Double(Self.left) + slot * Double(index) + (slot - barWidth) / 2
            let what = "\(Self.weekLabel(weeks.mondays[index], long: true)): \(count) \(count == 1 ? "paper" : "papers")"
                + (partial ? " so far (week still running)" : "")
            svg += "<rect class=\"trend-bar\(partial ? " trend-bar-partial" : "")\" x=\"\(f(x))\" y=\"\(f(baseline - height))\" "
            svg += "width=\"\(f(barWidth))\" height=\"\(f(height))\" fill=\"currentColor\"\(partial ? " fill-opacity=\"0.4\"" : "")>"
            svg += "<title>\(xmlEscape(what))</title></rect>"
        }
        // Week labels: every fourth week counted back from the newest, so the newest is labelled.
        for index in stride(from: counts.count - 1, through: 0, by: -4) {
            let x = Double(Self.left) + slot * (Double(index) + 0.5)
            let partial = weeks.latestIsPartial && index == counts.count - 1
            let text = Self.weekLabel(weeks.mondays[index], long: false) + (partial ? "*" : "")
            svg += "<text class=\"trend-axis\" x=\"\(f(x))\" y=\"\(Self.height - Self.bottom + 16)\" text-anchor=\"middle\" font-size=\"11\">\(xmlEscape(text))</text>"
        }
        if weeks.latestIsPartial {
            svg += "<text class=\"trend-axis\" x=\"\(Self.width - Self.right)\" y=\"\(Self.height - 4)\" text-anchor=\"end\" font-size=\"11\">* week still running</text>"
        }
        svg += "<line class=\"trend-baseline\" x1=\"\(Self.left)\" x2=\"\(Self.width - Self.right)\" y1=\"\(f(baseline))\" y2=\"\(f(baseline))\" stroke=\"currentColor\"/>"
        return svg + "</svg>"
    }

    /// A word-sized chart for lists: one thin bar per week, no axes, the running week
    /// faded; `label` says what it shows to screen readers.
    static func sparkline(_ counts: [Int], partialLast: Bool, label: String) -> String {
        let width = 104.0, height = 20.0
        let top = Double(max(1, counts.max() ?? 0))
        let slot = width / Double(max(1, counts.count))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(xmlEscape(label))\">"
        for (index, count) in counts.enumerated() {
            // A hairline for an empty week, so the week is visibly there.
            let barHeight = max(1, (height - 1) * Double(count) / top)
            let partial = partialLast && index == counts.count - 1
            svg += "<rect class=\"spark-bar\(partial ? " spark-bar-partial" : "")\" x=\"\(f(slot * Double(index)))\" y=\"\(f(height - barHeight))\" width=\"\(f(max(0.5, slot - 1)))\" height=\"\(f(barHeight))\" fill=\"currentColor\"\(partial ? " fill-opacity=\"0.4\"" : "")/>"
        }
        return svg + "</svg>"
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 1), so the axis reads in
    /// round numbers.
    static func niceCeiling(_ value: Int) -> Int {
        guard value > 1 else { return 1 }
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    /// `8 Jun` (axis) or `Week of 8 June 2026` (titles) for the week starting on `monday`.
    static func weekLabel(_ monday: Int32, long: Bool) -> String {
        long ? "Week of " + dayLabel(monday) : String(dayLabel(monday, short: true))
    }

    /// `8 June 2026`, or `8 Jun` when `short`: English month names whatever the server's locale.
    static func dayLabel(_ day: Int32, short: Bool = false) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: TrendWeeks.date(of: day))
        let month = monthNames[(parts.month ?? 1) - 1]
        return short ? "\(parts.day ?? 0) \(month.prefix(3))" : "\(parts.day ?? 0) \(month) \(parts.year ?? 0)"
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]
}

/// A coordinate with at most one decimal, so the markup stays short.
private func f(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

/// Text safe inside XML content and attribute values: the five markup characters escaped
/// (SVG is XML, so HTML's other named entities would not parse) and control characters,
/// which XML 1.0 forbids even escaped, turned into spaces.
func xmlEscape<S: StringProtocol>(_ text: S) -> String {
    var plain = ""
    for scalar in text.unicodeScalars {
        let forbidden = (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        plain.unicodeScalars.append(forbidden ? " " : scalar)
    }
    return htmlEscape(plain)
}
