import ExactArithmetic
import NetworkIR
import VNNLIB

/// Bounds a specification case with one or more methods and decides whether its unsafe
/// conjunction is unreachable.
///
/// A case is proved when its input box is empty, when fixed phases make the sub-region empty,
/// when one constraint cannot hold (sound minimum of `e` > 0 for `e ≤ 0`, ≥ 0 for `e < 0`;
/// for `e = 0`, `e` bounded away from 0), or when a nonnegative combination of the constraints
/// has a positive sound minimum (`ConstraintCombination`), bounded directly by the method.
///
/// Sound over-approximations, stated once: input constraints beyond the box are *not* used to
/// shrink the region (they are still bounded as constraints, and one whose expression is positive
/// on the whole box proves the case); strict inequalities are handled exactly as above, or as
/// non-strict inside combinations unless a strict constraint has positive weight; exact rational
/// coefficients are bounded through their nearest doubles plus a correction
/// (`ExpressionObjective`).
public struct BoundsAnalyzer: Sendable {
    /// The options in force.
    public var options: BoundsOptions

    /// Creates an analyzer.
    public init(options: BoundsOptions = BoundsOptions()) { self.options = options }

    /// Bounds `specCase` with `method`.
    /// - Throws: `BoundsError` when the case or the phases do not fit the network.
    public func analyze(_ specCase: SpecificationCase, of network: Network, method: BoundsMethod,
                        phases: PhaseAssignment = PhaseAssignment()) throws -> CaseBounds {
        try analyze(specCase, of: network, methods: [method], phases: phases)[0]
    }

    /// Bounds `specCase` with each method in `methods` (in the order given), reusing the linear
    /// stage for the Lagrangian method when both run.
    /// - Parameter stopAtFirstProof: return as soon as a method proves the case.
    /// - Returns: one result per method run.
    /// - Throws: `BoundsError` when the case or the phases do not fit the network.
    public func analyze(_ specCase: SpecificationCase, of network: Network, methods: [BoundsMethod],
                        phases: PhaseAssignment = PhaseAssignment(), stopAtFirstProof: Bool = false) throws -> [CaseBounds] {
        try analyze(cases: [specCase], of: network, methods: methods, phases: phases, stopAtFirstProof: stopAtFirstProof)[0]
    }

    /// Bounds every case of `specification` with each method. Cases with the same input box
    /// share the network bounds, and their constraint objectives are bounded in one batch (a
    /// VNN-LIB robustness property has one box and one case per other class).
    /// - Returns: `result[c]` lists case `c`'s results, one per method run; a case's shared
    ///   work is split evenly among the cases of its box in `seconds`.
    /// - Throws: `BoundsError` when a case or the phases do not fit the network.
    public func analyze(_ specification: Specification, of network: Network, methods: [BoundsMethod],
                        phases: PhaseAssignment = PhaseAssignment(), stopAtFirstProof: Bool = false) throws -> [[CaseBounds]] {
        try analyze(cases: specification.cases, of: network, methods: methods, phases: phases, stopAtFirstProof: stopAtFirstProof)
    }

