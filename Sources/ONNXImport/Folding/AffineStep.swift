import NetworkIR

/// One linear step `y = f(x) + t` of the chain being imported, kept in a compact form until it
/// has to be stored as a dense `AffineLayer`, so that neighbouring steps can be folded first.
///
/// Diagonal steps come from `Add`/`Sub`/`Mul` by constants, Gemm's `alpha` and batch
/// normalisation; permutations come from `Transpose`; everything else is dense.
enum AffineStep: Sendable, Equatable {
    /// A dense affine layer.
    case dense(AffineLayer)
    /// `y_i = scale_i·x_i + shift_i`.
    case diagonal(scale: [Double], shift: [Double])
    /// `y_i = x_{source[i]}`; `source` is a permutation of `0..<n`.
    case permutation(source: [Int])

    /// The number of inputs.
    var inputSize: Int {
        switch self {
        case let .dense(layer): layer.inputSize
        case let .diagonal(scale, _): scale.count
        case let .permutation(source): source.count
        }
    }

    /// The number of outputs.
    var outputSize: Int {
        switch self {
        case let .dense(layer): layer.outputSize
        case let .diagonal(scale, _): scale.count
        case let .permutation(source): source.count
        }
    }

    /// True when the step maps every `x` to itself, so it can be dropped.
    var isIdentity: Bool {
        switch self {
        case .dense:
            false
        case let .diagonal(scale, shift):
            scale.allSatisfy { $0 == 1 } && shift.allSatisfy { $0 == 0 }
        case let .permutation(source):
            source.indices.allSatisfy { source[$0] == $0 }
        }
    }

    /// The number of entries `materialised()` allocates.
    var denseEntryCount: (rows: Int, columns: Int) {
        (outputSize, inputSize)
    }

    /// The step as a dense affine layer. Every entry is copied, never computed, so it is exact.
    /// - Complexity: O(outputSize × inputSize).
    func materialised() -> AffineLayer {
        switch self {
        case let .dense(layer):
            return layer
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
