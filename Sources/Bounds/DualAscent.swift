import NetworkIR

/// Projected Adam ascent on the multipliers of back-substitution, one objective row at a time
/// (rows are batched but independent).
///
/// The multipliers are parameterised as back-substitution builds them:
/// - *slopes* `α ∈ [0, 1]` of the lower ReLU relaxation (the multipliers of the activation
///   equations, `μ = α·λ`): α-CROWN, Xu et al. 2021, "Fast and Complete", §3.1, eq. 6;
/// - optionally *box shares* `β ∈ [0, 1]` at the output of every affine or division layer: the
///   multiplier of the layer's equation is `(1 − β)·λ` instead of the coefficient `λ` on its
///   output, and `β·λ` is minimised over the output's box (`BackSubstitution.splitStep`). This
///   is the freedom that the Lagrangian of Dvijotham et al. 2018 (eq. 5) has beyond CROWN:
///   separate multipliers for the affine and the activation equations, each variable kept in
///   its own box.
///
/// The bound is the value of the relaxed linear network at its minimising input corner `x*`
/// plus the box terms, so (envelope theorem) its supergradient is, for the slope of unstable
/// neuron `j` of ReLU layer `k`, `λₖⱼ·ẑₖⱼ` (coefficient on the ReLU output times the neuron's
/// pre-activation in a forward pass of the relaxed network from `x*`), and for the share of
/// neuron `j` of a layer output `v`, `min(aⱼlⱼ, aⱼuⱼ) − aⱼ·v̂ⱼ` (box value minus relaxed value
/// of the arriving coefficient `a`). With several objectives combined by weights `ν` on the
/// simplex, the supergradient in `νᵢ` is objective `i` at the minimiser.
///
/// - Soundness: every parameter vector gives a valid bound, evaluated by the sound
///   `BackSubstitution`; the best bound per row is kept and no step can make it invalid.
struct DualAscent: Sendable {
    /// Evaluations after the start.
    var iterations: Int
    /// Initial Adam step for the slopes (decays by 2 % per step, as in α-CROWN).
    var slopeStep = 0.3
    /// Initial Adam step for the box shares, or nil to keep CROWN's multipliers on affine layers.
    var shareStep: Double?
    /// Stop when this instant passes.
    var deadline: ContinuousClock.Instant?
    /// Stop once every row's best bound exceeds this value (or any row's, see below).
    var target: Double?
    /// Whether one row reaching the target suffices (rows that each could prove a case).
    var anyRowReachesTarget = false
    /// Stop once no row has improved for this many iterations.
    var patience: Int?
    /// Record per-row traces.
    var recordTrace = false
    /// The layer whose output the rows multiply, or nil for the network output. An intermediate
    /// layer bounds its neurons (α-CROWN's intermediate bounds, Xu et al. 2021, §3.1); the
    /// rows' `outputCoefficients` then have that layer's size and `combining` is not used.
    var start: Int?

    /// What `run` returns.
    struct Outcome {
        /// The best bound per row with its certificate.
        var best: [ObjectiveBound]
        /// Per row, one entry per evaluation (the start is iteration 0), when recorded.
        var traces: [[LagrangianDual.TraceEntry]]
        /// Iterations performed.
        var iterations: Int
        var stopReason: LagrangianDual.StopReason
        /// The best combination weights (when combining).
        var weights: [Double]
    }

