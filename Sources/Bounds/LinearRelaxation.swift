import NetworkIR

/// Linear-relaxation bounds in the style of CROWN / DeepPoly: every layer that feeds a ReLU (and
/// the output layer) is bounded by back-substituting linear bounds to the input through the
/// ReLU relaxations of all earlier layers, whose pre-activation bounds were computed the same
/// way, layer after layer (Zhang et al. 2018, "Efficient Neural Network Robustness Certification
/// with General Activation Functions", Algorithm 1; Singh et al. 2019, "An Abstract Domain for
/// Certifying Neural Networks", §4). Objective bounds can further optimise the lower ReLU slopes
/// by projected gradient ascent (α-CROWN: Xu et al. 2021, "Fast and Complete: Enabling Complete
/// Neural Network Verification with Rapid and Massively Parallel Incomplete Verifiers", eq. 6).
///
/// Work is kept small the usual way: a neuron is back-substituted only if interval propagation
/// from the previous layer's (already tight) bounds leaves it unstable, and its upper bound only
/// if its new lower bound is still negative; stable neurons keep their interval bounds, which are
/// sound and suffice because stable ReLUs are exact in the relaxation. The output layer is always
/// back-substituted in full. Every result is intersected with interval propagation.
///
/// - Soundness: see `BackSubstitution`: each bound is a Lagrangian evaluation at the computed
///   multipliers with all rounding errors bounded, so it holds for the exact real-valued network.
///   A box with an infinite end yields interval propagation only.
public struct LinearRelaxation: Sendable {
    /// Tuning of the method.
    public struct Options: Sendable, Equatable {
        /// Steps of α optimisation for objective bounds (0: CROWN's adaptive slopes only).
        public var slopeIterations: Int
        /// Adam step size for the slopes (they live in [0, 1]).
        public var slopeStepSize: Double
        /// Stop optimising slopes when this instant passes (the best bound so far is kept).
        public var deadline: ContinuousClock.Instant?

        /// Creates options.
        public init(slopeIterations: Int = 0, slopeStepSize: Double = 0.3, deadline: ContinuousClock.Instant? = nil) {
            self.slopeIterations = slopeIterations
            self.slopeStepSize = slopeStepSize
            self.deadline = deadline
        }
    }

    /// The options in force.
    public var options: Options

    /// Creates the method.
    public init(options: Options = Options()) { self.options = options }

