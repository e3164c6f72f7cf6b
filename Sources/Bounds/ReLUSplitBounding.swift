import NetworkIR

/// Bounds for branch and bound over ReLU phase splits, in the style of β-CROWN (Wang et al.
/// 2021, "Beta-CROWN: Efficient Bound Propagation with Per-neuron Split Constraints for Neural
/// Network Robustness Verification").
///
/// The root is bounded once, expensively: α-CROWN intermediate bounds (every unstable neuron's
/// pre-activation bounds optimised over the slopes of the ReLUs before it), refined when
/// `Options.refinementNodes` asks by a small tree per neuron (`IntermediateRefinement`), then
/// every atom of every case optimised over its own slopes. A node then keeps those intermediate bounds, clipped
/// by its split phases and tightened by one interval pass, and optimises only its atoms' bounds:
/// jointly over the slopes α (warm-started from the root's) and the multipliers β ≥ 0 of its
/// split constraints `sⱼ·zⱼ ≥ 0` (warm-started from its parent's), by projected Adam ascent
/// (Wang et al. 2021, eq. 7 and Theorem 3.1; the bound for fixed α, β is their eq. 4).
///
/// Why: recomputing every intermediate bound at every node costs one back-substitution per
/// unstable neuron (hundreds of rows on a 784-input network), while the β terms carry the
/// splits' information into the final bound at the cost of a few rows. With no unstable ReLU
/// left, the optimal β gives the node's linear program value (strong duality).
///
/// - Soundness: clipping and interval propagation keep every bound sound for the node's region
///   (its points satisfy its split constraints); each atom bound is a `BackSubstitution`
///   evaluation, sound for any α ∈ [0, 1] and β ≥ 0 under rounding, then corrected to the exact
///   constraint (`ExpressionObjective`). The ascent only chooses α and β.
public struct ReLUSplitBounding: Sendable {
    /// Tuning.
    public struct Options: Sendable {
        /// Adam steps for the intermediate bounds of each layer at the root.
        public var intermediateIterations: Int
        /// Adam steps for the atoms at the root.
        public var rootIterations: Int
        /// Adam steps for the atoms at every other node.
        public var nodeIterations: Int
        /// Adam step size for the slopes in node ascents.
        public var slopeStep: Double
        /// Adam step size for the split multipliers.
        public var splitStep: Double
        /// Root optimisation stops at this instant (what it has so far is kept).
        public var deadline: ContinuousClock.Instant?
        /// Neurons whose children are bounded to choose a split (filtered smart branching); 0
        /// takes the best intercept score alone.
        public var branchingCandidates: Int
        /// A node's ascent stops once no open row can reach a proof in the steps left even if
        /// every step gained this many times the last one (nil: all steps always run). Why:
        /// most nodes of a hard MNIST tree are split whatever their bound, and their ascent is
        /// most of a node's cost; the children start again from this node's α and β.
        public var stallReach: Double? = 1
        /// Rounds of convex-hull cuts in the linear program tried on every node the bound
        /// propagation leaves open (`HullRelaxation`); 0 never builds the program.
        public var hullCutRounds = 0
        /// Rounds at the root, whose binding cuts start every node's program.
        public var hullRootRounds = 60
        /// Strong-branching solves a ReLU needs before its pseudocosts alone score it, when the
        /// hull program names a node's split (`ReliabilityBranching`); 0 names the ReLU its
        /// solution exploits most instead.
        public var hullBranchingReliability = 4
        /// The program is built only for networks with at most this many weights.
        public var hullMaxWeights = 50_000
        /// Leaves per refined bound when the root refines its intermediate bounds by branch and
        /// bound over earlier ReLU phases (`IntermediateRefinement`); 0 does not refine.
        public var refinementNodes = 0
        /// The time the refinement of all layers may take (nil: no limit).
        public var refinementBudget: Duration?
        /// Rounds of refinement trees per layer, each with four times the children of the one before.
        public var refinementRounds = 3
        /// Threads the refinement may use.
        public var refinementJobs = 1
        /// Whether the root keeps the slopes of its optimised intermediate bounds
        /// (`intermediateSlopeHints`, for proof certificates).
        public var recordsIntermediateSlopes = false