    /// Optimises the rows `objectives` (or, when `combining` is true, the single row
    /// `Σ weights[i]·objectives[i]`, weights included) starting from CROWN's multipliers.
    /// - Parameter initial: bounds already known per row (e.g. from α-CROWN); the best never
    ///   falls below them.
    func run(_ objectives: [LinearObjective], engine: BackSubstitution, initial: [ObjectiveBound]? = nil,
             combining weights: [Double]? = nil, onIteration: ((LagrangianDual.TraceEntry) -> Void)? = nil) -> Outcome {
        let network = engine.network
        let start = self.start ?? network.layers.count - 1
        var nu = weights ?? []
        let combining = weights != nil
        func rowObjectives() -> [LinearObjective] {
            guard combining else { return objectives }
            var c = [Double](repeating: 0, count: network.outputSize), d = [Double](repeating: 0, count: network.inputSize)
            var e = 0.0
            for (i, objective) in objectives.enumerated() where nu[i] != 0 {
                for j in c.indices { c[j] += nu[i] * objective.outputCoefficients[j] }
                for j in d.indices { d[j] += nu[i] * objective.inputCoefficients[j] }
                e += nu[i] * objective.constant
            }
            return [LinearObjective(outputCoefficients: c, inputCoefficients: d, constant: e)]
        }
        func evaluate(slopes: [Int: [Double]], shares: [Int: [Double]]) -> BackSubstitution.Result {
            let rows = rowObjectives()
            return engine.run(start: start, rows: .dense(count: rows.count, coefficients: rows.flatMap(\.outputCoefficients)),
                              inputRows: rows.flatMap(\.inputCoefficients), constants: rows.map(\.constant),
                              slopes: slopes, shares: shares, record: true)
        }
        let count = combining ? 1 : objectives.count
        guard start >= 0, count > 0, engine.bounds.input.isFinite, engine.bounds.layers.allSatisfy(\.isFinite) else {
            return Outcome(best: initial ?? [], traces: [], iterations: 0, stopReason: .notApplicable, weights: nu)
        }
        let reluLayers = (0...start).filter { engine.cache($0).relaxation.map { !$0.unstableNeurons.isEmpty } ?? false }
        let shareLayers = shareStep == nil ? [] : (0...start).filter { k in
            if case .relu = network.layers[k] { return false }
            return true
        }
        var slopes: [Int: [Double]] = [:], shares: [Int: [Double]] = [:]
        // Adam moments, keyed by layer; shares use key −(k + 1).
        var moments = ProjectedAdam.Moments()
        for k in reluLayers {
            guard let relaxation = engine.cache(k).relaxation else { continue }
            // Start from the slopes that produced the initial bounds, else CROWN's adaptive ones.
            slopes[k] = (0..<count).flatMap { r in
                initial.flatMap { $0.count == count ? $0[r].slopes[k] : nil }.flatMap { $0.count == relaxation.kinds.count ? $0 : nil }
                    ?? relaxation.adaptiveSlopes
            }
        }
        for k in shareLayers { shares[k] = [Double](repeating: 0, count: count * network.layerSizes[k]) }

        var current = evaluate(slopes: slopes, shares: shares)
        var best = LinearRelaxation.split(current, rows: count, network: network)
        for r in 0..<count {
            for (k, s) in slopes {
                let n = s.count / count
                best[r].slopes[k] = Array(s[(r * n)..<((r + 1) * n)])
            }
        }
        var bestWeights = nu
        var traces = Array(repeating: [LagrangianDual.TraceEntry](), count: count)
        var bestValues = best.map(\.lower)
        if let initial, initial.count == count {
            for r in 0..<count where initial[r].lower > bestValues[r] { best[r] = initial[r]; bestValues[r] = initial[r].lower }
        }
        var sinceImprovement = [Int](repeating: 0, count: count)
        func record(_ iteration: Int) {
            for r in 0..<count {
                let entry = LagrangianDual.TraceEntry(iteration: iteration, bound: current.lower[r], best: bestValues[r])
                if recordTrace { traces[r].append(entry) }
                if r == 0 { onIteration?(entry) }
            }
        }
        record(0)
        var stopReason = LagrangianDual.StopReason.iterationLimit
        var iterationsDone = 0
        let clock = ContinuousClock()
        let transposed = PackedMatrix.transposedWeights(of: network)
        var adam = ProjectedAdam()
        var weightScale = 0.0
        func reached(_ target: Double) -> Bool {
            anyRowReachesTarget ? bestValues.contains { $0 > target } : bestValues.allSatisfy { $0 > target }
        }
        if let target, reached(target) {
            return Outcome(best: best, traces: traces, iterations: 0, stopReason: .reachedTarget, weights: bestWeights)
        }
        for iteration in 1...max(iterations, 1) where iterations > 0 {
            if let deadline, clock.now >= deadline { stopReason = .deadline; break }
            if reluLayers.isEmpty && shareLayers.isEmpty && !combining { stopReason = .stalled; break }
            let forward = Self.forward(current, engine: engine, transposed: transposed, start: start, rows: count, slopes: slopes)
            adam.advance()
            Self.stepSlopes(&slopes, layers: reluLayers, engine: engine, result: current, forward: forward, adam: adam,
                            moments: &moments, rate: slopeStep)
            if let shareStep {
                for k in shareLayers {
                    guard var s = shares[k] else { continue }
                    let kept = current.multipliers[k], concretised = current.boxCoefficients[k]
                    let box = engine.bounds.layers[k], n = network.layerSizes[k]
                    let output = forward[k + 1]
                    var gradient = [Double](repeating: 0, count: s.count)
                    for i in s.indices {
                        let a = kept[i] + (concretised?[i] ?? 0), j = i % n
                        gradient[i] = min(a * box.lower[j], a * box.upper[j]) - a * output[i]
                    }
                    adam.step(&s, gradient: gradient, moments: &moments[-(k + 1)], rate: shareStep, range: 0...1)
                    shares[k] = s
                }
            }
            if combining {
                // Supergradient in ν: each objective at the minimiser (box part at its corner).
                let output = forward[start + 1], input = forward[0]
                let share = shares[start], concretised = current.boxCoefficients[start]
                let box = engine.bounds.output
                let values = objectives.map { objective -> Double in
                    var v = objective.constant
                    for j in objective.outputCoefficients.indices {
                        let beta = share?[j] ?? 0
                        let corner = (concretised?[j] ?? 0) > 0 ? box.lower[j] : box.upper[j]
                        v += objective.outputCoefficients[j] * (beta * corner + (1 - beta) * output[j])
                    }
                    for j in objective.inputCoefficients.indices { v += objective.inputCoefficients[j] * input[j] }
                    return v
                }
                if weightScale == 0 { weightScale = max(values.map(abs).max() ?? 1, 1e-12) }
                let step = adam.decay / (weightScale * Double(iteration).squareRoot())
                let top = values.map { step * $0 }.max() ?? 0
                var total = 0.0
                for i in nu.indices {
                    nu[i] *= ConstraintCombination.expApprox(step * values[i] - top)
                    total += nu[i]
                }
                if total > 0 && total.isFinite { for i in nu.indices { nu[i] /= total } }
            }
            current = evaluate(slopes: slopes, shares: shares)
            iterationsDone = iteration
            for r in 0..<count {
                // Only rows that improved are copied out of the batch.
                if current.lower[r] > bestValues[r] {
                    var row = LinearRelaxation.row(r, of: current, network: network)
                    for (k, s) in slopes {
                        let n = s.count / count
                        row.slopes[k] = Array(s[(r * n)..<((r + 1) * n)])
                    }
                    sinceImprovement[r] = row.lower - bestValues[r] > 1e-9 * (1 + abs(bestValues[r])) ? 0 : sinceImprovement[r] + 1
                    best[r] = row
                    bestValues[r] = row.lower
                    if combining { bestWeights = nu }
                } else {
                    sinceImprovement[r] += 1
                }
            }
            record(iteration)
            if let target, reached(target) { stopReason = .reachedTarget; break }
            if let patience, sinceImprovement.allSatisfy({ $0 >= patience }) { stopReason = .stalled; break }
        }
        return Outcome(best: best, traces: traces, iterations: iterationsDone, stopReason: stopReason, weights: bestWeights)
    }

