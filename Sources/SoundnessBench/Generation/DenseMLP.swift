import NetworkIR

/// A fully connected ReLU network in flat arrays, with the forward and backward passes the
/// trainer needs (reverse-mode differentiation by hand: Rumelhart, Hinton, Williams 1986,
/// "Learning representations by back-propagating errors", the generalised delta rule).
struct DenseMLP: Sendable {
    /// Layer sizes, input first.
    let sizes: [Int]
    /// `weights[l]` is row-major `sizes[l+1] × sizes[l]`.
    var weights: [[Double]]
    /// `biases[l]` has `sizes[l+1]` entries.
    var biases: [[Double]]

    init(_ network: LayeredNetwork) {
        precondition(network.convolutions.isEmpty, "DenseMLP holds dense layers only")
        sizes = [network.inputShape.reduce(1, *)] + network.dense.map(\.outputCount)
        weights = network.dense.map(\.weights.storage)
        biases = network.dense.map(\.bias)
    }

    /// Back to a `LayeredNetwork` (same input shape).
    func layered(inputShape: [Int], usesMatMul: Bool) -> LayeredNetwork {
        let dense = (0..<weights.count).map { l in
            DenseWeights(weights: Matrix(rows: sizes[l + 1], columns: sizes[l], storage: weights[l]), bias: biases[l])
        }
        return LayeredNetwork(inputShape: inputShape, convolutions: [], dense: dense, usesMatMul: usesMatMul)
    }

    var layerCount: Int { weights.count }

    /// The values entering each layer (`trace[0]` is the input) and the output logits.
    func forward(_ x: [Double]) -> (trace: [[Double]], output: [Double]) {
        var trace: [[Double]] = [x]
        var a = x
        for l in 0..<layerCount {
            let rows = sizes[l + 1], columns = sizes[l]
            var z = biases[l]
            weights[l].withUnsafeBufferPointer { w in
                a.withUnsafeBufferPointer { av in
                    for r in 0..<rows {
                        var sum = 0.0
                        let base = r * columns
                        for c in 0..<columns { sum += w[base + c] * av[c] }
                        z[r] += sum
                    }
                }
            }
            if l < layerCount - 1 {
                for r in 0..<rows where z[r] < 0 { z[r] = 0 }
                trace.append(z)
            }
            a = z
        }
        return (trace, a)
    }

    /// Logits only.
    func logits(_ x: [Double]) -> [Double] { forward(x).output }

    /// Back-propagates `dOutput` (the loss gradient at the logits) through the layers.
    /// Accumulates weight and bias gradients into `gradient` when given, and returns the
    /// gradient with respect to the input.
    func backward(trace: [[Double]], dOutput: [Double], into gradient: GradientAccumulator?) -> [Double] {
        var delta = dOutput
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let rows = sizes[l + 1], columns = sizes[l]
            let input = trace[l]
            if let gradient {
                gradient.weights[l].withUnsafeMutableBufferPointer { g in
                    for r in 0..<rows where delta[r] != 0 {
                        let d = delta[r], base = r * columns
                        for c in 0..<columns { g[base + c] += d * input[c] }
                    }
                }
                for r in 0..<rows { gradient.biases[l][r] += delta[r] }
            }
            var previous = [Double](repeating: 0, count: columns)
            weights[l].withUnsafeBufferPointer { w in
                for r in 0..<rows where delta[r] != 0 {
                    let d = delta[r], base = r * columns
                    for c in 0..<columns { previous[c] += d * w[base + c] }
                }
            }
            if l > 0 {
                // ReLU derivative: the stored activation is positive exactly where it passed.
                for c in 0..<columns where input[c] <= 0 { previous[c] = 0 }
            }
            delta = previous
        }
        return delta
    }
}

/// Gradient accumulators shaped like a `DenseMLP`'s parameters (a class so that the backward
/// pass can add into it without copying).
final class GradientAccumulator {
    var weights: [[Double]]
    var biases: [[Double]]

    init(shapeOf mlp: DenseMLP) {
        weights = mlp.weights.map { Array(repeating: 0, count: $0.count) }
        biases = mlp.biases.map { Array(repeating: 0, count: $0.count) }
    }

    /// The Euclidean norm over all entries.
    var norm: Double {
        var s = 0.0
        for w in weights { for v in w { s += v * v } }
        for b in biases { for v in b { s += v * v } }
        return s.squareRoot()
    }
}
