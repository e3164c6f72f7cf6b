import NetworkIR

/// A network in the form gradient attacks evaluate it many times: affine layers whose weight
/// matrices are mostly zero are kept as `SparseMatrix` (compressed sparse rows, Saad 2003,
/// "Iterative Methods for Sparse Linear Systems", §3.4).
///
/// Why: the importer lowers a small convolution to a dense matrix over the whole image. On the OVAL
/// CIFAR-10 networks a 4×4 kernel over 3 channels leaves 48 nonzeros in each row of 3072, so a
/// dense product spends about 98% of its multiplications on zeros, and one forward and backward
/// pass of `cifar_wide_kw` costs about 40 million multiplications where the nonzeros need about
/// one million. Fully connected layers stay dense.
///
/// Results equal `Network.evaluate` for finite inputs: each row sums its nonzero products from
/// 0 in column order and then adds the bias, and the skipped products are exact zeros. The
/// values only guide search; every point found is checked by `CounterexampleCheck`.
public struct AttackNetwork: Sendable {
    /// The network as imported.
    public let network: Network
    /// Its layers, with mostly-zero affine layers stored sparse.
    let layers: [Layer]

    /// Converts every affine layer with at most `sparseDensity` of its weights nonzero (layers
    /// the importer already stores sparse stay so).
    /// - Complexity: one pass over all weights.
    public init(_ network: Network, sparseDensity: Double = 0.25) {
        self.network = network
        layers = network.layers.map { layer in
            guard case let .affine(affine) = layer, let dense = affine.denseWeights, dense.storage.count > 0 else { return layer }
            let nonzeros = dense.storage.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            guard Double(nonzeros) <= sparseDensity * Double(dense.storage.count) else { return layer }
            return .affine(AffineLayer(matrix: .sparse(SparseMatrix(dense)), bias: affine.bias))
        }
    }

    /// How many affine layers are held sparse.
    public var sparseLayerCount: Int {
        layers.reduce(0) { if case let .affine(a) = $1, case .sparse = a.matrix { $0 + 1 } else { $0 } }
    }

    /// `N(input)` in double precision.
    public func evaluate(_ input: [Double]) -> [Double] {
        precondition(input.count == network.inputSize, "input has \(input.count) values, network takes \(network.inputSize)")
        var x = input
        for layer in layers { x = Network.apply(layer, to: x) }
        return x
    }

    /// The vector after every layer (`trace[i]` is the output of layer `i`).
    public func evaluateTrace(_ input: [Double]) -> [[Double]] {
        precondition(input.count == network.inputSize, "input has \(input.count) values, network takes \(network.inputSize)")
        var trace: [[Double]] = []
        trace.reserveCapacity(layers.count)
        var x = input
        for layer in layers {
            x = Network.apply(layer, to: x)
            trace.append(x)
        }
        return trace
    }

    /// The gradient of `cotangentᵀ·N(x)` with respect to `x`, given `trace = evaluateTrace(x)`:
    /// the same reverse pass as `Network.inputGradient` (ReLU subgradient 0 at a kink).
    public func inputGradient(of cotangent: [Double], at input: [Double], trace: [[Double]]) -> [Double] {
        precondition(cotangent.count == network.outputSize, "cotangent has \(cotangent.count) entries for \(network.outputSize) outputs")
        var g = cotangent
        for index in layers.indices.reversed() {
            switch layers[index] {
            case let .affine(affine):
                g = affine.matrix.transposeMultiply(g)
            case let .divide(divisors):
                for i in g.indices { g[i] /= divisors[i] }
            case .relu:
                let pre = index == 0 ? input : trace[index - 1]
                for i in g.indices where !(pre[i] > 0) { g[i] = 0 }
            case .smooth:
                // f′ from the output (σ(1 − σ), 1 − tanh²).
                Network.scaleBySmoothDerivative(&g, layer: layers[index], output: trace[index])
            }
        }
        return g
    }
}
