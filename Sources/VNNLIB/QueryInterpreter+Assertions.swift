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
    /// A term with the element type of its variables (nil while it has none).
    private struct TypedTerm {
        var term: LinearTerm
        var type: String?
    }

    private typealias Stacks = AssertionStacks<TypedTerm, QueryFormula.Reference>

    mutating func evaluateFormula(_ root: Int) throws -> QueryFormula.Reference {
        var stacks = Stacks()
        _ = try enter(root, following: nil, asFormula: true, &stacks)
        while let top = stacks.frames.last {
            let children = reader.expression.children(of: top.node)
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
        let node = reader.expression.nodes[index]
        switch node.kind {
        case .numeral:
            guard !asFormula else { throw expected("a formula", index) }
            stacks.terms.append(TypedTerm(term: LinearTerm(constant: reader.expression.numerals[node.payload]), type: nil))
            return 1
        case .symbol:
            guard !asFormula else { throw expected("a formula (a comparison, 'and' or 'or')", index) }
            let indices = following.flatMap { reader.expression.nodes[$0].kind == .naturals ? reader.expression.naturals[reader.expression.nodes[$0].payload] : nil }
            stacks.terms.append(try variable(index, indices: indices))
            return indices == nil ? 1 : 2
        case .string, .version, .naturals:
            throw expected(asFormula ? "a formula" : "a term", index)
        case .list:
            // Count arguments, a variable with its indices as one.
            let op = try AssertionOperator.read(list: index, in: reader, asFormula: asFormula) { arguments in
                var count = 0, k = arguments.startIndex
                while k < arguments.endIndex {
                    let isIndexed = reader.expression.nodes[arguments[k]].kind == .symbol && k + 1 < arguments.endIndex
                        && reader.expression.nodes[arguments[k + 1]].kind == .naturals
                    k += isIndexed ? 2 : 1
                    count += 1
                }
                return count
            }
            stacks.open(index, op)
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
    private func commonType(_ terms: [TypedTerm], at location: SourceLocation) throws -> String? {
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

    private mutating func finish(_ frame: Stacks.Frame, _ stacks: inout Stacks) throws {
        let location = reader.location(of: frame.node)
        let (terms, children) = stacks.arguments(of: frame)
        let type = try commonType(terms, at: location)
        let values = terms.map(\.term)
        switch frame.op {
        case .and, .or:
            let isAnd = if case .and = frame.op { true } else { false }
            stacks.formulas.append(junction(children, isAnd: isAnd, at: location))
        case let .compare(comparison):
            let (term, normal) = AssertionOperator.normalize(values[0], comparison, values[1])
            let relation: QueryFormula.Relation = switch normal {
            case .lessOrEqual: .lessOrEqual
            case .less: .less
            case .notEqual: .notEqual
            default: .equal
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
        case .plus, .minus, .times:
            let value = try frame.op.apply(to: values, at: location, maximumBits: limits.maximumNumberBits)
            stacks.terms.append(TypedTerm(term: value, type: type))
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
