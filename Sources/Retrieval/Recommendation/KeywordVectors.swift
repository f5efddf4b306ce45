/// The keyword half of the candidates' features: one sparse, l2-normalised tf-idf vector per
/// paper, stored as compressed rows (one array of columns and one of weights for all
/// papers) so a million papers cost two allocations, not a million.
struct KeywordVectors: Sendable {
    /// How many terms the vocabulary kept (the width of every row).
    let columnCount: Int
    /// Row `r` is `columns[rowStarts[r]..<rowStarts[r + 1]]`, ascending.
    let rowStarts: [Int]
    let columns: [Int32]
    let weights: [Float]
    /// What the rows were weighed by, for rows appended later.
    let vocabulary: KeywordVocabulary

    var rowCount: Int { rowStarts.count - 1 }

    /// The range of row `row` in `columns` and `weights`.
    func range(of row: Int) -> Range<Int> { rowStarts[row]..<rowStarts[row + 1] }

    /// `Σ weight · dense[column]` over row `row`: the keyword part of a linear score.
    func dot(row: Int, _ dense: UnsafeBufferPointer<Float>) -> Float {
        columns.withUnsafeBufferPointer { columns in
            weights.withUnsafeBufferPointer { weights in
                var sum: Float = 0
                for entry in range(of: row) { sum += weights[entry] * dense[Int(columns[entry])] }
                return sum
            }
        }
    }

    /// `dense[column] += scale · weight` over row `row`.
    func add(row: Int, scaledBy scale: Float, to dense: UnsafeMutableBufferPointer<Float>) {
        columns.withUnsafeBufferPointer { columns in
            weights.withUnsafeBufferPointer { weights in
                for entry in range(of: row) { dense[Int(columns[entry])] += scale * weights[entry] }
            }
        }
    }

    /// The squared length of row `row` (1 for a paper with any kept term, 0 for none).
    func squaredNorm(row: Int) -> Float {
        range(of: row).reduce(0) { $0 + weights[$1] * weights[$1] }
    }
}
