import Bounds
import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import VNNLIB

/// Complete verification of one specification case by branch and bound.
///
/// Each node (an input sub-box with fixed ReLU phases) gets linear-relaxation bounds
/// (CROWN/DeepPoly back-substitution, `Bounds.LinearRelaxation`); a node whose unsafe
/// constraints are unreachable under them is pruned. Otherwise cheap candidates (the box centre
/// and the vertices minimising each constraint's linear minorant) are run through the network;
/// a confirmed one ends the search. A node with few unstable ReLUs goes to the exact Z3
/// encoding; the rest are split: on the input dimension with the largest `|aᵢ|·widthᵢ` (the
/// minorant's sensitivity times the width, a smear-style score) when the network has few
/// inputs, or on the unstable ReLU whose triangle relaxation costs the bound most (a BaBSR-style
/// score, Bunel et al. 2020, "Branch and Bound for Piecewise Linear Neural Network
/// Verification", §5.1) otherwise. The case is proved when every leaf is pruned or refuted by Z3.
///
/// - Soundness: children of an input split share the midpoint, so the leaves cover the parent
///   box; children of a ReLU split cover `x ≤ 0` and `x ≥ 0`. Every prune rests on sound bounds
///   or on Z3 over exact rationals with the original exact case constraints asserted as well.
struct BranchAndBound: Sendable {
    /// Tuning.
    struct Options: Sendable {
        /// Nodes with at most this many unstable ReLUs go to Z3; nil chooses by the split kind:
        /// 8 when splitting ReLUs, 0 when splitting inputs (measured on ACAS Xu: Z3 needs seconds
        /// for a leaf with a few unstable ReLUs over exact rational weights, while the forward
        /// bounds of a few more input splits cost about a millisecond each).
        var leafThreshold: Int?
        /// Split inputs (rather than ReLUs) when the network has at most this many inputs.
        var inputSplitLimit: Int = 16
        /// Nodes running at once.
        var jobs: Int = 2
        /// Limit on nodes explored; reaching it ends the case as `unknown`.
        var maxNodes: Int = 2_000_000
        /// Time limit of one Z3 leaf check before the node is split further instead.
        var leafTimeout: Duration = .seconds(5)
    }

    /// How a case ended.
    enum Result: Sendable {
        case proved(nodes: Int, leaves: Int)
        case falsified(ValidatedCounterexample)
        case unknown(String)
        case timeout
    }

    let network: Network
    let specification: Specification
    let caseIndex: Int
    let options: Options
    let makeSolver: SolverFactory
    let falsification: Falsification
    /// Bounds-based pruning of nodes; nil when the case's constraints cannot be bounded (then
    /// the case goes to Z3 whole).
    let refutation: RegionRefutation?
    let reluLayers: [Int]
    /// Receives a progress line now and then (for `--verbose`), or nil.
    var progress: (@Sendable (String) -> Void)?

    init(network: Network, specification: Specification, caseIndex: Int, options: Options,
         makeSolver: @escaping SolverFactory, seed: UInt64) {
        self.network = network
        self.specification = specification
        self.caseIndex = caseIndex
        self.options = options
        self.makeSolver = makeSolver
        self.falsification = Falsification(network: network, specification: specification, seed: seed)
        self.refutation = try? RegionRefutation(specCase: specification.cases[caseIndex], network: network)
        self.reluLayers = network.layers.indices.filter { if case .relu = network.layers[$0] { true } else { false } }
    }

    private var specCase: SpecificationCase { specification.cases[caseIndex] }

    /// What processing one node produced.
    enum NodeOutcome: Sendable {
        case pruned
        case counterexample(ValidatedCounterexample)
        case children([Subproblem])
        case leaf(Subproblem, NeuronBounds)
        case failed(String)
    }

    /// Runs branch and bound until the case is decided, `deadline` passes, or the task is
    /// cancelled.
    func run(deadline: ContinuousClock.Instant?) async -> Result {
        let box = specCase.box
        let root = Subproblem(box: IntervalVector(lower: box.lowerDoubles, upper: box.upperDoubles),
                              phases: PhaseAssignment(), depth: 0)
        guard root.box.isFinite, refutation != nil else {
            return await exactOnly(deadline: deadline)
        }
        var stack: [Subproblem] = [root]
        var explored = 0, leaves = 0
        var running = 0
        var failure: String?
        return await withTaskGroup(of: NodeOutcome.self) { group -> Result in
            func launch() {
                guard let node = stack.popLast() else { return }
                running += 1
                explored += 1
                group.addTask { await self.process(node, deadline: deadline) }
            }
            while running < options.jobs && !stack.isEmpty { launch() }
            while running > 0 {
                guard let outcome = await group.next() else { break }
                running -= 1
                if Task.isCancelled || deadline.map({ ContinuousClock.now >= $0 }) ?? false {
                    group.cancelAll()
                    progress?("case \(caseIndex): stopped after \(explored) nodes, \(leaves) Z3 leaves, \(stack.count) open")
                    return .timeout
                }
                if explored % 5000 == 0 {
                    progress?("case \(caseIndex): \(explored) nodes, \(leaves) Z3 leaves, \(stack.count) open")
                }
                switch outcome {
                case .pruned:
                    break
                case let .counterexample(cex):
                    group.cancelAll()
                    return .falsified(cex)
                case let .children(children):
                    stack.append(contentsOf: children)
                case let .leaf(node, bounds):
                    leaves += 1
                    running += 1
                    group.addTask { await self.solveLeaf(node, bounds: bounds, deadline: deadline) }
                case let .failed(reason):
                    failure = reason
                    group.cancelAll()
                    return .unknown(reason)
                }
                if explored >= options.maxNodes {
                    group.cancelAll()
                    return .unknown("branch and bound reached its limit of \(options.maxNodes) nodes")
                }
                while running < options.jobs && !stack.isEmpty { launch() }
            }
            if let failure { return .unknown(failure) }
            return .proved(nodes: explored, leaves: leaves)
        }
    }

