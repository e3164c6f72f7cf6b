import ExactArithmetic

/// Turning the body of a 2.0 `(assert F)` into a `QueryFormula`.
///
/// Formulas: `and`, `or` (one or more arguments), the comparisons `<=` `>=` `<` `>` `==` `!=`
/// (exactly two arguments). Terms: numerals, variables (`Y` for a scalar, `X[i,j]` with one
/// index per dimension, each in range), `(- t)`, `(- t1 t2 …)`, `(+ t…)`, and `(* t…)` with at
/// most one factor that mentions a variable (the standard's `LIN`; a product of variables is
/// `POLY`, which Certus rejects). As the standard's typing rules require, the variables in one
/// comparison must share one element type. An explicit stack replaces recursion.
extension QueryInterpreter {
    private enum Operator {
        case and, or, compare(Comparison), plus, minus, times
        var takesFormulas: Bool {
            switch self {
            case .and, .or: true
            default: false
            }
        }
    }

    private enum Comparison { case lessOrEqual, greaterOrEqual, less, greater, equal, notEqual }

    private struct Frame {
        let node: Int
        let op: Operator
        var next: Int
        let termBase: Int
        let formulaBase: Int
    }

    /// A term with the element type of its variables (nil while it has none).
    private struct TypedTerm {
        var term: LinearTerm
        var type: String?
    }

    private struct Stacks {
        var frames: [Frame] = []
        var terms: [TypedTerm] = []
        var formulas: [QueryFormula.Reference] = []
    }

    mutating func evaluateFormula(_ root: Int) throws -> QueryFormula.Reference {
        var stacks = Stacks()
        _ = try enter(root, following: nil, asFormula: true, &stacks)
        while let top = stacks.frames.last {
            let children = reader.tree.children(of: top.node)
            if top.next < children.count {
                let index = children[children.startIndex + top.next]
                let following = top.next + 1 < children.count ? children[children.startIndex + top.next + 1] : nil
                let parent = stacks.frames.count - 1
                stacks.frames[parent].next += 1
                // A variable with its indices consumes the indices node too.
                if try enter(index, following: following, asFormula: top.op.takesFormulas, &stacks) == 2 {
                    stacks.frames[parent].next += 1
                }
                continue
            }
            stacks.frames.removeLast()
            try finish(top, &stacks)
        }
        return stacks.formulas.last ?? .constant(true)
    }

    /// Pushes an atom's value or opens a frame; returns how many sibling nodes it consumed
    /// (2 for a variable followed by its indices).
    private mutating func enter(_ index: Int, following: Int?, asFormula: Bool, _ stacks: inout Stacks) throws -> Int {
        let node = reader.tree.nodes[index]
        switch node.kind {
        case .numeral:
            guard !asFormula else { throw expected("a formula", index) }
            stacks.terms.append(TypedTerm(term: LinearTerm(constant: reader.tree.numerals[node.payload]), type: nil))
            return 1
        case .symbol:
            guard !asFormula else { throw expected("a formula (a comparison, 'and' or 'or')", index) }
            let indices = following.flatMap { reader.tree.nodes[$0].kind == .naturals ? reader.tree.naturals[reader.tree.nodes[$0].payload] : nil }
            stacks.terms.append(try variable(index, indices: indices))
            return indices == nil ? 1 : 2
        case .string, .version, .naturals:
            throw expected(asFormula ? "a formula" : "a term", index)
        case .list:
            let children = reader.tree.children(of: index)
            let what = asFormula ? "a formula" : "a term"
            guard let head = children.first else { throw expected(what, index) }
            let operators = asFormula ? "'and', 'or', '<=', '>=', '<', '>', '==' or '!='" : "'+', '-' or '*'"
            guard reader.tree.nodes[head].kind == .symbol else { throw expected(operators, head) }
            let name = reader.text(of: head)
            let op: Operator
            switch name {
            case "and": op = .and
            case "or": op = .or
            case "<=": op = .compare(.lessOrEqual)
            case ">=": op = .compare(.greaterOrEqual)
            case "<": op = .compare(.less)
            case ">": op = .compare(.greater)
            case "==": op = .compare(.equal)
            case "!=": op = .compare(.notEqual)
            case "+": op = .plus
            case "-": op = .minus
            case "*": op = .times
            case "=":
                throw VNNLIBError.invalidQuery(reader.location(of: head), message: "VNN-LIB 2.0 writes equality as '==', not '='")
            default: throw expected(operators, head)
            }
            let isFormula = switch op {
            case .and, .or, .compare: true
            default: false
            }
            guard isFormula == asFormula else { throw expected(what, index) }
            // Count arguments, a variable with its indices as one.
            var arguments = 0, k = children.startIndex + 1
            while k < children.endIndex {
                let isIndexed = reader.tree.nodes[children[k]].kind == .symbol && k + 1 < children.endIndex
                    && reader.tree.nodes[children[k + 1]].kind == .naturals
                k += isIndexed ? 2 : 1
                arguments += 1
            }
            let (low, high, wording): (Int, Int, String) = switch op {
            case .compare: (2, 2, "exactly 2 arguments")
            default: (1, Int.max, "at least 1 argument")
            }
            guard arguments >= low, arguments <= high else {
                throw VNNLIBError.wrongArgumentCount(reader.location(of: index), operator: name, expected: wording, found: arguments)
            }
            stacks.frames.append(Frame(node: index, op: op, next: 1, termBase: stacks.terms.count, formulaBase: stacks.formulas.count))
            return 1
        }
    }

