import ExactArithmetic

extension Query {
    /// Which element types `translate` accepts besides the standard's `real`.
    public struct TranslationOptions: Sendable {
        /// Accept `float16`, `float32` and `float64` declarations and verify them over the
        /// reals. The standard lets a solver do so only with the user's consent, because real
        /// arithmetic is not sound for floating-point semantics.
        public var acceptsFloatTypesAsReal = false
        public init(acceptsFloatTypesAsReal: Bool = false) { self.acceptsFloatTypesAsReal = acceptsFloatTypesAsReal }
    }

    /// Maps the query onto one product network: its layout, and the assertions as an ordinary
    /// `Specification` over the product's inputs (`X_k`) and outputs (`Y_k`), in disjunctive
    /// normal form; `!=` becomes `<` or `>`.
    /// - Throws: `VNNLIBError.invalidQuery` for what Certus does not verify (more than one input
    ///   or output tensor per network, element types other than `real`, `initialized` inputs),
    ///   and `.tooManyCases` past the limit.
    public func translate(options: TranslationOptions = .init(),
                          limits: PropertyParser.Limits = .init()) throws -> (ProductLayout, Specification) {
        try checkSupport(options)
        // Element roles, then union-find over input elements asserted equal at the top level.
        let tensors = networks.flatMap { $0.inputs + $0.hidden + $0.outputs }.sorted { $0.firstElement < $1.firstElement }
        let elementCount = tensors.last.map { $0.firstElement + $0.elementCount } ?? 0
        var isInput = [Bool](repeating: false, count: elementCount)
        for t in tensors where t.role == .input {
            for k in t.firstElement..<t.firstElement + t.elementCount { isInput[k] = true }
        }
        var parent = Array(0..<elementCount)
        func root(_ k: Int) -> Int {
            var r = k
            while parent[r] != r { r = parent[r] }
            var k = k
            while parent[k] != r { (parent[k], k) = (r, parent[k]) }
            return r
        }
        for (term, relation) in topLevelComparisons() where relation == .equal && term.constant.isZero && term.terms.count == 2 {
            let (a, b) = (term.terms[0], term.terms[1])
            guard a.coefficient == -b.coefficient, case let .input(i) = a.variable, case let .input(j) = b.variable,
                  isInput[i], isInput[j] else { continue }
            let (ri, rj) = (root(i), root(j))
            if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
        }
        // Orderings between input classes, each larger one read as its base plus an offset.
        let offsets = orderedInputs(root: root, isInput: isInput)
        // Product variables for every element: inputs numbered in order of first use.
        var variables = [LinearTerm](repeating: LinearTerm(constant: .zero), count: elementCount)
        var classIndex: [Int: Int] = [:], offsetIndex: [Int: Int] = [:], inputCount = 0
        func allocate(_ table: inout [Int: Int], _ key: Int) -> Int {
            if let index = table[key] { return index }
            table[key] = inputCount
            inputCount += 1
            return inputCount - 1
        }
        var layout = ProductLayout(inputCount: 0, inputIndices: [], inputOffsets: [], outputStart: [], hiddenStart: [],
                                   outputCount: 0)
        for network in networks {
            let input = network.inputs[0]
            var indices: [Int] = [], offsetIndices: [Int?] = []
            for k in input.firstElement..<input.firstElement + input.elementCount {
                let r = root(k)
                if let offset = offsets[r] {
                    let base = allocate(&classIndex, offset.base), extra = allocate(&offsetIndex, r)
                    variables[k] = LinearTerm.sum([(LinearTerm(variable: .input(base)), false),
                                                   (LinearTerm(variable: .input(extra)), false)])
                    indices.append(base)
                    offsetIndices.append(extra)
                } else {
                    let index = allocate(&classIndex, r)
                    variables[k] = LinearTerm(variable: .input(index))
                    indices.append(index)
                    offsetIndices.append(nil)
                }
            }
            layout.inputIndices.append(indices)
            layout.inputOffsets.append(offsetIndices)
        }
        // The offsets' ranges, implied by the boxes of the two classes.
        let implied = offsets.compactMap { r, offset in offsetIndex[r].map { (index: $0, lower: offset.lower, upper: offset.upper) } }
        layout.inputCount = inputCount
        var next = 0
        for network in networks {
            layout.outputStart.append(next)
            var starts: [Int] = []
            for (k, t) in ([network.outputs[0]] + network.hidden).enumerated() {
                if k > 0 { starts.append(next) }
                for e in t.firstElement..<t.firstElement + t.elementCount {
                    variables[e] = LinearTerm(variable: .output(next))
                    next += 1
                }
            }
            layout.hiddenStart.append(starts)
        }
        layout.outputCount = next
        return (layout, try specification(variables: variables, implied: implied, layout: layout, limits: limits))
    }

