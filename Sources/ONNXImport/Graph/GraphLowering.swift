import NetworkIR

/// Lowers a network graph to a chain of affine, divide, ReLU, sigmoid and tanh layers that
/// computes it exactly (up to the smooth functions' own evaluation) on a box of inputs, so
/// that every pass of Certus applies to it unchanged.
///
/// Nodes are scheduled by activation depth (the number of ReLU, sigmoid or tanh nodes on their
/// longest path from the input). Between two activation layers every tensor still needed is
/// held as an affine expression over the *state*, the vector the last emitted layer produces.
/// Linear nodes (single-operand operators, sums, gathers) compose their operands' expressions
/// when every composed entry is exact (`ExactDouble`), as the chain importer folds layers;
/// otherwise the live expressions are first stored as one affine layer (the state becomes
/// exactly those values), after which the composition is a placement of stored weights and
/// always exact.
///
/// At a ReLU layer, the pre-activations of the graph's ReLU nodes are joined by every tensor
/// that must cross unchanged (a skip connection). Tensor `x` with sound lower bound `l` over the
/// box (interval propagation rounded outward) crosses as:
/// - `relu(x)`, when `l ≥ 0` (a ReLU output, say): `relu(x) = x`;
/// - `relu(x − l) + l`, when `l` is finite: the ReLU is stably active, so the equality is exact
///   and bounds, relaxations and the exact encoding lose nothing;
/// - `relu(x) − relu(−x)`, when no finite lower bound is known (no box).
/// These are the identities of the DAG-to-sequential rewriting used for residual networks by
/// verifiers that accept only layer sequences (e.g. the skip-connection splitting of Wang et al.
/// 2021, β-CROWN's graph handling, reduced to ReLU-only layers).
///
/// A sigmoid or tanh has no such identity, so its layer carries the values that cross it
/// unchanged (`SmoothLayer.carried`), exactly. A stage with several kinds of activation emits
/// the sigmoid layer, the tanh layer, then the ReLU layer, each carrying the others' operands.
struct GraphLowering {
    /// An affine function of the state: one row per value of a tensor.
    struct Expression {
        var weights: Matrix
        var bias: [Double]
    }

    let nodes: [GraphNode]
    let output: Int
    let file: String
    private var layers: [Layer] = []
    /// Sound bounds of each state entry over the box.
    private var stateLower: [Double]
    private var stateUpper: [Double]
    /// The live tensors' expressions over the state.
    private var expressions: [Int: Expression] = [:]
    /// For each node, the consumers not yet lowered.
    private var pendingConsumers: [Set<Int>]

    init(nodes: [GraphNode], output: Int, file: String, inputLower: [Double], inputUpper: [Double]) {
        self.nodes = nodes
        self.output = output
        self.file = file
        stateLower = inputLower
        stateUpper = inputUpper
        pendingConsumers = Array(repeating: [], count: nodes.count)
    }

    private var stateSize: Int { stateLower.count }

    /// The layers of the chain.
    /// - Throws: `ONNXError.layerTooLarge` when a layer would exceed the dense size limit.
    mutating func lower() throws -> [Layer] {
        var reachable = Array(repeating: false, count: nodes.count)
        reachable[output] = true
        for index in nodes.indices.reversed() where reachable[index] {
            for operand in nodes[index].operands { reachable[operand] = true }
        }
        var depth = Array(repeating: 0, count: nodes.count)
        for (index, node) in nodes.enumerated() where reachable[index] {
            let deepest = node.operands.map { depth[$0] }.max() ?? 0
            depth[index] = node.isActivation ? deepest + 1 : deepest
            for operand in node.operands { pendingConsumers[operand].insert(index) }
        }
        expressions[0] = Self.selection(Array(0..<nodes[0].size), columns: nodes[0].size)
        let finalDepth = depth[output]
        for stage in 0...finalDepth {
            for index in nodes.indices where reachable[index] && depth[index] == stage && index != 0 && !nodes[index].isActivation {
                expressions[index] = try lowerLinear(index)
                release(operandsOf: index)
            }
            if stage < finalDepth {
                // Smooth layers first: they carry other values unchanged, for free, where a ReLU
                // layer carries each through an identity of its own.
                let activations = nodes.indices.filter { reachable[$0] && depth[$0] == stage + 1 && nodes[$0].isActivation }
                for function in SmoothActivation.allCases {
                    let group = activations.filter { nodes[$0].operation == .smooth(function) }
                    if !group.isEmpty { try applySmooth(group, function: function) }
                }
                let relus = activations.filter { nodes[$0].operation == .relu }
                if !relus.isEmpty { try crossReLU(relus) }
            }
        }
        guard let result = expressions[output] else { preconditionFailure("the output was not lowered") }
        if !Self.isIdentity(result) { try emitAffine(result, origin: nodes[output].origin) }
        return layers
    }

