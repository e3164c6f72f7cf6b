import ExactArithmetic

/// The operators of an assertion and what they compute, shared by the 1.0 and 2.0 readers.
///
/// Both versions have `and`, `or`, `+`, `-`, `*` and the comparisons `<=` `>=` `<` `>`; 1.0
/// writes equality `=` and allows chains (`(<= a b c)`), 2.0 writes `==` and `!=` and takes
/// exactly two arguments. Every comparison is normalised to `term ⋈ 0` with ⋈ one of `<=`,
/// `<`, `=`, `!=`: `a >= b` becomes `b - a <= 0`, `a > b` becomes `b - a < 0`.
enum AssertionOperator {
    case and, or, compare(Comparison), plus, minus, times

    enum Comparison: Equatable { case lessOrEqual, greaterOrEqual, less, greater, equal, notEqual }

    /// The operator named `name` in the given version, or nil.
    init?(name: String, syntax: Lexer.Syntax) {
        switch name {
        case "and": self = .and
        case "or": self = .or
        case "<=": self = .compare(.lessOrEqual)
        case ">=": self = .compare(.greaterOrEqual)
        case "<": self = .compare(.less)
        case ">": self = .compare(.greater)
        case "=" where syntax == .version1: self = .compare(.equal)
        case "==" where syntax == .version2: self = .compare(.equal)
        case "!=" where syntax == .version2: self = .compare(.notEqual)
        case "+": self = .plus
        case "-": self = .minus
        case "*": self = .times
        default: return nil
        }
    }

    /// The operator at the head of list `index` of the reader's current expression, checked to
    /// build a formula or a term as `asFormula` asks and to have a number of arguments (counted
    /// by the caller: in 2.0 a variable and its indices are one) that it accepts.
    /// - Throws: `VNNLIBError` at the head or the list when either check fails.
    static func read(list index: Int, in reader: SExpressionReader, asFormula: Bool,
                     argumentCount: (ArraySlice<Int>) -> Int) throws -> AssertionOperator {
        let children = reader.expression.children(of: index)
        let what = asFormula ? "a formula" : "a term"
        guard let head = children.first else { throw reader.unexpected(index, expected: what) }
        let operators = names(formula: asFormula, syntax: reader.syntax)
        guard reader.expression.nodes[head].kind == .symbol else { throw reader.unexpected(head, expected: operators) }
        let name = reader.text(of: head)
        guard let op = AssertionOperator(name: name, syntax: reader.syntax) else {
            if reader.syntax == .version2, name == "=" {
                throw VNNLIBError.invalidQuery(reader.location(of: head), message: "VNN-LIB 2.0 writes equality as '==', not '='")
            }
            throw reader.unexpected(head, expected: operators)
        }
        guard op.isFormula == asFormula else { throw reader.unexpected(index, expected: what) }
        let arguments = argumentCount(children.dropFirst())
        let arity = op.arity(reader.syntax)
        guard arguments >= arity.minimum, arguments <= arity.maximum else {
            throw VNNLIBError.wrongArgumentCount(reader.location(of: index), operator: name, expected: arity.wording,
                                                 found: arguments)
        }
        return op
    }

    /// The names a formula's (or a term's) operator may have, for error messages.
    static func names(formula: Bool, syntax: Lexer.Syntax) -> String {
        guard formula else { return "'+', '-' or '*'" }
        return syntax == .version1 ? "'and', 'or', '<=', '>=', '<', '>' or '='"
                                   : "'and', 'or', '<=', '>=', '<', '>', '==' or '!='"
    }

    /// Whether the operator builds a formula (else a term).
    var isFormula: Bool {
        switch self {
        case .and, .or, .compare: true
        case .plus, .minus, .times: false
        }
    }

    /// Whether the arguments are formulas (else terms).
    var takesFormulas: Bool {
        switch self {
        case .and, .or: true
        case .compare, .plus, .minus, .times: false
        }
    }

    /// The fewest and most arguments, and their wording for an error message.
    func arity(_ syntax: Lexer.Syntax) -> (minimum: Int, maximum: Int, wording: String) {
        switch (self, syntax) {
        case (.compare, .version1): (2, .max, "at least 2 arguments")
        case (.compare, .version2): (2, 2, "exactly 2 arguments")
        case (.and, .version1), (.or, .version1): (0, .max, "at least 0 arguments")
        default: (1, .max, "at least 1 argument")
        }
    }

    /// `a ⋈ b` as `term ⋈' 0`, with ⋈' one of `.lessOrEqual`, `.less`, `.equal`, `.notEqual`.
    static func normalize(_ a: LinearTerm, _ comparison: Comparison, _ b: LinearTerm) -> (LinearTerm, Comparison) {
        switch comparison {
        case .greaterOrEqual: (LinearTerm.sum([(b, false), (a, true)]), .lessOrEqual)
        case .greater: (LinearTerm.sum([(b, false), (a, true)]), .less)
        case .lessOrEqual, .less, .equal, .notEqual: (LinearTerm.sum([(a, false), (b, true)]), comparison)
        }
    }

    /// The value of a term operator (`+`, `-`, `*`) applied to `terms`.
    /// - Throws: `.nonlinearProduct` when two factors of `*` mention variables, `.numberTooLarge`
    ///   when a product's numbers need more than `maximumBits` bits.
    func apply(to terms: [LinearTerm], at location: SourceLocation, maximumBits: Int) throws -> LinearTerm {
        switch self {
        case .plus:
            return terms.count == 1 ? terms[0] : LinearTerm.sum(terms.map { ($0, false) })
        case .minus:
            let parts = terms.count == 1 ? [(terms[0], true)] : [(terms[0], false)] + terms.dropFirst().map { ($0, true) }
            return LinearTerm.sum(parts)
        case .times:
            var factor = Rational.one
            var variablePart: LinearTerm?
            for t in terms {
                if t.isConstant {
                    factor *= t.constant
                } else if variablePart == nil {
                    variablePart = t
                } else {
                    throw VNNLIBError.nonlinearProduct(location)
                }
                // Checked as the factor grows, so that a long product of large numerals stops early.
                guard factor.numerator.magnitude.bitWidth <= maximumBits,
                      factor.denominator.magnitude.bitWidth <= maximumBits else {
                    throw VNNLIBError.numberTooLarge(location, limit: maximumBits)
                }
            }
            let product = variablePart?.scaled(by: factor) ?? LinearTerm(constant: factor)
            guard product.maximumBitWidth <= maximumBits else {
                throw VNNLIBError.numberTooLarge(location, limit: maximumBits)
            }
            return product
        case .and, .or, .compare:
            preconditionFailure("apply(to:) is for term operators")
        }
    }
}
