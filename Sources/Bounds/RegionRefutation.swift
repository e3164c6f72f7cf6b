import NetworkIR
import VNNLIB

/// Proves that one specification case has no point in a sub-region (a branch-and-bound node),
/// given sound network bounds over that sub-region.
///
/// The case's unsafe points satisfy every constraint `e ⋈ 0` (input constraints included), so
/// the node is empty of them when one constraint's sound lower bound is positive (non-negative
/// for a strict `<`; either side for `=`), or when a nonnegative combination of the constraints
/// has a positive sound minimum (`ConstraintCombination`: the Lagrangian relaxation of the
/// conjunction, Dvijotham et al. 2018 §3). The second matters for specifications such as
/// "output 0 is the smallest", where different constraints fail in different parts of a node.
///
/// - Soundness: objectives are the constraints' exact rational expressions as doubles with the
///   `ExpressionObjective` correction, bounded by `LinearRelaxation` (sound under rounding); a
///   combination is re-bounded as its own exact expression.
public struct RegionRefutation: Sendable {
    /// What bounding one node gave.
    public struct Outcome: Sendable {
        /// Whether the node holds no unsafe point.
        public var proved: Bool
        /// Bounds of every constraint atom's objective (with minorants and multipliers), in the
        /// order of `objectives`.
        public var atomBounds: [ObjectiveBound]
        /// The index in `atomBounds` of the atom closest to a proof (largest sound lower bound).
        public var guide: Int?
        /// The network bounds over the node (when `refute(input:…)` computed them).
        public var bounds: NetworkBounds?
        /// When a combination of the constraints (not one atom) proved the node: its signed
        /// weights per constraint and its bound, for proof certificates.
        public var provingCombination: CombinationProof?
    }

    /// The combination `Σ wᵢ·eᵢ` that proved a node, and the bound that proved it.
    public struct CombinationProof: Sendable {
        /// Signed weights per constraint (multiples of 2⁻²⁰; nonnegative except for equalities).
        public var weights: [Double]
        public var bound: ObjectiveBound
    }

    let problem: CaseProblem
    let atoms: [CaseProblem.Atom]
    /// Whether to try constraint combinations.
    public var combinesConstraints: Bool

    /// Prepares the case.
    /// - Throws: `BoundsError` when the case does not fit the network.
    public init(specCase: SpecificationCase, network: Network, combinesConstraints: Bool = true) throws {
        problem = try CaseProblem(specCase, network: network, phases: PhaseAssignment())
        atoms = problem.atoms
        self.combinesConstraints = combinesConstraints
    }

    /// The atoms' double objectives (`e`, or `−e` for the second atom of an equality).
    public var objectives: [LinearObjective] { atoms.map { problem.objective($0).objective } }

    /// Bounds the network over the box `input` with fixed `phases` (as
    /// `LinearRelaxation.bounds(of:input:phases:within:forwardFilter:)`), then the case over it,
    /// reusing the back-substitution state. The outcome carries the network bounds.
    /// - Throws: `BoundsError` when the box, the phases or `known` do not fit the network.
    public func refute(input: IntervalVector, phases: PhaseAssignment, within known: NetworkBounds?, forwardFilter: Bool,
                       relaxation: LinearRelaxation = LinearRelaxation()) throws -> Outcome {
        let network = problem.network
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        try SymbolicPropagation.validate(known: known, for: network)
        let (bounds, engine) = LinearRelaxation.bounds(of: network, input: input, phases: phases, forwardFilter: forwardFilter,
                                                       known: known)
        var outcome = refute(bounds: bounds, engine: engine, relaxation: relaxation)
        outcome.bounds = bounds
        return outcome
    }

    /// Bounds the network once over the box `input` and then every case of `group` (cases of
    /// one specification that share the box) over it: what branch and bound does at a node
    /// where several cases are still open.
    /// - Precondition: every member was prepared for the same network.
    /// - Throws: `BoundsError` when the box, the phases or `known` do not fit the network.
    public static func refute(_ group: [RegionRefutation], input: IntervalVector, phases: PhaseAssignment,
                              within known: NetworkBounds?, forwardFilter: Bool,
                              relaxation: LinearRelaxation = LinearRelaxation()) throws -> (bounds: NetworkBounds, outcomes: [Outcome]) {
        guard let network = group.first?.problem.network else {
            throw BoundsError.inputSizeMismatch(expected: 0, actual: input.count)
        }
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        try SymbolicPropagation.validate(known: known, for: network)
        let (bounds, engine) = LinearRelaxation.bounds(of: network, input: input, phases: phases, forwardFilter: forwardFilter,
                                                       known: known)
        return (bounds, group.map { $0.refute(bounds: bounds, engine: engine, relaxation: relaxation) })
    }

