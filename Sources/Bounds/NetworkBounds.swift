import NetworkIR

/// Sound bounds on the input and on the output of every layer of a network, over one input
/// region (and, when phases are fixed, over the sub-region where those phases hold).
///
/// `layers[i]` bounds the output of `network.layers[i]`, so the pre-activation bounds of a ReLU
/// layer `i` are `inputBounds(ofLayer: i)`: `layers[i - 1]`, or `input` when `i == 0`.
///
/// - Soundness: for every point `x` of the region (restricted by the fixed phases) the exact
///   real-valued network with the stored weights satisfies `layers[i].lower ≤ yᵢ(x) ≤ layers[i].upper`.
///   When `isInfeasible` is true the bounds prove that the restricted region is empty; the boxes
///   past the contradiction are then well-formed but carry no information.
public struct NetworkBounds: Sendable, Equatable {
    /// Bounds on the network input (the region's box, clipped by phases of a ReLU applied to the input).
    public var input: IntervalVector
    /// Bounds on the output of each layer, index-aligned with `Network.layers`.
    public var layers: [IntervalVector]
    /// True when the fixed phases contradict the bounds: the sub-region is empty.
    public var isInfeasible: Bool
    /// The indices of the ReLU layers, in order.
    public let reluLayers: [Int]

    /// Assembles bounds for a network whose ReLU layers sit at `reluLayers`.
    public init(input: IntervalVector, layers: [IntervalVector], reluLayers: [Int], isInfeasible: Bool = false) {
        self.input = input
        self.layers = layers
        self.reluLayers = reluLayers
        self.isInfeasible = isInfeasible
    }

    /// Bounds on the network output.
    public var output: IntervalVector { layers.last ?? input }

    /// Bounds on the vector entering layer `index` (for a ReLU layer: its pre-activations).
    public func inputBounds(ofLayer index: Int) -> IntervalVector { index == 0 ? input : layers[index - 1] }

    /// Whether neuron `neuron` of ReLU layer `layer` has a fixed sign over the region
    /// (pre-activation lower bound ≥ 0 or upper bound ≤ 0).
    /// - Precondition: `layer` is a ReLU layer.
    public func isStable(layer: Int, neuron: Int) -> Bool { stablePhase(layer: layer, neuron: neuron) != nil }

    /// The phase the bounds force on neuron `neuron` of ReLU layer `layer`, or nil when unstable.
    /// A neuron whose pre-activation is exactly 0 counts as inactive (both phases agree there).
    public func stablePhase(layer: Int, neuron: Int) -> ReLUPhase? {
        precondition(reluLayers.contains(layer), "layer \(layer) is not a ReLU layer")
        let pre = inputBounds(ofLayer: layer)
        if pre.upper[neuron] <= 0 { return .inactive }
        if pre.lower[neuron] >= 0 { return .active }
        return nil
    }

    /// The unstable neurons of ReLU layer `layer`.
    public func unstableNeurons(inLayer layer: Int) -> [Int] {
        let pre = inputBounds(ofLayer: layer)
        return (0..<pre.count).filter { pre.lower[$0] < 0 && pre.upper[$0] > 0 }
    }

    /// The number of unstable neurons in each ReLU layer, in order of `reluLayers`.
    /// - Complexity: O(number of ReLU neurons).
    public var unstableCounts: [Int] { reluLayers.map { unstableNeurons(inLayer: $0).count } }
}
