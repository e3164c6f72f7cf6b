import Dispatch
import NetworkIR

/// Tightens the pre-activation bounds of an intermediate layer's unstable neurons by a small
/// branch and bound over the phases of the ReLUs before it: each bound is the weakest of its
/// leaves' β-CROWN bounds, so it approaches from below what an exact mixed-integer program over
/// the layers before would give.
///
/// Why: on deep MNIST networks a ReLU-split tree over the final objective keeps splitting the
/// same early neurons in every branch, while the relaxation of every later layer is only as
/// tight as these bounds. Proving a neuron stable once removes it from every node of the tree
/// and tightens every later layer's relaxation. α-β-CROWN refines early layers' bounds the same
/// way with a MILP solver (its `bab-refine` mode, VNN-COMP 2022); ERAN refines with MILP too
/// (Singh et al. 2019, "Boosting Robustness Certification of Neural Networks", §4). Here the
/// leaves are bounded by the same sound β-CROWN evaluation as the tree's nodes, so no solver's
/// floating-point answer is trusted.
///
/// For an unstable neuron, the side nearer zero is refined (the one that can make it stable):
/// a leaf is split on its best BaBSR intercept score (`ReLUSplitBounding.interceptScores`) until
/// every leaf proves the side's sign or the tree's budget of children is spent. The neurons
/// still unstable then get rounds of trees four times as large, while time is left.
///
/// - Soundness: the leaves' regions cover the parent's (a split's two phases share `z = 0`),
///   each leaf bound is a `SplitAscent` bound (a `BackSubstitution` evaluation, sound under
///   rounding for any slopes and multipliers β ≥ 0) on the leaf's interval bounds
///   (`ReLUSplitBounding.nodeBounds`, sound for the leaf's region), and a leaf whose bounds are
///   empty holds no point. The minimum over the leaves is therefore sound for the whole region,
///   and the box is only ever intersected with it.
struct IntermediateRefinement: Sendable {
    /// Bounded children per refined bound in the first round (`refine`).
    var nodesPerBound = 32
    /// Adam steps on a leaf's slopes and multipliers.
    var iterations = 8
    /// No neuron's refinement starts after this instant.
    var deadline: ContinuousClock.Instant?
    /// The time all layers' refinements may take together (nil: no limit); the caller
    /// shares it among the layers by setting `deadline` for each.
    var budget: Duration?
    /// Threads refining neurons side by side (the neurons of one layer are independent).
    var jobs = 1
    /// Rounds of trees while time is left, each with four times the children of the one before.
    var rounds = 3

    /// One leaf of a neuron's tree. It keeps only what its children start from: a tree holds
    /// thousands of leaves per worker, and the leaf's interval bounds and the row's multipliers
    /// on every layer (tens of KB on a 784-input network) are needed only to choose its split,
    /// which is chosen when the leaf is bounded.
    private struct Leaf {
        var phases: PhaseAssignment
        /// Sound lower bound of the refined row over the leaf's region.
        var bound: Double
        var slopes: [Int: [Double]]
        var splitMultipliers: SplitMultipliers
        /// The ReLU to split the leaf on (nil: every ReLU before the layer is fixed, or the
        /// leaf already proves the bound).
        var split: (layer: Int, neuron: Int)?
    }

    /// Refines the bounds in `box` of the neurons of layer `layer` (an affine layer or a
    /// division feeding a ReLU) that it leaves unstable.
    /// - Parameters:
    ///   - engine: bounds of every layer before `layer` over the region, prepared through `layer`.
    ///   - transposed: `PackedMatrix.transposedWeights(of:)` of the network.
    /// - Returns: how many bounds were refined and how many neurons it made stable.
    @discardableResult
    func refine(_ box: inout IntervalVector, layer: Int, engine: BackSubstitution,
                transposed: [PackedMatrix?]) -> (refined: Int, stabilised: Int) {
        let network = engine.network
        guard layer > 0, layer < network.layers.count, !engine.bounds.isInfeasible,
              engine.bounds.reluLayers.contains(where: { $0 < layer && !engine.bounds.unstableNeurons(inLayer: $0).isEmpty })
        else { return (0, 0) }
        let initiallyUnstable = (0..<box.count).filter { box.lower[$0] < 0 && box.upper[$0] > 0 }
        var touched = Set<Int>()
        // Rounds of growing trees for the neurons still unstable, while time is left: a budget
        // that suits a layer of few unstable neurons would leave a wide one half done.
        // Without a time limit, one round: its cost is known in advance (at most
        // `nodesPerBound` children per neuron), where later rounds' could dwarf the run.
        var nodes = nodesPerBound
        for _ in 0..<(budget == nil && deadline == nil ? 1 : rounds) {
            if let deadline, ContinuousClock.now >= deadline { break }
            let done = refineRound(&box, layer: layer, nodes: nodes, engine: engine, transposed: transposed)
            touched.formUnion(done)
            if done.isEmpty || nodes == 0 { break }
            nodes *= 4
        }
        let stabilised = initiallyUnstable.filter { box.lower[$0] >= 0 || box.upper[$0] <= 0 }.count
        return (touched.count, stabilised)
    }

