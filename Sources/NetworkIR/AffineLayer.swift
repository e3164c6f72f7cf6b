/// An affine map `y = W·x + b`.
///
/// Gemm, MatMul, Add/Sub/Mul by constants, a lowered convolution and folded batch
/// normalisation all become affine layers. The entries are the values the network stores:
/// the importer folds two operations into one layer only where the folded entries are exact.
public struct AffineLayer: Sendable, Equatable {
    /// `W` as stored: dense, or sparse for a large convolution.
    public var matrix: WeightMatrix
    /// `b`, one entry per output.
    public var bias: [Double]

    /// Creates `y = weights·x + bias` with dense weights.
    /// - Precondition: `bias.count == weights.rows`.
    public init(weights: Matrix, bias: [Double]) {
        self.init(matrix: .dense(weights), bias: bias)
    }

    /// Creates `y = matrix·x + bias`.
    /// - Precondition: `bias.count == matrix.rows`.
    public init(matrix: WeightMatrix, bias: [Double]) {
        precondition(bias.count == matrix.rows, "bias has \(bias.count) entries for \(matrix.rows) rows")
        self.matrix = matrix
        self.bias = bias
    }

    /// `W` as a dense matrix, with one row per output and one column per input.
    /// - Complexity: O(1) for dense weights; O(rows × columns) time and memory for sparse ones,
    ///   so passes that may meet large convolutions use `matrix` instead.
    public var weights: Matrix {
        get {
            switch matrix {
            case let .dense(m): m
            case let .sparse(s): s.densified
            }
        }
        set { matrix = .dense(newValue) }
    }

    /// The dense weights when they are stored densely.
    public var denseWeights: Matrix? {
        if case let .dense(m) = matrix { m } else { nil }
    }

    public var inputSize: Int { matrix.columns }
    public var outputSize: Int { matrix.rows }
}

/// The weights of an affine layer: dense, or in compressed rows when most entries are zero.
public enum WeightMatrix: Sendable, Equatable {
    case dense(Matrix)
    case sparse(SparseMatrix)

    public var rows: Int {
        switch self {
        case let .dense(m): m.rows
        case let .sparse(s): s.rows
        }
    }

    public var columns: Int {
        switch self {
        case let .dense(m): m.columns
        case let .sparse(s): s.columns
        }
    }

    /// The number of entries stored (all of a dense matrix, the nonzeros of a sparse one).
    public var storedCount: Int {
        switch self {
        case let .dense(m): m.storage.count
        case let .sparse(s): s.nonzeroCount
        }
    }

    /// Whether every stored entry is finite.
    public var isFinite: Bool {
        switch self {
        case let .dense(m): m.storage.allSatisfy(\.isFinite)
        case let .sparse(s): s.values.allSatisfy(\.isFinite)
        }
    }

    /// `W·x` in double precision (round to nearest; not a sound bound by itself).
    public func multiply(_ x: [Double]) -> [Double] {
        switch self {
        case let .dense(m): m.multiply(x)
        case let .sparse(s): s.multiply(x)
        }
    }

    /// `Wᵀ·x` in double precision.
    public func transposeMultiply(_ x: [Double]) -> [Double] {
        switch self {
        case let .dense(m): m.transposeMultiply(x)
        case let .sparse(s): s.transposeMultiply(x)
        }
    }

    /// Calls `body(column, entry)` for the entries of row `i` that may be nonzero, in column order.
    @inlinable @inline(__always)
    public func forEachEntry(inRow i: Int, _ body: (Int, Double) throws -> Void) rethrows {
        switch self {
        case let .dense(m):
            let base = i * m.columns
            for j in 0..<m.columns { try body(j, m.storage[base + j]) }
        case let .sparse(s):
            try s.forEachEntry(inRow: i, body)
        }
    }
}
