import Foundation
import Hummingbird
import PaperboyCore

/// The subscription form as posted (`application/x-www-form-urlencoded`) and as shown: the
/// one place its field names live.
struct SubscriptionForm {
    static let commonTimeZones = [
        "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Moscow",
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
        "Africa/Johannesburg", "Asia/Kolkata", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo",
        "Australia/Sydney", "Pacific/Auckland",
    ]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    var email = ""
    var frequency = "daily"
    var weekday = 1
    var hour = 7
    var timeZone = "UTC"
    var trending = true
    var recommendations = false
    var searches = ""

    init() {}

    init(_ subscription: Subscription) {
        let options = subscription.options
        email = subscription.email
        frequency = options.frequency.name
        if case .weekly(let day) = options.frequency { weekday = day }
        hour = options.sendHour
        timeZone = options.timeZone
        trending = options.includesTrending
        recommendations = options.includesRecommendations
        searches = options.savedSearches.joined(separator: "\n")
    }

    /// The fields of a posted body; a field given twice keeps its first value. Unchecked
    /// boxes are absent, as browsers send them.
    init(body: String) {
        let values = FormBody.urlEncoded(body)
        email = values["email"] ?? ""
        frequency = values["frequency"] ?? ""
        weekday = Int(values["weekday"] ?? "") ?? 0
        hour = Int(values["hour"] ?? "") ?? -1
        let other = (values["timezone_other"] ?? "").trimmingCharacters(in: .whitespaces)
        timeZone = other.isEmpty ? values["timezone"] ?? "" : other
        trending = values["trending"] != nil
        recommendations = values["recommendations"] != nil
        searches = values["searches"] ?? ""
    }

    /// The options these fields ask for.
    ///
    /// - Throws: `PaperboyError` (`.invalidArgument`) naming the field.
    func options(forAccount: Bool) throws -> DigestOptions {
        let frequency: DigestFrequency
        switch self.frequency {
        case "daily": frequency = .daily
        case "weekly": frequency = .weekly(weekday: weekday)
        default: throw PaperboyError(.invalidArgument, "frequency: \(self.frequency.debugDescription) is neither daily nor weekly.")
        }
        let queries = searches.split(whereSeparator: \.isNewline).map(String.init)
        for query in queries where !query.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                _ = try SearchRequest(query: query.trimmingCharacters(in: .whitespaces)).parsed()
            } catch {
                throw PaperboyError(.invalidArgument, "searches: \(query.debugDescription) is not a query this server understands (\(error)).")
            }
        }
        return try DigestOptions(frequency: frequency, sendHour: hour, timeZone: timeZone, includesTrending: trending,
                                 includesRecommendations: forAccount && recommendations, savedSearches: queries)
    }

    /// What the template shows.
    func context(csrf: String, action: String, signedIn: Bool, error: String?) -> [String: Any] {
        var context: [String: Any] = [
            "csrf": csrf, "action": action, "email": email, "signedIn": signedIn,
            "daily": frequency != "weekly", "weekly": frequency == "weekly",
            "weekdays": Self.weekdays.enumerated().map { ["value": $0.offset + 1, "name": $0.element, "selected": weekday == $0.offset + 1] },
            "hours": (0...23).map { ["value": $0, "label": String(format: "%02d:00", $0), "selected": hour == $0] },
            "zones": Self.commonTimeZones.map { ["name": $0, "selected": timeZone == $0] },
            "otherZone": Self.commonTimeZones.contains(timeZone) ? "" : timeZone,
            "trending": trending, "recommendations": recommendations, "searches": searches,
        ]
        if let error { context["error"] = error }
        return context
    }
}
