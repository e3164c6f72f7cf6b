/// `Add`, `Sub`, `Mul` and `Div` between the variable tensor and a constant.
extension GraphImporter {
    /// Lowers an element-wise operation with one constant operand (broadcast NumPy-style):
    /// `x + c` and `x - c` shift, `c - x` negates and shifts, `x · c` scales (all exact diagonal
    /// steps that `LayerBuilder` folds into a neighbour when that is exact), and `x / c` becomes
    /// a `.divide` layer, since `1/c` is rarely representable.
    mutating func applyElementwise(_ node: NodeContext) throws {
        _ = try node.attributes(["broadcast"])
        try node.requireInputCount(2...2)
        let variableFirst = node.isVariable(0)
        let (name, constantShape, values) = try node.realConstant(at: variableFirst ? 1 : 0, role: "constant operand")
        guard let resultShape = Shapes.broadcast(shape, constantShape) else {
            throw node.mismatch("shapes \(Shapes.describe(shape)) and \(Shapes.describe(constantShape)) ('\(name)') do not broadcast")
        }
        guard Shapes.elementCount(resultShape) == Shapes.elementCount(shape) else {
            throw node.unsupported(
                "the constant '\(name)' of shape \(Shapes.describe(constantShape)) would broadcast the input of shape \(Shapes.describe(shape)) to \(Shapes.describe(resultShape))")
        }
        let c = Shapes.expand(values, from: constantShape, to: resultShape)
        let ones = Array(repeating: 1.0, count: c.count)
        let zeros = Array(repeating: 0.0, count: c.count)
        switch node.opType {
        case "Add":
            try builder.append(.diagonal(scale: ones, shift: c), from: node.location)
        case "Sub" where variableFirst:
            try builder.append(.diagonal(scale: ones, shift: c.map { -$0 }), from: node.location)
        case "Sub":
            try builder.append(.diagonal(scale: ones.map { -$0 }, shift: c), from: node.location)
        case "Mul":
            try builder.append(.diagonal(scale: c, shift: zeros), from: node.location)
        default:
            guard variableFirst else {
                throw node.unsupported("Div by the tensor computed from the network input is not supported (not piecewise linear)")
            }
            if let zero = values.firstIndex(of: 0) { throw node.tensorError(name, .zeroDivisor(index: zero)) }
            if c.contains(where: { $0 != 1 }) { try builder.appendDivide(c) }
        }
        shape = resultShape
    }
}
