import ExactArithmetic
import NetworkIR
import VNNLIB

/// Small networks whose unsafe region is a tiny pocket, so that a sloppy prune or a missed
/// counterexample shows.
enum NeedleNetworks {
    /// `y = 1000·relu(Σᵢ xᵢ − (n − 1 + threshold)) − offset` over `x ∈ [0, 1]ⁿ`.
    ///
    /// The maximum is `1000·(1 − threshold) − offset`, reached only at the corner `(1, …, 1)`;
    /// with threshold 0.999 and offset 0.5 the pocket where `y ≥ 0` is a corner simplex of
    /// side 0.0005, and with offset 1.5 there is none.
    static func needle(inputs n: Int, threshold: Double = 0.999, offset: Double) throws -> Network {
        try Network(inputShape: [1, n], layers: [
            .affine(AffineLayer(weights: Matrix([[Double](repeating: 1, count: n), [Double](repeating: 0.5, count: n)]),
                                bias: [-(Double(n - 1) + threshold), 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1000, 0], [0, 1]]), bias: [-offset, 0])),
        ])
    }

    /// The property "unsafe if Y_0 ≥ 0" over the unit box in `n` dimensions.
    static func unitBoxProperty(inputs n: Int, outputs m: Int) -> Specification {
        let box = InputBox(lower: Array(repeating: Rational.zero, count: n), upper: Array(repeating: Rational.one, count: n))
        // Y_0 ≥ 0  ⇔  −Y_0 ≤ 0
        let unsafe = LinearConstraint(-LinearExpression(.output(0)), .lessOrEqual)
        return Specification(inputCount: n, outputCount: m, cases: [SpecificationCase(box: box, outputConstraints: [unsafe])])
    }

    /// Three cases over the unit box: `Y_1 ≥ 2` (unreachable: `y1 = relu(½Σx) ≤ 1.5` for three
    /// inputs), `Y_0 ≥ 0` (the needle's pocket, if any), and `Y_1 ≥ 1.6` (unreachable).
    static func groupedProperty(inputs n: Int) -> Specification {
        let box = InputBox(lower: Array(repeating: Rational.zero, count: n), upper: Array(repeating: Rational.one, count: n))
        func atLeast(_ output: Int, _ value: Rational) -> SpecificationCase {
            // Y ≥ v  ⇔  v − Y ≤ 0
            let expression = LinearExpression(constant: value) - LinearExpression(.output(output))
            return SpecificationCase(box: box, outputConstraints: [LinearConstraint(expression, .lessOrEqual)])
        }
        let twoOfThree = Rational(8) / Rational(5)
        return Specification(inputCount: n, outputCount: 2, cases: [atLeast(1, Rational(2)), atLeast(0, .zero), atLeast(1, twoOfThree)])
    }
}