    func analyze(cases: [SpecificationCase], of network: Network, methods: [BoundsMethod],
                 phases: PhaseAssignment, stopAtFirstProof: Bool) throws -> [[CaseBounds]] {
        let problems = try cases.map { try CaseProblem($0, network: network, phases: phases) }
        var results = problems.map { _ in [CaseBounds]() }
        var groups: [InputBox: [Int]] = [:]
        var order: [InputBox] = []
        for (c, specCase) in cases.enumerated() {
            if groups[specCase.box] == nil { order.append(specCase.box) }
            groups[specCase.box, default: []].append(c)
        }
        let clock = ContinuousClock()
        for box in order {
            let members = groups[box] ?? []
            var stages: [Int: LinearStage] = [:]
            for method in methods {
                let active = members.filter { !stopAtFirstProof || !(results[$0].last?.isProved ?? false) }
                guard !active.isEmpty else { break }
                let start = clock.now
                switch method {
                case .interval:
                    let bounds = intervalNetworkBounds(problems[active[0]])
                    let shared = Self.seconds(clock.now - start) / Double(active.count)
                    for c in active {
                        let own = clock.now
                        var result = intervalBounds(problems[c], bounds: bounds)
                        result.seconds = shared + Self.seconds(clock.now - own)
                        results[c].append(result)
                    }
                case .linear, .lagrangian:
                    let missing = active.filter { stages[$0] == nil }
                    var linearShare = 0.0
                    if !missing.isEmpty {
                        let computed = linearStages(missing.map { problems[$0] })
                        linearShare = Self.seconds(clock.now - start) / Double(missing.count)
                        for (c, stage) in zip(missing, computed) { stages[c] = stage }
                    }
                    // The dual-tightened output box, when wanted, is shared by the cases of the box.
                    var outputs: (bounds: NetworkBounds, traces: [DualTrace])?
                    var outputShare = 0.0
                    if method == .lagrangian, options.tightenReportedBounds, let first = active.first, let stage = stages[first],
                       !stage.result.networkBounds.isInfeasible, !deadlinePassed {
                        let outputStart = clock.now
                        let dual = LagrangianDual(options: .init(maxIterations: options.lagrangianIterations, deadline: options.deadline,
                                                                 recordTrace: options.recordTraces))
                        outputs = dual.tightenOutputsTraced(stage.result.networkBounds, engine: stage.engine,
                                                            slopeIterations: options.slopeIterations)
                        outputShare = Self.seconds(clock.now - outputStart) / Double(active.count)
                    }
                    for c in active {
                        guard let stage = stages[c] else { continue }
                        let own = clock.now
                        // Shared output traces are reported once, with the first case of the box.
                        let shared = outputs.map { (bounds: $0.bounds, traces: c == active.first ? $0.traces : []) }
                        var result = method == .linear ? stage.result : lagrangianBounds(problems[c], stage, outputs: shared)
                        result.seconds = (missing.contains(c) ? linearShare : 0) + outputShare + Self.seconds(clock.now - own)
                        results[c].append(result)
                    }
                }
            }
        }
        return results
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    // MARK: - Interval

    func intervalNetworkBounds(_ problem: CaseProblem) -> NetworkBounds {
        var bounds = NetworkBounds(input: problem.input, layers: [], reluLayers: IntervalPropagation.reluLayers(of: problem.network))
        for (index, layer) in problem.network.layers.enumerated() {
            IntervalPropagation.appendImage(of: layer, at: index, to: &bounds, phases: problem.phases)
        }
        return bounds
    }

    func intervalBounds(_ problem: CaseProblem, bounds: NetworkBounds) -> CaseBounds {
        let constraints = problem.constraints.indices.map { i in
            problem.constraintBound(i, lower: problem.lowerObjectives[i].objective.boxLowerBound(output: bounds.output, input: bounds.input),
                                    negatedLower: problem.upperObjectives[i].objective.boxLowerBound(output: bounds.output, input: bounds.input),
                                    bounds: bounds)
        }
        return problem.result(.interval, bounds: bounds, constraints: constraints, proof: nil)
    }

    // MARK: - Linear

    /// The linear method's state, reused by the Lagrangian method.
    struct LinearStage {
        var result: CaseBounds
        var engine: BackSubstitution
        /// Per constraint: the bounds of `e` and of `−e` (with certificates).
        var lowerBounds: [ObjectiveBound]
        var upperBounds: [ObjectiveBound]
        /// The combination tried, if any.
        var combination: Combination?
    }

    /// A nonnegative combination of the constraint atoms and its bound.
    struct Combination {
        /// Weight per atom (`CaseProblem.atoms`).
        var atomWeights: [Double]
        /// Signed weight per constraint.
        var weights: [Double]
        var objective: ExpressionObjective
        var bound: ObjectiveBound
        var hasStrictWeight: Bool
    }

    /// The linear method for cases that share one input box (and the phases): one set of network
    /// bounds, and every case's constraint objectives bounded in one batch.
    func linearStages(_ problems: [CaseProblem]) -> [LinearStage] {
        guard let first = problems.first else { return [] }
        let (bounds, engine) = LinearRelaxation.bounds(of: first.network, input: first.input, phases: first.phases)
        // Rows: e and −e of every constraint of every case.
        var objectives: [LinearObjective] = []
        var offsets: [Int] = []
        for problem in problems {
            offsets.append(objectives.count)
            for i in problem.constraints.indices {
                objectives.append(problem.lowerObjectives[i].objective)
                objectives.append(problem.upperObjectives[i].objective)
            }
        }
        let plain = LinearRelaxation().lowerBounds(of: objectives, engine: engine)
        var lower = problems.enumerated().map { p, problem in problem.constraints.indices.map { plain[offsets[p] + 2 * $0] } }
        var upper = problems.enumerated().map { p, problem in problem.constraints.indices.map { plain[offsets[p] + 2 * $0 + 1] } }
        var proofs = problems.indices.map { p in
            problems[p].proof(bounds: bounds, constraints: problems[p].constraintBounds(lower: lower[p], upper: upper[p], bounds: bounds))
        }

        // α optimisation, in one batch, of the objectives that could prove an unproved case
        // (and of the rest on request).
        if options.slopeIterations > 0, !deadlinePassed {
            var rows: [(problem: Int, index: Int, negated: Bool)] = []
            for p in problems.indices where proofs[p] == nil {
                for i in problems[p].constraints.indices {
                    rows.append((p, i, false))
                    if problems[p].constraints[i].relation == .equal || options.tightenReportedBounds { rows.append((p, i, true)) }
                }
            }
            if !rows.isEmpty {
                let optimised = LinearRelaxation(options: .init(slopeIterations: options.slopeIterations, deadline: options.deadline))
                    .lowerBounds(of: rows.map { row in
                        row.negated ? problems[row.problem].upperObjectives[row.index].objective
                                    : problems[row.problem].lowerObjectives[row.index].objective
                    }, engine: engine)
                for (r, row) in rows.enumerated() {
                    if row.negated {
                        if optimised[r].lower > upper[row.problem][row.index].lower { upper[row.problem][row.index] = optimised[r] }
                    } else if optimised[r].lower > lower[row.problem][row.index].lower {
                        lower[row.problem][row.index] = optimised[r]
                    }
                }
                for p in problems.indices where proofs[p] == nil {
                    proofs[p] = problems[p].proof(bounds: bounds, constraints: problems[p].constraintBounds(lower: lower[p], upper: upper[p], bounds: bounds))
                }
            }
        }

        return problems.indices.map { p in
            let problem = problems[p]
            var proof = proofs[p]
            var combination: Combination?
            if proof == nil, options.combineConstraints, !bounds.isInfeasible,
               let atomWeights = problem.combinationWeights(lower: lower[p], upper: upper[p], bounds: bounds) {
                let weights = problem.signedWeights(atomWeights)
                let (expression, strict) = problem.combinedExpression(weights)
                if let objective = try? ExpressionObjective(expression, network: problem.network) {
                    let slopes = deadlinePassed ? 0 : options.slopeIterations
                    let bound = LinearRelaxation(options: .init(slopeIterations: slopes, deadline: options.deadline)).lowerBounds(of: [objective.objective], engine: engine)[0]
                    let candidate = Combination(atomWeights: atomWeights, weights: weights, objective: objective, bound: bound, hasStrictWeight: strict)
                    combination = candidate
                    if problem.combinationProves(candidate, bounds: bounds) { proof = .combination(weights: weights) }
                }
            }
            let constraints = problem.constraintBounds(lower: lower[p], upper: upper[p], bounds: bounds)
            let result = problem.result(.linear, bounds: bounds, constraints: constraints, proof: proof)
            return LinearStage(result: result, engine: engine, lowerBounds: lower[p], upperBounds: upper[p], combination: combination)
        }
    }

    // MARK: - Lagrangian

    /// - Parameter outputs: network bounds whose output box the dual has tightened (shared by
    ///   the cases of one box), with their traces.
    func lagrangianBounds(_ problem: CaseProblem, _ stage: LinearStage, outputs: (bounds: NetworkBounds, traces: [DualTrace])?) -> CaseBounds {
        let bounds = outputs?.bounds ?? stage.result.networkBounds
        var lower = stage.lowerBounds, upper = stage.upperBounds
        var proof = stage.result.proof
        var traces: [DualTrace] = []
        let engine = stage.engine
        func dual(_ objective: ExpressionObjective, warm: ObjectiveBound, label: String, prove: Bool) -> ObjectiveBound {
            let target: Double? = prove ? objective.correction(bounds) : nil
            let method = LagrangianDual(options: .init(maxIterations: options.lagrangianIterations, deadline: options.deadline,
                                                       target: target, recordTrace: options.recordTraces))
            let result = method.lowerBound(of: objective.objective, engine: engine, warmStart: warm, onIteration: nil)
            if options.recordTraces { traces.append(DualTrace(label: label, entries: result.trace)) }
            var improved = warm
            if result.lower > warm.lower { improved.lower = result.lower }
            return improved
        }
        if proof == nil && !bounds.isInfeasible && !deadlinePassed {
            // The objectives that can prove the case, in one batch; one reaching its target suffices.
            let atoms = problem.atoms
            let objectives = atoms.map { problem.objective($0) }
            let warm = atoms.map { $0.negated ? upper[$0.index] : lower[$0.index] }
            var ascent = LagrangianDual(options: .init(maxIterations: options.lagrangianIterations, deadline: options.deadline,
                                                       recordTrace: options.recordTraces)).ascent
            ascent.target = objectives.map { $0.correction(bounds) }.max() ?? 0
            ascent.anyRowReachesTarget = true
            let outcome = ascent.run(objectives.map(\.objective), engine: engine, initial: warm)
            for (a, atom) in atoms.enumerated() where a < outcome.best.count {
                if atom.negated {
                    if outcome.best[a].lower > upper[atom.index].lower { upper[atom.index] = outcome.best[a] }
                } else if outcome.best[a].lower > lower[atom.index].lower {
                    lower[atom.index] = outcome.best[a]
                }
                if options.recordTraces, a < outcome.traces.count {
                    traces.append(DualTrace(label: "constraint \(atom.index) \(atom.negated ? "upper" : "lower")", entries: outcome.traces[a]))
                }
            }
            proof = problem.proof(bounds: bounds, constraints: problem.constraintBounds(lower: lower, upper: upper, bounds: bounds))
            if proof == nil, options.combineConstraints, problem.atoms.count >= 2, !deadlinePassed {
                proof = jointCombination(problem, stage)
            }
        }
        if options.tightenReportedBounds && !bounds.isInfeasible {
            for i in problem.constraints.indices where !deadlinePassed {
                if problem.constraints[i].relation != .equal {
                    upper[i] = dual(problem.upperObjectives[i], warm: upper[i], label: "constraint \(i) upper", prove: false)
                }
            }
        }
        traces += outputs?.traces ?? []
        let constraints = problem.constraintBounds(lower: lower, upper: upper, bounds: bounds)
        if proof == nil { proof = problem.proof(bounds: bounds, constraints: constraints) }
        var result = problem.result(.lagrangian, bounds: bounds, constraints: constraints, proof: proof)
        result.traces = traces
        return result
    }

    /// The Lagrangian of the whole conjunction: weights and multipliers optimised together
    /// (`LagrangianDual.optimiseCombination`), then the exact combination with the rounded
    /// weights is evaluated soundly at the best multipliers.
    func jointCombination(_ problem: CaseProblem, _ stage: LinearStage) -> BoundsProof? {
        let atoms = problem.atoms
        let bounds = stage.result.networkBounds
        let initial = stage.combination?.atomWeights ?? atoms.map { _ in 1 / Double(atoms.count) }
        let method = LagrangianDual(options: .init(maxIterations: options.lagrangianIterations, deadline: options.deadline, target: 0))
        let found = method.optimiseCombination(of: atoms.map { problem.objective($0).objective }, weights: initial,
                                               engine: stage.engine, warmStart: stage.combination?.bound)
        let weights = problem.signedWeights(found.weights)
        guard weights.contains(where: { $0 != 0 }) else { return nil }
        let (expression, strict) = problem.combinedExpression(weights)
        guard let objective = try? ExpressionObjective(expression, network: problem.network) else { return nil }
        let value = DualEvaluator(engine: stage.engine, objective: objective.objective).evaluate(found.multipliers)
        let sound = objective.soundLower(value, bounds)
        return sound > 0 || (sound >= 0 && strict) ? .combination(weights: weights) : nil
    }

    var deadlinePassed: Bool {
        guard let deadline = options.deadline else { return false }
        return ContinuousClock().now >= deadline
    }
}
