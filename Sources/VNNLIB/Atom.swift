import ExactArithmetic

/// A linear constraint `term ⋈ 0`, classified once (not once per case) by where it goes in a
/// `SpecificationCase`.
enum Atom {
    /// `c·X_i + k ⋈ 0` with `c ≠ 0`: `X_i` bounded by `bound` on `side`. A strict bound also
    /// becomes a strict constraint in the case, as `InputBox` documents (`strictConstraint`).
    /// Stored as one number and two flags rather than optional sides and a ready constraint:
    /// a learned-index property holds 240,000 such bounds, and the atom's size is the
    /// formula's size.
    case inputBound(index: Int, bound: Rational, side: BoundSide, strict: Bool)
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
            switch relation {
            case .equal:
                return .atom(.inputBound(index: index, bound: bound, side: .both, strict: false))
            case .lessOrEqual, .less:
                return .atom(.inputBound(index: index, bound: bound, side: c.signum > 0 ? .upper : .lower,
                                         strict: relation == .less))
            }
        }
        let constraint = LinearConstraint(term.expression, relation)
        return .atom(constraint.expression.mentionsOnlyInputs ? .inputConstraint(constraint) : .outputConstraint(constraint))
    }

    /// Which side of an input a bound limits (`both`: an equality).
    enum BoundSide {
        case lower, upper, both
    }

    /// The strict constraint of a strict bound: `X_i − bound < 0` for an upper bound,
    /// `bound − X_i < 0` for a lower one.
    static func strictConstraint(index: Int, bound: Rational, side: BoundSide) -> LinearConstraint {
        let isUpper = side == .upper
        let expression = LinearExpression(terms: [(.input(index), isUpper ? .one : Rational(-1))],
                                          constant: isUpper ? -bound : bound)
        return LinearConstraint(expression, .less)
    }

    /// What `classify` finds: a constraint to keep, or a constant truth value.
    enum Result {
        case atom(Atom)
        case constant(Bool)
    }
}