    /// The comparisons that every satisfying assignment must meet: those reached from the
    /// assertions through `and` only.
    private func topLevelComparisons() -> [(LinearTerm, QueryFormula.Relation)] {
        var result: [(LinearTerm, QueryFormula.Relation)] = []
        var pending = assertions
        while let r = pending.popLast() {
            guard case let .node(i) = r else { continue }
            switch formula.nodes[i] {
            case let .compare(term, relation): result.append((term, relation))
            case let .and(children): pending.append(contentsOf: children)
            case .or: break
            }
        }
        return result
    }

    /// The input classes (union-find roots) ordered above another class by a top-level
    /// `a + c <= b` or `a + c < b` (`a`, `b` in different classes, both with a finite box):
    /// each such larger class `b` becomes `base + D`, and `D` has the range
    /// `[lower(b) − upper(a), upper(b) − lower(a)]`, which the boxes imply; the comparison
    /// itself becomes the bound `D ≥ c`. A class is a base or an offset class, never both, and
    /// has at most one base.
    ///
    /// Why: bounds propagate a box, and over a box of independent `a` and `b` the half
    /// `b < a` stays in every branch-and-bound node that straddles the diagonal, so a
    /// monotonicity query (`f(a)` against `f(b)`) never closes; over `(a, D)` it is gone.
    private func orderedInputs(root: (Int) -> Int, isInput: [Bool])
        -> [Int: (base: Int, lower: Rational, upper: Rational)] {
        let comparisons = topLevelComparisons()
        // The box of each class, from the top-level bounds on single elements.
        var lower: [Int: Rational] = [:], upper: [Int: Rational] = [:]
        for (term, relation) in comparisons where term.terms.count == 1 && relation != .notEqual {
            guard case let .input(k) = term.terms[0].variable, isInput[k] else { continue }
            let c = term.terms[0].coefficient, bound = -term.constant / c, r = root(k)
            if relation == .equal || c.signum > 0 { upper[r] = upper[r].map { min($0, bound) } ?? bound }
            if relation == .equal || c.signum < 0 { lower[r] = lower[r].map { max($0, bound) } ?? bound }
        }
        var offsets: [Int: (base: Int, lower: Rational, upper: Rational)] = [:]
        var bases: Set<Int> = []
        for (term, relation) in comparisons where term.terms.count == 2 && (relation == .lessOrEqual || relation == .less) {
            let (p, q) = (term.terms[0], term.terms[1])
            let (small, large) = p.coefficient == .one ? (p, q) : (q, p)
            guard small.coefficient == .one, large.coefficient == -Rational.one,
                  case let .input(i) = small.variable, case let .input(j) = large.variable, isInput[i], isInput[j] else { continue }
            let (a, b) = (root(i), root(j))
            guard a != b, offsets[a] == nil, offsets[b] == nil, !bases.contains(b),
                  let la = lower[a], let ua = upper[a], let lb = lower[b], let ub = upper[b] else { continue }
            offsets[b] = (a, lb - ua, ub - la)
            bases.insert(a)
        }
        return offsets
    }

