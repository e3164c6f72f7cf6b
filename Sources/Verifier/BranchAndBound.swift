import Bounds
import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import Search
import VNNLIB

/// Complete verification of a group of specification cases that share one input box, by
/// branch and bound over one tree: each node's network bounds are computed once and every case
/// still open there is bounded over them; a case refuted at a node stays closed in its subtree.
/// (The nine cases of an MNIST robustness property, one per wrong class, then cost one bounds
/// computation per node instead of nine.)
///
/// Each node (an input sub-box with fixed ReLU phases) gets linear-relaxation bounds
/// (CROWN/DeepPoly back-substitution, `Bounds.LinearRelaxation`); a node whose unsafe
/// constraints are unreachable under them is pruned. Otherwise cheap candidates (the box centre
/// and the vertices minimising each constraint's linear minorant) are run through the network,
/// and a short gradient climb (`NodeAttack`) starts from the best of them; a confirmed
/// counterexample ends the search. Open nodes are taken best first (`NodeQueue`: nearest miss
/// plus the room the bounds leave, then depth). A node with few unstable ReLUs goes to the
/// exact Z3 encoding; the rest are split: on the input dimension with the largest
/// `|aᵢ|·widthᵢ` (the minorant's sensitivity times the width, a smear-style score) when the
/// network has few inputs, or on the unstable ReLU whose triangle relaxation costs the bound
/// most (a BaBSR-style score, Bunel et al. 2020, "Branch and Bound for Piecewise Linear Neural
/// Network Verification", §5.1) otherwise, guided by the open case whose bound is furthest
/// from a proof. The group is proved when every leaf is pruned or refuted by Z3 for all its cases.
///
/// - Soundness: children of an input split share the midpoint, so the leaves cover the parent
///   box; children of a ReLU split cover `x ≤ 0` and `x ≥ 0`. Every prune rests on sound bounds
///   or on Z3 over exact rationals with the original exact case constraints asserted as well.
struct BranchAndBound: Sendable {
    /// Tuning.
    struct Options: Sendable {
        /// Nodes with at most this many unstable ReLUs go to Z3 (nil: 0). Measured: on ACAS Xu,
        /// Z3 needs seconds for a leaf with a few unstable ReLUs over exact rational weights,
        /// while the bounds of a few more input splits cost about a millisecond each; on MNIST fc
        /// just encoding a leaf's 784-input network in rationals costs more than many nodes.
        var leafThreshold: Int?
        /// Nodes whose every open case is within rounding of a proof go to Z3 with at most this
        /// many unstable ReLUs.
        var stuckLeafThreshold: Int = 12
        /// Split inputs (rather than ReLUs) when the network has at most this many inputs.
        var inputSplitLimit: Int = 16
        /// Nodes running at once.
        var jobs: Int = 2
        /// Limit on nodes explored; reaching it ends the case as `unknown`.
        var maxNodes: Int = 2_000_000
        /// Networks with more affine weights than this (or with sigmoid or tanh layers) get no Z3
        /// leaves: a node is split while a
        /// ReLU is unstable, and a node with none left that the bounds cannot refute is left
        /// undecided (the run then ends `unknown` unless a counterexample turns up). Measured:
        /// encoding one leaf of a 784-input MNIST fc network (about 270,000 weights) as exact
        /// rationals took about 0.9 GB in Z3, roughly 3 KB a weight; 60,000 weights keep a leaf
        /// near 200 MB. ACAS Xu networks have about 13,000.
        var exactLeafWeightLimit: Int = 60_000
        /// Time limit of one Z3 leaf check before the node is split further instead.
        var leafTimeout: Duration = .seconds(5)
        /// Steps of slope optimisation (α-CROWN, Xu et al. 2021, "Fast and Complete", §3.1; see
        /// `DualAscent`) on each open case's bound at a node of an input-split tree. Measured on
        /// ACAS Xu: 1_1 prop_5 went from 18,536 nodes in 10.1 s to 1,227 nodes in 1.0 s, and
        /// 3_3 prop_2 and 4_2 prop_2, open after 116 s before, are proved in 43 s and 13 s; ten
        /// steps were slower than three. In ReLU-split trees (MNIST fc) it halved the nodes per
        /// second without closing a tree, so there it is off.
        var slopeIterations: Int = 3
        /// Weight `κ` of the room left by the bounds in the node order (`childPromise`), in
        /// input-split trees. Measured on ACAS Xu 5_3 prop_2 (sat): κ = 0, 0.05 and 0.1 time out
        /// at 116 s; κ = 0.2, 0.5 and 1 find the counterexample in 1.0–1.2 s. Not used in
        /// ReLU-split trees: there the box never shrinks, the room is largest near the root, and
        /// on MNIST fc the order turned breadth-first (2,115 open nodes after 2,122 instead of
        /// 633 after 1,936, mnist-net_256x4 prop_0_0.03, 20 s).
        var optimism: Double = 0.5
        /// Bytes of split multipliers (β-CROWN warm starts) the open nodes may hold together;
        /// children queued beyond it start their ascent from β = 0. Measured on mnist-net_256x4
        /// prop_0_0.05, where nothing prunes and every processed node leaves one open: about
        /// 3.6 KB of multipliers a node, 75,000 open nodes and a 546 MiB peak after 300 s
        /// without a budget.
        var warmStartMemory: Int = 160 << 20
        /// Estimated bytes the open nodes may hold before new nodes are taken depth first
        /// (`NodeQueue`), so that a tree that prunes little keeps the process within about
        /// 500 MiB. Calibrated against the resident size: see `Subproblem.queuedBytes`.
        var openNodeMemory: Int = 256 << 20
    }