        /// Creates options.
        public init(intermediateIterations: Int = 20, rootIterations: Int = 40, nodeIterations: Int = 16,
                    slopeStep: Double = 0.1, splitStep: Double = 0.05, branchingCandidates: Int = 1,
                    deadline: ContinuousClock.Instant? = nil) {
            self.intermediateIterations = intermediateIterations
            self.branchingCandidates = branchingCandidates
            self.rootIterations = rootIterations
            self.nodeIterations = nodeIterations
            self.slopeStep = slopeStep
            self.splitStep = splitStep
            self.deadline = deadline
        }
    }

    /// What bounding a node gave.
    public struct NodeResult: Sendable {
        /// The node's network bounds (the root's, clipped and tightened).
        public var bounds: NetworkBounds
        /// Per member asked for, in order.
        public var outcomes: [RegionRefutation.Outcome]
        /// Per member asked for, per atom: where its bounding ended, for the node's children
        /// to start from.
        public var warmStarts: [[AtomWarmStart]]
        /// The unstable ReLU to split next (layer, neuron), when a member is still open and
        /// a ReLU is unstable.
        public var split: (layer: Int, neuron: Int)?
        /// The inputs of the hull programs' solutions that proved nothing: candidate
        /// counterexamples (VeriNet and oval falsify with LP points this way).
        public var candidatePoints: [[Double]] = []
        /// The node's strong-branching solves, for the tree's pseudocosts.
        public var observations = BranchingObservations()
    }

    /// One node's strong-branching solves, per member and atom, in the order they were made.
    public struct BranchingObservations: Sendable {
        var entries: [(member: Int, atom: Int, observation: Pseudocosts.Observation)] = []

        /// None.
        public init() {}

        /// Adds them to `pseudocosts` (per member, per atom, as `initialPseudocosts`).
        public func record(into pseudocosts: inout [[Pseudocosts]]) {
            for entry in entries { pseudocosts[entry.member][entry.atom].record(entry.observation) }
        }
    }

    let members: [RegionRefutation]
    /// The root's bounds, with α-CROWN intermediate bounds.
    public let rootBounds: NetworkBounds
    /// Per member, per atom: the slopes of its best root bound, by ReLU layer (row of one atom).
    let rootSlopes: [[[Int: [Double]]]]
    /// The root's outcome per member.
    public let rootOutcomes: [RegionRefutation.Outcome]
    /// The slopes of the root's optimised intermediate bounds, when `Options.recordsIntermediateSlopes`.
    public let intermediateSlopeHints: [IntermediateSlopeHint]
    let options: Options
    let transposed: [PackedMatrix?]
    /// `rootBounds` after one more interval pass (a fixed point of it): what every node's bounds
    /// start from, so that a node can skip the layers before its first split.
    let nodeBase: NetworkBounds
    /// The root's back-substitution engine on `nodeBase`, prepared through the last layer; each node narrows
    /// a copy of it (`BackSubstitution.narrowed(to:)`).
    let rootEngine: BackSubstitution
    /// The linear program with hull cuts, when `Options.hullCutRounds` asks for it and the network fits.
    let hull: HullRelaxation?
    /// The cuts of the root's programs, which every node's program without a warm start starts from.
    let rootCuts: [HullRelaxation.Cut]
    /// Per member, per atom: the columns every node's program for that atom keeps (the ReLUs
    /// unstable at the root that its objective can exploit), so that a child's program can start
    /// from its parent's basis.
    let hullLayouts: [[HullRelaxation.Layout]]?