    /// Forgets operands no later node reads.
    private mutating func release(operandsOf index: Int) {
        for operand in nodes[index].operands {
            pendingConsumers[operand].remove(index)
            if pendingConsumers[operand].isEmpty && operand != output { expressions[operand] = nil }
        }
    }

    // MARK: Linear nodes

    private mutating func lowerLinear(_ index: Int) throws -> Expression {
        let node = nodes[index]
        switch node.operation {
        case .input, .relu, .smooth:
            preconditionFailure("not a linear node")
        case let .linear(operations):
            var current = expressions[node.operands[0]]!
            // While `current` is the operand's own expression, storing the live values stores it.
            var isOperand = true
            func stored(_ current: Expression) throws -> Expression {
                if isOperand {
                    _ = try materialize(extra: nil, origin: node.origin)
                    return expressions[node.operands[0]]!
                }
                return try materialize(extra: current, origin: node.origin)
            }
            for operation in operations {
                defer { isOperand = false }
                switch operation {
                case let .step(step):
                    if case .sparse = step {
                        // Graphs compose dense expressions: a sparse convolution is read densely.
                        try checkSize(rows: step.outputSize, columns: step.inputSize, origin: node.origin)
                    }
                    if let composed = Self.compose(step, current) {
                        current = composed
                    } else {
                        current = try stored(current)
                        guard let composed = Self.compose(step, current) else { preconditionFailure("placing weights is exact") }
                        current = composed
                    }
                case let .divide(divisors):
                    current = try stored(current)
                    try emitDivide(divisors, at: current)
                }
            }
            return current
        case let .sum(negateSecond):
            if let sum = Self.add(expressions[node.operands[0]]!, expressions[node.operands[1]]!, negateSecond: negateSecond) {
                return sum
            }
            _ = try materialize(extra: nil, origin: node.origin)
            guard let sum = Self.add(expressions[node.operands[0]]!, expressions[node.operands[1]]!, negateSecond: negateSecond) else {
                preconditionFailure("sums of stored values with unit weights are exact")
            }
            return sum
        case let .gather(entries):
            let sources = node.operands.map { expressions[$0]! }
            var weights = Matrix.zeros(rows: entries.count, columns: stateSize)
            var bias: [Double] = []
            bias.reserveCapacity(entries.count)
            for (row, entry) in entries.enumerated() {
                let source = sources[entry.operand]
                weights.storage.replaceSubrange(weights.row(row).indices, with: source.weights.row(entry.index))
                bias.append(source.bias[entry.index])
            }
            return Expression(weights: weights, bias: bias)
        }
    }

