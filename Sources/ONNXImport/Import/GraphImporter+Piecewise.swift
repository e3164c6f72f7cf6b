/// Piecewise-linear operators written with ReLUs, so the lowering needs no new layer kind:
/// each identity below is exact in real arithmetic, and its constants are stored as given.
/// - `LeakyRelu(x) = relu(x) − α·relu(−x)`;
/// - `Clip(x, a, b) = a + relu(x − a) − relu(x − b)` (`a ≤ b`), `max(x, a) = a + relu(x − a)`,
///   `min(x, b) = b − relu(b − x)`; `Max`/`Min` with a constant are these;
/// - `max(a, b) = a + relu(b − a)`, for `Max`/`Min` of two computed tensors and, as a tree
///   over the window positions, for `MaxPool` (the usual MaxPool-to-ReLU rewriting, e.g.
///   Bunel et al. 2020, "Branch and bound for piecewise linear neural network verification").
extension GraphImporter {
    /// Piecewise-linear operators the graph importer rewrites with ReLUs.
    static let piecewiseOperators: Set<String> = ["LeakyRelu", "Clip", "Max", "Min", "MaxPool"]

    /// Appends intermediate nodes for one ONNX node.
    struct PiecewiseBuilder {
        var nodes: [GraphNode]
        let origin: NodeLocation
        let size: Int

        mutating func append(_ operation: GraphNode.Operation, _ operands: [Int], size: Int? = nil) -> Int {
            nodes.append(GraphNode(operation: operation, operands: operands, size: size ?? self.size, origin: origin))
            return nodes.count - 1
        }

        /// `scale·x + shift`, element-wise.
        mutating func affine(_ x: Int, scale: [Double], shift: [Double]) -> Int {
            append(.linear([.step(.diagonal(scale: scale, shift: shift))]), [x])
        }

        mutating func relu(_ x: Int) -> Int { append(.relu, [x]) }

        mutating func sum(_ a: Int, _ b: Int, negateSecond: Bool = false) -> Int {
            append(.sum(negateSecond: negateSecond), [a, b])
        }

        /// `max(a, b) = a + relu(b − a)`.
        mutating func maximum(_ a: Int, _ b: Int) -> Int {
            sum(a, relu(sum(b, a, negateSecond: true)))
        }

        /// `max(x, c) = c + relu(x − c)`.
        mutating func maximum(_ x: Int, constant c: [Double]) -> Int {
            let ones = Array(repeating: 1.0, count: size)
            return affine(relu(affine(x, scale: ones, shift: c.map { -$0 })), scale: ones, shift: c)
        }

        /// `min(x, c) = c − relu(c − x)`.
        mutating func minimum(_ x: Int, constant c: [Double]) -> Int {
            let minusOnes = Array(repeating: -1.0, count: size)
            return affine(relu(affine(x, scale: minusOnes, shift: c)), scale: minusOnes, shift: c)
        }
    }

    /// The node computing `node`'s output from `operands` (computed tensors, in input order,
    /// with `shape`), appended to `nodes`.
    static func piecewise(_ node: NodeContext, operands: [Int], shape: [Int], nodes: [GraphNode]) throws -> (nodes: [GraphNode], output: Int, shape: [Int]) {
        let size = Shapes.elementCount(shape) ?? 0
        var builder = PiecewiseBuilder(nodes: nodes, origin: node.location, size: size)
        let x = operands[0]
        switch node.opType {
        case "LeakyRelu":
            let alpha = try node.attributes(["alpha"]).float("alpha", default: 0.01)
            try node.requireInputCount(1...1)
            let positive = builder.relu(x)
            let negative = builder.relu(builder.affine(x, scale: Array(repeating: -1, count: size), shift: Array(repeating: 0, count: size)))
            let scaled = builder.affine(negative, scale: Array(repeating: alpha, count: size), shift: Array(repeating: 0, count: size))
            let result = builder.sum(positive, scaled, negateSecond: true)
            return (builder.nodes, result, shape)
        case "Clip":
            let attributes = try node.attributes(["min", "max"])
            try node.requireInputCount(1...3)
            let low = try scalarBound(node, attributes, position: 1, name: "min")
            let high = try scalarBound(node, attributes, position: 2, name: "max")
            if let low, let high, low > high { throw node.mismatch("min \(low) exceeds max \(high)") }
            var result = x
            if let low { result = builder.maximum(result, constant: Array(repeating: low, count: size)) }
            if let high { result = builder.minimum(result, constant: Array(repeating: high, count: size)) }
            return (builder.nodes, result, shape)
        case "Max", "Min":
            _ = try node.attributes([])
            let isMax = node.opType == "Max"
            var result = x
            for other in operands.dropFirst() {
                // min(a, b) = a + b − max(a, b)
                result = isMax ? builder.maximum(result, other)
                    : builder.sum(builder.sum(result, other), builder.maximum(result, other), negateSecond: true)
            }
            for position in node.operands.indices where !node.isVariable(position) {
                let (name, constantShape, values) = try node.realConstant(at: position, role: "operand")
                guard Shapes.broadcast(shape, constantShape) == shape else {
                    throw node.unsupported("the constant '\(name)' of shape \(Shapes.describe(constantShape)) does not broadcast to \(Shapes.describe(shape))")
                }
                let c = Shapes.expand(values, from: constantShape, to: shape)
                result = isMax ? builder.maximum(result, constant: c) : builder.minimum(result, constant: c)
            }
            return (builder.nodes, result, shape)
        default:  // MaxPool
            return try maxPool(node, input: x, shape: shape, builder: &builder)
        }
    }

