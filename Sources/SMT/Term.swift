import ExactArithmetic

/// A real-valued SMT term. Plain values: building one touches no solver.
public indirect enum Term: Sendable, Hashable {
    /// A declared variable.
    case variable(RealVariable)
    /// An exact rational constant.
    case constant(Rational)
    /// `Σ cᵢ·vᵢ + constant`: the common case, kept flat so large affine rows lower quickly.
    case linear(coefficients: [LinearTermEntry], constant: Rational)
    /// The sum of the terms.
    case sum([Term])
    /// `factor · term`.
    case scaled(Rational, Term)
    /// `if condition then a else b`.
    case ite(Formula, Term, Term)
}

/// One `coefficient · variable` entry of a `Term.linear`.
public struct LinearTermEntry: Sendable, Hashable {
    public let variable: RealVariable
    public let coefficient: Rational
    public init(_ variable: RealVariable, _ coefficient: Rational) {
        self.variable = variable
        self.coefficient = coefficient
    }
}