    /// `step ∘ expression` when every entry is exact, else nil.
    static func compose(_ step: AffineStep, _ expression: Expression) -> Expression? {
        let e = expression.weights
        switch step {
        case let .permutation(source):
            var weights = Matrix.zeros(rows: source.count, columns: e.columns)
            for (row, from) in source.enumerated() {
                weights.storage.replaceSubrange(weights.row(row).indices, with: e.row(from))
            }
            return Expression(weights: weights, bias: source.map { expression.bias[$0] })
        case let .diagonal(scale, shift):
            var weights = e
            var bias = expression.bias
            for i in 0..<e.rows {
                if scale[i] != 1 {
                    for j in 0..<e.columns where weights[i, j] != 0 {
                        guard let w = ExactDouble.product(scale[i], weights[i, j]) else { return nil }
                        weights[i, j] = w
                    }
                }
                guard let scaled = ExactDouble.product(scale[i], bias[i]), let shifted = ExactDouble.sum(scaled, shift[i]) else {
                    return nil
                }
                bias[i] = shifted
            }
            return Expression(weights: weights, bias: bias)
        case let .dense(layer), let .sparse(layer):
            let w = layer.weights
            var nonzeros: [[(column: Int, value: Double)]] = []
            nonzeros.reserveCapacity(e.rows)
            for i in 0..<e.rows {
                var row: [(column: Int, value: Double)] = []
                for j in 0..<e.columns where e[i, j] != 0 { row.append((j, e[i, j])) }
                nonzeros.append(row)
            }
            var weights = Matrix.zeros(rows: w.rows, columns: e.columns)
            var bias: [Double] = []
            bias.reserveCapacity(w.rows)
            for r in 0..<w.rows {
                let base = r * e.columns
                for i in 0..<w.columns where w[r, i] != 0 {
                    for (column, value) in nonzeros[i] {
                        guard let term = ExactDouble.product(w[r, i], value),
                              let total = ExactDouble.sum(weights.storage[base + column], term) else { return nil }
                        weights.storage[base + column] = total
                    }
                }
                guard let b = ExactDouble.dot(w.row(r), expression.bias, plus: layer.bias[r]) else { return nil }
                bias.append(b)
            }
            return Expression(weights: weights, bias: bias)
        }
    }

    /// `a + b` (or `a − b`) when every entry is exact, else nil.
    static func add(_ a: Expression, _ b: Expression, negateSecond: Bool) -> Expression? {
        var weights = a.weights
        var bias = a.bias
        for k in weights.storage.indices where b.weights.storage[k] != 0 {
            guard let s = ExactDouble.sum(weights.storage[k], negateSecond ? -b.weights.storage[k] : b.weights.storage[k]) else { return nil }
            weights.storage[k] = s
        }
        for i in bias.indices {
            guard let s = ExactDouble.sum(bias[i], negateSecond ? -b.bias[i] : b.bias[i]) else { return nil }
            bias[i] = s
        }
        return Expression(weights: weights, bias: bias)
    }

    // MARK: Emitting layers

    /// Stores every live expression (and `extra`) as one affine layer, so that each becomes a
    /// selection of state entries; returns `extra`'s selection (fresh rows of its own).
    private mutating func materialize(extra: Expression?, origin: NodeLocation?) throws -> Expression {
        let live = expressions.keys.sorted()
        var parts = live.map { expressions[$0]! }
        if let extra { parts.append(extra) }
        let rows = parts.reduce(0) { $0 + $1.bias.count }
        var weights = Matrix.zeros(rows: rows, columns: stateSize)
        var bias: [Double] = []
        bias.reserveCapacity(rows)
        for part in parts {
            weights.storage.replaceSubrange(bias.count * stateSize..<(bias.count + part.bias.count) * stateSize, with: part.weights.storage)
            bias += part.bias
        }
        try emitAffine(Expression(weights: weights, bias: bias), origin: origin)
        var start = 0
        var selections: [Expression] = []
        for part in parts {
            selections.append(Self.selection(Array(start..<(start + part.bias.count)), columns: rows))
            start += part.bias.count
        }
        for (offset, index) in live.enumerated() { expressions[index] = selections[offset] }
        return extra == nil ? Self.selection([], columns: rows) : selections[parts.count - 1]
    }

    private mutating func emitAffine(_ expression: Expression, origin: NodeLocation?) throws {
        try checkSize(rows: expression.weights.rows, columns: expression.weights.columns, origin: origin)
        (stateLower, stateUpper) = IntervalBounds.affine(expression.weights, expression.bias, lower: stateLower, upper: stateUpper)
        layers.append(.affine(AffineLayer(weights: expression.weights, bias: expression.bias)))
    }