    /// Bounds every layer of `network` over the box `input` (restricted by `phases`).
    /// - Parameters:
    ///   - input: the input box, already rounded outward by the caller.
    ///   - phases: ReLU phases fixed by branch and bound.
    /// - Throws: `BoundsError` when the box or the phases do not fit the network.
    /// - Complexity: O(Σ over back-substituted layers of rows × weights below them).
    public func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment = PhaseAssignment()) throws -> NetworkBounds {
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        return Self.bounds(of: network, input: input, phases: phases).bounds
    }

    /// Bounds every layer of `network` over the box `input`, as `bounds(of:input:phases:)`, but
    /// intersected with `known`, and optionally with forward symbolic bounds
    /// (`SymbolicPropagation`) as the cheap first estimate that decides which neurons still need
    /// back-substitution.
    ///
    /// Why: on a network with few inputs the forward pass costs little, and on the small boxes
    /// of input-split branch and bound it leaves most neurons stable, so back-substitution runs
    /// only for the few that stay unstable (the last hidden layers, where forward bounds are
    /// loosest). Every layer is intersected with its interval image, so the result is never
    /// looser than interval propagation; it is usually, not always, tighter than either method
    /// alone (tighter intermediate bounds can change CROWN's adaptive slopes for the worse).
    /// - Parameters:
    ///   - known: sound bounds of a region containing this one (a parent node's), or nil.
    ///   - forwardFilter: whether to run the forward symbolic pass (worth it with few inputs).
    /// - Throws: `BoundsError` when the box, the phases or `known` do not fit the network.
    /// - Complexity: O(weights × inputs + Σ over unstable neurons of weights below them).
    public func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment = PhaseAssignment(),
                       within known: NetworkBounds?, forwardFilter: Bool) throws -> NetworkBounds {
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        try SymbolicPropagation.validate(known: known, for: network)
        return Self.bounds(of: network, input: input, phases: phases, forwardFilter: forwardFilter, known: known).bounds
    }

    /// Sound lower bounds of `objectives` over the region that `bounds` describes.
    /// - Parameter bounds: bounds of every layer over the region (from any method of this module).
    /// - Throws: `BoundsError.objectiveSizeMismatch`.
    /// - Complexity: O((1 + slopeIterations) × objectives × number of weights).
    public func lowerBounds(of objectives: [LinearObjective], in network: Network, over bounds: NetworkBounds) throws -> [ObjectiveBound] {
        for objective in objectives { try objective.validate(for: network) }
        var engine = BackSubstitution(network: network, bounds: bounds)
        engine.prepare(through: network.layers.count - 1)
        return lowerBounds(of: objectives, engine: engine)
    }

    /// Objective bounds with a prepared engine.
    func lowerBounds(of objectives: [LinearObjective], engine: BackSubstitution) -> [ObjectiveBound] {
        guard !objectives.isEmpty else { return [] }
        let network = engine.network
        let start = network.layers.count - 1
        let rows = BackSubstitution.Rows.dense(count: objectives.count, coefficients: objectives.flatMap(\.outputCoefficients))
        let inputRows = objectives.flatMap(\.inputCoefficients)
        let constants = objectives.map(\.constant)
        var results: [ObjectiveBound]
        if engine.bounds.input.isFinite {
            let plain = engine.run(start: start, rows: rows, inputRows: inputRows, constants: constants, record: true)
            results = Self.split(plain, rows: objectives.count, network: network)
            if options.slopeIterations > 0 {
                let ascent = DualAscent(iterations: options.slopeIterations, slopeStep: options.slopeStepSize, shareStep: nil,
                                        deadline: options.deadline)
                results = ascent.run(objectives, engine: engine, initial: results).best
            }
        } else {
            results = objectives.map { _ in
                ObjectiveBound(lower: -.infinity, inputCoefficients: [], inputConstant: -.infinity, multipliers: [])
            }
        }
        // Never worse than the boxes.
        for (r, objective) in objectives.enumerated() {
            let box = objective.boxLowerBound(output: engine.bounds.output, input: engine.bounds.input)
            if box > results[r].lower { results[r].lower = box }
        }
        return results
    }

    /// Splits a batched result into one `ObjectiveBound` per row.
    static func split(_ result: BackSubstitution.Result, rows: Int, network: Network) -> [ObjectiveBound] {
        (0..<rows).map { row($0, of: result, network: network) }
    }

    /// Row `r` of a batched result as an `ObjectiveBound`.
    static func row(_ r: Int, of result: BackSubstitution.Result, network: Network) -> ObjectiveBound {
        let n = network.inputSize
        let multipliers = result.multipliers.enumerated().map { k, all in
            let size = network.layerSizes[k]
            return Array(all[(r * size)..<((r + 1) * size)])
        }
        return ObjectiveBound(lower: result.lower[r],
                              inputCoefficients: Array(result.inputCoefficients[(r * n)..<((r + 1) * n)]),
                              inputConstant: result.inputConstants[r], multipliers: multipliers)
    }

    /// The layer-by-layer computation; also returns the engine so that objective bounds can
    /// reuse its caches.
    /// - Parameter intermediate: when given, the pre-activation bounds of every neuron that plain
    ///   back-substitution leaves unstable are then optimised over the slopes of the earlier
    ///   ReLUs, one set of slopes per bound (α-CROWN's intermediate bounds, Xu et al. 2021,
    ///   "Fast and Complete", §3.1: each neuron's bound is its own objective). Tighter
    ///   intermediate bounds make fewer neurons unstable and every later relaxation tighter.
    static func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment, forwardFilter: Bool = false,
                       known: NetworkBounds? = nil,
                       intermediate: IntermediateOptimisation? = nil) -> (bounds: NetworkBounds, engine: BackSubstitution) {
        var hints: [IntermediateSlopeHint] = []
        return bounds(of: network, input: input, phases: phases, forwardFilter: forwardFilter, known: known,
                      intermediate: intermediate, hints: &hints)
    }

    /// As above; `hints` receives the slopes of every optimised intermediate bound when
    /// `intermediate.recordsHints` is set (for proof certificates).
    static func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment, forwardFilter: Bool = false,
                       known: NetworkBounds? = nil, intermediate: IntermediateOptimisation?,
                       hints: inout [IntermediateSlopeHint]) -> (bounds: NetworkBounds, engine: BackSubstitution) {
        let layers = network.layers
        let start = known.map { input.intersection($0.input) } ?? input
        var engine = BackSubstitution(network: network,
                                      bounds: NetworkBounds(input: start, layers: [], reluLayers: IntervalPropagation.reluLayers(of: network)))
        let backSubstitute = input.isFinite
        // For `intermediate.refinement`'s forward passes, made when first needed.
        var transposed: [PackedMatrix?]?
        var refinementSpent = Duration.zero
        // The forward symbolic state (only with a finite box).
        let domain = SymbolicFunctions.Domain(box: start)
        var symbolic = forwardFilter && start.isFinite ? SymbolicFunctions.identity(size: start.count) : nil
        for (k, layer) in layers.enumerated() {
            switch layer {
            case .relu:
                var pre = engine.bounds.inputBounds(ofLayer: k)
                if IntervalPropagation.clip(&pre, phases: phases.phases(inLayer: k)) { engine.markInfeasible() }
                engine.setBounds(ofLayer: k - 1, pre)
                var box = IntervalVector(lower: pre.lower.map { max(0, $0) }, upper: pre.upper.map { max(0, $0) })
                if let known { box = box.intersection(known.layers[k]) }
                engine.setBounds(ofLayer: k, box)
                symbolic = symbolic?.rectified(pre: pre, context: domain)
            case .smooth:
                // Its input's bounds are final (back-substituted when it was computed); the
                // forward symbolic functions stop here.
                var box = IntervalPropagation.image(of: layer, over: engine.bounds.inputBounds(ofLayer: k))
                if let known { box = box.intersection(known.layers[k]) }
                engine.setBounds(ofLayer: k, box)
                symbolic = nil
            case .affine, .divide:
                var box: IntervalVector
                if case let .affine(affine) = layer {
                    box = IntervalPropagation.image(of: affine, over: engine.bounds.inputBounds(ofLayer: k))
                    symbolic = symbolic?.applying(affine, context: domain)
                } else if case let .divide(divisors) = layer {
                    box = IntervalPropagation.image(dividing: engine.bounds.inputBounds(ofLayer: k), by: divisors)
                    symbolic = symbolic?.dividing(by: divisors, context: domain)
                } else {
                    preconditionFailure("unreachable")
                }
                if let symbolic { box = box.intersection(symbolic.range(over: domain)) }
                if let known { box = box.intersection(known.layers[k]) }
                let isLast = k == layers.count - 1
                let feedsReLU = !isLast && { if case .relu = layers[k + 1] { true } else { false } }()
                // A sigmoid or tanh relaxation tightens with every neuron's bounds, not only
                // those of unstable neurons.
                let feedsSmooth = !isLast && layers[k + 1].smoothActivation != nil
                if backSubstitute, k > 0, isLast || feedsReLU || feedsSmooth {
                    let fixed = feedsReLU ? phases.phases(inLayer: k + 1) : [:]
                    let candidates = isLast || feedsSmooth ? Array(0..<box.count)
                        : (0..<box.count).filter { box.lower[$0] < 0 && box.upper[$0] > 0 && fixed[$0] == nil }
                    if !candidates.isEmpty {
                        engine.prepare(through: k)
                        let rowSize = max(network.layerSizes.prefix(k + 1).max() ?? 1, network.inputSize)
                        let budget = intermediate?.rowBudget ?? Self.rowBudget
                        for part in Self.chunks(of: candidates, rowSize: rowSize, budget: budget) {
                            let lows = engine.run(start: k, rows: .units(neurons: Array(part), negated: false)).lower
                            for (r, j) in part.enumerated() { box.tighten(j, lower: lows[r], upper: .infinity) }
                        }
                        let needUpper = isLast || feedsSmooth ? candidates : candidates.filter { box.lower[$0] < 0 }
                        for part in Self.chunks(of: needUpper, rowSize: rowSize, budget: budget) {
                            let negatives = engine.run(start: k, rows: .units(neurons: Array(part), negated: true)).lower
                            for (r, j) in part.enumerated() { box.tighten(j, lower: -.infinity, upper: -negatives[r]) }
                        }
                        if let intermediate, feedsReLU, k > 1 {
                            hints += intermediate.tighten(&box, layer: k, candidates: candidates, engine: engine)
                            if let refinement = intermediate.refinement {
                                if transposed == nil { transposed = PackedMatrix.transposedWeights(of: network) }
                                // The budget left is shared evenly by this layer and the later ones to refine.
                                var share = refinement
                                if let budget = refinement.budget {
                                    let remaining = (k..<(layers.count - 1)).filter { i in if case .relu = layers[i + 1] { true } else { false } }.count
                                    let left = budget - refinementSpent
                                    share.deadline = [refinement.deadline, ContinuousClock.now + left / max(1, remaining)].compactMap { $0 }.min()
                                }
                                let started = ContinuousClock.now
                                share.refine(&box, layer: k, engine: engine, transposed: transposed ?? [])
                                refinementSpent += ContinuousClock.now - started
                            }
                        }
                    }
                }
                if box.isEmpty {
                    // Only possible on a sub-region that the phases make empty.
                    engine.markInfeasible()
                    for j in 0..<box.count where box.lower[j] > box.upper[j] { box.set(j, lower: box.lower[j], upper: box.lower[j]) }
                }
                engine.setBounds(ofLayer: k, box)
            }
        }
        engine.prepare(through: layers.count - 1)
        return (engine.bounds, engine)
    }
}

