import NetworkIR

/// The parameters of a fully connected layer `y = W·x + b`, `W` with one row per output.
public struct DenseWeights: Sendable, Equatable {
    /// `W`: `outputs × inputs`.
    public var weights: Matrix
    /// `b`: one entry per output.
    public var bias: [Double]

    /// Creates the layer. - Precondition: `bias.count == weights.rows`.
    public init(weights: Matrix, bias: [Double]) {
        precondition(bias.count == weights.rows, "bias has \(bias.count) entries for \(weights.rows) rows")
        self.weights = weights
        self.bias = bias
    }

    /// The number of inputs.
    public var inputCount: Int { weights.columns }
    /// The number of outputs.
    public var outputCount: Int { weights.rows }

    /// `W·x + b` in double precision.
    /// - Complexity: O(inputs × outputs).
    public func apply(_ x: [Double]) -> [Double] {
        var y = weights.multiply(x)
        for i in y.indices { y[i] += bias[i] }
        return y
    }

    /// The same layer with every parameter rounded to the nearest float32, as the ONNX file
    /// stores it.
    public var roundedToFloat32: DenseWeights {
        DenseWeights(weights: Matrix(rows: weights.rows, columns: weights.columns,
                                     storage: weights.storage.map { Double(Float($0)) }),
                     bias: bias.map { Double(Float($0)) })
    }
}