    /// One Adam step on the slopes of every ReLU layer in `layers`, along `slopeGradient`.
    static func stepSlopes(_ slopes: inout [Int: [Double]], layers: [Int], engine: BackSubstitution,
                           result: BackSubstitution.Result, forward: [[Double]], adam: ProjectedAdam,
                           moments: inout ProjectedAdam.Moments, rate: Double) {
        for k in layers {
            guard var s = slopes[k], let relaxation = engine.cache(k).relaxation else { continue }
            let gradient = slopeGradient(relaxation, multipliers: result.multipliers[k], preActivations: forward[k])
            adam.step(&s, gradient: gradient, moments: &moments[k], rate: rate, range: 0...1)
            slopes[k] = s
        }
    }

    /// The supergradient of each row's bound in the slopes of one ReLU layer (row-major): `λ·ẑ`
    /// for unstable neurons whose coefficient `λ` on the output uses the lower relaxation
    /// (`λ ≥ 0`), 0 elsewhere.
    static func slopeGradient(_ relaxation: ReLURelaxation, multipliers lambda: [Double], preActivations z: [Double]) -> [Double] {
        let n = relaxation.kinds.count
        var gradient = [Double](repeating: 0, count: lambda.count)
        for i in lambda.indices where relaxation.kinds[i % n] == ReLURelaxation.unstable && lambda[i] >= 0 {
            gradient[i] = lambda[i] * z[i]
        }
        return gradient
    }