    /// A Clip bound from its input (opset 11 on) or attribute (before), or nil when absent.
    private static func scalarBound(_ node: NodeContext, _ attributes: NodeAttributes, position: Int, name: String) throws -> Double? {
        if attributes.contains(name) { return try attributes.float(name, default: 0) }
        guard let (tensor, _, values) = try node.optionalRealConstant(at: position, role: name) else { return nil }
        guard values.count == 1 else { throw node.mismatch("\(name) '\(tensor)' must be a scalar") }
        return values[0]
    }

    /// ONNX MaxPool (one image, `ceil_mode = 0`): each kernel position becomes a gathered tensor
    /// (padding repeats an in-bounds element of the window, which leaves the maximum unchanged),
    /// and a balanced tree of `max(a, b)` reduces them, one ReLU layer per level.
    private static func maxPool(_ node: NodeContext, input: Int, shape: [Int],
                                builder: inout PiecewiseBuilder) throws -> (nodes: [GraphNode], output: Int, shape: [Int]) {
        let attributes = try node.attributes(["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"])
        try node.requireInputCount(1...1)
        guard node.proto.output.count == 1 || node.proto.output[1].isEmpty else {
            throw node.unsupported("MaxPool's Indices output is not supported")
        }
        guard shape.count >= 3, shape[0] == 1 else { throw node.mismatch("input of shape \(Shapes.describe(shape)) is not one image") }
        let ceilMode = try attributes.int("ceil_mode", default: 0)
        guard ceilMode == 0 else { throw node.unsupportedAttribute("ceil_mode", "\(ceilMode)") }
        let rank = shape.count - 2
        guard let kernel = try attributes.ints("kernel_shape"), kernel.count == rank, kernel.allSatisfy({ $0 > 0 && $0 <= maximumConvolutionParameter }) else {
            throw node.invalidAttribute("kernel_shape", "must be \(rank) positive numbers")
        }
        let strides = try attributes.ints("strides") ?? Array(repeating: 1, count: rank)
        let dilations = try attributes.ints("dilations") ?? Array(repeating: 1, count: rank)
        guard strides.count == rank, strides.allSatisfy({ (1...maximumConvolutionParameter).contains($0) }),
              dilations.count == rank, dilations.allSatisfy({ (1...maximumConvolutionParameter).contains($0) }) else {
            throw node.invalidAttribute("strides", "strides and dilations must be \(rank) numbers in 1...\(maximumConvolutionParameter)")
        }
        let inSize = Array(shape[2...])
        let (padBegin, outSize) = try convolutionGeometry(node, attributes, input: inSize, kernel: kernel, strides: strides, dilations: dilations)
        let channels = shape[1]
        guard let inPixels = Shapes.elementCount(inSize), let outPixels = Shapes.elementCount(outSize),
              let kernelPixels = Shapes.elementCount(kernel), kernelPixels <= 1 << 12,
              outPixels * channels * kernelPixels <= LayerBuilder.maximumDenseEntries else {
            throw node.unsupported("the pooling is too large")
        }
        let reads = WindowReads(input: inSize, output: outSize, kernel: kernel, strides: strides, padBegin: padBegin, dilations: dilations)
        var positions = Array(repeating: [GraphNode.GatherEntry](), count: kernelPixels)
        for c in 0..<channels {
            for o in 0..<outPixels {
                let window = reads.window(o).map { $0 >= 0 ? c * inPixels + $0 : nil }
                guard let first = window.compactMap({ $0 }).first else {
                    throw node.mismatch("an output position's window lies entirely in the padding")
                }
                for k in 0..<kernelPixels { positions[k].append(.init(operand: 0, index: window[k] ?? first)) }
            }
        }
        let outCount = channels * outPixels
        var level = positions.map { builder.append(.gather($0), [input], size: outCount) }
        let pooled = PiecewiseBuilder(nodes: builder.nodes, origin: builder.origin, size: outCount)
        builder = pooled
        while level.count > 1 {
            var next: [Int] = []
            for pair in stride(from: 0, to: level.count - 1, by: 2) { next.append(builder.maximum(level[pair], level[pair + 1])) }
            if level.count % 2 == 1 { next.append(level[level.count - 1]) }
            level = next
        }
        return (builder.nodes, level[0], [1, channels] + outSize)
    }
}