    /// The term for variable `index` with optional `indices`, checked against its declaration.
    private func variable(_ index: Int, indices: [Int]?) throws -> TypedTerm {
        let name = reader.text(of: index)
        let location = reader.location(of: index)
        guard let (_, tensor) = tensors[name] else {
            if networks.contains(where: { $0.name == name }) {
                throw VNNLIBError.invalidQuery(location, message: "'\(name)' is a network, not a variable")
            }
            throw VNNLIBError.undeclaredVariable(location, name: name)
        }
        let given = indices ?? []
        guard given.count == tensor.shape.count else {
            throw VNNLIBError.invalidQuery(location,
                                           message: "'\(name)' has shape \(tensor.shapeText) and needs \(tensor.shape.count) ind\(tensor.shape.count == 1 ? "ex" : "ices"), but \(given.count) \(given.count == 1 ? "is" : "are") given")
        }
        var flat = 0
        for (i, dimension) in zip(given, tensor.shape) {
            guard i < dimension else {
                throw VNNLIBError.invalidQuery(location, message: "index \(given) is out of range for '\(name)' of shape \(tensor.shapeText)")
            }
            flat = flat * dimension + i
        }
        return TypedTerm(term: LinearTerm(variable: .input(tensor.firstElement + flat)), type: tensor.elementType)
    }

    /// The common type of `terms`, or an error at `location` when two differ.
    private func commonType(_ terms: ArraySlice<TypedTerm>, at location: SourceLocation) throws -> String? {
        var type: String?
        for t in terms {
            guard let other = t.type else { continue }
            if let type, type != other {
                throw VNNLIBError.invalidQuery(location, message: "mixes element types \(type) and \(other); the standard allows no coercion")
            }
            type = other
        }
        return type
    }

    private mutating func finish(_ frame: Frame, _ stacks: inout Stacks) throws {
        let location = reader.location(of: frame.node)
        let terms = stacks.terms[frame.termBase...]
        let type = try commonType(terms, at: location)
        let values = terms.map(\.term)
        stacks.terms.removeSubrange(frame.termBase...)
        switch frame.op {
        case .and, .or:
            let children = Array(stacks.formulas[frame.formulaBase...])
            stacks.formulas.removeSubrange(frame.formulaBase...)
            let isAnd = if case .and = frame.op { true } else { false }
            stacks.formulas.append(junction(children, isAnd: isAnd, at: location))
        case let .compare(comparison):
            let (a, b) = (values[0], values[1])
            let (term, relation): (LinearTerm, QueryFormula.Relation) = switch comparison {
            case .lessOrEqual: (LinearTerm.sum([(a, false), (b, true)]), .lessOrEqual)
            case .greaterOrEqual: (LinearTerm.sum([(b, false), (a, true)]), .lessOrEqual)
            case .less: (LinearTerm.sum([(a, false), (b, true)]), .less)
            case .greater: (LinearTerm.sum([(b, false), (a, true)]), .less)
            case .equal: (LinearTerm.sum([(a, false), (b, true)]), .equal)
            case .notEqual: (LinearTerm.sum([(a, false), (b, true)]), .notEqual)
            }
            if term.isConstant {
                let s = term.constant.signum
                let value = switch relation {
                case .lessOrEqual: s <= 0
                case .less: s < 0
                case .equal: s == 0
                case .notEqual: s != 0
                }
                stacks.formulas.append(.constant(value))
            } else {
                stacks.formulas.append(formula.add(.compare(term, relation), at: location))
            }
        case .plus:
            stacks.terms.append(TypedTerm(term: values.count == 1 ? values[0] : LinearTerm.sum(values.map { ($0, false) }), type: type))
        case .minus:
            let parts = values.count == 1 ? [(values[0], true)] : [(values[0], false)] + values.dropFirst().map { ($0, true) }
            stacks.terms.append(TypedTerm(term: LinearTerm.sum(parts), type: type))
        case .times:
            var factor = Rational.one
            var variablePart: LinearTerm?
            for t in values {
                if t.isConstant {
                    factor *= t.constant
                } else if variablePart == nil {
                    variablePart = t
                } else {
                    throw VNNLIBError.invalidQuery(location,
                                                   message: "non-linear product: at most one factor of '*' may mention a variable (Certus verifies linear queries, the standard's LIN)")
                }
                guard factor.numerator.magnitude.bitWidth <= limits.maximumNumberBits,
                      factor.denominator.magnitude.bitWidth <= limits.maximumNumberBits else {
                    throw VNNLIBError.numberTooLarge(location, limit: limits.maximumNumberBits)
                }
            }
            let product = variablePart?.scaled(by: factor) ?? LinearTerm(constant: factor)
            guard product.maximumBitWidth <= limits.maximumNumberBits else {
                throw VNNLIBError.numberTooLarge(location, limit: limits.maximumNumberBits)
            }
            stacks.terms.append(TypedTerm(term: product, type: type))
        }
    }

    /// `and` / `or` with constants folded, as `PropertyFormula` does for 1.0.
    private mutating func junction(_ children: [QueryFormula.Reference], isAnd: Bool, at location: SourceLocation) -> QueryFormula.Reference {
        let absorbing = !isAnd
        if children.contains(.constant(absorbing)) { return .constant(absorbing) }
        let kept = children.filter { $0 != .constant(!absorbing) }
        switch kept.count {
        case 0: return .constant(!absorbing)
        case 1: return kept[0]
        default: return formula.add(isAnd ? .and(kept) : .or(kept), at: location)
        }
    }
}
