import NetworkIR

/// The Lagrangian relaxation of Dvijotham et al. 2018, "A Dual Approach to Scalable Verification
/// of Deep Networks" (UAI; arXiv 1803.06567), used to lower-bound a linear objective.
///
/// Write the network as equations `vₖ₊₁ = fₖ(vₖ)` (one per layer: affine, division or ReLU),
/// with every `vₖ` in a sound box `Bₖ` (from `LinearRelaxation`). For multipliers `μₖ` on the
/// layer equations (free in sign, eq. 5 of the paper, which names them λ for activations and μ
/// for affine layers),
///
///     g(μ) = min over vₖ ∈ Bₖ of  c·v_L + d·v₀ + e + Σₖ μₖ·(fₖ(vₖ) − vₖ₊₁)
///
/// is a lower bound of the objective for *every* μ (weak duality: at any feasible point the
/// added terms vanish), so the method is anytime. The minimum separates per variable vector:
/// an affine or division layer leaves a linear function of `vₖ` minimised at box corners, and a
/// ReLU leaves per neuron `aⱼ·z + μⱼ·max(0, z)` on `[l, u]`, minimised at `l`, `u` or `0`
/// (the closed form of the paper's §4.2). `g` is concave and piecewise linear; its
/// supergradient in `μₖ` is the primal residual `fₖ(v*ₖ) − v*ₖ₊₁` at the minimiser, and μ is
/// improved by Adam ascent (as oval-group's reimplementation does), warm-started from the
/// back-substitution multipliers (for which `g` equals the CROWN bound) or from `μ = 0` (which
/// gives the output box bound), whichever is better. The best bound seen is kept; it stops when
/// the bound exceeds the target, when it stalls, at the iteration limit or at the deadline.
///
/// - Soundness: `g(μ)` is evaluated with all rounding errors bounded as in `BackSubstitution`:
///   the coefficient `fl(Wᵀμ) − μₖ` of an affine step is inexact by at most
///   `γ·|W|ᵀ|μ| + 2u·|coef|`, which multiplies a vector in a known box; every candidate value of a
///   ReLU minimum by `4u·(|a| + |μ|)·mag`; every sum by `γ·Σ|terms|`; the total is rounded down.
public struct LagrangianDual: Sendable {
    /// Tuning and stopping rules.
    public struct Options: Sendable, Equatable {
        /// The most dual iterations per objective.
        public var maxIterations: Int
        /// Stop when this instant passes (checked every iteration).
        public var deadline: ContinuousClock.Instant?
        /// Stop as soon as the bound exceeds this value (e.g. 0 to prove `objective > 0`).
        public var target: Double?
        /// Adam step size relative to the magnitude of each layer's multipliers.
        public var stepSize: Double
        /// Stop after this many iterations without improvement of the best bound.
        public var patience: Int
        /// Whether `Result.trace` records every iteration.
        public var recordTrace: Bool

