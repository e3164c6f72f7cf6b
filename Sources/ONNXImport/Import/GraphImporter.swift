import NetworkIR

/// Normalises an ONNX graph to a `Network`: a single chain of `.affine`, `.divide` and `.relu`
/// layers from the graph's one real input to its one output.
///
/// Nodes are visited in file order (ONNX requires topological order). At every point the
/// importer knows one *variable* tensor, the only one that depends on the network input, and
/// its shape; each node must read that tensor at most once plus any number of constants, and
/// moves the chain on to its first output. Nodes reading only constants are folded when they
/// merely move data (`Constant`, `Identity`, `Reshape`, `Flatten`, `Squeeze`, `Unsqueeze`,
/// `Transpose`). Anything else, such as a branch, a second input, or a node reading the input
/// twice, is an error rather than a silently different network.
struct GraphImporter {
    /// The file name used in error messages.
    let file: String
    /// The graph being imported.
    let graph: Onnx_GraphProto
    /// Initializers by name, decoded on first use so that an error can name the reading node.
    let initializers: [String: Onnx_TensorProto]
    /// Constants decoded or computed so far.
    var constants: [String: TensorValue] = [:]
    /// The variable tensor at this point of the chain.
    var current: String
    /// Its shape (symbolic batch dimensions of the input count as 1).
    var shape: [Int]
    /// Variable tensors the chain has moved past, with the node that consumed each.
    var retired: [String: NodeLocation] = [:]
    /// The layers built so far.
    var builder: LayerBuilder
    /// The network input's shape.
    let inputShape: [Int]

    /// Prepares the import of `model`'s graph: finds its one real input and reads its shape.
    /// - Throws: `ONNXError` when the model has no graph, not exactly one real input, or an
    ///   input declaration Certus cannot use.
    init(model: Onnx_ModelProto, file: String) throws {
        guard model.hasGraph else { throw ONNXError.invalidModel(file: file, problem: "the model has no graph") }
        let graph = model.graph
        var initializers: [String: Onnx_TensorProto] = [:]
        for tensor in graph.initializer { initializers[tensor.name] = tensor }
        let realInputs = graph.input.filter { initializers[$0.name] == nil }
        guard realInputs.count == 1, let input = realInputs.first else {
            throw ONNXError.inputCount(file: file, inputs: realInputs.map(\.name))
        }
        let inputShape = try Self.declaredShape(of: input, file: file)
        self.file = file
        self.graph = graph
        self.initializers = initializers
        self.current = input.name
        self.shape = inputShape
        self.inputShape = inputShape
        self.builder = LayerBuilder(file: file)
    }

    /// The numeric shape of the network input. A symbolic or unknown leading (batch) dimension
    /// is taken as 1; any other must be a positive number.
    private static func declaredShape(of input: Onnx_ValueInfoProto, file: String) throws -> [Int] {
        func invalid(_ problem: String) -> ONNXError {
            .invalidModel(file: file, problem: "input '\(input.name)' \(problem)")
        }
        guard input.hasType, case let .tensorType(tensorType)? = input.type.value else {
            throw invalid("is not declared as a tensor")
        }
        let elementType = Int(tensorType.elemType)
        guard elementType == Onnx_TensorProto.DataType.float.rawValue
                || elementType == Onnx_TensorProto.DataType.double.rawValue else {
            throw invalid("has element type \(TensorProblem.dataTypeName(tensorType.elemType)); only FLOAT and DOUBLE are supported")
        }
        guard tensorType.hasShape else { throw invalid("has no declared shape") }
        var shape: [Int] = []
        for (axis, dimension) in tensorType.shape.dim.enumerated() {
            switch dimension.value {
            case let .dimValue(value)? where value > 0:
                guard let size = Int(exactly: value) else { throw invalid("has too many elements") }
                shape.append(size)
            case .dimParam? where axis == 0, nil where axis == 0:
                shape.append(1)
            default:
                throw invalid("has dimension \(axis) that is not a positive number")
            }
        }
        guard Shapes.elementCount(shape) != nil else { throw invalid("has too many elements") }
        return shape
    }