    /// Divides the state entries `selection` picks by `divisors` (1 elsewhere).
    private mutating func emitDivide(_ divisors: [Double], at selection: Expression) throws {
        var all = Array(repeating: 1.0, count: stateSize)
        for i in 0..<selection.weights.rows {
            for j in 0..<stateSize where selection.weights[i, j] != 0 { all[j] = divisors[i] }
        }
        (stateLower, stateUpper) = IntervalBounds.divide(all, lower: stateLower, upper: stateUpper)
        layers.append(.divide(divisors: all))
    }

    /// One affine layer with the pre-activations of `relus` and the tensors that cross, then a
    /// ReLU layer; afterwards every live tensor is an expression over the ReLU's outputs.
    private mutating func crossReLU(_ relus: [Int]) throws {
        let crossing = expressions.keys.sorted().filter { index in
            index == output || pendingConsumers[index].contains { nodes[$0].operation != .relu }
        }
        // An offset needs `bias − offset` exact; when a bias makes that impossible, the live
        // values are stored first, after which every bias is 0 and any offset is exact.
        let origin = relus.first.flatMap { nodes[$0].origin } ?? nodes[output].origin
        let needsStoring = crossing.contains { index in
            let e = expressions[index]!
            let (lower, _) = IntervalBounds.affine(e.weights, e.bias, lower: stateLower, upper: stateUpper)
            return lower.indices.contains { lower[$0] < 0 && lower[$0].isFinite && Self.exactOffset(below: lower[$0], bias: e.bias[$0]) == nil }
        }
        if needsStoring { _ = try materialize(extra: nil, origin: origin) }
        var rows: [(weights: ArraySlice<Double>, bias: Double)] = []
        var reluRows: [Int: Int] = [:]
        for relu in relus {
            reluRows[relu] = rows.count
            let e = expressions[nodes[relu].operands[0]]!
            for i in 0..<e.weights.rows { rows.append((e.weights.row(i), e.bias[i])) }
        }
        // Each crossing value: the rows it occupies (a second one when split) and its offset.
        var crossings: [Int: [(row: Int, negativeRow: Int?, offset: Double)]] = [:]
        for index in crossing {
            let e = expressions[index]!
            let (lower, _) = IntervalBounds.affine(e.weights, e.bias, lower: stateLower, upper: stateUpper)
            var plan: [(row: Int, negativeRow: Int?, offset: Double)] = []
            for i in 0..<e.weights.rows {
                let row = e.weights.row(i)
                if lower[i] >= 0 {
                    plan.append((rows.count, nil, 0))
                    rows.append((row, e.bias[i]))
                } else if lower[i].isFinite, let offset = Self.exactOffset(below: lower[i], bias: e.bias[i]) {
                    plan.append((rows.count, nil, offset))
                    rows.append((row, e.bias[i] - offset))
                } else {
                    plan.append((rows.count, rows.count + 1, 0))
                    rows.append((row, e.bias[i]))
                    rows.append((ArraySlice(row.map { -$0 }), -e.bias[i]))
                }
            }
            crossings[index] = plan
        }
        try checkSize(rows: rows.count, columns: stateSize, origin: origin)
        try emitAffine(Self.stacked(rows, columns: stateSize), origin: origin)
        layers.append(.relu)
        stateLower = stateLower.map { max(0, $0) }
        stateUpper = stateUpper.map { max(0, $0) }

        let width = rows.count
        for index in Array(expressions.keys) where crossings[index] == nil { expressions[index] = nil }
        for (index, plan) in crossings {
            var post = Matrix.zeros(rows: plan.count, columns: width)
            for (i, entry) in plan.enumerated() {
                post[i, entry.row] = 1
                if let negative = entry.negativeRow { post[i, negative] = -1 }
            }
            expressions[index] = Expression(weights: post, bias: plan.map(\.offset))
        }
        for relu in relus {
            let start = reluRows[relu]!
            expressions[relu] = Self.selection(Array(start..<(start + nodes[relu].size)), columns: width)
            release(operandsOf: relu)
        }
    }

