import Synchronization

/// One tree's record of what splitting each last-stage ReLU gained the hull program's bound,
/// per unit of the indicator's move (pseudocosts: Bénichou et al. 1971, "Experiments in
/// mixed-integer linear programming", Math. Program. 1), and the rule's two parameters
/// (reliability branching: Achterberg, Koch and Martin 2005, "Branching rules revisited", Oper.
/// Res. Lett. 33, §3; `HullRelaxation.reliabilityChoice`).
///
/// Why: how far the program's solution sits from a ReLU's graph picks splits hardly better than
/// chance, while solving both children of every candidate (strong branching) picks well at two
/// solves a candidate. What strong branching saw on a ReLU predicts its gains in later nodes, so
/// a candidate is solved only until it has been solved `reliableAfter` times. On safenlp's
/// ruarobot hyperrectangle_2983 the tree shrinks from 1,859 nodes to about 400.
///
/// Shared by the tree's workers (so their trees may differ from run to run); it steers the
/// choice of splits only, never a bound.
public final class ReliabilityBranching: Sendable {
    /// Strong-branching solves after which a ReLU's pseudocosts alone score it.
    public let reliableAfter: Int
    /// A node's strong branching stops after this many candidates in a row that beat nothing.
    public let lookahead: Int
    /// At most this many candidates are solved a node, so that a node costs at most
    /// `2·solvesPerNode` solves more than without the rule.
    public let solvesPerNode: Int

    /// Per ReLU: the sums and counts of its gains per unit, down (inactive) and up (active).
    struct Pseudocost {
        var downSum = 0.0, upSum = 0.0
        var count = 0
    }

    struct Table {
        var byNeuron: [Int: Pseudocost] = [:]
        var all = Pseudocost()
    }

    private let table = Mutex(Table())

    /// An empty record.
    public init(reliableAfter: Int = 4, lookahead: Int = 8, solvesPerNode: Int = 8) {
        self.reliableAfter = reliableAfter
        self.lookahead = lookahead
        self.solvesPerNode = solvesPerNode
    }

    /// The mean gains per unit of splitting `neuron`, down and up (the tree's means where it has
    /// none yet, 1 before anything is recorded), and how many solves they rest on.
    func estimate(_ neuron: Int) -> (down: Double, up: Double, count: Int) {
        table.withLock { table in
            let own = table.byNeuron[neuron] ?? Pseudocost()
            let source = own.count > 0 ? own : table.all
            guard source.count > 0 else { return (1, 1, 0) }
            return (source.downSum / Double(source.count), source.upSum / Double(source.count), own.count)
        }
    }

    /// Records one strong-branching solve of `neuron`: its gains per unit, down and up.
    func record(_ neuron: Int, down: Double, up: Double) {
        guard down.isFinite, up.isFinite else { return }
        table.withLock { table in
            table.byNeuron[neuron, default: Pseudocost()].downSum += down
            table.byNeuron[neuron, default: Pseudocost()].upSum += up
            table.byNeuron[neuron, default: Pseudocost()].count += 1
            table.all.downSum += down
            table.all.upSum += up
            table.all.count += 1
        }
    }
}
