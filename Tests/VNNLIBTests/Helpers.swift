import ExactArithmetic
@testable import VNNLIB

/// `n / d` as an exact rational.
func q(_ n: Int, _ d: Int = 1) -> Rational { Rational(n) / Rational(d) }

/// Parses `text` named `t.vnnlib`, after declaring `inputs` X's and `outputs` Y's.
func parse(_ text: String, inputs: Int = 2, outputs: Int = 2,
           limits: PropertyParser.Limits = PropertyParser.Limits()) throws -> Specification {
    let declarations = (0..<inputs).map { "(declare-const X_\($0) Real)\n" }.joined()
        + (0..<outputs).map { "(declare-const Y_\($0) Real)\n" }.joined()
    return try PropertyParser.parse(text: declarations + text, fileName: "t.vnnlib", limits: limits)
}

/// The error message of parsing `text` (no declarations added), or nil when it parses.
func errorMessage(_ text: String, limits: PropertyParser.Limits = PropertyParser.Limits()) -> String? {
    do {
        _ = try PropertyParser.parse(text: text, fileName: "t.vnnlib", limits: limits)
        return nil
    } catch let error as VNNLIBError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}

/// `Σ cᵢ·vᵢ + constant ⋈ 0`.
func constraint(_ terms: [(Variable, Rational)], _ constant: Rational = .zero,
                _ relation: LinearConstraint.Relation = .lessOrEqual) -> LinearConstraint {
    LinearConstraint(LinearExpression(terms: terms, constant: constant), relation)
}
