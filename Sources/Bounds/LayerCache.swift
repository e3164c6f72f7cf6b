import NetworkIR

/// Per-layer data that back-substitution and the Lagrangian dual reuse for every objective row:
/// the magnitudes of the vector entering the layer (for rounding-error terms), the error weights
/// `|W|·mag + |b|` of an affine layer, the ReLU relaxation of a ReLU layer, and the linear
/// bounds of a sigmoid or tanh layer.
struct LayerCache: Sendable {
    /// `max(|l|, |u|)` of each coordinate entering the layer.
    let magnitudes: [Double]
    /// The sum of `magnitudes` (for underflow terms).
    let magnitudeSum: Double
    /// For an affine layer: `Σⱼ |wᵢⱼ|·magⱼ + |bᵢ|` per output row; empty otherwise.
    let errorWeights: [Double]
    /// For a ReLU layer: its relaxation; nil otherwise.
    let relaxation: ReLURelaxation?
    /// For a sigmoid or tanh layer: each neuron's linear bounds over its input interval; nil
    /// otherwise.
    let smoothRelaxations: [SmoothRelaxation]?

    /// Builds the cache of `layer` whose input lies in `input`.
    init(layer: Layer, input: IntervalVector) {
        let magnitudes = input.magnitudes
        self.magnitudes = magnitudes
        magnitudeSum = magnitudes.reduce(0, +)
        switch layer {
        case let .affine(affine):
            let n = affine.inputSize
            var weights = [Double](repeating: 0, count: affine.outputSize)
            switch affine.matrix {
            case let .dense(dense):
                dense.storage.withUnsafeBufferPointer { w in
                    magnitudes.withUnsafeBufferPointer { mag in
                        for i in 0..<affine.outputSize {
                            var sum = abs(affine.bias[i])
                            let row = i * n
                            for j in 0..<n { sum += abs(w[row + j]) * mag[j] }
                            weights[i] = sum
                        }
                    }
                }
            case let .sparse(sparse):
                for i in 0..<affine.outputSize {
                    var sum = abs(affine.bias[i])
                    sparse.forEachEntry(inRow: i) { j, w in sum += abs(w) * magnitudes[j] }
                    weights[i] = sum
                }
            }
            errorWeights = weights
            relaxation = nil
            smoothRelaxations = nil
        case .divide:
            errorWeights = []
            relaxation = nil
            smoothRelaxations = nil
        case .relu:
            errorWeights = []
            relaxation = ReLURelaxation(preActivation: input)
            smoothRelaxations = nil
        case let .smooth(smooth):
            errorWeights = []
            relaxation = nil
            smoothRelaxations = (0..<input.count).map { j in
                smooth.carries(j) ? .identity : SmoothRelaxation(smooth.function, lower: input.lower[j], upper: input.upper[j])
            }
        }
    }
}
