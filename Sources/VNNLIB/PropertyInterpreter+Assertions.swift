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
    private typealias Stacks = AssertionStacks<LinearTerm, PropertyFormula.Reference>

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
            let op = try AssertionOperator.read(list: index, in: reader, asFormula: asFormula, argumentCount: \.count)
            stacks.open(index, op)
        case .string, .version, .naturals:
            throw expected(asFormula ? "a formula" : "a term", index)  // 2.0 tokens; the 1.0 lexer makes none.
        }
    }

    /// Combines a finished list's argument values into its own value.
    private mutating func finish(_ frame: Stacks.Frame, _ stacks: inout Stacks) throws {
        let location = reader.location(of: frame.node)
        let (terms, children) = stacks.arguments(of: frame)
        switch frame.op {
        case .and:
            stacks.formulas.append(formula.and(children, at: location))
        case .or:
            stacks.formulas.append(formula.or(children, at: location))
        case let .compare(comparison):
            var atoms: [PropertyFormula.Reference] = []
            for k in 0..<(terms.count - 1) {
                let (a, b) = (terms[k], terms[k + 1])
                if let bound = Self.boxBound(a, comparison, b) {
                    atoms.append(formula.atom(.atom(bound), at: location))
                    continue
                }
                let (term, relation) = AssertionOperator.normalize(a, comparison, b)
                let atom: Atom.Result = switch relation {
                case .lessOrEqual: Atom.classify(term, .lessOrEqual)
                case .less: Atom.classify(term, .less)
                default: Atom.classify(term, .equal)  // 1.0 has no '!='.
                }
                atoms.append(formula.atom(atom, at: location))
            }
            stacks.formulas.append(formula.and(atoms, at: location))
        case .plus, .minus, .times:
            stacks.terms.append(try frame.op.apply(to: terms, at: location, maximumBits: limits.maximumNumberBits))
        }
    }

    /// The bound for the non-strict `X_i ⋈ c` or `c ⋈ X_i` without any arithmetic: the fast
    /// path for the hundreds of box bounds in a typical file. Nil for every other shape.
    private static func boxBound(_ a: LinearTerm, _ relation: AssertionOperator.Comparison, _ b: LinearTerm) -> Atom? {
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
            return .inputBound(index: index, bound: value, side: .both, strict: false)
        case .lessOrEqual, .greaterOrEqual:
            let isUpper = (relation == .lessOrEqual) == variableOnLeft
            return .inputBound(index: index, bound: value, side: isUpper ? .upper : .lower, strict: false)
        case .less, .greater, .notEqual:
            return nil
        }
    }

    private func expected(_ what: String, _ index: Int) -> VNNLIBError {
        reader.unexpected(index, expected: what)
    }
}
