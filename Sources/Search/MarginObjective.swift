import NetworkIR
import VNNLIB

/// The violation margin of one specification case as a function of the input, in double
/// precision, with a subgradient: the objective of gradient attacks and polishing.
///
/// `margin(x) = min_k slack_k(x, N(x))`, where `slack_k = −(aₖ·x + cₖ·y + dₖ)` for `<=`/`<` and
/// `−|aₖ·x + cₖ·y + dₖ|` for `=`; positive means strictly inside the unsafe set. This is the
/// "margin loss" of Carlini and Wagner (2017, "Towards Evaluating the Robustness of Neural
/// Networks", objective f₆) generalised to any conjunction of linear output constraints. Its
/// subgradient is that of the active (smallest) slack. Coefficients are rounded to doubles, so
/// the value guides search only; validity is decided exactly by `CounterexampleCheck`.
public struct MarginObjective: Sendable {
    /// One output constraint with double coefficients.
    struct Row: Sendable {
        var inputTerms: [(index: Int, coefficient: Double)]
        var outputTerms: [(index: Int, coefficient: Double)]
        var constant: Double
        var isEquality: Bool
    }

    /// The index of the case in its specification.
    public let caseIndex: Int
    let rows: [Row]
    let outputCount: Int

    /// Builds the objective of `specificationCase` for a network with `outputCount` outputs.
    /// - Precondition: every variable is within range (checked by `CounterexampleCheck.init`).
    public init(_ specificationCase: SpecificationCase, caseIndex: Int, outputCount: Int) {
        self.caseIndex = caseIndex
        self.outputCount = outputCount
        rows = specificationCase.outputConstraints.map { constraint in
            var row = Row(inputTerms: [], outputTerms: [], constant: constraint.expression.constant.toDouble(),
                          isEquality: constraint.relation == .equal)
            for (variable, coefficient) in constraint.expression.terms {
                switch variable {
                case let .input(i): row.inputTerms.append((i, coefficient.toDouble()))
                case let .output(j): row.outputTerms.append((j, coefficient.toDouble()))
                }
            }
            return row
        }
    }

    /// The number of output constraints.
    public var constraintCount: Int { rows.count }

    /// The slack of constraint `k` at `(input, output)`.
    public func slack(_ k: Int, input: [Double], output: [Double]) -> Double {
        let row = rows[k]
        var v = row.constant
        for term in row.inputTerms { v += term.coefficient * input[term.index] }
        for term in row.outputTerms { v += term.coefficient * output[term.index] }
        return row.isEquality ? -abs(v) : -v
    }

    /// The margin and the index of the active constraint (nil when the case has no output
    /// constraint, in which case the margin is `+∞`). NaN slacks count as `−∞`.
    public func margin(input: [Double], output: [Double]) -> (value: Double, active: Int?) {
        var best = Double.infinity
        var active: Int?
        for k in rows.indices {
            var s = slack(k, input: input, output: output)
            if s.isNaN { s = -.infinity }
            if active == nil || s < best { best = s; active = k }
        }
        return (best, active)
    }

    /// The subgradient of the slack of constraint `active` with respect to the input.
    /// - Parameters:
    ///   - network: the network `N`.
    ///   - input: the point.
    ///   - trace: `network.evaluateTrace(input)`.
    ///   - output: `N(input)` (the last entry of `trace`), for the sign of equalities.
    /// - Complexity: one backward pass through the network.
    public func gradient(network: Network, input: [Double], trace: [[Double]], output: [Double],
                         active: Int) -> [Double] {
        gradient(active: active, input: input, output: output) { network.inputGradient(of: $0, at: input, trace: trace) }
    }

    /// The subgradient of the slack of constraint `active`, given the network's backward pass
    /// `backward` (output cotangent to input gradient) at the point.
    func gradient(active: Int, input: [Double], output: [Double], backward: ([Double]) -> [Double]) -> [Double] {
        let (sign, cotangent) = outputCotangent(active: active, input: input, output: output)
        let row = rows[active]
        var g = row.outputTerms.isEmpty ? [Double](repeating: 0, count: input.count) : backward(cotangent)
        for term in row.inputTerms { g[term.index] += sign * term.coefficient }
        return g
    }

    /// The gradient of the slack of constraint `active` with respect to the outputs (its
    /// input terms aside), and the sign applied to the constraint's coefficients.
    public func outputCotangent(active: Int, input: [Double], output: [Double]) -> (sign: Double, cotangent: [Double]) {
        let row = rows[active]
        var sign = -1.0
        if row.isEquality {
            var v = row.constant
            for term in row.inputTerms { v += term.coefficient * input[term.index] }
            for term in row.outputTerms { v += term.coefficient * output[term.index] }
            sign = v > 0 ? -1 : 1
        }
        var cotangent = [Double](repeating: 0, count: outputCount)
        for term in row.outputTerms { cotangent[term.index] += sign * term.coefficient }
        return (sign, cotangent)
    }

    /// Whether some constraint mentions an input (then the margin needs the input itself).
    public var mentionsInputs: Bool { rows.contains { !$0.inputTerms.isEmpty } }
}