    /// The assertions over product variables, with the implied ranges of the offset inputs,
    /// expanded into cases.
    private func specification(variables: [LinearTerm], implied: [(index: Int, lower: Rational, upper: Rational)],
                               layout: ProductLayout,
                               limits: PropertyParser.Limits) throws -> Specification {
        var property = PropertyFormula()
        var mapped: [PropertyFormula.Reference] = []
        mapped.reserveCapacity(formula.nodes.count)
        func map(_ r: QueryFormula.Reference) -> PropertyFormula.Reference {
            switch r {
            case let .constant(value): .constant(value)
            case let .node(i): mapped[i]
            }
        }
        for (index, node) in formula.nodes.enumerated() {
            let location = formula.locations[index]
            switch node {
            case let .and(children): mapped.append(property.and(children.map(map), at: location))
            case let .or(children): mapped.append(property.or(children.map(map), at: location))
            case let .compare(term, relation):
                let parts = term.terms.map { (variables[$0.variable.index].scaled(by: $0.coefficient), false) }
                let t = LinearTerm.sum(parts + [(LinearTerm(constant: term.constant), false)])
                switch relation {
                case .lessOrEqual: mapped.append(property.atom(Atom.classify(t, .lessOrEqual), at: location))
                case .less: mapped.append(property.atom(Atom.classify(t, .less), at: location))
                case .equal: mapped.append(property.atom(Atom.classify(t, .equal), at: location))
                case .notEqual:
                    let below = property.atom(Atom.classify(t, .less), at: location)
                    let above = property.atom(Atom.classify(LinearTerm.sum([(t, true)]), .less), at: location)
                    mapped.append(property.or([below, above], at: location))
                }
            }
        }
        let start = SourceLocation(fileName: fileName, line: 1, column: 1)
        var conjuncts = assertions.map(map)
        for range in implied {
            let offset = LinearTerm(variable: .input(range.index))
            let above = LinearTerm.sum([(LinearTerm(constant: range.lower), false), (offset, true)])  // lower − D ≤ 0
            let below = LinearTerm.sum([(offset, false), (LinearTerm(constant: range.upper), true)])  // D − upper ≤ 0
            conjuncts.append(property.atom(Atom.classify(above, .lessOrEqual), at: start))
            conjuncts.append(property.atom(Atom.classify(below, .lessOrEqual), at: start))
        }
        let root = property.and(conjuncts, at: start)
        var expansion = CaseExpansion(formula: property, maximumBytes: limits.maximumCaseBytes)
        let cases = try expansion.cases(of: root, inputCount: layout.inputCount)
        let reason = expansion.emptinessReason(of: cases, numbering: " (product input numbering)")
        return Specification(inputCount: layout.inputCount, outputCount: layout.outputCount, cases: cases, emptinessReason: reason)
    }

    /// The features Certus verifies: one input and one output tensor per network (ONNX import
    /// reads single chains), `real` elements (floats with consent), no `initialized` inputs.
    private func checkSupport(_ options: TranslationOptions) throws {
        for network in networks {
            guard network.inputs.count == 1, network.outputs.count == 1 else {
                throw VNNLIBError.invalidQuery(network.location,
                                               message: "network '\(network.name)' declares \(network.inputs.count) inputs and \(network.outputs.count) outputs; Certus verifies networks with one input and one output tensor (the standard's SIO)")
            }
            for tensor in network.inputs + network.hidden + network.outputs {
                if tensor.initialized {
                    throw VNNLIBError.invalidQuery(tensor.location,
                                                   message: "'initialized' inputs are not supported; constrain the input with '==' instead")
                }
                if tensor.isReal { continue }
                let isFloat = ["float16", "float32", "float64"].contains(tensor.elementType)
                guard isFloat else {
                    throw VNNLIBError.invalidQuery(tensor.location,
                                                   message: "element type '\(tensor.elementType)' is not supported; Certus verifies real-valued queries (type real)")
                }
                guard options.acceptsFloatTypesAsReal else {
                    throw VNNLIBError.invalidQuery(tensor.location,
                                                   message: "element type '\(tensor.elementType)': Certus proves properties of the real-valued network, which is not sound for floating-point semantics; declare the type real, or pass --float-as-real to accept that")
                }
            }
        }
    }
}

extension Variable {
    /// The index of either kind of variable; in a `QueryFormula`, the element number.
    var index: Int {
        switch self {
        case let .input(i): i
        case let .output(j): j
        }
    }
}
