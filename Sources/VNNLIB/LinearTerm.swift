import ExactArithmetic

/// A linear term while an assertion is being read: coefficients sorted by variable, each
/// variable once, none zero. Lighter than `LinearExpression` (no dictionary per operation), and
/// turned into one only for the constraints that are kept.
struct LinearTerm {
    var terms: [(variable: Variable, coefficient: Rational)]
    var constant: Rational

    init(variable: Variable) {
        terms = [(variable, .one)]
        constant = .zero
    }

    init(constant: Rational) {
        terms = []
        self.constant = constant
    }

    private init(terms: [(variable: Variable, coefficient: Rational)], constant: Rational) {
        self.terms = terms
        self.constant = constant
    }

    var isConstant: Bool { terms.isEmpty }

    /// The sum of `parts`, each scaled by the matching sign (`+1` or `-1`).
    /// - Complexity: O(n log n) in the total number of coefficients.
    static func sum(_ parts: [(term: LinearTerm, negated: Bool)]) -> LinearTerm {
        var constant = Rational.zero
        var all: [(variable: Variable, coefficient: Rational)] = []
        for (part, negated) in parts {
            constant += negated ? -part.constant : part.constant
            for (v, c) in part.terms { all.append((v, negated ? -c : c)) }
        }
        if parts.count > 1 { all.sort { $0.variable < $1.variable } }
        var merged: [(variable: Variable, coefficient: Rational)] = []
        merged.reserveCapacity(all.count)
        for (v, c) in all {
            if let last = merged.last, last.variable == v {
                merged[merged.count - 1].coefficient = last.coefficient + c
            } else {
                merged.append((v, c))
            }
        }
        merged.removeAll { $0.coefficient.isZero }
        return LinearTerm(terms: merged, constant: constant)
    }

    /// The term multiplied by `factor`.
    func scaled(by factor: Rational) -> LinearTerm {
        if factor.isZero { return LinearTerm(constant: .zero) }
        if factor == .one { return self }
        return LinearTerm(terms: terms.map { ($0.variable, $0.coefficient * factor) }, constant: constant * factor)
    }

    /// The most bits any numerator or denominator of the term needs.
    var maximumBitWidth: Int {
        func bits(_ r: Rational) -> Int { max(r.numerator.magnitude.bitWidth, r.denominator.magnitude.bitWidth) }
        return terms.reduce(bits(constant)) { max($0, bits($1.coefficient)) }
    }

    /// The exact `LinearExpression` with the same value.
    var expression: LinearExpression {
        LinearExpression(terms: terms.map { ($0.variable, $0.coefficient) }, constant: constant)
    }
}
