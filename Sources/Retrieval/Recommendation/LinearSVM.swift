import PaperboyCore
import VectorMath

/// An L2-regularised linear SVM with hinge loss, the model arxiv-sanity trains per tag
/// (scikit-learn `SVC(kernel="linear")`), solved by dual coordinate descent (Hsieh et al.,
/// "A dual coordinate descent method for large-scale linear SVM", ICML 2008; LIBLINEAR's
/// `-s 3`): one sample at a time, each step a closed-form update of its dual variable that
/// keeps the weights `w = Σ αᵢ yᵢ xᵢ` current, so an epoch costs one pass over the samples'
/// nonzeros and no kernel matrix is ever formed.
///
/// The bias is an extra feature of constant 1 (LIBLINEAR's `-B 1`), so it is regularised
/// like the weights; a ranking never reads it, but it lets the hyperplane leave the origin.
struct LinearSVM {
    /// LIBLINEAR's default stopping tolerance for its dual solvers: the spread of the
    /// projected gradient over an epoch.
    var tolerance: Float = 0.1
    /// A cap for ill-conditioned tags; the tolerance is normally met in tens of epochs.
    var maximumEpochs = 500

    /// One training example: a candidate row, its side, and its share of the loss (`C`).
    struct Sample {
        var row: Int
        var isPositive: Bool
        var cost: Float
    }

    /// The weights separating `samples`, visiting them in an order drawn from `random`.
    func train(_ samples: [Sample], on features: PaperFeatures, random: inout SeededGenerator) -> LinearWeights {
        var weights = LinearWeights(dimension: features.dimension, vocabularySize: features.vocabularySize)
        var alpha = [Float](repeating: 0, count: samples.count)
        // Qᵢᵢ = ‖xᵢ‖², the bias feature included.
        let diagonal = samples.map { sample in
            features.similarity(sample.row, sample.row) + features.keywords.squaredNorm(row: sample.row) + 1
        }
        var order = Array(samples.indices)
        var epochs = 0
        while epochs < maximumEpochs {
            epochs += 1
            random.shuffle(&order)
            var largest = -Float.infinity, smallest = Float.infinity
            for index in order {
                let sample = samples[index]
                let label: Float = sample.isPositive ? 1 : -1
                let gradient = label * weights.score(row: sample.row, of: features) - 1
                let projected: Float
                if alpha[index] == 0 {
                    projected = min(gradient, 0)
                } else if alpha[index] == sample.cost {
                    projected = max(gradient, 0)
                } else {
                    projected = gradient
                }
                largest = max(largest, projected)
                smallest = min(smallest, projected)
                guard abs(projected) > 1e-12 else { continue }
                let old = alpha[index]
                alpha[index] = min(max(old - gradient / diagonal[index], 0), sample.cost)
                weights.add(row: sample.row, of: features, scaledBy: (alpha[index] - old) * label)
            }
            if largest - smallest <= tolerance { break }
        }
        weights.epochs = epochs
        return weights
    }
}

/// A linear model over `PaperFeatures`: one weight per embedding dimension, one per
/// vocabulary term, and a bias.
struct LinearWeights: Sendable {
    var embedding: [Float]
    var keywords: [Float]
    var bias: Float = 0
    /// How many passes over the samples training took.
    var epochs = 0

    init(dimension: Int, vocabularySize: Int) {
        embedding = [Float](repeating: 0, count: dimension)
        keywords = [Float](repeating: 0, count: vocabularySize)
    }

    /// `w · x + b` for one candidate.
    func score(row: Int, of features: PaperFeatures) -> Float {
        let dense = features.embeddings.withUnsafeBufferPointer { rows in
            embedding.withUnsafeBufferPointer { weights -> Float in
                guard let rows = rows.baseAddress, let weights = weights.baseAddress else { return 0 }
                return VectorMath.dot(weights, rows + row * features.dimension, count: features.dimension)
            }
        }
        let sparse = keywords.withUnsafeBufferPointer { features.keywords.dot(row: row, $0) }
        return dense + sparse + bias
    }

    /// `w += scale · x` for one candidate (the bias feature included).
    mutating func add(row: Int, of features: PaperFeatures, scaledBy scale: Float) {
        let dimension = features.dimension
        features.embeddings.withUnsafeBufferPointer { rows in
            embedding.withUnsafeMutableBufferPointer { weights in
                let start = row * dimension
                for index in 0..<dimension { weights[index] += scale * rows[start + index] }
            }
        }
        keywords.withUnsafeMutableBufferPointer { features.keywords.add(row: row, scaledBy: scale, to: $0) }
        bias += scale
    }

    /// `w · x` for every candidate (no bias: it moves every score alike).
    func scores(of features: PaperFeatures) -> [Float] {
        var scores = embedding.withUnsafeBufferPointer { weights in
            weights.baseAddress.map { features.embeddingScores($0) } ?? [Float](repeating: 0, count: features.count)
        }
        keywords.withUnsafeBufferPointer { weights in
            for row in scores.indices { scores[row] += features.keywords.dot(row: row, weights) }
        }
        return scores
    }
}