extension LinearRelaxation {
    /// Doubles one batch of back-substitution rows may hold per row-sized array (32 MiB).
    static let rowBudget = 1 << 22

    /// `items` in consecutive batches of at most `rowBudget / rowSize` (and at least one).
    ///
    /// Why: rows are independent, so batching changes no bound, but a batch holds arrays of
    /// rows × layer width. On the CIFAR-10 CNNs of oval21 a layer has thousands of unstable
    /// neurons and its convolutions tens of thousands of outputs, so one batch of every row
    /// took gigabytes; a batch of a few hundred rows keeps the product kernels just as busy.
    static func chunks(of items: [Int], rowSize: Int, budget: Int = rowBudget) -> [ArraySlice<Int>] {
        let size = max(1, budget / max(1, rowSize))
        return stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}

/// How `LinearRelaxation` optimises intermediate bounds (α-CROWN, Xu et al. 2021, §3.1).
struct IntermediateOptimisation: Sendable {
    /// Adam steps per layer.
    var iterations: Int
    /// Initial Adam step for the slopes.
    var slopeStep = 0.3
    /// No layer starts its optimisation after this instant (its plain bounds are kept).
    var deadline: ContinuousClock.Instant?
    /// Whether `tighten` returns the slopes of its bounds (`IntermediateSlopeHint`).
    var recordsHints = false
    /// Doubles per row-sized array of one batch of rows (`LinearRelaxation.chunks`).
    var rowBudget = LinearRelaxation.rowBudget
    /// When set, each layer's bounds are then refined by branch and bound over the phases of
    /// the ReLUs before it (its bounds cannot be recorded as slope hints).
    var refinement: IntermediateRefinement?