    /// Bounds the root: the box `input`, no phase fixed, within `known` (sound bounds of the
    /// same region from an earlier root, which the refinement then starts from) when given.
    /// - Precondition: every member was prepared for the same network; `input` is finite.
    public init(members: [RegionRefutation], input: IntervalVector, known: NetworkBounds? = nil, options: Options = Options()) {
        precondition(!members.isEmpty, "ReLU-split bounding of no case")
        self.members = members
        self.options = options
        let network = members[0].problem.network
        hull = options.hullCutRounds > 0 ? HullRelaxation(network: network, maxEntries: options.hullMaxWeights) : nil
        transposed = PackedMatrix.transposedWeights(of: network)
        var intermediate = IntermediateOptimisation(iterations: options.intermediateIterations, deadline: options.deadline)
        intermediate.recordsHints = options.recordsIntermediateSlopes
        if options.refinementNodes > 0, !options.recordsIntermediateSlopes {
            intermediate.refinement = IntermediateRefinement(nodesPerBound: options.refinementNodes,
                                                             deadline: options.deadline, budget: options.refinementBudget,
                                                             jobs: options.refinementJobs, rounds: options.refinementRounds)
        }
        var hints: [IntermediateSlopeHint] = []
        let (bounds, engine) = LinearRelaxation.bounds(of: network, input: input, phases: PhaseAssignment(), known: known,
                                                       intermediate: intermediate, hints: &hints)
        rootBounds = bounds
        nodeBase = Self.nodeBounds(of: network, phases: PhaseAssignment(), known: bounds, from: 0)
        var prepared = engine.narrowed(to: nodeBase)
        prepared.prepare(through: network.layers.count - 1)
        rootEngine = prepared
        intermediateSlopeHints = hints
        let rows = Self.rows(of: members, positions: Array(members.indices))
        var ascent = SplitAscent(engine: engine, transposed: transposed, splits: [], rows: rows.map(\.objective))
        ascent.slopeStep = 0.3
        let iterations = options.deadline.map { ContinuousClock.now < $0 } ?? true ? options.rootIterations : 0
        let found = ascent.run(iterations: iterations, initialSlopes: nil, initialSplits: nil) { lowers in
            Self.allProved(members, rows: rows, lowers: lowers, bounds: bounds)
        }
        var slopes = members.map { $0.atoms.map { _ in [Int: [Double]]() } }
        for (r, row) in rows.enumerated() { slopes[row.member][row.atom] = found[r].slopes }
        rootSlopes = slopes
        let outcomes = Self.outcomes(members, positions: Array(members.indices), rows: rows, found: found, bounds: bounds,
                                     engine: engine)
        let refined = Self.hullRefined(outcomes, members: members, positions: Array(members.indices), bounds: bounds,
                                       phases: PhaseAssignment(), hull: hull, rounds: options.hullRootRounds, seed: [])
        rootOutcomes = refined.outcomes
        rootCuts = refined.cuts
        hullLayouts = hull.map { hull in members.map { $0.objectives.map { hull.layout(for: bounds, objective: $0) } } }
    }

    /// The tree's pseudocosts before any node (per member, per atom), when the hull program
    /// runs and `Options.hullBranchingReliability` asks for reliability branching; else nil.
    public var initialPseudocosts: [[Pseudocosts]]? {
        hull == nil || options.hullBranchingReliability == 0 ? nil : members.map { $0.objectives.map { _ in Pseudocosts() } }
    }

