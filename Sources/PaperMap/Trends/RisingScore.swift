/// How much a weekly count stands above its usual level, smoothed so small numbers do not
/// top the list.
///
/// For the scored week (the newest complete one) with count `c`, and the mean `m` of the
/// `baselineWeeks` weeks before it (fewer when the window is shorter; 0 when there are
/// none), the score is
///
///     (c + prior) / (m + prior)
///
/// The prior adds the same few imaginary papers to both sides: a topic going from 0 to 2
/// papers scores (2 + 3) / (0 + 3) ≈ 1.7, not infinity, while one going from 20 to 60 scores
/// 63 / 23 ≈ 2.7. A series is *rising* when its score is above 1 and `c` is at least
/// `minimumCount`, so a jump from one paper to four never makes the list at all.
public struct RisingScore: Sendable, Hashable {
    /// Imaginary papers added to this week's count and to the usual count.
    public var prior: Double
    /// Weeks before the scored one whose mean is the usual count.
    public var baselineWeeks: Int
    /// Fewest papers in the scored week for a series to count as rising.
    public var minimumCount: Int

    public init(prior: Double = 3, baselineWeeks: Int = 8, minimumCount: Int = 5) {
        precondition(prior > 0 && baselineWeeks > 0 && minimumCount >= 0, "a rising score needs a prior and a baseline")
        self.prior = prior
        self.baselineWeeks = baselineWeeks
        self.minimumCount = minimumCount
    }

    /// The scored week's count, the usual count before it and the score, for the week at
    /// index `week` of `counts`.
    public func measure(_ counts: [Int], week: Int) -> Rise {
        let count = counts[week]
        let before = counts[max(0, week - baselineWeeks)..<week]
        let usual = before.isEmpty ? 0 : Double(before.reduce(0, +)) / Double(before.count)
        let score = (Double(count) + prior) / (usual + prior)
        return Rise(count: count, usual: usual, score: score, isRising: score > 1 && count >= minimumCount)
    }
}

/// One series' scored week measured against its usual level.
public struct Rise: Sendable, Hashable {
    /// Papers in the scored week.
    public var count: Int
    /// Mean papers per week in the baseline weeks before it.
    public var usual: Double
    /// `(count + prior) / (usual + prior)`.
    public var score: Double
    /// Whether the score is above 1 with at least the minimum count.
    public var isRising: Bool
}
