import VectorMath

/// A weight matrix packed once for `VectorMath.multiply`, with its bias: the `Linear` layer
/// `y = x·Wᵀ + b` of PyTorch, `W` being `[outputs][inputs]`.
final class PackedLinear: @unchecked Sendable {
    // Immutable after init; shared read-only by every encoding thread.
    let inputs: Int
    let outputs: Int
    let weights: UnsafeMutablePointer<Float>
    let bias: [Float]

    /// `weight` holds `outputs × inputs` floats, row-major.
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int) {
        precondition(weight.count == inputs * outputs && bias.count == outputs)
        self.inputs = inputs
        self.outputs = outputs
        self.bias = bias
        let count = VectorMath.packedCount(k: inputs, n: outputs)
        weights = .allocate(capacity: count)
        weight.withUnsafeBufferPointer { w in
            VectorMath.pack(k: inputs, n: outputs, source: w.baseAddress.unsafelyUnwrapped,
                            rowStride: 1, columnStride: inputs, into: weights)
        }
    }

    deinit { weights.deallocate() }

    /// `y[rows × outputs] = x·Wᵀ + b`, or `y += x·Wᵀ + b` when `accumulate` (a residual).
    func apply(
        rows: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        bias.withUnsafeBufferPointer { b in
            VectorMath.multiply(m: rows, n: outputs, k: inputs, a: x, lda: inputs, packedB: weights,
                                c: y, ldc: outputs, bias: b.baseAddress, accumulate: accumulate)
        }
    }
}
