import VectorMath

/// The buffers one thread needs to encode a group of sequences of at most `capacity` tokens
/// in all and `maxLength` each: allocated once, reused for every group, so the forward pass
/// allocates nothing.
final class EncoderWorkspace: @unchecked Sendable {  // used by one thread at a time, handed over through a lock
    let capacity: Int
    let maxLength: Int
    /// Hidden states, `capacity × hidden`.
    let hidden: UnsafeMutablePointer<Float>
    /// Query, key and value side by side, `capacity × 3·hidden`.
    let queryKeyValue: UnsafeMutablePointer<Float>
    /// Attention output before its projection, `capacity × hidden`.
    let context: UnsafeMutablePointer<Float>
    /// The feed-forward layer's inner activations, `capacity × intermediate`.
    let intermediate: UnsafeMutablePointer<Float>
    /// One head's attention scores, `maxLength × maxLength`.
    let scores: UnsafeMutablePointer<Float>
    /// One head's keys (transposed) or values, packed.
    let packedHead: UnsafeMutablePointer<Float>
    private let buffers: [UnsafeMutablePointer<Float>]

    init(config: BertConfig, capacity: Int, maxLength: Int) {
        self.capacity = capacity
        self.maxLength = maxLength
        let h = config.hiddenSize
        let headPanel = max(VectorMath.packedCount(k: config.headSize, n: maxLength),
                            VectorMath.packedCount(k: maxLength, n: config.headSize))
        let sizes = [capacity * h, capacity * 3 * h, capacity * h, capacity * config.intermediateSize,
                     maxLength * maxLength, headPanel]
        buffers = sizes.map { count in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            buffer.initialize(repeating: 0, count: count)
            return buffer
        }
        (hidden, queryKeyValue, context, intermediate, scores, packedHead) =
            (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5])
    }

    deinit { buffers.forEach { $0.deallocate() } }
}