    /// Bounds the case over the region of `bounds`.
    /// - Complexity: one back-substitution per atom, and two more when a combination is tried.
    public func refute(over bounds: NetworkBounds, relaxation: LinearRelaxation = LinearRelaxation()) -> Outcome {
        var engine = BackSubstitution(network: problem.network, bounds: bounds)
        engine.prepare(through: problem.network.layers.count - 1)
        return refute(bounds: bounds, engine: engine, relaxation: relaxation)
    }

    private func refute(bounds: NetworkBounds, engine: BackSubstitution, relaxation: LinearRelaxation) -> Outcome {
        guard !bounds.isInfeasible, !problem.inputIsEmpty else { return Outcome(proved: true, atomBounds: [], guide: nil) }
        let atomBounds = relaxation.lowerBounds(of: objectives, engine: engine)
        return outcome(atomBounds: atomBounds, bounds: bounds, engine: engine, relaxation: relaxation)
    }

    /// Whether a lower bound `lower` of atom `atom`'s double objective over the region of
    /// `bounds` proves the case (after the exact correction; `≥ 0` suffices for a strict `<`).
    func proves(atom a: Int, lower: Double, bounds: NetworkBounds) -> Bool {
        let atom = atoms[a]
        let sound = problem.objective(atom).soundLower(lower, bounds)
        let strict = !atom.negated && problem.constraints[atom.index].relation == .less
        return sound > 0 || (strict && sound >= 0)
    }

    /// The outcome given every atom's bound: proved by one atom, or else by a combination of
    /// the atoms bounded with `relaxation` on `engine`.
    func outcome(atomBounds: [ObjectiveBound], bounds: NetworkBounds, engine: BackSubstitution,
                 relaxation: LinearRelaxation) -> Outcome {
        guard !bounds.isInfeasible, !problem.inputIsEmpty else { return Outcome(proved: true, atomBounds: [], guide: nil) }
        var guide: Int?
        var guideValue = -Double.infinity
        for (a, atom) in atoms.enumerated() {
            if proves(atom: a, lower: atomBounds[a].lower, bounds: bounds) { return Outcome(proved: true, atomBounds: atomBounds, guide: a) }
            let sound = problem.objective(atom).soundLower(atomBounds[a].lower, bounds)
            if guide == nil || sound > guideValue { guide = a; guideValue = sound }
        }
        if combinesConstraints, atoms.count >= 2, let proof = combination(atomBounds, bounds: bounds, engine: engine, relaxation: relaxation) {
            return Outcome(proved: true, atomBounds: atomBounds, guide: guide, provingCombination: proof)
        }
        return Outcome(proved: false, atomBounds: atomBounds, guide: guide)
    }

    /// Tries the best nonnegative combination of the atoms: the combination when it proves the
    /// node, else nil.
    private func combination(_ atomBounds: [ObjectiveBound], bounds: NetworkBounds, engine: BackSubstitution,
                             relaxation: LinearRelaxation) -> CombinationProof? {
        let unused = ObjectiveBound(lower: -.infinity, inputCoefficients: [], inputConstant: -.infinity, multipliers: [])
        var lower = Array(repeating: unused, count: problem.constraints.count), upper = lower
        for (a, atom) in atoms.enumerated() {
            if atom.negated { upper[atom.index] = atomBounds[a] } else { lower[atom.index] = atomBounds[a] }
        }
        guard let atomWeights = problem.combinationWeights(lower: lower, upper: upper, bounds: bounds) else { return nil }
        let weights = problem.signedWeights(atomWeights)
        let (expression, strict) = problem.combinedExpression(weights)
        guard let objective = try? ExpressionObjective(expression, network: problem.network) else { return nil }
        let bound = relaxation.lowerBounds(of: [objective.objective], engine: engine)[0]
        let combination = BoundsAnalyzer.Combination(atomWeights: atomWeights, weights: weights, objective: objective,
                                                     bound: bound, hasStrictWeight: strict)
        return problem.combinationProves(combination, bounds: bounds) ? CombinationProof(weights: weights, bound: bound) : nil
    }
}
