import NetworkIR

/// The two products every bound pass needs of an affine layer's weights, whatever their
/// storage: dense weights go to `DenseKernels` (the packed AVX2 kernel when a packed copy is
/// given), sparse ones (large convolutions) to `SparseMatrix`'s kernels, which touch only the
/// stored entries.
///
/// Each output entry of the sparse kernels is a sum of at most as many rounded products as the
/// dense kernel would add (the skipped ones are exact zeros), so the a-priori error bounds the
/// callers charge for the dense product (`SoundRounding.gamma` of the inner size) hold unchanged.
enum WeightKernels {
    /// `out (R×n) = a (R×m) · W` for the `m × n` weights; `packed` is `W` packed by
    /// `PackedMatrix(rows:columns:storage:)`, or nil.
    static func multiply(_ a: UnsafePointer<Double>, rows: Int, by weights: WeightMatrix, packed: PackedMatrix?,
                         into out: UnsafeMutablePointer<Double>) {
        switch weights {
        case let .dense(dense):
            if let packed { return DenseKernels.multiply(a, rows: rows, inner: dense.rows, by: packed, into: out) }
            dense.storage.withUnsafeBufferPointer { w in
                guard let wp = w.baseAddress else { return out.update(repeating: 0, count: rows &* dense.columns) }
                DenseKernels.multiply(a, rows: rows, inner: dense.rows, by: wp, columns: dense.columns, into: out)
            }
        case let .sparse(sparse):
            sparse.leftMultiply(a, rows: rows, into: out)
        }
    }

    /// `out (R×m) = x (R×n) · Wᵀ` for the `m × n` weights; `packedTranspose` is `Wᵀ` packed by
    /// `PackedMatrix.transposedWeights(of:)`, or nil.
    static func multiplyTransposed(_ x: UnsafePointer<Double>, rows: Int, by weights: WeightMatrix,
                                   packedTranspose: PackedMatrix?, into out: UnsafeMutablePointer<Double>) {
        switch weights {
        case let .dense(dense):
            if let packedTranspose { return DenseKernels.multiply(x, rows: rows, inner: dense.columns, by: packedTranspose, into: out) }
            dense.storage.withUnsafeBufferPointer { w in
                guard let wp = w.baseAddress else { return out.update(repeating: 0, count: rows &* dense.rows) }
                DenseKernels.multiplyTransposed(x, rows: rows, inner: dense.columns, by: wp, outputs: dense.rows, into: out)
            }
        case let .sparse(sparse):
            sparse.multiplyRows(x, rows: rows, into: out)
        }
    }
}
