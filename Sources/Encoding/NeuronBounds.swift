/// Sound bounds on the input and on the output of every layer of a network, as the encoder
/// consumes them.
///
/// `lower[i][j] ≤ value of neuron j after layer i ≤ upper[i][j]` must hold for every input in
/// the region being encoded. They must come from a sound method (outward rounding), because
/// the encoder turns them into constraints (stable ReLUs fixed, triangle cuts) that an `unsat`
/// answer relies on.
public struct NeuronBounds: Sendable, Equatable {
    public var inputLower: [Double]
    public var inputUpper: [Double]
    public var lower: [[Double]]
    public var upper: [[Double]]

    public init(inputLower: [Double], inputUpper: [Double], lower: [[Double]], upper: [[Double]]) {
        precondition(lower.count == upper.count && inputLower.count == inputUpper.count, "bounds of different shapes")
        self.inputLower = inputLower
        self.inputUpper = inputUpper
        self.lower = lower
        self.upper = upper
    }

    /// Bounds on neuron `neuron` of the vector entering layer `layer`.
    public func entering(layer: Int, neuron: Int) -> (lower: Double, upper: Double) {
        layer == 0 ? (inputLower[neuron], inputUpper[neuron]) : (lower[layer - 1][neuron], upper[layer - 1][neuron])
    }
}
