/// What splitting each last-stage ReLU gained one objective's hull program, per unit of the
/// indicator's move (pseudocosts: Bénichou et al. 1971, "Experiments in mixed-integer linear
/// programming", Math. Program. 1), from the strong-branching solves of reliability branching
/// (`ReliabilityBranching`).
///
/// A value: each node reads the tree's record as it stood when the node was taken, and the tree
/// adds each node's observations in the order its nodes were taken, so that a run explores the
/// same tree every time however its workers interleave.
public struct Pseudocosts: Sendable {
    /// One strong-branching solve of a ReLU: its gains per unit, down (inactive) and up (active).
    public struct Observation: Sendable, Equatable {
        public var neuron: Int
        public var down: Double
        public var up: Double
    }

    struct Tally {
        var downSum = 0.0, upSum = 0.0
        var count = 0
    }

    private var byNeuron: [Int: Tally] = [:]
    private var all = Tally()

    /// An empty record.
    public init() {}

    /// The mean gains per unit of splitting `neuron`, down and up (the record's means over all
    /// ReLUs where it has none yet, 1 before anything is recorded), and how many solves they
    /// rest on.
    func estimate(_ neuron: Int) -> (down: Double, up: Double, count: Int) {
        let own = byNeuron[neuron] ?? Tally()
        let source = own.count > 0 ? own : all
        guard source.count > 0 else { return (1, 1, 0) }
        return (source.downSum / Double(source.count), source.upSum / Double(source.count), own.count)
    }

    /// Adds one solve's gains (ignored unless both are finite).
    public mutating func record(_ observation: Observation) {
        guard observation.down.isFinite, observation.up.isFinite else { return }
        byNeuron[observation.neuron, default: Tally()].downSum += observation.down
        byNeuron[observation.neuron, default: Tally()].upSum += observation.up
        byNeuron[observation.neuron, default: Tally()].count += 1
        all.downSum += observation.down
        all.upSum += observation.up
        all.count += 1
    }
}
