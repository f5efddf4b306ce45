/// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations.
///
/// Jacobi is short, needs no library and is accurate to the last bits on symmetric input;
/// its O(n³) sweeps are cheap for the sizes it sees here (the Rayleigh–Ritz matrix of the
/// PCA's subspace iteration, some 70×70), which is why the 384×384 covariance itself goes
/// through subspace iteration instead.
enum SymmetricEigen {
    /// Returns the eigenvalues in descending order and, row `r` of `vectors` (n×n, row-major),
    /// the unit eigenvector of value `r`.
    static func decompose(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n)
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<60 {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    let x = a[i * n + j] * a[i * n + j]
                    total += x
                    if i != j { off += x }
                }
            }
            if off <= 1e-24 * max(total, 1e-300) { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        // Column k of v is the eigenvector of a[k][k]; return them as rows, largest first.
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        var vectors = [Double](repeating: 0, count: n * n)
        for (row, k) in order.enumerated() {
            for i in 0..<n { vectors[row * n + i] = v[i * n + k] }
        }
        return (order.map { a[$0 * n + $0] }, vectors)
    }
}
