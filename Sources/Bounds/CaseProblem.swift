import ExactArithmetic
import NetworkIR
import VNNLIB

/// A specification case prepared for bounding: its constraints as double objectives (for `e`
/// and `−e`), its input box rounded outward, and the checks that turn bounds into a proof.
struct CaseProblem: Sendable {
    let network: Network
    let phases: PhaseAssignment
    /// Input constraints first, then output constraints.
    let constraints: [LinearConstraint]
    /// The objective `e` of each constraint.
    let lowerObjectives: [ExpressionObjective]
    /// The objective `−e` of each constraint.
    let upperObjectives: [ExpressionObjective]
    /// The box, rounded outward (an empty box is replaced by its lower corner's hull, and flagged).
    let input: IntervalVector
    /// Whether the exact box is empty.
    let inputIsEmpty: Bool

    init(_ specCase: SpecificationCase, network: Network, phases: PhaseAssignment) throws {
        guard specCase.box.count == network.inputSize else {
            throw BoundsError.inputSizeMismatch(expected: network.inputSize, actual: specCase.box.count)
        }
        try phases.validate(for: network)
        self.network = network
        self.phases = phases
        constraints = specCase.inputConstraints + specCase.outputConstraints
        lowerObjectives = try constraints.map { try ExpressionObjective($0.expression, network: network) }
        upperObjectives = try constraints.map { try ExpressionObjective(-$0.expression, network: network) }
        inputIsEmpty = specCase.box.isEmpty
        let lower = specCase.box.lowerDoubles
        let upper = zip(lower, specCase.box.upperDoubles).map { max($0, $1) }
        input = IntervalVector(lower: lower, upper: upper)
    }

    /// The sound bounds of constraint `i` from sound lower bounds of its two objectives.
    func constraintBound(_ i: Int, lower: Double, negatedLower: Double, bounds: NetworkBounds) -> ConstraintBound {
        let low = lowerObjectives[i].soundLower(lower, bounds)
        let high = -upperObjectives[i].soundLower(negatedLower, bounds)
        return ConstraintBound(index: i, constraint: constraints[i], lower: low, upper: high)
    }

    func constraintBounds(lower: [ObjectiveBound], upper: [ObjectiveBound], bounds: NetworkBounds) -> [ConstraintBound] {
        constraints.indices.map { constraintBound($0, lower: lower[$0].lower, negatedLower: upper[$0].lower, bounds: bounds) }
    }

    /// The proof that the bounds give on their own, if any.
    func proof(bounds: NetworkBounds, constraints: [ConstraintBound]) -> BoundsProof? {
        if inputIsEmpty { return .emptyInputRegion }
        if bounds.isInfeasible { return .emptySubRegion }
        if let unreachable = constraints.first(where: \.isUnreachable) { return .constraint(index: unreachable.index) }
        return nil
    }

    /// Assembles a method's result (seconds are filled in by the caller).
    func result(_ method: BoundsMethod, bounds: NetworkBounds, constraints: [ConstraintBound], proof: BoundsProof?) -> CaseBounds {
        CaseBounds(method: method, proof: proof ?? self.proof(bounds: bounds, constraints: constraints), outputs: bounds.output,
                   constraints: constraints, networkBounds: bounds, unstableCounts: bounds.unstableCounts, seconds: 0)
    }

    /// One inequality the unsafe points satisfy: `e ≤ 0` for constraint `index` (`−e ≤ 0` too
    /// when negated, for equalities).
    struct Atom: Sendable, Equatable {
        var index: Int
        var negated: Bool
    }

    /// The atoms: `e` for every constraint, `−e` too for equalities.
    var atoms: [Atom] {
        constraints.indices.flatMap { i in
            constraints[i].relation == .equal ? [Atom(index: i, negated: false), Atom(index: i, negated: true)] : [Atom(index: i, negated: false)]
        }
    }

    /// The objective of an atom.
    func objective(_ atom: Atom) -> ExpressionObjective {
        atom.negated ? upperObjectives[atom.index] : lowerObjectives[atom.index]
    }

    /// Per-atom weights (rounded to multiples of 2⁻²⁰) as signed weights per constraint.
    func signedWeights(_ atomWeights: [Double]) -> [Double] {
        var weights = [Double](repeating: 0, count: constraints.count)
        for (a, atom) in atoms.enumerated() {
            let w = (atomWeights[a] * 0x1p20).rounded() * 0x1p-20
            weights[atom.index] += atom.negated ? -w : w
        }
        return weights
    }

    /// Per-atom weights for a combination, chosen from the affine minorants of the atoms, or nil
    /// when there are fewer than two atoms.
    func combinationWeights(lower: [ObjectiveBound], upper: [ObjectiveBound], bounds: NetworkBounds) -> [Double]? {
        let atoms = atoms
        guard atoms.count >= 2 else { return nil }
        let minorants = atoms.map { atom -> (coefficients: [Double], constant: Double) in
            let bound = atom.negated ? upper[atom.index] : lower[atom.index]
            return (bound.inputCoefficients, objective(atom).soundLower(bound.inputConstant, bounds))
        }
        guard let found = ConstraintCombination.weights(minorants: minorants, box: bounds.input) else { return nil }
        return signedWeights(found.weights).contains { $0 != 0 } ? found.weights : nil
    }

    /// `Σ wᵢ·eᵢ` exactly, and whether a strict constraint has positive weight.
    func combinedExpression(_ weights: [Double]) -> (LinearExpression, Bool) {
        var expression = LinearExpression()
        var strict = false
        for (i, w) in weights.enumerated() where w != 0 {
            guard let exact = Rational(exactly: w) else { continue }
            expression = expression + constraints[i].expression.scaled(by: exact)
            if constraints[i].relation == .less && w > 0 { strict = true }
        }
        return (expression, strict)
    }

    /// Whether a combination's sound bound proves the conjunction unreachable.
    func combinationProves(_ combination: BoundsAnalyzer.Combination, bounds: NetworkBounds) -> Bool {
        let value = combination.objective.soundLower(combination.bound.lower, bounds)
        return value > 0 || (value >= 0 && combination.hasStrictWeight)
    }
}
