/// Operators that only reshape or reorder a tensor: `Identity`, `Dropout` (inference mode),
/// `Flatten`, `Reshape`, `Squeeze`, `Unsqueeze` and `Transpose`.
extension GraphImporter {
    /// The shape after a data-movement node and, when the node reorders the row-major
    /// elements (a non-trivial `Transpose`), the source index of every result element.
    /// Shared by the variable tensor and constant folding.
    static func dataMovement(_ node: NodeContext, shape: [Int]) throws -> (shape: [Int], source: [Int]?) {
        switch node.opType {
        case "Flatten":
            let axis = try normalisedAxis(node.attributes(["axis"]).int("axis", default: 1), rank: shape.count,
                                          inclusiveEnd: true, node: node, attribute: "axis")
            try node.requireInputCount(1...1)
            guard let outer = Shapes.elementCount(shape[..<axis]), let inner = Shapes.elementCount(shape[axis...]) else {
                throw node.mismatch("shape \(Shapes.describe(shape)) is too large")
            }
            return ([outer, inner], nil)
        case "Reshape":
            return (try reshaped(node, shape: shape), nil)
        case "Squeeze":
            return (try squeezed(node, shape: shape), nil)
        case "Unsqueeze":
            return (try unsqueezed(node, shape: shape), nil)
        case "Transpose":
            return try transposed(node, shape: shape)
        case "Dropout":
            return (try droppedOut(node, shape: shape), nil)
        default:  // Identity
            _ = try node.attributes([])
            try node.requireInputCount(1...1)
            return (shape, nil)
        }
    }

    /// ONNX Dropout at inference: the identity (its `ratio` only matters when training). A
    /// `training_mode` input would make it random, so only an absent one is accepted; the
    /// optional mask output is not produced, and a node reading it is reported as reading an
    /// unknown tensor.
    private static func droppedOut(_ node: NodeContext, shape: [Int]) throws -> [Int] {
        _ = try node.attributes(["ratio", "seed", "is_test"])
        try node.requireInputCount(1...3)
        guard node.operands.count < 3 || { if case .absent = node.operands[2] { true } else { false } }() else {
            throw node.unsupported("Dropout with a training_mode input is not supported; export the model in inference mode")
        }
        return shape
    }

    /// `axis` in `-rank..<rank` (or `...rank` when `inclusiveEnd`) as a non-negative index.
    static func normalisedAxis(_ axis: Int, rank: Int, inclusiveEnd: Bool = false,
                                       node: NodeContext, attribute: String) throws -> Int {
        let upper = inclusiveEnd ? rank : rank - 1
        guard axis >= -rank, axis <= upper else {
            throw node.invalidAttribute(attribute, "axis \(axis) is out of range for rank \(rank)")
        }
        return axis < 0 ? axis + rank : axis
    }

    /// Axes from the `axes` attribute (before opset 13) or the second input (opset 13 on).
    private static func axes(_ node: NodeContext, _ attributes: NodeAttributes) throws -> [Int]? {
        if let axes = try attributes.ints("axes") { return axes }
        if attributes.contains("axes") { return [] }
        return try node.optionalIntegerConstant(at: 1, role: "axes")
    }

    /// ONNX Reshape: `0` copies the input dimension (unless `allowzero = 1`), `-1` is inferred.
    private static func reshaped(_ node: NodeContext, shape: [Int]) throws -> [Int] {
        let attributes = try node.attributes(["shape", "allowzero"])
        let allowZero = try attributes.int("allowzero", default: 0) != 0
        guard let spec = try node.optionalIntegerConstant(at: 1, role: "shape") ?? attributes.ints("shape") else {
            throw node.missingAttribute("shape")
        }
        var result: [Int] = []
        var inferred: Int?
        for (axis, dim) in spec.enumerated() {
            switch dim {
            case -1:
                guard inferred == nil else { throw node.mismatch("shape \(spec) has more than one -1") }
                inferred = axis
                result.append(1)
            case 0 where !allowZero:
                guard axis < shape.count else { throw node.mismatch("shape \(spec) copies dimension \(axis) of \(Shapes.describe(shape))") }
                result.append(shape[axis])
            case 0...:
                result.append(dim)
            default:
                throw node.mismatch("shape \(spec) has a negative dimension")
            }
        }
        guard let total = Shapes.elementCount(shape), let known = Shapes.product(result) else {
            throw node.mismatch("shape \(spec) is too large")
        }
        if let inferred {
            guard known > 0, total % known == 0 else {
                throw node.mismatch("cannot reshape \(Shapes.describe(shape)) to \(spec)")
            }
            result[inferred] = total / known
        } else {
            guard known == total else { throw node.mismatch("cannot reshape \(Shapes.describe(shape)) to \(spec)") }
        }
        return result
    }

    /// ONNX Squeeze: removes the listed axes of size 1, or every axis of size 1.
    private static func squeezed(_ node: NodeContext, shape: [Int]) throws -> [Int] {
        let attributes = try node.attributes(["axes"])
        guard let axes = try axes(node, attributes) else { return shape.filter { $0 != 1 } }
        let normalised = try Set(axes.map { try normalisedAxis($0, rank: shape.count, node: node, attribute: "axes") })
        guard normalised.count == axes.count else { throw node.invalidAttribute("axes", "\(axes) repeats an axis") }
        for axis in normalised where shape[axis] != 1 {
            throw node.mismatch("cannot squeeze axis \(axis) of shape \(Shapes.describe(shape)): its size is not 1")
        }
        return shape.indices.filter { !normalised.contains($0) }.map { shape[$0] }
    }

    /// ONNX Unsqueeze: inserts axes of size 1 at the listed positions of the result.
    private static func unsqueezed(_ node: NodeContext, shape: [Int]) throws -> [Int] {
        let attributes = try node.attributes(["axes"])
        guard let axes = try axes(node, attributes) else { throw node.missingAttribute("axes") }
        let rank = shape.count + axes.count
        let normalised = try Set(axes.map { try normalisedAxis($0, rank: rank, node: node, attribute: "axes") })
        guard normalised.count == axes.count else { throw node.invalidAttribute("axes", "\(axes) repeats an axis") }
        var result: [Int] = []
        var next = 0
        for axis in 0..<rank {
            if normalised.contains(axis) {
                result.append(1)
            } else {
                result.append(shape[next])
                next += 1
            }
        }
        return result
    }

    /// ONNX Transpose with `perm` (default: reverse the axes).
    private static func transposed(_ node: NodeContext, shape: [Int]) throws -> (shape: [Int], source: [Int]?) {
        let attributes = try node.attributes(["perm"])
        try node.requireInputCount(1...1)
        let perm = try attributes.ints("perm") ?? Array(shape.indices.reversed())
        guard perm.sorted() == Array(shape.indices) else {
            throw node.invalidAttribute("perm", "\(perm) is not a permutation of the \(shape.count) axes")
        }
        let newShape = perm.map { shape[$0] }
        // Axes of size 1 carry no data: when the others keep their order, so does the data.
        let moved = perm.filter { shape[$0] != 1 }
        if moved == moved.sorted() { return (newShape, nil) }
        return (newShape, Shapes.transposeSource(shape, perm: perm))
    }
}
