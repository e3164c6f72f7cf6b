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
        let problem = try CaseProblem(specCase, network: network, phases: phases)
        var linear: LinearStage?
        var results: [CaseBounds] = []
        for method in methods {
            let clock = ContinuousClock()
            let start = clock.now
            var result: CaseBounds
            switch method {
            case .interval:
                result = intervalBounds(problem)
            case .linear:
                let stage = linear ?? linearStage(problem)
                linear = stage
                result = stage.result
            case .lagrangian:
                let stage = linear ?? linearStage(problem)
                linear = stage
                result = lagrangianBounds(problem, stage)
            }
            result.seconds = Self.seconds(clock.now - start)
            results.append(result)
            if stopAtFirstProof && result.isProved { break }
        }
        return results
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    // MARK: - Interval

    func intervalBounds(_ problem: CaseProblem) -> CaseBounds {
        var bounds = NetworkBounds(input: problem.input, layers: [], reluLayers: IntervalPropagation.reluLayers(of: problem.network))
        for (index, layer) in problem.network.layers.enumerated() {
            IntervalPropagation.appendImage(of: layer, at: index, to: &bounds, phases: problem.phases)
        }
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
        /// Signed weight per constraint.
        var weights: [Double]
        var objective: ExpressionObjective
        var bound: ObjectiveBound
        var hasStrictWeight: Bool
    }

    func linearStage(_ problem: CaseProblem) -> LinearStage {
        let (bounds, engine) = LinearRelaxation.bounds(of: problem.network, input: problem.input, phases: problem.phases)
        let count = problem.constraints.count
        let objectives = (0..<count).flatMap { [problem.lowerObjectives[$0].objective, problem.upperObjectives[$0].objective] }
        let plain = LinearRelaxation().lowerBounds(of: objectives, engine: engine)
        var lower = (0..<count).map { plain[2 * $0] }
        var upper = (0..<count).map { plain[2 * $0 + 1] }
        var constraints = problem.constraintBounds(lower: lower, upper: upper, bounds: bounds)
        var proof = problem.proof(bounds: bounds, constraints: constraints)

        // α optimisation of the objectives that could prove the case (and of the rest on request).
        if proof == nil, options.slopeIterations > 0, !deadlinePassed {
            var rows: [(index: Int, negated: Bool)] = []
            for i in 0..<count {
                let relation = problem.constraints[i].relation
                rows.append((i, false))
                if relation == .equal || options.tightenReportedBounds { rows.append((i, true)) }
            }
            let optimised = LinearRelaxation(options: .init(slopeIterations: options.slopeIterations))
                .lowerBounds(of: rows.map { $0.negated ? problem.upperObjectives[$0.index].objective : problem.lowerObjectives[$0.index].objective },
                             engine: engine)
            for (r, row) in rows.enumerated() {
                if row.negated { if optimised[r].lower > upper[row.index].lower { upper[row.index] = optimised[r] } }
                else if optimised[r].lower > lower[row.index].lower { lower[row.index] = optimised[r] }
            }
            constraints = problem.constraintBounds(lower: lower, upper: upper, bounds: bounds)
            proof = problem.proof(bounds: bounds, constraints: constraints)
        }

        var combination: Combination?
        if proof == nil, options.combineConstraints, let weights = problem.combinationWeights(lower: lower, upper: upper, bounds: bounds) {
            let (expression, strict) = problem.combinedExpression(weights)
            if let objective = try? ExpressionObjective(expression, network: problem.network) {
                let slopes = deadlinePassed ? 0 : options.slopeIterations
                let bound = LinearRelaxation(options: .init(slopeIterations: slopes)).lowerBounds(of: [objective.objective], engine: engine)[0]
                let candidate = Combination(weights: weights, objective: objective, bound: bound, hasStrictWeight: strict)
                combination = candidate
                if problem.combinationProves(candidate, bounds: bounds) { proof = .combination(weights: weights) }
            }
        }
        let result = problem.result(.linear, bounds: bounds, constraints: constraints, proof: proof)
        return LinearStage(result: result, engine: engine, lowerBounds: lower, upperBounds: upper, combination: combination)
    }

    // MARK: - Lagrangian

    func lagrangianBounds(_ problem: CaseProblem, _ stage: LinearStage) -> CaseBounds {
        var bounds = stage.result.networkBounds
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
        if proof == nil && !bounds.isInfeasible {
            // The objectives that can prove the case, most promising first.
            var atoms: [(index: Int, negated: Bool)] = []
            for i in problem.constraints.indices {
                atoms.append((i, false))
                if problem.constraints[i].relation == .equal { atoms.append((i, true)) }
            }
            atoms.sort { a, b in
                (a.negated ? upper[a.index] : lower[a.index]).lower > (b.negated ? upper[b.index] : lower[b.index]).lower
            }
            for atom in atoms where proof == nil && !deadlinePassed {
                if atom.negated {
                    upper[atom.index] = dual(problem.upperObjectives[atom.index], warm: upper[atom.index], label: "constraint \(atom.index) upper", prove: true)
                } else {
                    lower[atom.index] = dual(problem.lowerObjectives[atom.index], warm: lower[atom.index], label: "constraint \(atom.index) lower", prove: true)
                }
                proof = problem.proof(bounds: bounds, constraints: problem.constraintBounds(lower: lower, upper: upper, bounds: bounds))
            }
            if proof == nil, var combination = stage.combination, !deadlinePassed {
                combination.bound = dual(combination.objective, warm: combination.bound, label: "combination", prove: true)
                if problem.combinationProves(combination, bounds: bounds) { proof = .combination(weights: combination.weights) }
            }
        }
        if options.tightenReportedBounds && !bounds.isInfeasible {
            for i in problem.constraints.indices where !deadlinePassed {
                if problem.constraints[i].relation != .equal {
                    upper[i] = dual(problem.upperObjectives[i], warm: upper[i], label: "constraint \(i) upper", prove: false)
                }
            }
            if !deadlinePassed {
                let method = LagrangianDual(options: .init(maxIterations: options.lagrangianIterations, deadline: options.deadline))
                bounds = method.tightenOutputs(bounds, engine: engine)
            }
        }
        let constraints = problem.constraintBounds(lower: lower, upper: upper, bounds: bounds)
        if proof == nil { proof = problem.proof(bounds: bounds, constraints: constraints) }
        var result = problem.result(.lagrangian, bounds: bounds, constraints: constraints, proof: proof)
        result.traces = traces
        return result
    }

    var deadlinePassed: Bool {
        guard let deadline = options.deadline else { return false }
        return ContinuousClock().now >= deadline
    }
}