    /// Bounds the node with split `phases` for the members at `positions`.
    /// - Parameters:
    ///   - known: sound bounds of a region containing the node's (its parent's), or nil for the root's.
    ///   - warm: per member at `positions`, per atom, where the parent's bounding ended, or nil.
    ///   - pseudocosts: the tree's, per member, per atom (`initialPseudocosts` with the
    ///     observations of earlier nodes), for reliability branching; nil names splits without.
    public func bound(_ positions: [Int], phases: PhaseAssignment, known: NetworkBounds?, warm: [[AtomWarmStart]]?,
                      pseudocosts: [[Pseudocosts]]? = nil) -> NodeResult {
        let network = members[0].problem.network
        // Layers before the first split keep the base bounds: nothing upstream of them changed.
        let bounds = Self.nodeBounds(of: network, phases: phases, known: known ?? nodeBase,
                                     from: known == nil ? phases.firstLayer ?? network.layers.count : 0)
        let rows = Self.rows(of: members, positions: positions)
        if bounds.isInfeasible {
            let outcomes = positions.map { _ in RegionRefutation.Outcome(proved: true, atomBounds: [], guide: nil) }
            return NodeResult(bounds: bounds, outcomes: outcomes, warmStarts: positions.map { _ in [] })
        }
        var engine = rootEngine.narrowed(to: bounds)
        engine.prepare(through: network.layers.count - 1)
        let splits = phases.splitConstraints
        var ascent = SplitAscent(engine: engine, transposed: transposed, splits: splits, rows: rows.map(\.objective))
        ascent.slopeStep = options.slopeStep
        ascent.splitStep = options.splitStep
        let initialSlopes = rows.map { rootSlopes[$0.member][$0.atom] }
        let initialSplits = warm.map { warm in
            rows.map { row -> [Double] in
                let position = positions.firstIndex(of: row.member) ?? 0
                let parent = position < warm.count && row.atom < warm[position].count
                    ? warm[position][row.atom].splitMultipliers : SplitMultipliers()
                return splits.map { parent.value(layer: $0.layer, neuron: $0.neuron) }
            }
        }
        var previous: [Double] = []
        var taken = 0
        let found = ascent.run(iterations: options.nodeIterations, initialSlopes: initialSlopes, initialSplits: initialSplits) { lowers in
            defer { previous = lowers; taken += 1 }
            if Self.allProved(members, rows: rows, lowers: lowers, bounds: bounds) { return true }
            guard let reach = options.stallReach, taken >= 2 else { return false }
            let remaining = Double(options.nodeIterations - taken + 1) * reach
            return rows.indices.allSatisfy { r in
                members[rows[r].member].proves(atom: rows[r].atom, lower: lowers[r], bounds: bounds)
                    || lowers[r] + remaining * max(0, lowers[r] - previous[r]) < 0
            }
        }
        let refined = Self.hullRefined(Self.outcomes(members, positions: positions, rows: rows, found: found, bounds: bounds, engine: engine),
                                       members: members, positions: positions, bounds: bounds, phases: phases, hull: hull,
                                       rounds: options.hullCutRounds, seed: rootCuts, layouts: hullLayouts,
                                       branching: pseudocosts.map { $0.map { $0.map {
                                           ReliabilityBranching(reliableAfter: options.hullBranchingReliability, pseudocosts: $0)
                                       } } },
                                       warm: warm.map { $0.map { $0.map(\.hull) } })
        let results = refined.outcomes
        var warmStarts = positions.map { members[$0].atoms.map { _ in AtomWarmStart() } }
        for (r, row) in rows.enumerated() {
            guard let p = positions.firstIndex(of: row.member) else { continue }
            let values = splits.enumerated().map { s, split in (split.layer, split.neuron, found[r].splitMultipliers[s]) }
            warmStarts[p][row.atom].splitMultipliers = SplitMultipliers(values: values)
        }
        for (p, starts) in refined.warmStarts.enumerated() {
            for (a, start) in starts.enumerated() where a < warmStarts[p].count { warmStarts[p][a].hull = start }
        }
        // The open member furthest from a proof guides the split.
        var guide: (row: Int, lower: Double)?
        for (r, row) in rows.enumerated() {
            guard let p = positions.firstIndex(of: row.member), !results[p].proved, results[p].guide == row.atom else { continue }
            let lower = found[r].bound.lower
            if guide == nil || lower < guide!.lower { guide = (r, lower) }
        }
        // Where the hull program ran and failed, its solution names the split; else filtered smart branching.
        let split = refined.split ?? guide.flatMap { chooseSplit(engine: engine, splits: splits, row: rows[$0.row].objective, best: found[$0.row]) }
        return NodeResult(bounds: bounds, outcomes: results, warmStarts: warmStarts, split: split, candidatePoints: refined.points,
                          observations: refined.observations)
    }

    /// What `hullRefined` gave: the outcomes, the programs' binding cuts, the split the
    /// weakest failing program suggests, per member, per atom, where its program ended, and
    /// the solutions' input points.
    struct HullRefinement {
        var outcomes: [RegionRefutation.Outcome]
        var cuts: [HullRelaxation.Cut] = []
        var split: (layer: Int, neuron: Int)?
        var warmStarts: [[HullRelaxation.WarmStart?]] = []
        /// The input parts of the solutions of programs that proved nothing.
        var points: [[Double]] = []
        var observations = BranchingObservations()
    }