    /// How a case ended. An undecided tree says how far it came: `bound` is the lowest lower
    /// bound of its open nodes (`Subproblem.lowerBound`), a sound lower bound of the slack of
    /// every case of the group over the region it left open; nil when it proved none.
    enum Result: Sendable {
        case proved(nodes: Int, leaves: Int)
        case falsified(ValidatedCounterexample)
        case unknown(String, bound: Double?)
        case timeout(bound: Double?)
    }

    let network: Network
    let specification: Specification
    /// The cases of the group (indices into `specification.cases`), sharing one box.
    let caseIndices: [Int]
    let options: Options
    let makeSolver: SolverFactory
    let falsification: Falsification
    /// The gradient climb tried in every node that is not proved.
    let nodeAttack: NodeAttack
    /// Runs each node's candidate points through the network together.
    let batchEvaluator: BatchEvaluator
    /// Whether nodes are split on inputs (few inputs) rather than on ReLUs. Input-split nodes are
    /// many small boxes, where a forward symbolic pass leaves few neurons for back-substitution.
    let splitsInputs: Bool
    /// Whether Z3 may decide leaves (the network is small enough to encode exactly, see
    /// `Options.exactLeafWeightLimit`).
    let exactLeaves: Bool
    /// How node bounds are computed (with slope optimisation in input-split trees).
    let relaxation: LinearRelaxation
    /// Bounds-based pruning of nodes, per group member; nil when a case's constraints cannot be
    /// bounded (then the group goes to Z3 case by case).
    let refutations: [RegionRefutation?]
    let reluLayers: [Int]
    /// Shared by every tree of a run: how many Z3 leaf threads may be alive at once.
    let leafPermits: ThreadPermits
    /// Receives a progress line now and then (for `--verbose`), or nil.
    var progress: (@Sendable (String) -> Void)?
    /// Receives this tree's counters after every node, as tree `treeID`, or nil.
    var meter: VerificationProgress?
    var treeID = 0
    /// Receives the proof as it is found (input-split trees only), or nil.
    var recorder: ProofRecorder?

    /// - Precondition: `caseIndices` is not empty and its cases have equal boxes.
    init(network: Network, specification: Specification, caseIndices: [Int], options: Options,
         makeSolver: @escaping SolverFactory, seed: UInt64, leafPermits: ThreadPermits) {
        precondition(!caseIndices.isEmpty, "branch and bound over no case")
        self.network = network
        self.specification = specification
        self.caseIndices = caseIndices
        self.options = options
        self.makeSolver = makeSolver
        self.falsification = Falsification(network: network, specification: specification, seed: seed)
        self.refutations = caseIndices.map { try? RegionRefutation(specCase: specification.cases[$0], network: network) }
        self.leafPermits = leafPermits
        self.splitsInputs = Self.splitsInputs(network: network, box: specification.cases[caseIndices[0]].box, limit: options.inputSplitLimit)
        // Z3 cannot encode sigmoid or tanh layers: such a network's leaves stay on bounds.
        self.exactLeaves = !network.hasSmoothActivations && network.storedWeightCount <= options.exactLeafWeightLimit
        self.relaxation = splitsInputs
            ? LinearRelaxation(options: .init(slopeIterations: options.slopeIterations)) : LinearRelaxation()
        self.nodeAttack = NodeAttack(network: network, objectives: caseIndices.map {
            MarginObjective(specification.cases[$0], caseIndex: $0, outputCount: network.outputSize)
        })
        self.batchEvaluator = BatchEvaluator(network: network)
        self.reluLayers = network.layers.indices.filter { if case .relu = network.layers[$0] { true } else { false } }
    }

    private var box: InputBox { specification.cases[caseIndices[0]].box }

    /// Whether a tree over `box` splits inputs rather than ReLUs: when the network has at most
    /// `limit` inputs, or, for a network with sigmoid or tanh layers (whose only tree splits
    /// inputs), when the box lets at most `limit` of them vary (only those are ever split).
    static func splitsInputs(network: Network, box: InputBox, limit: Int) -> Bool {
        network.inputSize <= limit || (network.hasSmoothActivations && box.freeCount <= limit)
    }

    /// How the group is named in progress lines.
    private var groupName: String {
        caseIndices.count == 1 ? "case \(caseIndices[0])" : "cases \(caseIndices.map(String.init).joined(separator: ","))"
    }

