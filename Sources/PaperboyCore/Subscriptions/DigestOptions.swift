import Foundation

/// How often a digest goes out.
public enum DigestFrequency: Sendable, Hashable {
    case daily
    /// Once a week on `weekday`, ISO numbering: 1 is Monday, 7 is Sunday.
    case weekly(weekday: Int)

    /// `daily`, `weekly` as stored and posted.
    public var name: String {
        switch self {
        case .daily: "daily"
        case .weekly: "weekly"
        }
    }
}

/// What a digest holds, when it goes out and in which time zone. Made only through `init`,
/// which refuses bad values naming the field, so a stored subscription always has a schedule.
public struct DigestOptions: Sendable, Hashable {
    public static let maximumSavedSearches = 10
    public static let maximumSavedSearchLength = 200

    public let frequency: DigestFrequency
    /// The local hour, 0–23, in `timeZone`.
    public let sendHour: Int
    /// An IANA identifier (`Europe/Berlin`) that `TimeZone(identifier:)` knows.
    public let timeZone: String
    public let includesTrending: Bool
    /// Recommendations for the reader's tags; only subscriptions made from an account have them.
    public let includesRecommendations: Bool
    /// Queries run against new papers, in the order given, without blanks or repeats.
    public let savedSearches: [String]

    /// - Throws: `PaperboyError` (`.invalidArgument`) naming the field: `weekday` outside 1–7,
    ///   `hour` outside 0–23, an unknown `timezone`, more than 10 `searches` or one too long or
    ///   holding control characters.
    public init(frequency: DigestFrequency = .daily, sendHour: Int = 7, timeZone: String = "UTC",
                includesTrending: Bool = true, includesRecommendations: Bool = false, savedSearches: [String] = []) throws {
        if case .weekly(let weekday) = frequency, !(1...7).contains(weekday) {
            throw PaperboyError(.invalidArgument, "weekday: \(weekday) is not a day of the week (1 is Monday, 7 is Sunday).")
        }
        guard (0...23).contains(sendHour) else {
            throw PaperboyError(.invalidArgument, "hour: \(sendHour) is not an hour of the day (0–23).")
        }
        guard TimeZone(identifier: timeZone) != nil, !timeZone.isEmpty, timeZone.count <= 64 else {
            throw PaperboyError(.invalidArgument, "timezone: \(timeZone.debugDescription) is not a time zone this server knows (like Europe/Berlin).")
        }
        var searches: [String] = []
        for raw in savedSearches {
            let query = raw.trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty, !searches.contains(query) else { continue }
            guard query.count <= Self.maximumSavedSearchLength else {
                throw PaperboyError(.invalidArgument, "searches: a saved search is longer than \(Self.maximumSavedSearchLength) characters.")
            }
            guard !query.unicodeScalars.contains(where: { [.control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }) else {
                throw PaperboyError(.invalidArgument, "searches: \(query.debugDescription) holds a control character or a line break.")
            }
            searches.append(query)
        }
        guard searches.count <= Self.maximumSavedSearches else {
            throw PaperboyError(.invalidArgument, "searches: \(searches.count) saved searches; at most \(Self.maximumSavedSearches) are kept.")
        }
        self.frequency = frequency
        self.sendHour = sendHour
        self.timeZone = timeZone
        self.includesTrending = includesTrending
        self.includesRecommendations = includesRecommendations
        self.savedSearches = searches
    }

    public var schedule: DigestSchedule {
        // `init` checked the identifier.
        DigestSchedule(frequency: frequency, sendHour: sendHour, timeZone: TimeZone(identifier: timeZone) ?? .gmt)
    }
}