    /// One affine layer with the operands of the sigmoid (or tanh) nodes `smooth` and the
    /// tensors that cross, then a layer applying `function` to the operands and carrying the
    /// crossing values unchanged (`SmoothLayer.carried`); afterwards every live tensor is an
    /// expression over the layer's outputs.
    private mutating func applySmooth(_ smooth: [Int], function: SmoothActivation) throws {
        let members = Set(smooth)
        let crossing = expressions.keys.sorted().filter { index in
            index == output || pendingConsumers[index].contains { !members.contains($0) }
        }
        var rows: [(weights: ArraySlice<Double>, bias: Double)] = []
        func append(_ e: Expression) { for i in 0..<e.weights.rows { rows.append((e.weights.row(i), e.bias[i])) } }
        var starts: [Int: Int] = [:]
        for index in smooth {
            starts[index] = rows.count
            append(expressions[nodes[index].operands[0]]!)
        }
        let applied = rows.count
        var crossingStarts: [Int: Int] = [:]
        for index in crossing {
            crossingStarts[index] = rows.count
            append(expressions[index]!)
        }
        let carried = rows.indices.map { $0 >= applied }
        let origin = smooth.first.flatMap { nodes[$0].origin } ?? nodes[output].origin
        try checkSize(rows: rows.count, columns: stateSize, origin: origin)
        let preActivations = Self.stacked(rows, columns: stateSize)
        if !Self.isIdentity(preActivations) { try emitAffine(preActivations, origin: origin) }
        let layer = SmoothLayer(function, carried: carried)
        layers.append(.smooth(layer))
        (stateLower, stateUpper) = IntervalBounds.smooth(layer, lower: stateLower, upper: stateUpper)

        let width = rows.count
        for index in Array(expressions.keys) where crossingStarts[index] == nil { expressions[index] = nil }
        for (index, start) in crossingStarts {
            expressions[index] = Self.selection(Array(start..<(start + expressions[index]!.bias.count)), columns: width)
        }
        for index in smooth {
            let start = starts[index]!
            expressions[index] = Self.selection(Array(start..<(start + nodes[index].size)), columns: width)
            release(operandsOf: index)
        }
    }

    /// A double `l′ ≤ lower` such that `bias − l′` is exact (so `relu(x − l′) + l′ = x` holds
    /// for the stored numbers), or nil when none is found cheaply. Always found for bias 0.
    static func exactOffset(below lower: Double, bias: Double) -> Double? {
        if ExactDouble.sum(bias, -lower) != nil { return lower }
        let unit = bias.ulp
        let coarse = (lower / unit).rounded(.down) * unit
        guard coarse.isFinite, coarse <= lower, ExactDouble.sum(bias, -coarse) != nil else { return nil }
        return coarse
    }

    private func checkSize(rows: Int, columns: Int, origin: NodeLocation?) throws {
        try LayerBuilder.checkDenseSize(rows: rows, columns: columns, file: file,
                                        node: origin ?? NodeLocation(index: 0, name: "", opType: "graph"))
    }

    /// The expression whose rows are `rows`.
    static func stacked(_ rows: [(weights: ArraySlice<Double>, bias: Double)], columns: Int) -> Expression {
        var weights = Matrix.zeros(rows: rows.count, columns: columns)
        for (r, row) in rows.enumerated() { weights.storage.replaceSubrange(weights.row(r).indices, with: row.weights) }
        return Expression(weights: weights, bias: rows.map(\.bias))
    }

    /// Rows that pick state entries `entries`.
    static func selection(_ entries: [Int], columns: Int) -> Expression {
        var weights = Matrix.zeros(rows: entries.count, columns: columns)
        for (row, column) in entries.enumerated() { weights[row, column] = 1 }
        return Expression(weights: weights, bias: Array(repeating: 0, count: entries.count))
    }

    /// True when the expression is the whole state, unchanged.
    static func isIdentity(_ expression: Expression) -> Bool {
        let w = expression.weights
        guard w.rows == w.columns, expression.bias.allSatisfy({ $0 == 0 }) else { return false }
        for i in 0..<w.rows {
            for j in 0..<w.columns where w[i, j] != (i == j ? 1 : 0) { return false }
        }
        return true
    }
}