    /// Bounds, candidates, then prune, leaf or split.
    func process(_ node: Subproblem, deadline: ContinuousClock.Instant?) async -> NodeOutcome {
        guard let refutation else { return .failed("the case's constraints cannot be bounded") }
        let outcome: RegionRefutation.Outcome
        do {
            outcome = try refutation.refute(input: node.box, phases: node.phases, within: node.known, forwardFilter: splitsInputs)
        } catch {
            return .failed("bounds failed: \(error)")
        }
        if outcome.proved { return .pruned }
        guard let bounds = outcome.bounds else { return .failed("bounds failed: no network bounds") }
        let objectiveBounds = outcome.atomBounds
        if let cex = tryCandidates(node, objectiveBounds: objectiveBounds) { return .counterexample(cex) }
        let unstable = bounds.unstableCounts.reduce(0, +)
        let threshold = options.leafThreshold ?? (splitsInputs ? 0 : 8)
        if (unstable <= threshold && !node.mustSplit) || !canSplit(node, bounds: bounds) {
            return .leaf(node, Self.neuronBounds(bounds))
        }
        return .children(split(node, bounds: bounds, objectiveBounds: objectiveBounds, guide: outcome.guide).map { child in
            var child = child
            child.known = bounds
            return child
        })
    }

    /// Whether nodes are split on inputs (few inputs) rather than on ReLUs. Input-split nodes are
    /// many small boxes, where a forward symbolic pass leaves few neurons for back-substitution.
    private var splitsInputs: Bool { network.inputSize <= options.inputSplitLimit }

    /// Runs the centre and the minorant-minimising vertices through the network.
    private func tryCandidates(_ node: Subproblem, objectiveBounds: [ObjectiveBound]) -> ValidatedCounterexample? {
        var candidates: [[Double]] = [zip(node.box.lower, node.box.upper).map { $0 + ($1 - $0) / 2 }]
        for bound in objectiveBounds where bound.inputCoefficients.count == node.box.count {
            candidates.append(node.box.lower.indices.map { i in
                bound.inputCoefficients[i] > 0 ? node.box.lower[i] : node.box.upper[i]
            })
        }
        for x in candidates {
            let y = network.evaluate(x)
            // Cheap screen in double precision before the exact check and polishing.
            guard specCase.outputMargin(inputs: x, outputs: y) >= -1e-9 else { continue }
            if let cex = falsification.confirm(x, caseIndex: caseIndex, foundBy: "branch and bound") { return cex }
        }
        return nil
    }

    private func canSplit(_ node: Subproblem, bounds: NetworkBounds) -> Bool {
        if splitsInputs {
            return node.box.lower.indices.contains { node.box.upper[$0] > node.box.lower[$0] && node.box.upper[$0].nextDown > node.box.lower[$0] }
        }
        return bounds.unstableCounts.contains { $0 > 0 }
    }

    private func split(_ node: Subproblem, bounds: NetworkBounds, objectiveBounds: [ObjectiveBound], guide guideIndex: Int?) -> [Subproblem] {
        // The constraint closest to being proved guides the split.
        let guide = guideIndex.map { objectiveBounds[$0] }
        if splitsInputs {
            let widths = zip(node.box.lower, node.box.upper).map { $1 - $0 }
            let smear = guideIndex.flatMap { index in refutation.map { $0.objectives[index] } }.map { objective in
                GradientSmear(network: network).scores(outputCoefficients: objective.outputCoefficients,
                                                       inputCoefficients: objective.inputCoefficients, bounds: bounds)
            }
            var best = 0, bestScore = -1.0
            for i in widths.indices where widths[i] > 0 && widths[i].isFinite {
                // The width term breaks ties (a zero derivative range) towards the widest side.
                let score = (smear.map { $0[i] } ?? widths[i]) + widths[i] * 1e-12
                if score > bestScore { bestScore = score; best = i }
            }
            let mid = node.box.lower[best] + widths[best] / 2
            var left = node.box, right = node.box
            left.set(best, lower: node.box.lower[best], upper: mid)
            right.set(best, lower: mid, upper: node.box.upper[best])
            return [Subproblem(box: left, phases: node.phases, depth: node.depth + 1),
                    Subproblem(box: right, phases: node.phases, depth: node.depth + 1)]
        }
        guard let (layer, neuron) = chooseReLU(bounds: bounds, guide: guide) else {
            return [Subproblem(box: node.box, phases: node.phases, depth: node.depth + 1)]
        }
        return [ReLUPhase.inactive, .active].map { phase in
            Subproblem(box: node.box, phases: node.phases.fixing(layer: layer, neuron: neuron, to: phase), depth: node.depth + 1)
        }
    }