    /// The relaxed network evaluated from each row's minimising input corner: `values[0]` is the
    /// input, `values[k + 1]` the output of layer `k` (row-major, rows × size).
    static func forward(_ result: BackSubstitution.Result, engine: BackSubstitution, transposed: [PackedMatrix?],
                        start: Int, rows: Int, slopes: [Int: [Double]]) -> [[Double]] {
        let network = engine.network
        let box = engine.bounds.input
        let n0 = network.inputSize
        var z = [Double](repeating: 0, count: rows * n0)
        for r in 0..<rows {
            for j in 0..<n0 {
                let a = result.inputCoefficients[r * n0 + j]
                z[r * n0 + j] = a > 0 ? box.lower[j] : (a < 0 ? box.upper[j] : 0.5 * (box.lower[j] + box.upper[j]))
            }
        }
        var values = [z]
        var size = n0
        for k in 0...start {
            switch network.layers[k] {
            case let .affine(affine):
                var next = [Double](repeating: 0, count: rows * affine.outputSize)
                z.withUnsafeBufferPointer { x in
                    next.withUnsafeMutableBufferPointer { out in
                        guard let xp = x.baseAddress, let op = out.baseAddress else { return }
                        WeightKernels.multiplyTransposed(xp, rows: rows, by: affine.matrix, packedTranspose: transposed[k], into: op)
                    }
                }
                for r in 0..<rows { for i in 0..<affine.outputSize { next[r * affine.outputSize + i] += affine.bias[i] } }
                z = next
                size = affine.outputSize
            case let .divide(divisors):
                for r in 0..<rows { for j in 0..<size { z[r * size + j] /= divisors[j] } }
            case .relu:
                guard let relaxation = engine.cache(k).relaxation else { break }
                let lambda = result.multipliers[k]
                let alphas = slopes[k]
                for r in 0..<rows {
                    for j in 0..<size {
                        let i = r * size + j
                        switch relaxation.kinds[j] {
                        case ReLURelaxation.inactive: z[i] = 0
                        case ReLURelaxation.active: break
                        default:
                            if lambda[i] >= 0 {
                                z[i] *= alphas?[i] ?? relaxation.adaptiveSlopes[j]
                            } else {
                                z[i] = relaxation.chordSlopes[j] * (z[i] - relaxation.lower[j])
                            }
                        }
                    }
                }
            case .smooth:
                // The line each row's multiplier selected (fixed: not optimised).
                guard let lines = engine.cache(k).smoothRelaxations else { break }
                let lambda = result.multipliers[k]
                for r in 0..<rows {
                    for j in 0..<size {
                        let i = r * size + j, line = lines[j]
                        z[i] = lambda[i] >= 0 ? line.lowerSlope * z[i] + line.lowerIntercept : line.upperSlope * z[i] + line.upperIntercept
                    }
                }
            }
            values.append(z)
        }
        return values
    }
}
