/// Routing of each node to the code that imports its operator.
extension GraphImporter {
    /// Operators that only move data; they are folded when all their inputs are constants.
    static let dataMovementOperators: Set<String> = ["Identity", "Dropout", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose"]

    /// Operators Certus imports when they read the variable tensor.
    static let variableOperators: Set<String> = dataMovementOperators.union(
        ["Relu", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "BatchNormalization", "Conv", "Pad", "AveragePool", "Sigmoid", "Tanh"])

    /// Imports a node that reads the variable tensor once, updating `builder` and `shape`.
    mutating func applyToVariable(_ node: NodeContext) throws {
        switch node.opType {
        case "Relu":
            _ = try node.attributes(["consumed_inputs"])
            try node.requireInputCount(1...1)
            try builder.appendReLU()
        case "Sigmoid", "Tanh":
            _ = try node.attributes([])
            try node.requireInputCount(1...1)
            try builder.appendSmooth(node.opType == "Sigmoid" ? .sigmoid : .tanh)
        case "Gemm":
            try applyGemm(node)
        case "MatMul":
            try applyMatMul(node)
        case "Add", "Sub", "Mul", "Div":
            try applyElementwise(node)
        case "BatchNormalization":
            try applyBatchNormalization(node)
        case "Conv":
            try applyConvolution(node)
        case "Pad":
            try applyPad(node)
        case "AveragePool":
            try applyAveragePool(node)
        case _ where Self.dataMovementOperators.contains(node.opType):
            try node.requireVariable(at: 0, role: "data")
            let (newShape, source) = try Self.dataMovement(node, shape: shape)
            if let source { try builder.append(.permutation(source: source), from: node.location) }
            shape = newShape
        default:
            throw ONNXError.unsupportedOperator(file: file, node: node.location)
        }
    }

    /// Evaluates a node whose inputs are all constants.
    /// - Returns: the constant the node produces.
    func foldConstant(_ node: NodeContext) throws -> TensorValue {
        switch node.opType {
        case "Constant":
            return try Self.constantValue(node)
        case _ where Self.dataMovementOperators.contains(node.opType):
            let value = try node.constant(at: 0, role: "data").value
            let (newShape, source) = try Self.dataMovement(node, shape: value.shape)
            return source.map { value.gathered($0, shape: newShape) } ?? value.reshaped(newShape)
        case _ where Self.variableOperators.contains(node.opType):
            throw node.unsupported("operator '\(node.opType)' with only constant inputs is not supported; fold it when exporting")
        default:
            throw ONNXError.unsupportedOperator(file: file, node: node.location)
        }
    }

    /// The value of a `Constant` node, from `value`, `value_float(s)` or `value_int(s)`.
    private static func constantValue(_ node: NodeContext) throws -> TensorValue {
        let names: Set<String> = ["value", "value_float", "value_floats", "value_int", "value_ints"]
        let attributes = try node.attributes(names)
        guard node.proto.input.isEmpty else { throw node.unsupported("a Constant node takes no inputs") }
        let present = names.filter(attributes.contains)
        guard present.count == 1 else {
            throw present.isEmpty ? node.missingAttribute("value")
                : node.invalidAttribute("value", "exactly one of \(present.sorted()) may be given")
        }
        do {
            if let tensor = try attributes.tensor("value") { return try TensorValue(decoding: tensor) }
            if attributes.contains("value_float") {
                return try TensorValue(shape: [], finite: [attributes.float("value_float", default: 0)])
            }
            if let floats = try attributes.floats("value_floats") {
                return try TensorValue(shape: [floats.count], finite: floats)
            }
            if let value = try attributes.int("value_int") {
                return TensorValue(shape: [], elements: .integer([Int64(value)]))
            }
            let ints = try attributes.ints("value_ints") ?? []
            return TensorValue(shape: [ints.count], elements: .integer(ints.map(Int64.init)))
        } catch let problem as TensorProblem {
            throw node.tensorError(node.proto.output.first ?? "", problem)
        }
    }
}
