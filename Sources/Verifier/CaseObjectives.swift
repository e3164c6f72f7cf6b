import Bounds
import ExactArithmetic
import NetworkIR
import VNNLIB

/// A specification case's output constraints as linear objectives whose sound lower bounds can
/// prove the case unreachable.
///
/// The unsafe set needs every constraint `e ⋈ 0` to hold, so one constraint with
/// `min e > 0` over the region (`min e ≥ 0` for a strict `<`) excludes the whole case. For
/// `e = 0` both `e` and `−e` are tried. An objective's coefficients must be the doubles stored
/// in it, so a constraint is used only when its coefficients convert to doubles exactly; its
/// constant is rounded down, which can only lower the objective and so keeps the proof sound.
/// Other constraints are left to the exact solver.
struct CaseObjectives: Sendable {
    struct Entry: Sendable {
        /// A lower bound of this objective's exact counterpart.
        var objective: LinearObjective
        /// Whether a lower bound of exactly 0 already proves the case (strict `<`).
        var zeroSuffices: Bool
        /// The constraint it came from.
        var constraintIndex: Int
    }

    var entries: [Entry]

    init(specCase: SpecificationCase, network: Network) {
        var entries: [Entry] = []
        for (index, constraint) in specCase.outputConstraints.enumerated() {
            let expressions: [LinearExpression]
            switch constraint.relation {
            case .lessOrEqual, .less: expressions = [constraint.expression]
            case .equal: expressions = [constraint.expression, -constraint.expression]
            }
            for expression in expressions {
                guard let objective = Self.objective(expression, network: network) else { continue }
                entries.append(Entry(objective: objective, zeroSuffices: constraint.relation == .less, constraintIndex: index))
            }
        }
        self.entries = entries
    }

    /// Whether a sound lower bound `lower` of entry `entry` proves the case unreachable.
    func proves(_ lower: Double, entry: Entry) -> Bool {
        entry.zeroSuffices ? lower >= 0 : lower > 0
    }

    private static func objective(_ expression: LinearExpression, network: Network) -> LinearObjective? {
        var outputs = [Double](repeating: 0, count: network.outputSize)
        var inputs = [Double](repeating: 0, count: network.inputSize)
        for (variable, coefficient) in expression.terms {
            let value = coefficient.toDouble(rounding: .nearest)
            guard Rational(exactly: value) == coefficient else { return nil }
            switch variable {
            case let .input(i): guard i < inputs.count else { return nil }; inputs[i] = value
            case let .output(j): guard j < outputs.count else { return nil }; outputs[j] = value
            }
        }
        return LinearObjective(outputCoefficients: outputs, inputCoefficients: inputs,
                               constant: expression.constant.toDouble(rounding: .down))
    }
}
