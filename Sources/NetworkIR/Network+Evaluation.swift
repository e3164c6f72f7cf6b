/// Concrete evaluation of a network, in double and in single precision.
extension Network {
    /// Runs the network on `input` in double precision.
    /// - Precondition: `input.count == inputSize`.
    /// - Complexity: O(total number of weights).
    public func evaluate(_ input: [Double]) -> [Double] {
        precondition(input.count == inputSize, "input has \(input.count) values, network takes \(inputSize)")
        var x = input
        for layer in layers { x = Network.apply(layer, to: x) }
        return x
    }

    /// Runs the network and returns the vector after every layer (`trace[i]` is the output of
    /// layer `i`); used by gradient attacks and by the search to read hidden activations.
    public func evaluateTrace(_ input: [Double]) -> [[Double]] {
        precondition(input.count == inputSize, "input has \(input.count) values, network takes \(inputSize)")
        var trace: [[Double]] = []
        trace.reserveCapacity(layers.count)
        var x = input
        for layer in layers {
            x = Network.apply(layer, to: x)
            trace.append(x)
        }
        return trace
    }

    /// Runs layers `range` on `vector` (the input of the first layer in the range).
    public func evaluate(layers range: Range<Int>, on vector: [Double]) -> [Double] {
        var x = vector
        for index in range { x = Network.apply(layers[index], to: x) }
        return x
    }

    /// Applies one layer in double precision.
    public static func apply(_ layer: Layer, to x: [Double]) -> [Double] {
        switch layer {
        case let .affine(affine):
            var y = affine.matrix.multiply(x)
            for i in y.indices { y[i] += affine.bias[i] }
            return y
        case let .divide(divisors):
            return zip(x, divisors).map { $0 / $1 }
        case .relu:
            return x.map { max(0, $0) }
        case let .smooth(smooth):
            return smooth.apply(x)
        }
    }

    /// Runs the network on `input` in single precision, accumulating dot products in float32
    /// in index order, as a plain ONNX runtime kernel does. Results may differ from another
    /// runtime's float32 outputs by accumulation order (a few ulps).
    public func evaluateFloat(_ input: [Float]) -> [Float] {
        precondition(input.count == inputSize, "input has \(input.count) values, network takes \(inputSize)")
        var x = input
        for layer in layers {
            switch layer {
            case let .affine(affine):
                let w = affine.matrix
                var y = [Float](repeating: 0, count: w.rows)
                for i in 0..<w.rows {
                    var sum: Float = 0
                    w.forEachEntry(inRow: i) { j, wij in sum += Float(wij) * x[j] }
                    y[i] = sum + Float(affine.bias[i])
                }
                x = y
            case let .divide(divisors):
                x = zip(x, divisors).map { $0 / Float($1) }
            case .relu:
                x = x.map { max(0, $0) }
            case let .smooth(smooth):
                x = smooth.apply(x)
            }
        }
        return x
    }
}
