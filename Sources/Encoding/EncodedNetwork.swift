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
    /// The sigmoid and tanh layers encoded, each over-approximated by its bounds.
    public var relaxedLayers: [Int] = []

    /// Whether the encoding is exact: no layer was over-approximated. Only then is a model
    /// of the encoding an input of the network with the encoded outputs.
    public var isExact: Bool { relaxedLayers.isEmpty }

    /// The symbolic outputs of the last encoded layer (the inputs if no layer was encoded).
    public var outputs: [LinearForm] { layerValues.last ?? inputs.map { LinearForm($0) } }
}
