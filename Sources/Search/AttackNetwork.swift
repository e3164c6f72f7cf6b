import NetworkIR

/// A network in the form gradient attacks evaluate it many times: affine layers whose weight
/// matrices are mostly zero are kept in compressed sparse row form (Saad 2003, "Iterative
/// Methods for Sparse Linear Systems", §3.4, CSR).
///
/// Why: the importer lowers a convolution to a dense matrix over the whole image. On the OVAL
/// CIFAR-10 networks a 4×4 kernel over 3 channels leaves 48 nonzeros in each row of 3072, so a
/// dense product spends about 98% of its multiplications on zeros, and one forward and backward
/// pass of `cifar_wide_kw` costs about 40 million multiplications where the nonzeros need about
/// one million. Fully connected layers stay dense.
///
/// Results equal `Network.evaluate` for finite inputs: each row sums its nonzero products from
/// 0 in column order and then adds the bias, and the skipped products are exact zeros. The
/// values only guide search; every point found is checked by `CounterexampleCheck`.
public struct AttackNetwork: Sendable {
    /// One layer: the network's own, or a sparse affine map.
    enum Step: Sendable {
        case layer(Layer)
        case sparse(SparseAffine)
    }

    /// `W·x + b` with `W` in compressed sparse rows.
    struct SparseAffine: Sendable {
        let rows: Int
        let columns: Int
        /// Row `i`'s entries are `rowStart[i]..<rowStart[i + 1]`.
        let rowStart: [Int]
        let column: [Int]
        let value: [Double]
        let bias: [Double]

        init(_ affine: AffineLayer) {
            let w = affine.weights
            var rowStart = [0]
            rowStart.reserveCapacity(w.rows + 1)
            var column: [Int] = []
            var value: [Double] = []
            for i in 0..<w.rows {
                let base = i * w.columns
                for j in 0..<w.columns where w.storage[base + j] != 0 {
                    column.append(j)
                    value.append(w.storage[base + j])
                }
                rowStart.append(column.count)
            }
            rows = w.rows
            columns = w.columns
            self.rowStart = rowStart
            self.column = column
            self.value = value
            bias = affine.bias
        }

        func apply(_ x: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: rows)
            rowStart.withUnsafeBufferPointer { start in
                column.withUnsafeBufferPointer { col in
                    value.withUnsafeBufferPointer { val in
                        x.withUnsafeBufferPointer { xv in
                            for i in 0..<rows {
                                var sum = 0.0
                                for k in start[i]..<start[i + 1] { sum += val[k] * xv[col[k]] }
                                y[i] = sum + bias[i]
                            }
                        }
                    }
                }
            }
            return y
        }

        /// `Wᵀ·g`, scattering each row's entries (rows with `g[i] = 0` skipped, as the dense
        /// `Matrix.transposeMultiply` does).
        func transposeApply(_ g: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: columns)
            rowStart.withUnsafeBufferPointer { start in
                column.withUnsafeBufferPointer { col in
                    value.withUnsafeBufferPointer { val in
                        y.withUnsafeMutableBufferPointer { yv in
                            for i in 0..<rows where g[i] != 0 {
                                let gi = g[i]
                                for k in start[i]..<start[i + 1] { yv[col[k]] += gi * val[k] }
                            }
                        }
                    }
                }
            }
            return y
        }
    }

    /// The network as imported.
    public let network: Network
    let steps: [Step]

    /// Converts every affine layer with at most `sparseDensity` of its weights nonzero.
    /// - Complexity: one pass over all weights.
    public init(_ network: Network, sparseDensity: Double = 0.25) {
        self.network = network
        steps = network.layers.map { layer in
            guard case let .affine(affine) = layer, affine.weights.storage.count > 0 else { return .layer(layer) }
            let nonzeros = affine.weights.storage.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            return Double(nonzeros) <= sparseDensity * Double(affine.weights.storage.count)
                ? .sparse(SparseAffine(affine)) : .layer(layer)
        }
    }

    /// How many affine layers are held sparse.
    public var sparseLayerCount: Int { steps.reduce(0) { if case .sparse = $1 { $0 + 1 } else { $0 } } }

    private static func apply(_ step: Step, to x: [Double]) -> [Double] {
        switch step {
        case let .layer(layer): Network.apply(layer, to: x)
        case let .sparse(affine): affine.apply(x)
        }
    }

    /// `N(input)` in double precision.
    public func evaluate(_ input: [Double]) -> [Double] {
        precondition(input.count == network.inputSize, "input has \(input.count) values, network takes \(network.inputSize)")
        var x = input
        for step in steps { x = Self.apply(step, to: x) }
        return x
    }

    /// The vector after every layer (`trace[i]` is the output of layer `i`).
    public func evaluateTrace(_ input: [Double]) -> [[Double]] {
        precondition(input.count == network.inputSize, "input has \(input.count) values, network takes \(network.inputSize)")
        var trace: [[Double]] = []
        trace.reserveCapacity(steps.count)
        var x = input
        for step in steps {
            x = Self.apply(step, to: x)
            trace.append(x)
        }
        return trace
    }

    /// The gradient of `cotangentᵀ·N(x)` with respect to `x`, given `trace = evaluateTrace(x)`:
    /// the same reverse pass as `Network.inputGradient` (ReLU subgradient 0 at a kink).
    public func inputGradient(of cotangent: [Double], at input: [Double], trace: [[Double]]) -> [Double] {
        precondition(cotangent.count == network.outputSize, "cotangent has \(cotangent.count) entries for \(network.outputSize) outputs")
        var g = cotangent
        for index in steps.indices.reversed() {
            switch steps[index] {
            case let .sparse(affine):
                g = affine.transposeApply(g)
            case let .layer(.affine(affine)):
                g = affine.weights.transposeMultiply(g)
            case let .layer(.divide(divisors)):
                for i in g.indices { g[i] /= divisors[i] }
            case .layer(.relu):
                let pre = index == 0 ? input : trace[index - 1]
                for i in g.indices where !(pre[i] > 0) { g[i] = 0 }
            case let .layer(layer):
                // Sigmoid or tanh: f′ from the output (σ(1 − σ), 1 − tanh²).
                Network.scaleBySmoothDerivative(&g, layer: layer, output: trace[index])
            }
        }
        return g
    }
}
