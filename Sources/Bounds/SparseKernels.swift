import NetworkIR

/// The products of `DenseKernels` for weights stored as `SparseMatrix` (large convolutions):
/// they touch only the stored entries, so back-substitution through a convolution costs its
/// nonzeros, not the size of its dense lowering.
///
/// Each output entry is a sum of at most as many rounded products as the dense kernel would
/// add (the skipped ones are exact zeros), so the a-priori error bounds the callers charge for
/// the dense product (`SoundRounding.gamma` of the inner size) hold unchanged.
enum SparseKernels {
    /// `out (R×n) = a (R×m) · w (m×n)`; zero coefficients of `a` are skipped.
    /// - Complexity: O(R × m + R × nonzeros).
    static func multiply(_ a: UnsafePointer<Double>, rows: Int, by w: SparseMatrix, into out: UnsafeMutablePointer<Double>) {
        let m = w.rows, n = w.columns
        out.update(repeating: 0, count: rows &* n)
        w.rowStart.withUnsafeBufferPointer { start in
        w.columnIndex.withUnsafeBufferPointer { col in
        w.values.withUnsafeBufferPointer { val in
            for r in 0..<rows {
                let input = a + r &* m, output = out + r &* n
                for i in 0..<m {
                    let c = input[i]
                    if c == 0 { continue }
                    for k in start[i]..<start[i &+ 1] { output[Int(col[k])] += c * val[k] }
                }
            }
        }}}
    }

    /// `out (R×m) = x (R×n) · wᵀ`: each output is the dot product of a row of `x` with a row of `w`.
    /// - Complexity: O(R × nonzeros).
    static func multiplyTransposed(_ x: UnsafePointer<Double>, rows: Int, by w: SparseMatrix,
                                   into out: UnsafeMutablePointer<Double>) {
        let m = w.rows, n = w.columns
        w.rowStart.withUnsafeBufferPointer { start in
        w.columnIndex.withUnsafeBufferPointer { col in
        w.values.withUnsafeBufferPointer { val in
            for r in 0..<rows {
                let input = x + r &* n, output = out + r &* m
                for i in 0..<m {
                    var sum = 0.0
                    for k in start[i]..<start[i &+ 1] { sum += input[Int(col[k])] * val[k] }
                    output[i] = sum
                }
            }
        }}}
    }
}
