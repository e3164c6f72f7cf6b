import NetworkIR

/// Runs many input points through a network at once, as one matrix product per layer on the
/// packed AVX2 kernel of `DenseKernels`.
///
/// Why: branch and bound screens about ten candidate points per node (the box centre and the
/// vertex minimising each open case's bound). On MNIST fc, running them one by one through
/// `Network.evaluate`, whose dot products run in strict order, took 27 % of the time (perf,
/// mnist-net_256x4 prop_0_0.03). A batch shares every weight load among the points.
///
/// Not for validation: the sums are fused multiply-adds where AVX2 is available (plain ones
/// elsewhere), so results can differ from `Network.evaluate` in the last bits. Callers use them
/// to rank and screen points; whatever is reported is checked again by `CounterexampleCheck`.
public struct BatchEvaluator: Sendable {
    public let network: Network
    /// For each dense affine layer, its weights transposed and packed (`inputs × outputs`); nil
    /// for sparse ones (`WeightKernels` multiplies them).
    private let transposed: [PackedMatrix?]

    public init(network: Network) {
        self.network = network
        transposed = PackedMatrix.transposedWeights(of: network)
    }

    /// The network's outputs at `points` (each of `network.inputSize` values), in order.
    /// - Complexity: O(points × Σ layer weights), in blocks of four points.
    public func evaluate(_ points: [[Double]]) -> [[Double]] {
        let rows = points.count
        guard rows > 0 else { return [] }
        var width = network.inputSize
        var x = [Double]()
        x.reserveCapacity(rows * width)
        for point in points {
            precondition(point.count == width, "point has \(point.count) values, network takes \(width)")
            x.append(contentsOf: point)
        }
        for (index, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(affine):
                let outputs = affine.outputSize
                var y = [Double](repeating: 0, count: rows * outputs)
                x.withUnsafeBufferPointer { a in
                    y.withUnsafeMutableBufferPointer { out in
                        guard let a = a.baseAddress, let out = out.baseAddress else { return }
                        WeightKernels.multiplyTransposed(a, rows: rows, by: affine.matrix, packedTranspose: transposed[index], into: out)
                    }
                }
                for r in 0..<rows {
                    for j in 0..<outputs { y[r * outputs + j] += affine.bias[j] }
                }
                x = y
                width = outputs
            case let .divide(divisors):
                for r in 0..<rows {
                    for j in 0..<width { x[r * width + j] /= divisors[j] }
                }
            case .relu:
                for k in x.indices { x[k] = max(0, x[k]) }
            case let .smooth(smooth):
                // `x` holds the rows one after another.
                for k in x.indices { x[k] = smooth.value(x[k], at: k % width) }
            }
        }
        return (0..<rows).map { r in Array(x[(r * width)..<((r + 1) * width)]) }
    }
}
