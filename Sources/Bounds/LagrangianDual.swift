import NetworkIR

/// The Lagrangian relaxation of Dvijotham et al. 2018, "A Dual Approach to Scalable Verification
/// of Deep Networks" (UAI; arXiv 1803.06567), used to lower-bound a linear objective.
///
/// Write the network as equations `vₖ₊₁ = fₖ(vₖ)` (one per layer: affine, division or ReLU),
/// with every `vₖ` in a sound box `Bₖ` (from `LinearRelaxation`). For multipliers `μₖ` on the
/// layer equations (free in sign; the paper's eq. 5 names them μ for affine and λ for activation
/// equations),
///
///     g(μ) = min over vₖ ∈ Bₖ of  c·v_L + d·v₀ + e + Σₖ μₖ·(fₖ(vₖ) − vₖ₊₁)
///
/// is a lower bound of the objective for *every* μ (weak duality: at any feasible point the
/// added terms vanish), so the method is anytime. The minimum separates per variable: an affine
/// or division layer leaves a linear function of `vₖ` minimised at box corners, and a ReLU leaves
/// per neuron `a·z + μ·max(0, z)` on `[l, u]`, minimised at `l`, `u` or `0` (the paper's §4.2
/// closed form); `DualEvaluator` and `BackSubstitution` evaluate exactly this, soundly.
///
/// The multipliers are optimised by projected Adam ascent on supergradients (as oval-group's
/// reimplementation does), in the parameterisation of `DualAscent`: the activation multipliers
/// through lower ReLU slopes and the affine multipliers through box shares, so that the ascent
/// starts at the linear relaxation's multipliers (for which `g` is the CROWN bound) and keeps
/// every intermediate box in play. (Free, unparameterised μ steps were tried first: from the CROWN
/// point the supergradient of this piecewise-linear `g` is a poor ascent direction and Adam did
/// not improve on α-CROWN in 300 steps on ACAS Xu; the parameterised ascent does.) The best bound
/// seen is kept; it stops when the bound exceeds the target, when it stalls, at the iteration
/// limit or at the deadline.
///
/// - Soundness: each iterate's bound is a Lagrangian evaluated with all rounding errors bounded
///   (`BackSubstitution`), so it holds for the exact real-valued network; the best is reported.
public struct LagrangianDual: Sendable {
    /// Tuning and stopping rules.
    public struct Options: Sendable, Equatable {
        /// The most iterations per objective.
        public var maxIterations: Int
        /// Stop when this instant passes (checked every iteration).
        public var deadline: ContinuousClock.Instant?
        /// Stop as soon as the bound exceeds this value (e.g. 0 to prove `objective > 0`).
        public var target: Double?
        /// Initial Adam step of the affine multipliers' box shares (in [0, 1]).
        public var stepSize: Double
        /// Initial Adam step of the ReLU slopes (in [0, 1]).
        public var slopeStepSize: Double
        /// Stop after this many iterations without improvement of the best bound.
        public var patience: Int
        /// Whether `Result.trace` records every iteration.
        public var recordTrace: Bool

        /// Creates options.
        public init(maxIterations: Int = 100, deadline: ContinuousClock.Instant? = nil, target: Double? = nil,
                    stepSize: Double = 0.1, slopeStepSize: Double = 0.3, patience: Int = 40, recordTrace: Bool = false) {
            self.maxIterations = maxIterations
            self.deadline = deadline
            self.target = target
            self.stepSize = stepSize
            self.slopeStepSize = slopeStepSize
            self.patience = patience
            self.recordTrace = recordTrace
        }
    }

    /// One iteration's bounds.
    public struct TraceEntry: Sendable, Equatable {
        /// The iteration (0 is the warm start).
        public var iteration: Int
        /// The sound bound at this iteration's multipliers.
        public var bound: Double
        /// The best bound so far (never decreases).
        public var best: Double
    }

    /// Why the optimisation stopped.
    public enum StopReason: String, Sendable, Equatable {
        case reachedTarget, stalled, iterationLimit, deadline, notApplicable
    }

    /// The outcome of one objective.
    public struct Result: Sendable, Equatable {
        /// The best sound lower bound found.
        public var lower: Double
        /// The multipliers that gave it (`multipliers[k]` on layer `k`'s equation).
        public var multipliers: [[Double]]
        /// Iterations performed after the warm start.
        public var iterations: Int
        /// Why it stopped.
        public var stopReason: StopReason
        /// Every iteration, when recorded.
        public var trace: [TraceEntry]
    }

    /// The options in force.
    public var options: Options

    /// Creates the method.
    public init(options: Options = Options()) { self.options = options }

    /// A sound lower bound of `objective` over the region described by `bounds`.
    /// - Parameters:
    ///   - bounds: sound bounds of every layer (the boxes `Bₖ`).
    ///   - warmStart: a bound of the same objective over the same boxes (e.g. from
    ///     `LinearRelaxation` with optimised slopes): the ascent continues from its slopes and
    ///     the result is never worse; when nil, CROWN's multipliers are the start.
    ///   - onIteration: called after every iteration (for live traces).
    /// - Throws: `BoundsError.objectiveSizeMismatch`.
    /// - Complexity: O(iterations × number of weights).
    public func lowerBound(of objective: LinearObjective, in network: Network, over bounds: NetworkBounds,
                           warmStart: ObjectiveBound? = nil, onIteration: ((TraceEntry) -> Void)? = nil) throws -> Result {
        try objective.validate(for: network)
        var engine = BackSubstitution(network: network, bounds: bounds)
        engine.prepare(through: network.layers.count - 1)
        return lowerBound(of: objective, engine: engine, warmStart: warmStart, onIteration: onIteration)
    }