    /// Optimises the lower and upper bounds of the neurons of layer `layer` that `box` still
    /// leaves unstable, in one batch of rows, and tightens `box` with them.
    /// - Soundness: every bound is a `BackSubstitution` evaluation (sound for any slopes); the
    ///   box is only ever intersected with them.
    /// - Returns: the slopes of each optimised neuron's bounds when `recordsHints` is set, else none.
    @discardableResult
    func tighten(_ box: inout IntervalVector, layer: Int, candidates: [Int], engine: BackSubstitution) -> [IntermediateSlopeHint] {
        guard iterations > 0, deadline.map({ ContinuousClock.now < $0 }) ?? true else { return [] }
        let unstable = candidates.filter { box.lower[$0] < 0 && box.upper[$0] > 0 }
        guard !unstable.isEmpty else { return [] }
        // Each row of the ascent holds arrays (slopes, Adam moments, recorded multipliers, forward
        // values) of up to one double per neuron up to this layer; two rows per neuron.
        let neurons = engine.network.inputSize + engine.network.layerSizes.prefix(layer + 1).reduce(0, +)
        var hints: [IntermediateSlopeHint] = []
        for part in LinearRelaxation.chunks(of: unstable, rowSize: 2 * neurons, budget: rowBudget) {
            hints += tighten(&box, layer: layer, unstable: Array(part), engine: engine)
        }
        return hints
    }

    /// `tighten` for one batch of unstable neurons.
    private func tighten(_ box: inout IntervalVector, layer: Int, unstable: [Int], engine: BackSubstitution) -> [IntermediateSlopeHint] {
        guard deadline.map({ ContinuousClock.now < $0 }) ?? true else { return [] }
        let network = engine.network
        let size = network.layerSizes[layer]
        let zeros = [Double](repeating: 0, count: network.inputSize)
        var objectives: [LinearObjective] = []
        for sign in [1.0, -1.0] {
            for j in unstable {
                var c = [Double](repeating: 0, count: size)
                c[j] = sign
                objectives.append(LinearObjective(outputCoefficients: c, inputCoefficients: zeros))
            }
        }
        var ascent = DualAscent(iterations: iterations, slopeStep: slopeStep, shareStep: nil, deadline: deadline)
        ascent.start = layer
        let best = ascent.run(objectives, engine: engine).best
        guard best.count == objectives.count else { return [] }
        for (r, j) in unstable.enumerated() {
            box.tighten(j, lower: best[r].lower, upper: -best[unstable.count + r].lower)
        }
        guard recordsHints else { return [] }
        // Only the slopes at neurons unstable below this layer matter (the others are exact).
        func compact(_ slopes: [Int: [Double]]) -> [IntermediateSlopeHint.Slope] {
            slopes.keys.sorted().flatMap { k -> [IntermediateSlopeHint.Slope] in
                guard let values = slopes[k], let relaxation = engine.cache(k).relaxation else { return [] }
                return relaxation.unstableNeurons.compactMap { j in
                    j < values.count ? IntermediateSlopeHint.Slope(layer: k, neuron: j, alpha: values[j]) : nil
                }
            }
        }
        return unstable.enumerated().map { r, j in
            IntermediateSlopeHint(layer: layer, neuron: j, lower: compact(best[r].slopes), upper: compact(best[unstable.count + r].slopes))
        }
    }
}
