import NetworkIR

/// Exact (sub)gradients of the piecewise-linear network, by reverse-mode differentiation.
///
/// On each linear region the network is affine, so the gradient of `cᵀ·N(x)` is the row vector
/// `cᵀ·W_L·D_{L-1}·…·D_1·W_1` with `D_i` the diagonal 0/1 ReLU pattern at `x` (Goodfellow,
/// Shlens, Szegedy 2015, "Explaining and Harnessing Adversarial Examples", eq. for FGSM, uses
/// this gradient). At a kink (pre-activation exactly 0) the ReLU subgradient 0 is used.
extension Network {
    /// The gradient of `cotangentᵀ · (output of layer range.upperBound − 1)` with respect to the
    /// vector entering layer `range.lowerBound`, at `vector`.
    ///
    /// - Parameters:
    ///   - cotangent: one weight per value leaving the last layer of `range`.
    ///   - range: the layers to differentiate through (empty: the identity).
    ///   - vector: the vector entering the first layer of `range`.
    /// - Returns: one partial derivative per entry of `vector`.
    /// - Complexity: two passes over the weights of the layers in `range`.
    public func vectorJacobianProduct(_ cotangent: [Double], layers range: Range<Int>, at vector: [Double]) -> [Double] {
        var trace: [[Double]] = []
        trace.reserveCapacity(range.count)
        var x = vector
        for index in range {
            x = Network.apply(layers[index], to: x)
            trace.append(x)
        }
        return backpropagate(cotangent, layers: range, entering: vector, trace: trace)
    }

    /// The gradient of `cotangentᵀ · N(input)` with respect to `input`.
    /// - Parameters:
    ///   - cotangent: one weight per network output.
    ///   - input: the point, of `inputSize` values.
    ///   - trace: `evaluateTrace(input)`, when the caller already has it.
    /// - Complexity: one backward pass over all weights (plus a forward pass without `trace`).
    public func inputGradient(of cotangent: [Double], at input: [Double], trace: [[Double]]? = nil) -> [Double] {
        precondition(cotangent.count == outputSize, "cotangent has \(cotangent.count) entries for \(outputSize) outputs")
        let trace = trace ?? evaluateTrace(input)
        return backpropagate(cotangent, layers: 0..<layers.count, entering: input, trace: trace)
    }

    /// Reverse pass through `range`; `trace[i]` is the output of layer `range.lowerBound + i`.
    func backpropagate(_ cotangent: [Double], layers range: Range<Int>, entering vector: [Double],
                       trace: [[Double]]) -> [Double] {
        var g = cotangent
        for index in range.reversed() {
            switch layers[index] {
            case let .affine(affine):
                g = affine.matrix.transposeMultiply(g)
            case let .divide(divisors):
                for i in g.indices { g[i] /= divisors[i] }
            case .relu:
                let position = index - range.lowerBound
                let pre = position == 0 ? vector : trace[position - 1]
                for i in g.indices where !(pre[i] > 0) { g[i] = 0 }
            case .smooth:
                Network.scaleBySmoothDerivative(&g, layer: layers[index], output: trace[index - range.lowerBound])
            }
        }
        return g
    }

    /// Multiplies the cotangent `g` of a sigmoid or tanh layer's output by the derivative,
    /// computed from the layer's `output` `y`: `y·(1 − y)` or `1 − y²`.
    static func scaleBySmoothDerivative(_ g: inout [Double], layer: Layer, output y: [Double]) {
        switch layer {
        case let .smooth(smooth):
            // A carried entry's derivative is 1.
            for i in g.indices where !smooth.carries(i) {
                switch smooth.function {
                case .sigmoid: g[i] *= y[i] * (1 - y[i])
                case .tanh: g[i] *= 1 - y[i] * y[i]
                }
            }
        case .affine, .divide, .relu:
            preconditionFailure("\(layer.kindName) is not a smooth activation")
        }
    }
}