    /// The unstable ReLU whose relaxation loosens the guiding bound most: for a neuron with
    /// pre-activation bounds `l < 0 < u` and multiplier `λ` on its output, the triangle's
    /// intercept costs about `max(0, −λ)·(−l·u/(u − l))`; ties go to the earlier layer and the
    /// wider neuron.
    private func chooseReLU(bounds: NetworkBounds, guide: ObjectiveBound?) -> (Int, Int)? {
        var best: (Int, Int)?
        var bestScore = -Double.infinity
        for layer in reluLayers {
            let pre = bounds.inputBounds(ofLayer: layer)
            let multipliers = guide.flatMap { layer < $0.multipliers.count ? $0.multipliers[layer] : nil }
            for j in bounds.unstableNeurons(inLayer: layer) {
                let l = pre.lower[j], u = pre.upper[j]
                let intercept = -l * u / (u - l)
                let lambda = multipliers.map { j < $0.count ? $0[j] : 0 } ?? 0
                let score = max(0, -lambda) * intercept + 1e-6 * abs(lambda) * intercept + 1e-9 * min(u, -l)
                if score > bestScore { bestScore = score; best = (layer, j) }
            }
        }
        return best
    }

    /// Decides a leaf exactly; a leaf Z3 cannot finish quickly is split further.
    private func solveLeaf(_ node: Subproblem, bounds: NeuronBounds, deadline: ContinuousClock.Instant?) async -> NodeOutcome {
        // Each failed attempt on the same node doubles its time (a node that cannot be split
        // further gets ever longer checks, up to the deadline).
        var remaining = options.leafTimeout * (1 << min(node.leafAttempts, 20))
        if let deadline { remaining = min(remaining, deadline - .now) }
        if remaining <= .zero { return .failed("timeout") }
        let solver = ExactCaseSolver(network: network, specCase: specCase, bounds: bounds, encoding: .ite,
                                     makeSolver: makeSolver, subBox: node.box, fixedPhases: encoderPhases(node.phases))
        switch await solver.solve(timeout: remaining) {
        case .unreachable:
            return .pruned
        case let .candidate(_, nearest):
            if let cex = falsification.confirm(nearest, caseIndex: caseIndex, foundBy: "z3") { return .counterexample(cex) }
            for margin in ["1e-9", "1e-6", "1e-4"] {
                guard let r = Rational(decimal: margin) else { continue }
                guard case let .candidate(_, point) = await solver.solve(timeout: remaining, outputMargin: r) else { break }
                if let cex = falsification.confirm(point, caseIndex: caseIndex, foundBy: "z3") { return .counterexample(cex) }
            }
            return .failed("Z3 found a counterexample over the reals in case \(caseIndex), but no nearby point violates the property in floating point")
        case .timeout, .unknown:
            if let deadline, ContinuousClock.now >= deadline { return .failed("timeout") }
            var again = node
            again.mustSplit = true
            again.leafAttempts += 1
            return .children([again])
        }
    }

    /// Without a finite box there is nothing to split: hand the whole case to Z3.
    private func exactOnly(deadline: ContinuousClock.Instant?) async -> Result {
        let solver = ExactCaseSolver(network: network, specCase: specCase, bounds: nil, encoding: .ite, makeSolver: makeSolver)
        switch await solver.solve(timeout: deadline.map { $0 - .now }) {
        case .unreachable: return .proved(nodes: 0, leaves: 1)
        case let .candidate(_, nearest):
            if let cex = falsification.confirm(nearest, caseIndex: caseIndex, foundBy: "z3") { return .falsified(cex) }
            return .unknown("Z3 found a counterexample over the reals, but no nearby point violates the property in floating point")
        case .timeout: return .timeout
        case let .unknown(reason): return .unknown("z3: \(reason)")
        }
    }

    static func neuronBounds(_ bounds: NetworkBounds) -> NeuronBounds {
        NeuronBounds(inputLower: bounds.input.lower, inputUpper: bounds.input.upper,
                     lower: bounds.layers.map(\.lower), upper: bounds.layers.map(\.upper))
    }

    func encoderPhases(_ phases: PhaseAssignment) -> [Int: [Int: NetworkEncoder.Phase]] {
        var result: [Int: [Int: NetworkEncoder.Phase]] = [:]
        for layer in reluLayers {
            let map = phases.phases(inLayer: layer)
            if !map.isEmpty { result[layer] = map.mapValues { $0 == .active ? .active : .inactive } }
        }
        return result
    }
}