        /// Creates options.
        public init(maxIterations: Int = 100, deadline: ContinuousClock.Instant? = nil, target: Double? = nil,
                    stepSize: Double = 0.05, patience: Int = 40, recordTrace: Bool = false) {
            self.maxIterations = maxIterations
            self.deadline = deadline
            self.target = target
            self.stepSize = stepSize
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
        /// The multipliers that gave it.
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
    ///   - warmStart: a bound of the same objective over the same boxes to start from (its
    ///     multipliers seed the ascent and its value is the initial best); when nil,
    ///     back-substitution supplies one.
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

    /// Tightens the output box of `bounds` (computed with `engine`) by the dual.
    func tightenOutputs(_ bounds: NetworkBounds, engine: BackSubstitution) -> NetworkBounds {
        tightenOutputsTraced(bounds, engine: engine).bounds
    }

    /// Tightens the output box, returning the traces (labelled `Y_j lower` / `Y_j upper`) when
    /// `options.recordTrace` is set. The warm starts are back-substitution bounds with
    /// `slopeIterations` steps of α optimisation.
    func tightenOutputsTraced(_ bounds: NetworkBounds, engine: BackSubstitution,
                              slopeIterations: Int = 0) -> (bounds: NetworkBounds, traces: [DualTrace]) {
        let network = engine.network
        guard !network.layers.isEmpty, bounds.input.isFinite, !bounds.isInfeasible else { return (bounds, []) }
        var result = bounds
        var output = bounds.output
        var traces: [DualTrace] = []
        let objectives = (0..<network.outputSize).flatMap { j in
            [LinearObjective.output(j, of: network), LinearObjective.output(j, of: network, negated: true)]
        }
        let starts = LinearRelaxation(options: .init(slopeIterations: slopeIterations, deadline: options.deadline))
            .lowerBounds(of: objectives, engine: engine)
        for (index, objective) in objectives.enumerated() {
            if let deadline = options.deadline, ContinuousClock().now >= deadline { break }
            let j = index / 2
            let dual = lowerBound(of: objective, engine: engine, warmStart: starts[index], onIteration: nil)
            if index % 2 == 0 { output.tighten(j, lower: dual.lower, upper: .infinity) }
            else { output.tighten(j, lower: -.infinity, upper: -dual.lower) }
            if options.recordTrace { traces.append(DualTrace(label: "Y_\(j) \(index % 2 == 0 ? "lower" : "upper")", entries: dual.trace)) }
        }
        result.layers[network.layers.count - 1] = output
        return (result, traces)
    }

    /// The optimisation with a prepared engine.
    func lowerBound(of objective: LinearObjective, engine: BackSubstitution, warmStart: ObjectiveBound?,
                    onIteration: ((TraceEntry) -> Void)?) -> Result {
        let network = engine.network
        let box = objective.boxLowerBound(output: engine.bounds.output, input: engine.bounds.input)
        guard !network.layers.isEmpty, engine.bounds.input.isFinite,
              engine.bounds.layers.allSatisfy(\.isFinite) else {
            return Result(lower: box, multipliers: [], iterations: 0, stopReason: .notApplicable, trace: [])
        }
        let evaluator = DualEvaluator(engine: engine, objective: objective)
        let zero = network.layerSizes.map { [Double](repeating: 0, count: $0) }
        let warm = warmStart ?? LinearRelaxation().lowerBounds(of: [objective], engine: engine)[0]
        var start = warm.multipliers
        if start.count != zero.count || zip(start, zero).contains(where: { $0.count != $1.count }) { start = zero }
        var current = evaluator.evaluate(start)
        let fromZero = evaluator.evaluate(zero)
        var mu = start
        if fromZero.value > current.value { current = fromZero; mu = zero }
        // The warm start's own value (evaluated by back-substitution, sometimes an ulp tighter)
        // and the box bound are sound too.
        var best = max(current.value, box, warm.lower)
        var bestMultipliers = mu
        var trace: [TraceEntry] = []
        func report(_ iteration: Int, _ bound: Double) {
            let entry = TraceEntry(iteration: iteration, bound: bound, best: best)
            if options.recordTrace { trace.append(entry) }
            onIteration?(entry)
        }
        report(0, current.value)
        if let target = options.target, best > target {
            return Result(lower: best, multipliers: bestMultipliers, iterations: 0, stopReason: .reachedTarget, trace: trace)
        }
        // Per-layer step sizes follow the scale of the starting multipliers.
        let scales = mu.map { layer -> Double in
            let rms = (layer.reduce(0) { $0 + $1 * $1 } / Double(max(layer.count, 1))).squareRoot()
            return rms > 0 && rms.isFinite ? rms : 1
        }
        var firstMoment = zero, secondMoment = zero
        let beta1 = 0.9, beta2 = 0.999
        var beta1Power = 1.0, beta2Power = 1.0
        var sinceImprovement = 0
        var stopReason = StopReason.iterationLimit
        var iterations = 0
        let clock = ContinuousClock()
        for iteration in 1...max(options.maxIterations, 1) where options.maxIterations > 0 {
            if let deadline = options.deadline, clock.now >= deadline { stopReason = .deadline; break }
            iterations = iteration
            beta1Power *= beta1
            beta2Power *= beta2
            // Linear decay to 10% of the initial step over the iteration budget.
            let decay = 1 - 0.9 * Double(iteration - 1) / Double(max(options.maxIterations, 1))
            for k in mu.indices {
                let rate = options.stepSize * scales[k] * decay
                let g = current.subgradient[k]
                for i in mu[k].indices {
                    firstMoment[k][i] = beta1 * firstMoment[k][i] + (1 - beta1) * g[i]
                    secondMoment[k][i] = beta2 * secondMoment[k][i] + (1 - beta2) * g[i] * g[i]
                    let mHat = firstMoment[k][i] / (1 - beta1Power), vHat = secondMoment[k][i] / (1 - beta2Power)
                    mu[k][i] += rate * mHat / (vHat.squareRoot() + 1e-12)
                }
            }
            current = evaluator.evaluate(mu)
            if current.value > best {
                let improvement = current.value - best
                best = current.value
                bestMultipliers = mu
                sinceImprovement = improvement > 1e-9 * (1 + abs(best)) ? 0 : sinceImprovement + 1
            } else {
                sinceImprovement += 1
            }
            report(iteration, current.value)
            if let target = options.target, best > target { stopReason = .reachedTarget; break }
            if sinceImprovement >= options.patience { stopReason = .stalled; break }
        }
        return Result(lower: best, multipliers: bestMultipliers, iterations: iterations, stopReason: stopReason, trace: trace)
    }

    /// Jointly optimises the multipliers and the weights `ν` of a nonnegative combination
    /// `Σ νᵢ·objectiveᵢ` (ν on the simplex), to show that no point makes every objective ≤ 0.
    ///
    /// `g(μ; Σνᵢoᵢ)` is a minimum of functions affine in `(μ, ν)`, hence jointly concave; its
    /// supergradient in `νᵢ` is `objectiveᵢ` at the minimiser (Danskin). `μ` takes Adam steps as in
    /// `lowerBound(of:…)`, `ν` exponentiated-gradient steps. When the weights are fixed this is the
    /// ordinary dual; letting them move makes it the Lagrangian of the whole conjunction
    /// (Dvijotham et al. 2018 §3 treat the specification as one more layer).
    ///
    /// - Returns: the best weights and multipliers with their estimated value. The value bounds
    ///   the *floating-point* combination; callers must re-bound the exact combination soundly
    ///   (`BoundsAnalyzer` rounds the weights, forms the exact expression and evaluates it).
    func optimiseCombination(of objectives: [LinearObjective], weights initial: [Double], engine: BackSubstitution,
                             warmStart: [[Double]]?) -> (weights: [Double], multipliers: [[Double]], value: Double) {
        let network = engine.network
        let zero = network.layerSizes.map { [Double](repeating: 0, count: $0) }
        guard !network.layers.isEmpty, objectives.count == initial.count, engine.bounds.input.isFinite,
              engine.bounds.layers.allSatisfy(\.isFinite) else { return (initial, warmStart ?? zero, -.infinity) }
        func combined(_ nu: [Double]) -> LinearObjective {
            var c = [Double](repeating: 0, count: network.outputSize)
            var d = [Double](repeating: 0, count: network.inputSize)
            var e = 0.0
            for (i, objective) in objectives.enumerated() where nu[i] != 0 {
                for j in c.indices { c[j] += nu[i] * objective.outputCoefficients[j] }
                for j in d.indices { d[j] += nu[i] * objective.inputCoefficients[j] }
                e += nu[i] * objective.constant
            }
            return LinearObjective(outputCoefficients: c, inputCoefficients: d, constant: e)
        }
        var nu = initial
        var mu = warmStart.flatMap { start in
            start.count == zero.count && zip(start, zero).allSatisfy { $0.count == $1.count } ? start : nil
        } ?? zero
        var current = DualEvaluator(engine: engine, objective: combined(nu)).evaluate(mu)
        var best = (weights: nu, multipliers: mu, value: current.value)
        let scales = mu.map { layer -> Double in
            let rms = (layer.reduce(0) { $0 + $1 * $1 } / Double(max(layer.count, 1))).squareRoot()
            return rms > 0 && rms.isFinite ? rms : 1
        }
        var firstMoment = zero, secondMoment = zero
        let beta1 = 0.9, beta2 = 0.999
        var beta1Power = 1.0, beta2Power = 1.0
        var weightScale = 0.0
        var sinceImprovement = 0
        let clock = ContinuousClock()
        for iteration in 1...max(options.maxIterations, 1) where options.maxIterations > 0 {
            if let deadline = options.deadline, clock.now >= deadline { break }
            beta1Power *= beta1
            beta2Power *= beta2
            let decay = 1 - 0.9 * Double(iteration - 1) / Double(max(options.maxIterations, 1))
            for k in mu.indices {
                let rate = options.stepSize * scales[k] * decay
                let g = current.subgradient[k]
                for i in mu[k].indices {
                    firstMoment[k][i] = beta1 * firstMoment[k][i] + (1 - beta1) * g[i]
                    secondMoment[k][i] = beta2 * secondMoment[k][i] + (1 - beta2) * g[i] * g[i]
                    let mHat = firstMoment[k][i] / (1 - beta1Power), vHat = secondMoment[k][i] / (1 - beta2Power)
                    mu[k][i] += rate * mHat / (vHat.squareRoot() + 1e-12)
                }
            }
            // Weights: the value of each objective at the minimiser is its supergradient.
            let values = objectives.map { objective -> Double in
                var v = objective.constant
                for j in objective.outputCoefficients.indices { v += objective.outputCoefficients[j] * current.output[j] }
                for j in objective.inputCoefficients.indices { v += objective.inputCoefficients[j] * current.input[j] }
                return v
            }
            if weightScale == 0 { weightScale = max(values.map(abs).max() ?? 1, 1e-12) }
            let step = decay / (weightScale * Double(iteration).squareRoot())
            let top = values.map { step * $0 }.max() ?? 0
            var total = 0.0
            for i in nu.indices {
                nu[i] *= ConstraintCombination.expApprox(step * values[i] - top)
                total += nu[i]
            }
            if total > 0 && total.isFinite { for i in nu.indices { nu[i] /= total } }
            current = DualEvaluator(engine: engine, objective: combined(nu)).evaluate(mu)
            if current.value > best.value {
                sinceImprovement = current.value - best.value > 1e-9 * (1 + abs(best.value)) ? 0 : sinceImprovement + 1
                best = (nu, mu, current.value)
            } else {
                sinceImprovement += 1
            }
            if let target = options.target, best.value > target { break }
            if sinceImprovement >= options.patience { break }
        }
        return best
    }
}
