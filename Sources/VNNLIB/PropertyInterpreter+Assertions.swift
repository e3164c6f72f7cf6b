import ExactArithmetic

/// Turning the body of `(assert F)` into a `PropertyFormula`.
///
/// Formulas: `and`, `or` (any number of arguments), the relations `<=` `>=` `<` `>` `=` (two or
/// more arguments; `(<= a b c)` is the SMT-LIB chain `a <= b ∧ b <= c`), `true`, `false`.
/// Terms: declared variables, numerals, `(+ t…)`, `(- t)`, `(- t1 t2 …)`, and `(* t…)` with at
/// most one factor that mentions a variable. Relations are normalised to `e ⋈ 0` with ⋈ one of
/// `<=`, `<`, `=`: `a >= b` becomes `b - a <= 0`, `a > b` becomes `b - a < 0`.
///
/// The walk uses an explicit stack of frames, one per open list, so nesting is bounded only by
/// the reader's depth limit and never by the thread's stack.
extension PropertyInterpreter {
    private enum Operator {
        case and, or, relation(Relation), plus, minus, times

        /// Whether the arguments are formulas (else terms).
        var takesFormulas: Bool {
            switch self {
            case .and, .or: true
            case .relation, .plus, .minus, .times: false
            }
        }

        var minimumArguments: Int {
            switch self {
            case .and, .or: 0
            case .relation: 2
            case .plus, .minus, .times: 1
            }
        }
    }

    private enum Relation {
        case lessOrEqual, greaterOrEqual, less, greater, equal
    }

    private struct Frame {
        let node: Int
        let op: Operator
        /// The next child to visit (child 0 is the operator).
        var next: Int
        let termBase: Int
        let formulaBase: Int
    }

    /// Evaluation stacks: frames for open lists, and the values of finished arguments.
    private struct Stacks {
        var frames: [Frame] = []
        var terms: [LinearTerm] = []
        var formulas: [PropertyFormula.Reference] = []
    }

    /// The formula that node `root` of the current expression denotes.
    /// - Throws: `VNNLIBError` naming the first construct that is not a linear formula over
    ///   declared variables.
    /// - Complexity: O(n log n) in the size of the expression.
    mutating func evaluateFormula(_ root: Int) throws -> PropertyFormula.Reference {
        var stacks = Stacks()
        try enter(root, asFormula: true, &stacks)
        while let top = stacks.frames.last {
            let children = reader.expression.children(of: top.node)
            if top.next < children.count {
                stacks.frames[stacks.frames.count - 1].next += 1
                try enter(children[children.startIndex + top.next], asFormula: top.op.takesFormulas, &stacks)
                continue
            }
            stacks.frames.removeLast()
            try finish(top, &stacks)
        }
        // The root was a formula, so exactly one formula value remains.
        return stacks.formulas.last ?? .constant(true)
    }

    /// Pushes an atom's value, or opens a frame for a list after checking its operator and arity.
    private mutating func enter(_ index: Int, asFormula: Bool, _ stacks: inout Stacks) throws {
        let node = reader.expression.nodes[index]
        switch node.kind {
        case .numeral:
            guard !asFormula else { throw expected("a formula", index) }
            stacks.terms.append(LinearTerm(constant: reader.expression.numerals[node.payload]))
        case .symbol:
            if asFormula {
                switch reader.text(of: index) {
                case "true": stacks.formulas.append(.constant(true))
                case "false": stacks.formulas.append(.constant(false))
                default: throw expected("a formula", index)
                }
                return
            }
            guard let variable = Variable(name: reader.bytes[node.start..<node.end]) else {
                throw expected("a term (a declared variable, a numeral or a list)", index)
            }
            let declared = switch variable {
            case let .input(i): inputDeclarations[i] != nil
            case let .output(j): outputDeclarations[j] != nil
            }
            guard declared else {
                throw VNNLIBError.undeclaredVariable(reader.location(of: index), name: variable.description)
            }
            stacks.terms.append(LinearTerm(variable: variable))
        case .list:
            let children = reader.expression.children(of: index)
            let what = asFormula ? "a formula" : "a term"
            guard let head = children.first else { throw expected(what, index) }
            let operators = asFormula ? "'and', 'or', '<=', '>=', '<', '>' or '='" : "'+', '-' or '*'"
            guard reader.expression.nodes[head].kind == .symbol else { throw expected(operators, head) }
            let name = reader.text(of: head)
            let op: Operator
            switch name {
            case "and": op = .and
            case "or": op = .or
            case "<=": op = .relation(.lessOrEqual)
            case ">=": op = .relation(.greaterOrEqual)
            case "<": op = .relation(.less)
            case ">": op = .relation(.greater)
            case "=": op = .relation(.equal)
            case "+": op = .plus
            case "-": op = .minus
            case "*": op = .times
            default: throw expected(operators, head)
            }
            let isFormula = switch op {
            case .and, .or, .relation: true
            case .plus, .minus, .times: false
            }
            guard isFormula == asFormula else { throw expected(what, index) }
            let arguments = children.count - 1
            guard arguments >= op.minimumArguments else {
                let n = op.minimumArguments
                throw VNNLIBError.wrongArgumentCount(reader.location(of: index), operator: name,
                                                     expected: "at least \(n) argument\(n == 1 ? "" : "s")", found: arguments)
            }
            stacks.frames.append(Frame(node: index, op: op, next: 1, termBase: stacks.terms.count,
                                       formulaBase: stacks.formulas.count))
        }
    }

