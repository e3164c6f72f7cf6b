import NetworkIR

/// Float64 evaluation of a network with two reused buffers, for the search's hot loop.
///
/// Gives bit-for-bit the results of `Network.evaluate(layers:on:)` (same operations in the same
/// order: each dot product summed from 0 in column order, then the bias added), without
/// allocating an array per layer.
struct ForwardEvaluator {
    let network: Network
    private var current: [Double]
    private var next: [Double]

    init(network: Network) {
        self.network = network
        let width = max(network.inputSize, network.layerSizes.max() ?? 0)
        current = [Double](repeating: 0, count: width)
        next = current
    }

    /// The output of layer `range.upperBound − 1` for `vector` entering `range.lowerBound`.
    mutating func evaluate(layers range: Range<Int>, on vector: [Double]) -> [Double] {
        var size = vector.count
        for i in 0..<size { current[i] = vector[i] }
        for index in range {
            switch network.layers[index] {
            case let .affine(affine):
                switch affine.matrix {
                case let .dense(w):
                    current.withUnsafeBufferPointer { x in
                        next.withUnsafeMutableBufferPointer { y in
                            w.storage.withUnsafeBufferPointer { ws in
                                affine.bias.withUnsafeBufferPointer { bias in
                                    for i in 0..<w.rows {
                                        var sum = 0.0
                                        let base = i * w.columns
                                        for j in 0..<w.columns { sum += ws[base + j] * x[j] }
                                        y[i] = sum + bias[i]
                                    }
                                }
                            }
                        }
                    }
                case let .sparse(w):
                    current.withUnsafeBufferPointer { x in
                        next.withUnsafeMutableBufferPointer { y in
                            guard let xp = x.baseAddress, let yp = y.baseAddress else { return }
                            w.multiplyRows(xp, rows: 1, into: yp)
                            for i in 0..<w.rows { yp[i] += affine.bias[i] }
                        }
                    }
                }
                size = affine.outputSize
                swap(&current, &next)
            case let .divide(divisors):
                for i in 0..<size { current[i] /= divisors[i] }
            case .relu:
                for i in 0..<size { current[i] = max(0, current[i]) }
            case let .smooth(smooth):
                for i in 0..<size { current[i] = smooth.value(current[i], at: i) }
            }
        }
        return Array(current[0..<size])
    }

    /// The network's output on `input`.
    mutating func evaluate(_ input: [Double]) -> [Double] {
        evaluate(layers: 0..<network.layers.count, on: input)
    }
}
