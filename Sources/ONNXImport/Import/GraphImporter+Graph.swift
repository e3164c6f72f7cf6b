/// Import of graphs that are not single chains: skip connections, sums of two computed tensors,
/// concatenations, slices and splits. Each node becomes one `GraphNode`; single-operand
/// operators reuse the chain importer's code, run through a fresh `LayerBuilder` whose
/// recorded steps become the node's operation, so both paths read an operator alike.
extension GraphImporter {
    /// Operators that only the graph importer handles.
    static let graphOperators: Set<String> = Set(["Concat", "Slice", "Split"]).union(piecewiseOperators)

    /// Operators read on more than one computed tensor.
    static let multipleVariableOperators: Set<String> = ["Add", "Sub", "Concat", "Max", "Min"]

    /// Whether a failure of the chain import means the model needs the graph importer.
    static func callsForGraph(_ error: ONNXError) -> Bool {
        switch error {
        case .notAChain: true
        case let .unsupportedOperator(_, node): graphOperators.contains(node.opType)
        default: false
        }
    }

    /// The tensors computed so far while importing a graph.
    private struct GraphState {
        var nodes: [GraphNode]
        /// Node index of each computed tensor.
        var producer: [String: Int]
        /// Shape of each computed tensor.
        var shapes: [String: [Int]]
    }

    /// Imports every node into a graph (node 0 is the input).
    /// - Throws: `ONNXError` naming the first node or tensor that cannot be imported.
    mutating func importGraph() throws -> NetworkGraph {
        let inputName = current
        guard let inputSize = Shapes.elementCount(inputShape) else { preconditionFailure("checked in init") }
        var state = GraphState(nodes: [GraphNode(operation: .input, operands: [], size: inputSize, origin: nil)],
                               producer: [inputName: 0], shapes: [inputName: inputShape])
        for (index, node) in graph.node.enumerated() {
            let isDefaultDomain = node.domain.isEmpty || node.domain == "ai.onnx"
            let location = NodeLocation(index: index, name: node.name,
                                        opType: isDefaultDomain ? node.opType : "\(node.domain).\(node.opType)")
            guard isDefaultDomain else { throw ONNXError.unsupportedOperator(file: file, node: location) }
            guard let output = node.output.first, !output.isEmpty else {
                throw ONNXError.notAChain(file: file, node: location, reason: "the node has no output")
            }
            var operands: [NodeContext.Operand] = []
            var variables: [String] = []
            for name in node.input {
                if name.isEmpty {
                    operands.append(.absent)
                } else if state.producer[name] != nil {
                    operands.append(.variable)
                    variables.append(name)
                } else {
                    operands.append(try constantOperand(named: name, readBy: location))
                }
            }
            let context = NodeContext(proto: node, location: location, operands: operands, file: file)
            if variables.isEmpty {
                constants[output] = try foldConstant(context)
                continue
            }
            try importGraphNode(context, variables: variables, into: &state)
        }
        guard graph.output.count == 1, let output = graph.output.first else {
            throw ONNXError.invalidModel(file: file, problem: "the graph has \(graph.output.count) outputs; exactly one is supported")
        }
        guard let outputNode = state.producer[output.name] else {
            if constants[output.name] != nil || initializers[output.name] != nil {
                throw ONNXError.invalidModel(file: file, problem: "output '\(output.name)' does not depend on the input")
            }
            throw ONNXError.invalidModel(file: file, problem: "output '\(output.name)' is not produced by any node")
        }
        try Self.checkDeclaredShape(output, computed: state.shapes[output.name] ?? [], file: file)
        return NetworkGraph(nodes: state.nodes, output: outputNode, inputShape: inputShape, file: file)
    }

    /// A node input that is not a computed tensor: a constant, decoded on first use.
    private mutating func constantOperand(named name: String, readBy node: NodeLocation) throws -> NodeContext.Operand {
        if let value = constants[name] { return .constant(name: name, value: value) }
        guard let proto = initializers[name] else {
            throw ONNXError.notAChain(file: file, node: node,
                                      reason: "the node reads '\(name)', which is neither an initializer nor the output of an earlier supported node")
        }
        do {
            let value = try TensorValue(decoding: proto)
            constants[name] = value
            return .constant(name: name, value: value)
        } catch let problem as TensorProblem {
            throw ONNXError.invalidTensor(file: file, node: node, tensor: name, problem: problem)
        }
    }