    /// Combines a finished list's argument values into its own value.
    private mutating func finish(_ frame: Frame, _ stacks: inout Stacks) throws {
        let location = reader.location(of: frame.node)
        let terms = Array(stacks.terms[frame.termBase...])
        stacks.terms.removeSubrange(frame.termBase...)
        switch frame.op {
        case .and, .or:
            let children = Array(stacks.formulas[frame.formulaBase...])
            stacks.formulas.removeSubrange(frame.formulaBase...)
            let isAnd = if case .and = frame.op { true } else { false }
            stacks.formulas.append(isAnd ? formula.and(children, at: location) : formula.or(children, at: location))
        case let .relation(relation):
            var atoms: [PropertyFormula.Reference] = []
            for k in 0..<(terms.count - 1) {
                let (a, b) = (terms[k], terms[k + 1])
                if let bound = Self.boxBound(a, relation, b) {
                    atoms.append(formula.atom(.atom(bound), at: location))
                    continue
                }
                let atom: Atom.Result = switch relation {
                case .lessOrEqual: Atom.classify(LinearTerm.sum([(a, false), (b, true)]), .lessOrEqual)
                case .greaterOrEqual: Atom.classify(LinearTerm.sum([(b, false), (a, true)]), .lessOrEqual)
                case .less: Atom.classify(LinearTerm.sum([(a, false), (b, true)]), .less)
                case .greater: Atom.classify(LinearTerm.sum([(b, false), (a, true)]), .less)
                case .equal: Atom.classify(LinearTerm.sum([(a, false), (b, true)]), .equal)
                }
                atoms.append(formula.atom(atom, at: location))
            }
            stacks.formulas.append(formula.and(atoms, at: location))
        case .plus:
            stacks.terms.append(terms.count == 1 ? terms[0] : LinearTerm.sum(terms.map { ($0, false) }))
        case .minus:
            let parts = terms.count == 1 ? [(terms[0], true)] : [(terms[0], false)] + terms.dropFirst().map { ($0, true) }
            stacks.terms.append(LinearTerm.sum(parts))
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
            }
            let product = variablePart?.scaled(by: factor) ?? LinearTerm(constant: factor)
            guard product.maximumBitWidth <= limits.maximumNumberBits else {
                throw VNNLIBError.numberTooLarge(location, limit: limits.maximumNumberBits)
            }
            stacks.terms.append(product)
        }
    }

    /// The bound for the non-strict `X_i ⋈ c` or `c ⋈ X_i` without any arithmetic: the fast
    /// path for the hundreds of box bounds in a typical file. Nil for every other shape.
    private static func boxBound(_ a: LinearTerm, _ relation: Relation, _ b: LinearTerm) -> Atom? {
        func unitInput(_ t: LinearTerm) -> Int? {
            guard t.terms.count == 1, t.constant.isZero, t.terms[0].coefficient == .one,
                  case let .input(i) = t.terms[0].variable else { return nil }
            return i
        }
        let index: Int, value: Rational, variableOnLeft: Bool
        if let i = unitInput(a), b.isConstant {
            (index, value, variableOnLeft) = (i, b.constant, true)
        } else if let i = unitInput(b), a.isConstant {
            (index, value, variableOnLeft) = (i, a.constant, false)
        } else {
            return nil
        }
        switch relation {
        case .equal:
            return .inputBound(index: index, lower: value, upper: value, strict: nil)
        case .lessOrEqual, .greaterOrEqual:
            let isUpper = (relation == .lessOrEqual) == variableOnLeft
            return .inputBound(index: index, lower: isUpper ? nil : value, upper: isUpper ? value : nil, strict: nil)
        case .less, .greater:
            return nil
        }
    }

    private func expected(_ what: String, _ index: Int) -> VNNLIBError {
        .unexpected(reader.location(of: index), expected: what, found: reader.describe(node: index))
    }
}