    /// One round of `refine`: every neuron `box` leaves unstable, with trees of at most `nodes`
    /// children. Returns the neurons whose tree ran.
    private func refineRound(_ box: inout IntervalVector, layer: Int, nodes: Int, engine: BackSubstitution,
                             transposed: [PackedMatrix?]) -> [Int] {
        // Neurons nearest to stability first: the deadline may cut the list.
        let unstable = (0..<box.count).filter { box.lower[$0] < 0 && box.upper[$0] > 0 }
            .sorted { min(box.upper[$0], -box.lower[$0]) / (box.upper[$0] - box.lower[$0])
                < min(box.upper[$1], -box.lower[$1]) / (box.upper[$1] - box.lower[$1]) }
        // Lower bound of sign·zⱼ: +1 refines zⱼ's lower end, −1 its upper end.
        let signs = unstable.map { j -> Double in box.upper[j] < -box.lower[j] ? -1 : 1 }
        // Each worker takes every `workers`-th neuron and writes only its own slots.
        let found = UnsafeMutableBufferPointer<Double>.allocate(capacity: unstable.count)
        found.initialize(repeating: .nan)
        defer { found.deallocate() }
        nonisolated(unsafe) let slots = found
        let workers = max(1, min(jobs, unstable.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: unstable.count, by: workers) {
                if let deadline, ContinuousClock.now >= deadline { break }
                slots[i] = bound(neuron: unstable[i], sign: signs[i], layer: layer, nodes: nodes, engine: engine,
                                 transposed: transposed)
            }
        }
        var done: [Int] = []
        for (i, j) in unstable.enumerated() where !found[i].isNaN {
            let lower = max(found[i], signs[i] > 0 ? box.lower[j] : -box.upper[j])
            if signs[i] > 0 { box.tighten(j, lower: lower, upper: .infinity) } else { box.tighten(j, lower: -.infinity, upper: -lower) }
            done.append(j)
        }
        return done
    }

    /// A sound lower bound of `sign·zⱼ` (neuron `neuron` of layer `layer`) over the engine's
    /// region, from at most `nodes` bounded leaves.
    private func bound(neuron: Int, sign: Double, layer: Int, nodes budget: Int, engine base: BackSubstitution,
                       transposed: [PackedMatrix?]) -> Double {
        let network = base.network
        var coefficients = [Double](repeating: 0, count: network.layerSizes[layer])
        coefficients[neuron] = sign
        let row = LinearObjective(outputCoefficients: coefficients,
                                  inputCoefficients: [Double](repeating: 0, count: network.inputSize))
        func evaluate(_ phases: PhaseAssignment, bounds: NetworkBounds, parent: Leaf?) -> Leaf {
            var engine = base.narrowed(to: bounds)
            engine.prepare(through: layer)
            let splits = phases.splitConstraints
            var ascent = SplitAscent(engine: engine, transposed: transposed, splits: splits, rows: [row])
            ascent.start = layer
            let initialSplits = parent.map { parent in [splits.map { parent.splitMultipliers.value(layer: $0.layer, neuron: $0.neuron) }] }
            let best = ascent.run(iterations: iterations, initialSlopes: parent.map { [$0.slopes] }, initialSplits: initialSplits) {
                $0[0] >= 0
            }[0]
            let values = splits.enumerated().map { s, split in (split.layer, split.neuron, best.splitMultipliers[s]) }
            // A child's region lies inside its parent's, so the parent's bound holds for it too.
            let lower = max(best.bound.lower.isNaN ? -.infinity : best.bound.lower, parent?.bound ?? -.infinity)
            // Every bounded leaf chooses, so take the best score without sorting them all
            // (`max` keeps the first of equal scores, as the stable sort did).
            let split = lower >= 0 ? nil
                : ReLUSplitBounding.interceptScores(bounds: bounds, multipliers: best.bound.multipliers, before: layer)
                    .max { $0.score < $1.score }
            return Leaf(phases: phases, bound: lower, slopes: best.slopes, splitMultipliers: SplitMultipliers(values: values),
                        split: split.map { ($0.layer, $0.neuron) })
        }
        var open = [evaluate(PhaseAssignment(), bounds: base.bounds, parent: nil)]
        // The weakest bound of the leaves with every ReLU before the layer fixed (+∞: none).
        var settled = Double.infinity
        var nodes = 0
        while nodes < budget, let weakest = open.indices.min(by: { open[$0].bound < open[$1].bound }),
              open[weakest].bound < 0 {
            if let deadline, ContinuousClock.now >= deadline { break }
            let leaf = open.remove(at: weakest)
            guard let split = leaf.split else {
                // Every ReLU before the layer is fixed: the bound is the leaf's linear program's.
                settled = min(settled, leaf.bound)
                continue
            }
            for phase in [ReLUPhase.inactive, .active] {
                let phases = leaf.phases.fixing(layer: split.layer, neuron: split.neuron, to: phase)
                let bounds = ReLUSplitBounding.nodeBounds(of: network, phases: phases, known: base.bounds,
                                                          from: phases.firstLayer ?? layer, through: layer - 1)
                // An empty leaf holds no point and bounds nothing.
                guard !bounds.isInfeasible else { continue }
                open.append(evaluate(phases, bounds: bounds, parent: leaf))
                nodes += 1
            }
        }
        // With no leaf left at all, every one was empty, and so is the region: +∞ is then sound.
        return min(open.map(\.bound).min() ?? .infinity, settled)
    }
}
