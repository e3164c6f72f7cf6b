/// One node being imported, with its classified inputs, and helpers that check the node's
/// inputs and build errors naming the file and the node.
struct NodeContext {
    /// One input of a node.
    enum Operand {
        /// An omitted optional input (empty name).
        case absent
        /// The tensor that depends on the network input.
        case variable
        /// A constant: an initializer, a `Constant` node's value, or a folded constant.
        case constant(name: String, value: TensorValue)
    }

    let proto: Onnx_NodeProto
    let location: NodeLocation
    let operands: [Operand]
    let file: String

    /// The operator type.
    var opType: String { proto.opType }

    /// The node's attributes, rejecting any not in `allowed`.
    func attributes(_ allowed: Set<String>) throws -> NodeAttributes {
        try NodeAttributes(proto, allowed: allowed, file: file, node: location)
    }

    /// Throws unless the node has between `range.lowerBound` and `range.upperBound` inputs
    /// (trailing omitted inputs do not count).
    func requireInputCount(_ range: ClosedRange<Int>) throws {
        var count = operands.count
        while count > 0, case .absent = operands[count - 1] { count -= 1 }
        guard range.contains(count) else {
            let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw ONNXError.unsupportedUse(file: file, node: location, reason: "has \(count) inputs, expected \(expected)")
        }
    }

    /// True when input `position` is the variable tensor.
    func isVariable(_ position: Int) -> Bool {
        guard position < operands.count, case .variable = operands[position] else { return false }
        return true
    }

    /// Throws unless input `position` is the variable tensor.
    func requireVariable(at position: Int, role: String) throws {
        guard isVariable(position) else {
            throw unsupported("input \(position) (\(role)) must be the tensor computed from the network input, not a constant")
        }
    }

    /// The constant at input `position`, or nil when that input is omitted.
    /// - Throws: when the input is the variable tensor.
    func optionalConstant(at position: Int, role: String) throws -> (name: String, value: TensorValue)? {
        guard position < operands.count else { return nil }
        switch operands[position] {
        case .absent: return nil
        case let .constant(name, value): return (name, value)
        case .variable: throw unsupported("input \(position) (\(role)) must be a constant, not the tensor computed from the network input")
        }
    }

    /// The constant at input `position`.
    func constant(at position: Int, role: String) throws -> (name: String, value: TensorValue) {
        guard let constant = try optionalConstant(at: position, role: role) else {
            throw unsupported("input \(position) (\(role)) is missing")
        }
        return constant
    }

    /// The real constant at input `position`, or nil when that input is omitted.
    func optionalRealConstant(at position: Int, role: String) throws -> (name: String, shape: [Int], values: [Double])? {
        guard let (name, value) = try optionalConstant(at: position, role: role) else { return nil }
        do {
            return (name, value.shape, try value.realValues())
        } catch let problem as TensorProblem {
            throw tensorError(name, problem)
        }
    }

    /// The real constant at input `position`.
    func realConstant(at position: Int, role: String) throws -> (name: String, shape: [Int], values: [Double]) {
        guard let constant = try optionalRealConstant(at: position, role: role) else {
            throw unsupported("input \(position) (\(role)) is missing")
        }
        return constant
    }

    /// The integer constant at input `position` (shapes, axes), or nil when that input is omitted.
    func optionalIntegerConstant(at position: Int, role: String) throws -> [Int]? {
        guard let (name, value) = try optionalConstant(at: position, role: role) else { return nil }
        do {
            return try value.integerValues().map { value in
                guard let result = Int(exactly: value) else { throw TensorProblem.wrongKind(expected: "integer") }
                return result
            }
        } catch let problem as TensorProblem {
            throw tensorError(name, problem)
        }
    }

    /// A dimension-mismatch error for this node.
    func mismatch(_ reason: String) -> ONNXError {
        .dimensionMismatch(file: file, node: location, reason: reason)
    }

    /// An unsupported-use error for this node.
    func unsupported(_ reason: String) -> ONNXError {
        .unsupportedUse(file: file, node: location, reason: reason)
    }

    /// An error about a tensor this node reads.
    func tensorError(_ tensor: String, _ problem: TensorProblem) -> ONNXError {
        .invalidTensor(file: file, node: location, tensor: tensor, problem: problem)
    }

    /// A missing-attribute error for this node.
    func missingAttribute(_ name: String) -> ONNXError {
        .missingAttribute(file: file, node: location, attribute: name)
    }

    /// An invalid-attribute error for this node.
    func invalidAttribute(_ name: String, _ reason: String) -> ONNXError {
        .invalidAttribute(file: file, node: location, attribute: name, reason: reason)
    }

    /// An unsupported-attribute-value error for this node.
    func unsupportedAttribute(_ name: String, _ value: String) -> ONNXError {
        .unsupportedAttribute(file: file, node: location, attribute: name, value: value)
    }
}