    /// What processing one node produced.
    enum NodeOutcome: Sendable {
        case pruned
        case counterexample(ValidatedCounterexample)
        case children([Subproblem])
        case leaf(Subproblem, NetworkBounds)
        /// A node that only Z3 could decide, on a network too wide for it: the tree goes on,
        /// and the run cannot end better than `unknown` unless a counterexample turns up.
        /// `bound` is the lower bound of its hardest open case's slack.
        case undecided(bound: Double)
        case failed(String)
    }

    /// Runs branch and bound until the case is decided, `deadline` passes, or the task is
    /// cancelled.
    ///
    /// Determinism: nodes run `jobs` at a time, but their outcomes are applied one by one in the
    /// order the nodes were taken, and right after each one, nodes are taken until `4 × jobs`
    /// are in flight (finished but not applied counts as in flight). Which node is taken next
    /// therefore never depends on which parallel node finished first, so a run explores the
    /// same tree in the same order every time. The window of four per job keeps the cores busy
    /// while an early finisher waits for the nodes taken before it. Z3 leaves are the
    /// exception: their outcomes are applied when they arrive.
    func run(deadline: ContinuousClock.Instant?) async -> Result {
        let runStart = ContinuousClock.now
        var root = Subproblem(box: IntervalVector(lower: box.lowerDoubles, upper: box.upperDoubles),
                              phases: PhaseAssignment(), depth: 0, openCases: Array(caseIndices.indices))
        guard root.box.isFinite, refutations.allSatisfy({ $0 != nil }) else {
            recorder?.fail("a case without a finite box or with constraints the bounds cannot read")
            return await exactOnly(deadline: deadline)
        }
        if let recorder { root.id = recorder.group(cases: caseIndices, box: root.box, splitsReLUs: !splitsInputs) }
        // ReLU-split trees bound the root once with optimised intermediate bounds and reuse them
        // in every node (`ReLUSplitBounding`); a certificate records their slopes.
        var splitOptions = ReLUSplitBounding.Options(deadline: Self.rootDeadline(deadline))
        splitOptions.recordsIntermediateSlopes = recorder != nil
        // Hull cuts prove nodes a certificate cannot yet record; with --proof they stay off.
        splitOptions.hullCutRounds = recorder == nil ? 2 : 0
        // The root refines its intermediate bounds by small trees over earlier ReLUs, in a
        // tenth of the time; certificates cannot record those trees yet, so not with --proof.
        splitOptions.refinementNodes = recorder == nil ? Self.refinementNodes : 0
        splitOptions.refinementJobs = options.jobs
        splitOptions.refinementBudget = deadline.map { ($0 - ContinuousClock.now) / 10 }
        let splitBounding = splitsInputs ? nil : ReLUSplitBounding(
            members: refutations.compactMap { $0 }, input: root.box, options: splitOptions)
        if let recorder, let splitBounding { recorder.hints(node: root.id, splitBounding.intermediateSlopeHints) }
        // A ReLU-split tree that, at the checkpoint, would not close at its pace so far starts
        // again from a root refined for most of the time left (see `restartShares`).
        guard let splitBounding, splitOptions.refinementNodes > 0, let deadline else {
            return await grow(root, splitBounding: splitBounding, deadline: deadline, checkpoint: nil) ?? .timeout(bound: nil)
        }
        let length = deadline - runStart
        let checkpoint = max(runStart + length * Self.checkpoint.run, ContinuousClock.now + length * Self.checkpoint.tree)
        if let result = await grow(root, splitBounding: splitBounding, deadline: deadline, checkpoint: checkpoint) {
            return result
        }
        let left = deadline - ContinuousClock.now
        var longer = splitOptions
        longer.deadline = ContinuousClock.now + left * Self.restartShares.root
        longer.refinementBudget = left * Self.restartShares.refinement
        longer.refinementNodes = Self.refinementNodes * 4
        // Four rounds (128 to 8,192 children per neuron): the fourth proves what three leave
        // open (256x6 prop_3_0.03 at 300 s: root case bounds −0.05 … +0.22 after three rounds,
        // −0.005 … +0.26 after four, then `unsat`; peak 145 MiB).
        longer.refinementRounds = 4
        let refined = ReLUSplitBounding(members: refutations.compactMap { $0 }, input: root.box, known: splitBounding.rootBounds,
                                        options: longer)
        progress?("\(groupName): starting again from a root refined longer")
        // Without a checkpoint a tree always ends with a result.
        return await grow(root, splitBounding: refined, deadline: deadline, checkpoint: nil) ?? .timeout(bound: nil)
    }