    /// Imports every node and assembles the network.
    /// - Throws: `ONNXError` naming the first node or tensor that cannot be imported.
    mutating func importNetwork() throws -> Network {
        for (index, node) in graph.node.enumerated() {
            let isDefaultDomain = node.domain.isEmpty || node.domain == "ai.onnx"
            let location = NodeLocation(index: index, name: node.name,
                                        opType: isDefaultDomain ? node.opType : "\(node.domain).\(node.opType)")
            guard isDefaultDomain else { throw ONNXError.unsupportedOperator(file: file, node: location) }
            guard let output = node.output.first, !output.isEmpty else {
                throw ONNXError.notAChain(file: file, node: location, reason: "the node has no output")
            }
            var operands: [NodeContext.Operand] = []
            for name in node.input { operands.append(try operand(named: name, readBy: location)) }
            let context = NodeContext(proto: node, location: location, operands: operands, file: file)
            let variableReads = (0..<operands.count).filter(context.isVariable).count
            switch variableReads {
            case 0:
                constants[output] = try foldConstant(context)
            case 1:
                try applyToVariable(context)
                // Empty (or oversized) intermediate tensors would let later nodes declare
                // matrices with zero columns and astronomically many rows.
                guard let count = Shapes.elementCount(shape), count > 0 else {
                    throw ONNXError.dimensionMismatch(file: file, node: location,
                                                      reason: "the result has shape \(Shapes.describe(shape)); it must have between 1 and \(Shapes.maximumElementCount) elements")
                }
                retired[current] = location
                current = output
            default:
                throw ONNXError.notAChain(file: file, node: location,
                                          reason: "the node reads '\(current)' more than once; only single chains are supported")
            }
        }
        try checkOutput()
        let layers = try builder.finish()
        do {
            return try Network(inputShape: inputShape, layers: layers)
        } catch let error as NetworkError {
            throw ONNXError.invalidModel(file: file, problem: "the imported network is inconsistent: \(error)")
        }
    }

    /// Classifies one input of a node, decoding an initializer on first use.
    private mutating func operand(named name: String, readBy node: NodeLocation) throws -> NodeContext.Operand {
        if name.isEmpty { return .absent }
        if name == current { return .variable }
        if let value = constants[name] { return .constant(name: name, value: value) }
        if let proto = initializers[name] {
            do {
                let value = try TensorValue(decoding: proto)
                constants[name] = value
                return .constant(name: name, value: value)
            } catch let problem as TensorProblem {
                throw ONNXError.invalidTensor(file: file, node: node, tensor: name, problem: problem)
            }
        }
        if let consumer = retired[name] {
            throw ONNXError.notAChain(file: file, node: node,
                                      reason: "the node reads '\(name)', which \(consumer) already consumed; only single chains are supported")
        }
        throw ONNXError.notAChain(file: file, node: node,
                                  reason: "the node reads '\(name)', which is neither an initializer nor the output of an earlier supported node")
    }

    /// Checks that the graph's one output is the end of the chain, with the declared size.
    private func checkOutput() throws {
        guard graph.output.count == 1, let output = graph.output.first else {
            throw ONNXError.invalidModel(file: file, problem: "the graph has \(graph.output.count) outputs; exactly one is supported")
        }
        guard output.name == current else {
            if constants[output.name] != nil || initializers[output.name] != nil {
                throw ONNXError.invalidModel(file: file, problem: "output '\(output.name)' does not depend on the input")
            }
            if let consumer = retired[output.name] {
                throw ONNXError.notAChain(file: file, node: nil,
                                          reason: "output '\(output.name)' is not the end of the chain: \(consumer) continues from it to '\(current)'")
            }
            throw ONNXError.invalidModel(file: file, problem: "output '\(output.name)' is not produced by any node")
        }
        guard case let .tensorType(tensorType)? = output.type.value, tensorType.hasShape else { return }
        var declared: [Int] = []
        for dimension in tensorType.shape.dim {
            guard case let .dimValue(value)? = dimension.value, value > 0, let size = Int(exactly: value) else { return }
            declared.append(size)
        }
        guard Shapes.product(declared) == Shapes.product(shape) else {
            throw ONNXError.invalidModel(
                file: file,
                problem: "output '\(output.name)' is declared with shape \(Shapes.describe(declared)) but the graph computes shape \(Shapes.describe(shape))")
        }
    }
}