    private mutating func importGraphNode(_ node: NodeContext, variables: [String], into state: inout GraphState) throws {
        let outputName = node.proto.output[0]
        let operandIDs = variables.map { state.producer[$0]! }
        let shapes = variables.map { state.shapes[$0]! }
        func add(_ operation: GraphNode.Operation, operands: [Int], shape: [Int], output: String = outputName) throws {
            guard let size = Shapes.elementCount(shape), size > 0 else {
                throw node.mismatch("the result has shape \(Shapes.describe(shape)); it must have between 1 and \(Shapes.maximumElementCount) elements")
            }
            state.nodes.append(GraphNode(operation: operation, operands: operands, size: size, origin: node.location))
            state.producer[output] = state.nodes.count - 1
            state.shapes[output] = shape
        }
        switch node.opType {
        case "Relu":
            _ = try node.attributes(["consumed_inputs"])
            try node.requireInputCount(1...1)
            try add(.relu, operands: operandIDs, shape: shapes[0])
        case "Add" where variables.count == 2, "Sub" where variables.count == 2:
            _ = try node.attributes([])
            try node.requireInputCount(2...2)
            guard shapes[0] == shapes[1] else {
                throw node.unsupported("the operands have shapes \(Shapes.describe(shapes[0])) and \(Shapes.describe(shapes[1])); \(node.opType) of two computed tensors needs equal shapes")
            }
            try add(.sum(negateSecond: node.opType == "Sub"), operands: operandIDs, shape: shapes[0])
        case "Concat":
            guard variables.count == node.operands.count else {
                throw node.unsupported("Concat of computed tensors with constants is not supported")
            }
            let (entries, shape) = try Self.concatenation(node, shapes: shapes)
            try add(.gather(entries), operands: operandIDs, shape: shape)
        case "Slice":
            try node.requireVariable(at: 0, role: "data")
            let (indices, shape) = try Self.slice(node, shape: shapes[0])
            try add(.gather(indices.map { .init(operand: 0, index: $0) }), operands: operandIDs, shape: shape)
        case "Split":
            try node.requireVariable(at: 0, role: "input")
            let parts = try Self.split(node, shape: shapes[0])
            for (part, outputName) in zip(parts, node.proto.output) where !outputName.isEmpty {
                try add(.gather(part.indices.map { .init(operand: 0, index: $0) }), operands: operandIDs, shape: part.shape, output: outputName)
            }
        case _ where Self.piecewiseOperators.contains(node.opType):
            if variables.count > 1, let different = shapes.first(where: { $0 != shapes[0] }) {
                throw node.unsupported("the operands have shapes \(Shapes.describe(shapes[0])) and \(Shapes.describe(different)); \(node.opType) of computed tensors needs equal shapes")
            }
            let (nodes, result, shape) = try Self.piecewise(node, operands: operandIDs, shape: shapes[0], nodes: state.nodes)
            state.nodes = nodes
            state.producer[outputName] = result
            state.shapes[outputName] = shape
        case "Sigmoid", "Tanh":
            _ = try node.attributes([])
            try node.requireInputCount(1...1)
            try add(.smooth(node.opType == "Sigmoid" ? .sigmoid : .tanh), operands: operandIDs, shape: shapes[0])
        case _ where variables.count > 1:
            throw node.unsupported("the node reads \(variables.count) tensors computed from the network input; only \(Self.multipleVariableOperators.sorted().joined(separator: ", ")) may")
        case _ where Self.variableOperators.contains(node.opType):
            // The chain importer's code for this operator, on a builder of its own.
            current = variables[0]
            shape = shapes[0]
            builder = LayerBuilder(file: file)
            try applyToVariable(node)
            if builder.recorded.isEmpty {
                state.producer[outputName] = operandIDs[0]
                state.shapes[outputName] = shape
            } else {
                try add(.linear(builder.recorded), operands: operandIDs, shape: shape)
            }
        default:
            throw ONNXError.unsupportedOperator(file: file, node: node.location)
        }
    }
}