    /// Grows the tree from `root` until it is decided or `deadline` passes. At `checkpoint`
    /// (once), returns nil, asking to start again, if the tree would not close the region by
    /// the deadline even `restartSlowness` times faster than it has closed it so far.
    private func grow(_ root: Subproblem, splitBounding: ReLUSplitBounding?, deadline: ContinuousClock.Instant?,
                      checkpoint: ContinuousClock.Instant?) async -> Result? {
        var root = root
        if let splitBounding {
            let lowers = splitBounding.rootOutcomes.map { o in o.guide.map { o.atomBounds[$0].lower } ?? .infinity }
            root.lowerBound = lowers.min() ?? -.infinity
            progress?("\(groupName): root bounds \(lowers.map { String(format: "%.4f", $0) }.joined(separator: " ")), unstable \(splitBounding.rootBounds.unstableCounts)")
        }
        var queue = NodeQueue(warmStartBudget: options.warmStartMemory, memoryBudget: options.openNodeMemory,
                              sharedBoxes: !splitsInputs)
        queue.insert(root)
        // Leaves wait here for a Z3 thread permit (see `ThreadPermits`) while nodes go on.
        var waitingLeaves: [(Subproblem, NetworkBounds)] = []
        var leaves = 0, undecided = 0
        // The lowest bound of the undecided nodes (+∞ before any, −∞ once one has none).
        var undecidedBound = Double.infinity
        var taken = 0, applied = 0
        var finished: [Int: (NodeOutcome, ReLUSplitBounding.BranchingObservations)] = [:]
        var pseudocosts = splitBounding?.initialPseudocosts
        var runningLeaves = 0, waking = false
        let window = 4
        // Progress (`VerificationProgress`): each node's share of the tree and inherited bound
        // while it is taken or at Z3, the share closed so far, the lowest bound of open nodes.
        var pending: [Int: (share: Double, bound: Double)] = [:]
        var atZ3: [Int: (share: Double, bound: Double)] = [:]
        var closedShare = 0.0
        var lowestBound: Double?
        /// The lowest bound of the nodes not closed: queued, in flight, at Z3 or undecided (nil
        /// when there are none, or when one of them has no finite bound).
        func openBound() -> Double? {
            let others = waitingLeaves.map(\.0.lowerBound) + pending.values.map(\.bound) + atZ3.values.map(\.bound)
            let lowest = [queue.lowestLowerBound, others.min(), undecidedBound].compactMap { $0 }.min()
            return lowest.flatMap { $0.isFinite ? $0 : nil }
        }
        /// The closed share as progress lines give it.
        func closedText() -> String { String(format: "%.3g%% of the region closed", 100 * min(1, closedShare)) }
        func report(finished: Bool = false) {
            guard let meter else { return }
            if applied < 1024 || applied % 64 == 0 || finished { lowestBound = openBound() }
            var counters = VerificationProgress.TreeCounters()
            counters.nodesDone = applied
            counters.nodesOpen = queue.count + waitingLeaves.count + atZ3.count
            counters.leaves = leaves
            counters.regionClosed = min(1, closedShare)
            counters.bestBound = lowestBound
            counters.finished = finished
            meter.update(tree: treeID, counters)
        }
        let started = ContinuousClock.now
        var checkpoint = checkpoint
        let result = await withTaskGroup(of: Event.self) { group -> Result? in
            func takeNodes() {
                while taken - applied < options.jobs * window, let node = queue.popBest() {
                    let sequence = taken
                    taken += 1
                    pending[sequence] = (node.share, node.lowerBound)
                    // The pseudocosts as the outcomes applied so far left them (a copy), so that
                    // the node's choice of split does not depend on timing either.
                    let seen = pseudocosts
                    group.addTask {
                        let (outcome, observed) = await self.process(node, splitBounding: splitBounding, pseudocosts: seen,
                                                                     deadline: deadline)
                        return .node(sequence, outcome, observed)
                    }
                }
            }
            func launchLeaves() {
                while !waitingLeaves.isEmpty, let permit = leafPermits.tryAcquire() {
                    let (node, bounds) = waitingLeaves.removeFirst()
                    let id = leaves
                    atZ3[id] = (node.share, node.lowerBound)
                    leaves += 1
                    runningLeaves += 1
                    group.addTask { .leaf(id, await self.solveLeaf(node, bounds: bounds, permit: permit, deadline: deadline)) }
                }
                if !waitingLeaves.isEmpty && taken == applied && runningLeaves == 0 && !waking {
                    // Only an abandoned Z3 thread is left: look again shortly.
                    waking = true
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(20))
                        return .wake
                    }
                }
            }
            /// Applies one outcome; a result ends the run.
            func apply(_ outcome: NodeOutcome) -> Result? {
                switch outcome {
                case .pruned: return nil
                case let .counterexample(cex): return .falsified(cex)
                case let .children(children): queue.insert(contentsOf: children); return nil
                case let .leaf(node, bounds): waitingLeaves.append((node, bounds)); return nil
                case let .undecided(bound):
                    undecided += 1
                    undecidedBound = min(undecidedBound, bound.isNaN ? -.infinity : bound)
                    return nil
                // The failed node has already left the open sets, so no bound is claimed.
                case let .failed(reason): return .unknown(reason, bound: nil)
                }
            }
            takeNodes()
            while let event = await group.next() {
                if Task.isCancelled || deadline.map({ ContinuousClock.now >= $0 }) ?? false {
                    group.cancelAll()
                    let bound = openBound()
                    progress?("\(groupName): stopped after \(taken) nodes, \(leaves) Z3 leaves, \(queue.count) open, "
                        + closedText()
                        + (bound.map { String(format: ", lowest bound %.4g", $0) } ?? ""))
                    return .timeout(bound: bound)
                }
                switch event {
                case let .node(sequence, outcome, observed):
                    finished[sequence] = (outcome, observed)
                    while let (next, observed) = finished.removeValue(forKey: applied) {
                        if pseudocosts != nil { observed.record(into: &pseudocosts!) }
                        if let node = pending.removeValue(forKey: applied), case .pruned = next { closedShare += node.share }
                        applied += 1
                        if applied % 5000 == 0 {
                            progress?("\(groupName): \(applied) nodes, \(leaves) Z3 leaves, \(queue.count) open")
                        }
                        if let result = apply(next) {
                            group.cancelAll()
                            return result
                        }
                        // Take the next nodes right after each outcome, never after a batch
                        // whose size depends on timing.
                        takeNodes()
                        report()
                    }
                case let .leaf(id, outcome):
                    runningLeaves -= 1
                    if let leaf = atZ3.removeValue(forKey: id), case .pruned = outcome { closedShare += leaf.share }
                    if let result = apply(outcome) {
                        group.cancelAll()
                        return result
                    }
                case .wake:
                    waking = false
                }
                if let due = checkpoint, ContinuousClock.now >= due, let deadline {
                    checkpoint = nil
                    // Closing at the rate so far (share closed per second) would take far longer than the time left.
                    let spent = (ContinuousClock.now - started) / .seconds(1), left = (deadline - ContinuousClock.now) / .seconds(1)
                    if closedShare <= 0 || spent / closedShare > Self.restartSlowness * left {
                        group.cancelAll()
                        progress?("\(groupName): \(taken) nodes, " + closedText()
                            + String(format: " in %.0f s, too slow to close in the %.0f s left", spent, left))
                        return nil
                    }
                }
                if taken >= options.maxNodes {
                    group.cancelAll()
                    return .unknown("branch and bound reached its limit of \(options.maxNodes) nodes", bound: openBound())
                }
                takeNodes()
                launchLeaves()
                if taken == applied && runningLeaves == 0 && !waking && waitingLeaves.isEmpty { break }
            }
            if undecided > 0 {
                return .unknown("\(undecided) node(s) with every ReLU phase fixed were not refuted by the bounds, and the network is too wide for an exact Z3 check",
                                bound: openBound())
            }
            closedShare = 1
            return .proved(nodes: taken, leaves: leaves)
        }
        if result != nil { report(finished: true) }
        return result
    }

    /// What finished in the run loop.
    private enum Event: Sendable {
        /// The outcome of the node taken `sequence`-th.
        case node(Int, NodeOutcome, ReLUSplitBounding.BranchingObservations)
        /// The outcome of the Z3 leaf launched `id`-th.
        case leaf(Int, NodeOutcome)
        /// Time to look for a free Z3 permit again.
        case wake
    }

    /// Bounds, candidates, then prune, leaf or split; with the node's strong-branching solves,
    /// which the run loop adds to the tree's pseudocosts when it applies the outcome.
    func process(_ node: Subproblem, splitBounding: ReLUSplitBounding?, pseudocosts: [[Pseudocosts]]?,
                 deadline: ContinuousClock.Instant?) async -> (NodeOutcome, ReLUSplitBounding.BranchingObservations) {
        var observed = ReLUSplitBounding.BranchingObservations()
        let outcome = await process(node, splitBounding: splitBounding, pseudocosts: pseudocosts, observed: &observed,
                                    deadline: deadline)
        return (outcome, observed)
    }

    /// Bounds `node` and decides what becomes of it; its strong-branching solves go to `observed`.
    private func process(_ node: Subproblem, splitBounding: ReLUSplitBounding?, pseudocosts: [[Pseudocosts]]?,
                         observed: inout ReLUSplitBounding.BranchingObservations,
                         deadline: ContinuousClock.Instant?) async -> NodeOutcome {
        let group = node.openCases.compactMap { refutations[$0] }
        guard group.count == node.openCases.count else { return .failed("the case's constraints cannot be bounded") }
        let bounds: NetworkBounds
        let outcomes: [RegionRefutation.Outcome]
        var warmStarts: [Int: [AtomWarmStart]] = [:]
        var chosenSplit: (layer: Int, neuron: Int)?
        var programPoints: [[Double]] = []
        if let splitBounding {
            let result = splitBounding.bound(node.openCases, phases: node.phases, known: node.known,
                                             warm: node.openCases.map { node.warmStarts[$0] ?? [] }, pseudocosts: pseudocosts)
            observed = result.observations
            (bounds, outcomes) = (result.bounds, result.outcomes)
            for (position, starts) in zip(node.openCases, result.warmStarts) { warmStarts[position] = starts }
            chosenSplit = result.split
            programPoints = result.candidatePoints
        } else {
            do {
                (bounds, outcomes) = try RegionRefutation.refute(group, input: node.box, phases: node.phases, within: node.known,
                                                                 forwardFilter: splitsInputs, relaxation: relaxation)
            } catch {
                return .failed("bounds failed: \(error)")
            }
        }
        var open: [(position: Int, outcome: RegionRefutation.Outcome)] = []
        for (position, outcome) in zip(node.openCases, outcomes) where !outcome.proved { open.append((position, outcome)) }
        if let recorder {
            for (position, outcome) in zip(node.openCases, outcomes) where outcome.proved {
                recorder.refuted(node: node.id, caseIndex: caseIndices[position], outcome: outcome, bounds: bounds)
            }
        }
        if open.isEmpty { return .pruned }
        let unstable = bounds.unstableCounts.reduce(0, +)
        if unstable == 0 && !node.phases.isEmpty {
            // A leaf of ReLU splits: its split constraints may refute what the bounds leave open
            // (a linear program, cheap next to an exact Z3 check of a wide network).
            open.removeAll { entry in
                guard let proof = refutations[entry.position]?.splitMultiplierRefutation(over: bounds, phases: node.phases) else { return false }
                recorder?.refuted(node: node.id, caseIndex: caseIndices[entry.position], outcome: proof, bounds: bounds)
                return true
            }
            if open.isEmpty { return .pruned }
        }
        let (found, promise) = tryCandidates(node, open: open, programPoints: programPoints)
        if let found { return .counterexample(found) }
        var next = node
        next.openCases = open.map(\.position)
        let threshold = options.leafThreshold ?? 0
        // The open case furthest from a proof guides the split.
        func distance(_ outcome: RegionRefutation.Outcome) -> Double {
            outcome.guide.map { outcome.atomBounds[$0].lower } ?? -.infinity
        }
        let hardest = open.min { distance($0.outcome) < distance($1.outcome) } ?? open[0]
        // Bounds within rounding of a proof (a zero margin, say `y < 0` where y ≥ 0 holds
        // exactly) do not improve by splitting: Z3 decides such a node exactly.
        let scale = 1 + bounds.output.magnitudes.reduce(0) { max($0, $1.isFinite ? $1 : 0) }
        let stuck = distance(hardest.outcome) > -1e-7 * scale && unstable <= options.stuckLeafThreshold
        let splittable = canSplit(node, bounds: bounds)
        if !exactLeaves {
            if !splittable { return .undecided(bound: max(node.lowerBound, distance(hardest.outcome))) }
        } else if ((unstable <= threshold || stuck) && !node.mustSplit) || !splittable {
            return .leaf(next, bounds)
        }
        var children = split(next, bounds: bounds, objectiveBounds: hardest.outcome.atomBounds, guide: hardest.outcome.guide,
                             refutation: refutations[hardest.position], chosen: chosenSplit)
        if splitsInputs { recorder?.split(next, into: &children) } else { recorder?.reluSplit(next, into: &children, reluLayers: reluLayers) }
        let parts = children.count
        return .children(children.map { child in
            var child = child
            // For progress and the bound an undecided run reports: the children divide the
            // node's share, and inherit its bound.
            child.share = node.share / Double(parts)
            child.lowerBound = max(node.lowerBound, distance(hardest.outcome))
            // In ReLU-split trees a node's bounds are the root's clipped by its phases, which
            // already lie inside its parent's (interval propagation is inclusion-monotone):
            // keeping the parent's bounds in every open node would only cost memory (about
            // 30 KB a node on MNIST fc, 18,000 open nodes after a minute).
            child.known = splitBounding == nil ? bounds : nil
            child.warmStarts = warmStarts
            child.mustSplit = false
            child.promise = Self.childPromise(bestMargin: promise, hardestLower: distance(hardest.outcome),
                                              weight: splitsInputs ? options.optimism : 0)
            return child
        })
    }


    /// Runs the box centre, per open case the vertices minimising its constraints' linear
    /// minorants, and the input points of the node's linear programs (`programPoints`) through
    /// the network; each output is screened against every open case. Then, in
    /// input-split trees, a short gradient climb (`NodeAttack`) starts from the best few of
    /// them, each for the open case whose margin came closest to a violation there. Also returns the largest margin
    /// seen (the children's `promise`).
    private func tryCandidates(_ node: Subproblem, open: [(position: Int, outcome: RegionRefutation.Outcome)],
                               programPoints: [[Double]] = []) -> (ValidatedCounterexample?, Double) {
        var candidates: [[Double]] = [zip(node.box.lower, node.box.upper).map { $0 + ($1 - $0) / 2 }]
        candidates += programPoints.filter { $0.count == node.box.count }
        for (_, outcome) in open {
            for bound in outcome.atomBounds where bound.inputCoefficients.count == node.box.count {
                candidates.append(node.box.lower.indices.map { i in
                    bound.inputCoefficients[i] > 0 ? node.box.lower[i] : node.box.upper[i]
                })
            }
        }
        // Per candidate, its best open case and margin.
        var scored: [(point: [Double], margin: Double, position: Int)] = []
        for (x, y) in zip(candidates, batchEvaluator.evaluate(candidates)) {
            var best: (margin: Double, position: Int)?
            for (position, _) in open {
                let margin = nodeAttack.objectives[position].margin(input: x, output: y).value
                if margin > best?.margin ?? -.infinity { best = (margin, position) }
                // Cheap screen in double precision before the exact check and polishing.
                guard margin >= -1e-9 else { continue }
                if let cex = falsification.confirm(x, caseIndex: caseIndices[position], foundBy: "branch and bound") { return (cex, margin) }
            }
            if let best, best.margin.isFinite { scored.append((x, best.margin, best.position)) }
        }
        scored.sort { $0.margin > $1.margin }
        var promise = scored.first?.margin ?? -.infinity
        // Only boxes that shrink are worth a climb: a ReLU split keeps its parent's box, and on
        // MNIST fc the climbs took 40 % of the time for nothing new.
        for start in scored.prefix(splitsInputs ? nodeAttack.starts : 0) {
            let climbed = nodeAttack.climb(from: start.point, in: node.box, position: start.position)
            promise = max(promise, climbed.margin)
            guard climbed.margin >= -1e-9 else { continue }
            if let cex = falsification.confirm(climbed.point, caseIndex: caseIndices[start.position], foundBy: "branch and bound (gradient)") {
                return (cex, climbed.margin)
            }
        }
        return (nil, promise)
    }

    /// The order key of a node's children (`Subproblem.promise`, see `NodeQueue`): the best
    /// violation margin `m` among the node's candidates, plus `κ·max(0, −ℓ)`, where `ℓ` is the
    /// sound lower bound (of the slack) of the open case furthest from a proof, so `−ℓ` is how
    /// much violation the node's bounds still allow.
    ///
    /// Why both: `m` alone follows near misses, which mislead when the unsafe set is a sliver.
    /// On ACAS Xu 5_3 prop_2 the margin `Y₀ − Y₁` peaks at about 2·10⁻⁵ on the box face
    /// `x₀ = max` (5·10⁻⁷ of the box is unsafe; 20,000 gradient starts all missed it), and with
    /// `m` alone the run spent its 116 s on near misses elsewhere. Adding the bound's room (in
    /// the spirit of best-bound search and of optimism under uncertainty) keeps regions whose
    /// bounds are still loose in play. A non-finite `ℓ` (no bound) adds nothing.
    static func childPromise(bestMargin m: Double, hardestLower l: Double, weight: Double) -> Double {
        guard l.isFinite, weight > 0 else { return m }
        return m + weight * max(0, -l)
    }

    private func canSplit(_ node: Subproblem, bounds: NetworkBounds) -> Bool {
        if splitsInputs {
            return node.box.lower.indices.contains { node.box.upper[$0] > node.box.lower[$0] && node.box.upper[$0].nextDown > node.box.lower[$0] }
        }
        return bounds.unstableCounts.contains { $0 > 0 }
    }

    private func split(_ node: Subproblem, bounds: NetworkBounds, objectiveBounds: [ObjectiveBound], guide guideIndex: Int?,
                       refutation: RegionRefutation?, chosen: (layer: Int, neuron: Int)? = nil) -> [Subproblem] {
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
            var left = node, right = node
            left.box.set(best, lower: node.box.lower[best], upper: mid)
            right.box.set(best, lower: mid, upper: node.box.upper[best])
            left.depth += 1
            right.depth += 1
            return [left, right]
        }
        guard let (layer, neuron) = chosen ?? chooseReLU(bounds: bounds, guide: guide) else {
            var same = node
            same.depth += 1
            return [same]
        }
        return [ReLUPhase.inactive, .active].map { phase in
            var child = node
            child.phases = node.phases.fixing(layer: layer, neuron: neuron, to: phase)
            child.depth += 1
            return child
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

    /// Decides a leaf exactly, all its open cases over one encoding of the network; a leaf Z3
    /// cannot finish quickly is split further.
    /// The first check runs under `permit`; the rare follow-up checks take permits of their own.
    private func solveLeaf(_ node: Subproblem, bounds: NetworkBounds, permit: ThreadPermits.Permit,
                           deadline: ContinuousClock.Instant?) async -> NodeOutcome {
        // Each failed attempt on the same node doubles its time (a node that cannot be split
        // further gets ever longer checks, up to the deadline).
        var remaining = options.leafTimeout * (1 << min(node.leafAttempts, 20))
        if let deadline { remaining = min(remaining, deadline - .now) }
        if remaining <= .zero { return .failed("timeout") }
        var solver = ExactCaseSolver(network: network, specCase: specification.cases[caseIndices[node.openCases[0]]],
                                     bounds: bounds, encoding: .ite, makeSolver: makeSolver, subBox: node.box,
                                     fixedPhases: node.phases)
        let stillOpen: [Int]
        switch await solver.solveEach(node.openCases.map { specification.cases[caseIndices[$0]] }, timeout: remaining,
                                      permit: permit) {
        case let .candidate(index, _, nearest):
            let caseIndex = caseIndices[node.openCases[index]]
            if let cex = falsification.confirm(nearest, caseIndex: caseIndex, foundBy: "z3") { return .counterexample(cex) }
            // On the boundary of the unsafe set: ask for points inside it by a margin.
            solver.specCase = specification.cases[caseIndex]
            for margin in ["1e-9", "1e-6", "1e-4"] {
                guard let r = Rational(decimal: margin), let next = leafPermits.tryAcquire() else { break }
                guard case let .candidate(_, point) = await solver.solve(timeout: remaining, outputMargin: r, permit: next) else { break }
                if let cex = falsification.confirm(point, caseIndex: caseIndex, foundBy: "z3") { return .counterexample(cex) }
            }
            return .failed("Z3 found a counterexample over the reals in case \(caseIndex), but no nearby point violates the property in floating point")
        case let .undecided(indices):
            if !indices.isEmpty, let deadline, ContinuousClock.now >= deadline { return .failed("timeout") }
            stillOpen = indices.map { node.openCases[$0] }
        }
        if let recorder {
            for position in node.openCases where !stillOpen.contains(position) {
                let specCase = specification.cases[caseIndices[position]]
                recorder.z3(node: node.id, caseIndex: caseIndices[position],
                            query: ProofRecorder.query(network: network, specCase: specCase, bounds: bounds,
                                                       subBox: node.box))
            }
        }
        if stillOpen.isEmpty { return .pruned }
        var again = node
        again.openCases = stillOpen
        recorder?.retry(node, as: &again)
        again.mustSplit = true
        again.leafAttempts += 1
        return .children([again])
    }

    /// Children per intermediate bound in the first round of the root's refinement
    /// (`ReLUSplitBounding.Options.refinementNodes`): 32 refines the 60-odd unstable neurons of
    /// an MNIST fc layer in about half a second on two cores; later rounds grow the trees.
    static let refinementNodes = 32

    /// When a ReLU-split tree whose root refined its intermediate bounds is judged (see
    /// `restartShares`): after this share of the run, and after the tree itself has had this
    /// share of it (a root may take a fifth of the run).
    static let checkpoint = (run: 0.2, tree: 0.05)

    /// A tree judged too slow starts again from a root whose refinement has this share of the
    /// time left (from the first root's bounds, with trees of 128 to 8,192 children) and whose
    /// optimisation ends after `root` of it. Why: on the deeper MNIST fc networks a tree over a
    /// root refined in a tenth of the time closes next to nothing, while intermediate bounds
    /// refined for most of the time leave a tree that closes much more (256x4 prop_7_0.03 at
    /// 300 s: 0.0065 % of the region closed in the first tree; after the restart, root case
    /// bounds from −0.96 … −0.66 to −0.41 … +0.10 and 70 % closed). α-β-CROWN gives its MILP
    /// refinement of intermediate bounds 80 % of the time on these networks for the same reason.
    static let restartShares = (refinement: 0.8, root: 0.88)

    /// How much faster than so far a tree may still close the region at the checkpoint and be
    /// kept: trees close faster once their subtrees get small (oval21 cifar_deep_kw img4168 at
    /// 60 s: 1.6 % of the region in its first 3 s, 4.5 times too slow at that pace, yet closed
    /// by 33 s). The trees worth dropping are slower by orders of magnitude (256x4 prop_7_0.03
    /// at 300 s: 0.0065 % in 31 s, 2,000 times too slow).
    static let restartSlowness = 16.0

    /// The root of a ReLU-split tree gets at most a fifth of the time left for its optimised
    /// bounds, so that a slow root still leaves the tree most of the run.
    static func rootDeadline(_ deadline: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
        deadline.map { ContinuousClock.now + (($0 - ContinuousClock.now) / 5) }
    }

    /// Without a finite box (or with constraints the bounds cannot read) there is nothing to
    /// split: hand each case to Z3 whole.
    private func exactOnly(deadline: ContinuousClock.Instant?) async -> Result {
        for caseIndex in caseIndices {
            let solver = ExactCaseSolver(network: network, specCase: specification.cases[caseIndex], bounds: nil, encoding: .ite,
                                         makeSolver: makeSolver)
            switch await solver.solve(timeout: deadline.map { $0 - .now }) {
            case .unreachable: continue
            case let .candidate(_, nearest):
                if let cex = falsification.confirm(nearest, caseIndex: caseIndex, foundBy: "z3") { return .falsified(cex) }
                return .unknown("Z3 found a counterexample over the reals in case \(caseIndex), but no nearby point violates the property in floating point",
                                bound: nil)
            case .timeout: return .timeout(bound: nil)
            case let .unknown(reason): return .unknown("z3: \(reason)", bound: nil)
            }
        }
        return .proved(nodes: 0, leaves: caseIndices.count)
    }
}
