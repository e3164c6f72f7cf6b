import NetworkIR

/// Fixed ReLU phases for one branch-and-bound sub-problem: a map from (index of a ReLU layer in
/// `Network.layers`, neuron) to its phase.
public struct PhaseAssignment: Sendable, Hashable {
    private var phases: [Int: [Int: ReLUPhase]]

    /// No fixed phase: the whole input region.
    public init() { phases = [:] }

    /// The phase fixed for `neuron` of ReLU layer `layer`, or nil when free.
    public subscript(layer layer: Int, neuron neuron: Int) -> ReLUPhase? {
        get { phases[layer]?[neuron] }
        set { phases[layer, default: [:]][neuron] = newValue }
    }

    /// Fixes (or, with nil, frees) the phase of `neuron` in ReLU layer `layer`.
    public mutating func fix(layer: Int, neuron: Int, to phase: ReLUPhase?) {
        self[layer: layer, neuron: neuron] = phase
    }

    /// A copy with one more fixed phase.
    public func fixing(layer: Int, neuron: Int, to phase: ReLUPhase) -> PhaseAssignment {
        var copy = self
        copy.fix(layer: layer, neuron: neuron, to: phase)
        return copy
    }

    /// The fixed phases of layer `layer`, by neuron.
    public func phases(inLayer layer: Int) -> [Int: ReLUPhase] { phases[layer] ?? [:] }

    /// A fixed phase read as the constraint `sign · z ≥ 0` on the neuron's pre-activation `z`.
    struct SplitConstraint: Sendable, Equatable {
        var layer: Int
        var neuron: Int
        /// +1 for active (`z ≥ 0`), −1 for inactive (`z ≤ 0`).
        var sign: Double
    }

    /// Every fixed phase as a constraint, by layer and neuron (a deterministic order).
    var splitConstraints: [SplitConstraint] {
        phases.keys.sorted().flatMap { layer in
            (phases[layer] ?? [:]).sorted { $0.key < $1.key }.map { neuron, phase in
                SplitConstraint(layer: layer, neuron: neuron, sign: phase == .active ? 1 : -1)
            }
        }
    }

    /// True when nothing is fixed.
    public var isEmpty: Bool { phases.values.allSatisfy(\.isEmpty) }

    /// The number of fixed neurons.
    public var count: Int { phases.values.reduce(0) { $0 + $1.count } }

    /// Checks that every fixed neuron exists and sits in a ReLU layer of `network`.
    /// - Throws: `BoundsError.invalidPhase` naming the first bad entry.
    public func validate(for network: Network) throws {
        for (layer, neurons) in phases.sorted(by: { $0.key < $1.key }) where !neurons.isEmpty {
            guard network.layers.indices.contains(layer) else {
                throw BoundsError.invalidPhase(layer: layer, neuron: neurons.keys.min() ?? 0, reason: "the network has \(network.layers.count) layers")
            }
            guard case .relu = network.layers[layer] else {
                throw BoundsError.invalidPhase(layer: layer, neuron: neurons.keys.min() ?? 0,
                                               reason: "layer \(layer) is \(network.layers[layer].kindName), not relu")
            }
            if let bad = neurons.keys.sorted().first(where: { $0 < 0 || $0 >= network.layerSizes[layer] }) {
                throw BoundsError.invalidPhase(layer: layer, neuron: bad, reason: "layer \(layer) has \(network.layerSizes[layer]) neurons")
            }
        }
    }
}
