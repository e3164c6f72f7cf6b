import ExactArithmetic

/// A linear constraint `term ⋈ 0`, classified once (not once per case) by where it goes in a
/// `SpecificationCase`.
enum Atom {
    /// `c·X_i + k ⋈ 0` with `c ≠ 0`: a bound on one input. A strict bound also keeps its
    /// strict constraint, as `InputBox` documents.
    case inputBound(index: Int, lower: Rational?, upper: Rational?, strict: LinearConstraint?)
    /// A constraint over two or more inputs and no output.
    case inputConstraint(LinearConstraint)
    /// A constraint that mentions an output.
    case outputConstraint(LinearConstraint)

    /// The atom for `term ⋈ 0`, or its truth value when the term is constant.
    static func classify(_ term: LinearTerm, _ relation: LinearConstraint.Relation) -> Result {
        guard !term.isConstant else {
            let sign = term.constant.signum
            switch relation {
            case .lessOrEqual: return .constant(sign <= 0)
            case .less: return .constant(sign < 0)
            case .equal: return .constant(sign == 0)
            }
        }
        if term.terms.count == 1, case let .input(index) = term.terms[0].variable {
            // c·x + k ⋈ 0  ⇔  x ⋈ -k/c for c > 0, and x ⋈' -k/c (flipped) for c < 0.
            let c = term.terms[0].coefficient
            let bound = -term.constant / c
            let strict = relation == .less ? LinearConstraint(term.expression, .less) : nil
            switch relation {
            case .equal:
                return .atom(.inputBound(index: index, lower: bound, upper: bound, strict: nil))
            case .lessOrEqual, .less:
                return c.signum > 0
                    ? .atom(.inputBound(index: index, lower: nil, upper: bound, strict: strict))
                    : .atom(.inputBound(index: index, lower: bound, upper: nil, strict: strict))
            }
        }
        let constraint = LinearConstraint(term.expression, relation)
        return .atom(constraint.expression.mentionsOnlyInputs ? .inputConstraint(constraint) : .outputConstraint(constraint))
    }

    /// What `classify` finds: a constraint to keep, or a constant truth value.
    enum Result {
        case atom(Atom)
        case constant(Bool)
    }
}