    /// Bounds every layer with `LinearRelaxation`, then tightens each network output (both
    /// sides) with the dual. The deadline is shared by all outputs.
    /// - Throws: `BoundsError` when the box or the phases do not fit the network.
    public func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment = PhaseAssignment()) throws -> NetworkBounds {
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        let (linear, engine) = LinearRelaxation.bounds(of: network, input: input, phases: phases)
        return tightenOutputs(linear, engine: engine)
    }

    /// The ascent with this method's options.
    var ascent: DualAscent {
        DualAscent(iterations: options.maxIterations, slopeStep: options.slopeStepSize, shareStep: options.stepSize,
                   deadline: options.deadline, target: options.target, patience: options.patience, recordTrace: options.recordTrace)
    }

    /// Tightens the output box of `bounds` (computed with `engine`) by the dual.
    func tightenOutputs(_ bounds: NetworkBounds, engine: BackSubstitution) -> NetworkBounds {
        tightenOutputsTraced(bounds, engine: engine).bounds
    }

    /// Tightens the output box (both sides of every output, in one batch), returning the traces
    /// (labelled `Y_j lower` / `Y_j upper`) when `options.recordTrace` is set. The warm starts
    /// are back-substitution bounds with `slopeIterations` steps of α optimisation.
    func tightenOutputsTraced(_ bounds: NetworkBounds, engine: BackSubstitution,
                              slopeIterations: Int = 0) -> (bounds: NetworkBounds, traces: [DualTrace]) {
        let network = engine.network
        guard !network.layers.isEmpty, bounds.input.isFinite, !bounds.isInfeasible else { return (bounds, []) }
        var result = bounds
        var output = bounds.output
        let objectives = (0..<network.outputSize).flatMap { j in
            [LinearObjective.output(j, of: network), LinearObjective.output(j, of: network, negated: true)]
        }
        let starts = LinearRelaxation(options: .init(slopeIterations: slopeIterations, deadline: options.deadline))
            .lowerBounds(of: objectives, engine: engine)
        var settings = ascent
        settings.target = nil
        let outcome = settings.run(objectives, engine: engine, initial: starts)
        let best = outcome.best.count == objectives.count ? outcome.best : starts
        for (index, bound) in best.enumerated() {
            let j = index / 2
            if index % 2 == 0 { output.tighten(j, lower: bound.lower, upper: .infinity) }
            else { output.tighten(j, lower: -.infinity, upper: -bound.lower) }
        }
        result.layers[network.layers.count - 1] = output
        let traces = outcome.traces.enumerated().map { index, entries in
            DualTrace(label: "Y_\(index / 2) \(index % 2 == 0 ? "lower" : "upper")", entries: entries)
        }
        return (result, traces)
    }

    /// The optimisation with a prepared engine.
    func lowerBound(of objective: LinearObjective, engine: BackSubstitution, warmStart: ObjectiveBound?,
                    onIteration: ((TraceEntry) -> Void)?) -> Result {
        let box = objective.boxLowerBound(output: engine.bounds.output, input: engine.bounds.input)
        let warm = warmStart ?? LinearRelaxation().lowerBounds(of: [objective], engine: engine).first
        let outcome = ascent.run([objective], engine: engine, initial: warm.map { [$0] }, onIteration: onIteration)
        guard var best = outcome.best.first else {
            return Result(lower: max(box, warmStart?.lower ?? -.infinity), multipliers: warmStart?.multipliers ?? [],
                          iterations: 0, stopReason: .notApplicable, trace: [])
        }
        if box > best.lower { best.lower = box }
        return Result(lower: best.lower, multipliers: best.multipliers, iterations: outcome.iterations,
                      stopReason: outcome.stopReason, trace: outcome.traces.first ?? [])
    }

    /// Jointly optimises the multipliers and the weights `ν` of a nonnegative combination
    /// `Σ νᵢ·objectiveᵢ` (ν on the simplex), to show that no point makes every objective ≤ 0.
    ///
    /// `g(μ; Σνᵢoᵢ)` is a minimum of functions affine in `(μ, ν)`, hence jointly concave; its
    /// supergradient in `νᵢ` is `objectiveᵢ` at the minimiser (Danskin), and ν takes
    /// exponentiated-gradient steps while the multipliers ascend as in `lowerBound(of:…)`. This
    /// is the Lagrangian of the whole conjunction (Dvijotham et al. 2018 §3 treat the
    /// specification as one more layer).
    ///
    /// - Returns: the best weights and multipliers with their value, which bounds the
    ///   *floating-point* combination; callers must re-bound the exact combination soundly
    ///   (`BoundsAnalyzer` rounds the weights, forms the exact expression and evaluates it).
    func optimiseCombination(of objectives: [LinearObjective], weights initial: [Double], engine: BackSubstitution,
                             warmStart: ObjectiveBound?) -> (weights: [Double], multipliers: [[Double]], value: Double) {
        guard objectives.count == initial.count, !objectives.isEmpty else { return (initial, [], -.infinity) }
        let outcome = ascent.run(objectives, engine: engine, initial: warmStart.map { [$0] }, combining: initial)
        guard let best = outcome.best.first else { return (initial, [], -.infinity) }
        return (outcome.weights, best.multipliers, best.lower)
    }
}
