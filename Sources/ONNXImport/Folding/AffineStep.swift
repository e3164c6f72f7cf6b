import NetworkIR

/// One linear step `y = f(x) + t` of the chain being imported, kept in a compact form until it
/// has to be stored as a dense `AffineLayer`, so that neighbouring steps can be folded first.
///
/// Diagonal steps come from `Add`/`Sub`/`Mul` by constants, Gemm's `alpha` and batch
/// normalisation; permutations come from `Transpose`; large convolutions are sparse; everything
/// else is dense.
enum AffineStep: Sendable, Equatable {
    /// A dense affine layer.
    case dense(AffineLayer)
    /// An affine layer whose weights are stored as `SparseMatrix`: a convolution whose dense
    /// lowering would exceed `sparseThreshold` entries.
    case sparse(AffineLayer)
    /// `y_i = scale_i·x_i + shift_i`.
    case diagonal(scale: [Double], shift: [Double])
    /// `y_i = x_{source[i]}`; `source` is a permutation of `0..<n`.
    case permutation(source: [Int])

    /// The number of inputs.
    var inputSize: Int {
        switch self {
        case let .dense(layer), let .sparse(layer): layer.inputSize
        case let .diagonal(scale, _): scale.count
        case let .permutation(source): source.count
        }
    }

    /// The number of outputs.
    var outputSize: Int {
        switch self {
        case let .dense(layer), let .sparse(layer): layer.outputSize
        case let .diagonal(scale, _): scale.count
        case let .permutation(source): source.count
        }
    }

    /// True when the step maps every `x` to itself, so it can be dropped.
    var isIdentity: Bool {
        switch self {
        case .dense, .sparse:
            false
        case let .diagonal(scale, shift):
            scale.allSatisfy { $0 == 1 } && shift.allSatisfy { $0 == 0 }
        case let .permutation(source):
            source.indices.allSatisfy { source[$0] == $0 }
        }
    }

    /// Dense lowerings above this many entries are stored sparse when most entries are zero
    /// (2^22 entries, 32 MiB of doubles): below it dense kernels are fast and every pass
    /// (including the certificate checker) reads the layer; above it a convolution's dense
    /// product spends almost all its time on zeros.
    static let sparseThreshold = 1 << 22

    /// Convolutions whose dense lowering would exceed this many entries (2^16, 512 KiB of
    /// doubles) are stored sparse when at most a quarter of the entries can be nonzero.
    /// Why lower than `sparseThreshold`: a convolution's matrix is mostly zeros at any size, and
    /// every bound pass keeps copies of dense weights (packed, transposed). On oval21's
    /// cifar_deep_kw the convolutions below 2^22 entries were stored dense, and those copies
    /// were most of a 641 MiB peak.
    static let convolutionSparseThreshold = 1 << 16

    /// Whether `materialised()` stores the step sparse: a sparse step, or a diagonal or
    /// permutation too large to store densely.
    var materialisesSparse: Bool {
        switch self {
        case .dense: false
        case .sparse: true
        case .diagonal, .permutation:
            outputSize.multipliedReportingOverflow(by: inputSize).overflow || outputSize * inputSize > Self.sparseThreshold
        }
    }

    /// The step as an affine layer. Every entry is copied, never computed, so it is exact.
    /// - Complexity: O(outputSize × inputSize) when stored dense, O(outputSize) for a large
    ///   diagonal or permutation.
    func materialised() -> AffineLayer {
        switch self {
        case let .dense(layer), let .sparse(layer):
            return layer
        case let .diagonal(scale, shift) where materialisesSparse:
            let kept = scale.indices.filter { scale[$0] != 0 }
            var rowStart = [0]
            for i in scale.indices { rowStart.append(rowStart[i] + (scale[i] != 0 ? 1 : 0)) }
            let sparse = SparseMatrix(rows: scale.count, columns: scale.count, rowStart: rowStart,
                                      columnIndex: kept.map { Int32($0) }, values: kept.map { scale[$0] })
            return AffineLayer(matrix: .sparse(sparse), bias: shift)
        case let .permutation(source) where materialisesSparse:
            let sparse = SparseMatrix(rows: source.count, columns: source.count, rowStart: Array(0...source.count),
                                      columnIndex: source.map { Int32($0) }, values: Array(repeating: 1, count: source.count))
            return AffineLayer(matrix: .sparse(sparse), bias: Array(repeating: 0, count: source.count))
        case let .diagonal(scale, shift):
            var weights = Matrix.zeros(rows: scale.count, columns: scale.count)
            for i in scale.indices { weights[i, i] = scale[i] }
            return AffineLayer(weights: weights, bias: shift)
        case let .permutation(source):
            var weights = Matrix.zeros(rows: source.count, columns: source.count)
            for (i, j) in source.enumerated() { weights[i, j] = 1 }
            return AffineLayer(weights: weights, bias: Array(repeating: 0, count: source.count))
        }
    }
}
