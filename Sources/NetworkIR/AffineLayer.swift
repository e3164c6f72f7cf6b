/// An affine map `y = W·x + b`.
///
/// Gemm, MatMul, Add/Sub/Mul by constants, a lowered convolution and folded batch
/// normalisation all become affine layers. The entries are the values the network stores:
/// the importer folds two operations into one layer only where the folded entries are exact.
public struct AffineLayer: Sendable, Equatable {
    /// `W`, with one row per output and one column per input.
    public var weights: Matrix
    /// `b`, one entry per output.
    public var bias: [Double]

    /// Creates `y = weights·x + bias`.
    /// - Precondition: `bias.count == weights.rows`.
    public init(weights: Matrix, bias: [Double]) {
        precondition(bias.count == weights.rows, "bias has \(bias.count) entries for \(weights.rows) rows")
        self.weights = weights
        self.bias = bias
    }

    public var inputSize: Int { weights.columns }
    public var outputSize: Int { weights.rows }
}
