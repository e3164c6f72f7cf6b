/// A Boolean SMT formula over real terms.
public indirect enum Formula: Sendable, Hashable {
    /// `true` or `false`.
    case constant(Bool)
    /// `left ⋈ right`.
    case compare(Term, ComparisonOperator, Term)
    /// Conjunction (`and` of nothing is true).
    case and([Formula])
    /// Disjunction (`or` of nothing is false).
    case or([Formula])
    /// Negation.
    case not(Formula)
}

/// The comparison in an atomic formula.
public enum ComparisonOperator: String, Sendable, Hashable {
    case lessOrEqual = "<="
    case less = "<"
    case equal = "="
    case greaterOrEqual = ">="
    case greater = ">"
}