    /// `outcomes` with the members the bound propagation left open tried once more, atom by
    /// atom, by the linear program with hull cuts (`HullRelaxation`) on `layouts` (per member, per
    /// atom), started from the parent's program (`warm`, per member at `positions`, per atom) or
    /// else from `seed`. A program that finds the node empty refutes every member.
    static func hullRefined(_ outcomes: [RegionRefutation.Outcome], members: [RegionRefutation], positions: [Int],
                            bounds: NetworkBounds, phases: PhaseAssignment, hull: HullRelaxation?,
                            rounds: Int, seed: [HullRelaxation.Cut], layouts: [[HullRelaxation.Layout]]? = nil,
                            branching: [[ReliabilityBranching]]? = nil,
                            warm: [[HullRelaxation.WarmStart?]]? = nil) -> HullRefinement {
        var result = HullRefinement(outcomes: outcomes)
        guard let hull, !bounds.isInfeasible else { return result }
        result.warmStarts = positions.map { members[$0].objectives.map { _ in nil } }
        var weakest = Double.infinity
        for (p, m) in positions.enumerated() where !result.outcomes[p].proved {
            let member = members[m]
            var memberSplit: (layer: Int, neuron: Int)?
            var memberBest = -Double.infinity
            for (a, objective) in member.objectives.enumerated() {
                let start = warm.flatMap { p < $0.count && a < $0[p].count ? $0[p][a] : nil }
                let outcome = hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: rounds, seed: seed,
                                              layout: layouts?[m][a], warm: start, branching: branching?[m][a])
                if outcome.regionIsEmpty {
                    // No point of the node exists, so every member is refuted in it.
                    for q in result.outcomes.indices where !result.outcomes[q].proved {
                        result.outcomes[q] = RegionRefutation.Outcome(proved: true, atomBounds: [], guide: nil)
                    }
                    result.split = nil
                    result.points = []
                    return result
                }
                result.cuts += outcome.cuts
                result.observations.entries += outcome.observed.map { (m, a, $0) }
                result.warmStarts[p][a] = outcome.warmStart
                if let point = outcome.inputPoint { result.points.append(point) }
                if let lower = outcome.lower, member.proves(atom: a, lower: lower, bounds: bounds) {
                    result.outcomes[p].proved = true
                    result.outcomes[p].guide = a
                    break
                }
                // The member's atom closest to a proof is the one its split should serve.
                let lower = outcome.lower ?? -.infinity
                if memberSplit == nil || lower > memberBest { memberSplit = outcome.split; memberBest = lower }
            }
            if !result.outcomes[p].proved, let memberSplit, memberBest < weakest {
                result.split = memberSplit
                weakest = memberBest
            }
        }
        return result
    }

    /// The unstable ReLU to split, by filtered smart branching (De Palma et al. 2021, "Improved
    /// Branch and Bound for Neural Network Verification via Lagrangian Decomposition", §5.1):
    /// the neurons with the largest intercept scores (the triangle relaxation's intercept
    /// `−l·u/(u − l)` times the part `max(0, −λ)` of the row's multiplier on the ReLU's output
    /// that pays for it: BaBSR, Bunel et al. 2020, §5.1) are filtered, then each is scored by the
    /// row's bound in its worse child, from one evaluation at the node's best α and β.
    func chooseSplit(engine: BackSubstitution, splits: [PhaseAssignment.SplitConstraint], row: LinearObjective,
                     best: SplitAscent.Best) -> (layer: Int, neuron: Int)? {
        let network = engine.network
        let bounds = engine.bounds
        let scored = Self.interceptScores(bounds: bounds, multipliers: best.bound.multipliers, before: network.layers.count)
        guard !scored.isEmpty else { return nil }
        let candidates = scored.prefix(max(1, options.branchingCandidates))
        guard candidates.count > 1 else { return (candidates[0].layer, candidates[0].neuron) }
        let sizes = network.layerSizes
        var terms: [Int: [Double]] = [:]
        for (s, split) in splits.enumerated() where best.splitMultipliers[s] != 0 {
            let size = split.layer == 0 ? network.inputSize : sizes[split.layer - 1]
            terms[split.layer, default: [Double](repeating: 0, count: size)][split.neuron] -= best.splitMultipliers[s] * split.sign
        }
        var choice = (candidates[0].layer, candidates[0].neuron)
        var choiceScore = -Double.infinity
        for candidate in candidates {
            var worst = Double.infinity
            for phase in [ReLUPhase.inactive, .active] {
                var child = engine
                var pre = bounds.inputBounds(ofLayer: candidate.layer)
                var post = bounds.layers[candidate.layer]
                if phase == .inactive {
                    pre.tighten(candidate.neuron, lower: -.infinity, upper: 0)
                    post.set(candidate.neuron, lower: 0, upper: 0)
                } else {
                    pre.tighten(candidate.neuron, lower: 0, upper: .infinity)
                }
                child.setBounds(ofLayer: candidate.layer - 1, pre)
                child.setBounds(ofLayer: candidate.layer, post)
                child.prepare(through: network.layers.count - 1)
                let lower = child.run(start: network.layers.count - 1, rows: .dense(count: 1, coefficients: row.outputCoefficients),
                                      inputRows: row.inputCoefficients, constants: [row.constant], slopes: best.slopes,
                                      splitTerms: terms).lower[0]
                worst = min(worst, lower.isNaN ? -.infinity : lower)
            }
            if worst > choiceScore { choiceScore = worst; choice = (candidate.layer, candidate.neuron) }
        }
        return choice
    }

    /// The unstable ReLUs of the layers before `end`, best first by their intercept score: the
    /// triangle relaxation's intercept `−l·u/(u − l)` times the part `max(0, −λ)` of the row's
    /// multiplier on the ReLU's output that pays for it (BaBSR, Bunel et al. 2020, §5.1), with
    /// small tie-breakers for ReLUs the row does not reach.
    static func interceptScores(bounds: NetworkBounds, multipliers: [[Double]],
                                before end: Int) -> [(layer: Int, neuron: Int, score: Double)] {
        var scored: [(layer: Int, neuron: Int, score: Double)] = []
        for layer in bounds.reluLayers where layer < end {
            let pre = bounds.inputBounds(ofLayer: layer)
            let lambda = layer < multipliers.count ? multipliers[layer] : []
            for j in bounds.unstableNeurons(inLayer: layer) {
                let l = pre.lower[j], u = pre.upper[j]
                let intercept = -l * u / (u - l)
                let c = j < lambda.count ? lambda[j] : 0
                scored.append((layer, j, max(0, -c) * intercept + 1e-6 * abs(c) * intercept + 1e-9 * min(u, -l)))
            }
        }
        return scored.sorted { $0.score > $1.score }
    }

    /// The root's bounds clipped by `phases`, propagated by intervals and intersected with
    /// `known` layer by layer, from layer `first` on (through layer `last`, or the last layer);
    /// the layers before it keep `known`'s bounds.
    ///
    /// Skipping is exact, not only sound, when `known` is `nodeBase` and no phase is fixed before
    /// `first`: one pass of this propagation is idempotent (each layer's result lies inside the
    /// image of the layer before), so the skipped layers would come out as `known`'s, and the
    /// later ones lie inside `known`'s by monotonicity of interval images.
    static func nodeBounds(of network: Network, phases: PhaseAssignment, known: NetworkBounds, from first: Int,
                           through last: Int? = nil) -> NetworkBounds {
        let last = last ?? network.layers.count - 1
        let first = min(first, last + 1)
        var bounds = NetworkBounds(input: known.input, layers: Array(known.layers[..<first]), reluLayers: known.reluLayers)
        for (k, layer) in network.layers.enumerated() where k >= first && k <= last {
            IntervalPropagation.appendImage(of: layer, at: k, to: &bounds, phases: phases)
            var box = bounds.layers[k].intersection(known.layers[k])
            if case .relu = layer {
                // `appendImage` clipped the pre-activations; keep the known post-activations clipped too.
                for (neuron, phase) in phases.phases(inLayer: k) where phase == .inactive { box.tighten(neuron, lower: 0, upper: 0) }
            }
            if box.isEmpty {
                bounds.isInfeasible = true
                for j in 0..<box.count where box.lower[j] > box.upper[j] { box.set(j, lower: box.lower[j], upper: box.lower[j]) }
            }
            bounds.layers[k] = box
        }
        return bounds
    }

    /// One objective row: atom `atom` of member `member`.
    struct Row {
        var member: Int
        var atom: Int
        var objective: LinearObjective
    }

    static func rows(of members: [RegionRefutation], positions: [Int]) -> [Row] {
        positions.flatMap { m in
            members[m].atoms.indices.map { a in Row(member: m, atom: a, objective: members[m].objectives[a]) }
        }
    }

    /// Whether some atom of every member proves it, given each row's sound objective bound.
    static func allProved(_ members: [RegionRefutation], rows: [Row], lowers: [Double], bounds: NetworkBounds) -> Bool {
        var proved: Set<Int> = []
        var present: Set<Int> = []
        for (r, row) in rows.enumerated() {
            present.insert(row.member)
            if members[row.member].proves(atom: row.atom, lower: lowers[r], bounds: bounds) { proved.insert(row.member) }
        }
        return proved == present
    }

    /// Per member at `positions`: whether an atom (or a combination of its atoms) proves it.
    static func outcomes(_ members: [RegionRefutation], positions: [Int], rows: [Row], found: [SplitAscent.Best],
                         bounds: NetworkBounds, engine: BackSubstitution) -> [RegionRefutation.Outcome] {
        positions.map { m in
            let member = members[m]
            var atomBounds = member.atoms.map { _ in
                ObjectiveBound(lower: -.infinity, inputCoefficients: [], inputConstant: -.infinity, multipliers: [])
            }
            for (r, row) in rows.enumerated() where row.member == m { atomBounds[row.atom] = found[r].bound }
            return member.outcome(atomBounds: atomBounds, bounds: bounds, engine: engine, relaxation: LinearRelaxation())
        }
    }
}
