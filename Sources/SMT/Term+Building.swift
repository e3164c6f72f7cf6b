import ExactArithmetic

/// Convenience constructors for the terms a network encoding needs.
extension Term {
    /// `Σ coefficients[i] · variables[i] + constant` as one flat `linear` term; zero
    /// coefficients are left out, so a sparse weight row stays small.
    /// - Precondition: `coefficients.count == variables.count` (a programmer error).
    /// - Complexity: O(n).
    public static func affine(_ coefficients: [Rational], _ variables: [RealVariable],
                              plus constant: Rational = .zero) -> Term {
        precondition(coefficients.count == variables.count,
                     "affine term: \(coefficients.count) coefficients for \(variables.count) variables")
        var entries: [LinearTermEntry] = []
        entries.reserveCapacity(coefficients.count)
        for (c, v) in zip(coefficients, variables) where !c.isZero {
            entries.append(LinearTermEntry(v, c))
        }
        return .linear(coefficients: entries, constant: constant)
    }

    /// `max(0, term)` as `ite(term >= 0, term, 0)`: the exact ReLU (Katz et al., Reluplex,
    /// CAV 2017, §2: ReLU(x) = max(0, x)).
    public static func relu(_ term: Term) -> Term {
        .ite(.compare(term, .greaterOrEqual, .constant(.zero)), term, .constant(.zero))
    }

    /// `left - right`.
    public static func difference(_ left: Term, _ right: Term) -> Term {
        .sum([left, .scaled(-.one, right)])
    }
}
