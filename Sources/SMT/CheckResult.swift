import ExactArithmetic

/// The answer of a satisfiability check. `unknown` is never coerced to `sat` or `unsat`.
public enum CheckResult: Sendable, Equatable {
    /// Satisfiable, with the exact value of every declared variable (by `RealVariable.id`).
    case sat(model: [Rational])
    /// Unsatisfiable.
    case unsat
    /// The solver gave up; `reason` is its own word (`timeout`, `canceled`, `incomplete`, …).
    case unknown(reason: String)
}
