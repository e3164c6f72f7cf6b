import SMT

/// What `NetworkEncoder` declared in a solver: the symbolic value of every input, of every
/// layer's outputs, and how many ReLUs stayed unstable (the ones Z3 must case-split).
public struct EncodedNetwork: Sendable {
    /// One declared variable per network input.
    public var inputs: [RealVariable]
    /// The symbolic value of each neuron after each encoded layer (`layerValues[i][j]`).
    public var layerValues: [[LinearForm]]
    /// The number of ReLUs encoded exactly with a case split, per ReLU layer encoded.
    public var unstableReLUs: [Int]

    /// The symbolic outputs of the last encoded layer (the inputs if no layer was encoded).
    public var outputs: [LinearForm] { layerValues.last ?? inputs.map { LinearForm($0) } }
}
