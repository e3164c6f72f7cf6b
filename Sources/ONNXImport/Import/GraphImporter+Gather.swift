/// `Concat`, `Slice` and `Split`: operators that move elements of computed tensors, imported as
/// lists of source elements (`GraphNode.Operation.gather`).
extension GraphImporter {
    /// ONNX Concat along `axis`: for every result element, its operand and flat index there.
    static func concatenation(_ node: NodeContext, shapes: [[Int]]) throws -> (entries: [GraphNode.GatherEntry], shape: [Int]) {
        let attributes = try node.attributes(["axis"])
        guard let rawAxis = try attributes.int("axis") else { throw node.missingAttribute("axis") }
        let rank = shapes[0].count
        let axis = try normalisedAxis(rawAxis, rank: rank, node: node, attribute: "axis")
        for s in shapes where s.count != rank || (0..<rank).contains(where: { $0 != axis && s[$0] != shapes[0][$0] }) {
            throw node.mismatch("shapes \(shapes.map(Shapes.describe).joined(separator: ", ")) differ outside axis \(axis)")
        }
        var shape = shapes[0]
        shape[axis] = shapes.reduce(0) { $0 + $1[axis] }
        guard let outer = Shapes.elementCount(shapes[0][..<axis]), Shapes.elementCount(shape) != nil else {
            throw node.mismatch("the result is too large")
        }
        let blocks = shapes.map { (Shapes.elementCount($0[axis...]) ?? 0) }
        var entries: [GraphNode.GatherEntry] = []
        for o in 0..<outer {
            for (operand, block) in blocks.enumerated() {
                for t in 0..<block { entries.append(.init(operand: operand, index: o * block + t)) }
            }
        }
        return (entries, shape)
    }

    /// ONNX Slice (starts, ends, axes, steps as inputs from opset 10 on, as attributes before):
    /// the flat indices of the elements kept, and their shape.
    static func slice(_ node: NodeContext, shape: [Int]) throws -> (indices: [Int], shape: [Int]) {
        let attributes = try node.attributes(["starts", "ends", "axes"])
        let rank = shape.count
        let starts: [Int], ends: [Int]
        var axes: [Int]?, steps: [Int]?
        if let s = try attributes.ints("starts") {
            try node.requireInputCount(1...1)
            starts = s
            guard let e = try attributes.ints("ends") else { throw node.missingAttribute("ends") }
            ends = e
            axes = try attributes.ints("axes")
        } else {
            try node.requireInputCount(3...5)
            starts = try node.optionalIntegerConstant(at: 1, role: "starts") ?? []
            ends = try node.optionalIntegerConstant(at: 2, role: "ends") ?? []
            axes = try node.optionalIntegerConstant(at: 3, role: "axes")
            steps = try node.optionalIntegerConstant(at: 4, role: "steps")
        }
        let chosen = try (axes ?? Array(0..<starts.count)).map { try normalisedAxis($0, rank: rank, node: node, attribute: "axes") }
        let stepList = steps ?? Array(repeating: 1, count: starts.count)
        guard starts.count == ends.count, chosen.count == starts.count, stepList.count == starts.count, Set(chosen).count == chosen.count else {
            throw node.mismatch("starts \(starts), ends \(ends), axes \(chosen) and steps \(stepList) do not match")
        }
        var kept = shape.map { Array(0..<$0) }
        for (k, axis) in chosen.enumerated() {
            let dim = shape[axis], step = stepList[k]
            guard step != 0 else { throw node.mismatch("a slice step is 0") }
            func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(value, low), high) }
            var start = starts[k] < 0 ? starts[k] + dim : starts[k]
            var end = ends[k] < 0 ? ends[k] + dim : ends[k]
            if step > 0 {
                start = clamp(start, 0, dim)
                end = clamp(end, 0, dim)
                kept[axis] = Array(stride(from: start, to: end, by: step))
            } else {
                start = clamp(start, -1, dim - 1)
                end = clamp(end, -1, dim - 1)
                kept[axis] = Array(stride(from: start, to: end, by: step))
            }
        }
        return (flatIndices(kept, shape: shape), kept.map(\.count))
    }

    /// ONNX Split along `axis`, by the `split` sizes (input from opset 13 on, attribute before)
    /// or into `num_outputs` (or as many as there are outputs) near-equal parts.
    static func split(_ node: NodeContext, shape: [Int]) throws -> [(indices: [Int], shape: [Int])] {
        let attributes = try node.attributes(["axis", "split", "num_outputs"])
        let axis = try normalisedAxis(attributes.int("axis", default: 0), rank: shape.count, node: node, attribute: "axis")
        let dim = shape[axis]
        let parts: Int = node.proto.output.count
        var sizes: [Int]
        if let given = try attributes.ints("split") ?? node.optionalIntegerConstant(at: 1, role: "split") {
            sizes = given
        } else {
            let count = try attributes.int("num_outputs", default: parts)
            guard count > 0 else { throw node.invalidAttribute("num_outputs", "must be positive") }
            let chunk = (dim + count - 1) / count
            sizes = (0..<count).map { Swift.max(0, Swift.min(chunk, dim - $0 * chunk)) }
        }
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == dim else {
            throw node.mismatch("split sizes \(sizes) do not divide axis \(axis) of size \(dim) into \(parts) outputs")
        }
        var result: [(indices: [Int], shape: [Int])] = []
        var start = 0
        for size in sizes {
            var kept = shape.map { Array(0..<$0) }
            kept[axis] = Array(start..<(start + size))
            result.append((flatIndices(kept, shape: shape), kept.map(\.count)))
            start += size
        }
        return result
    }

    /// Flat row-major indices of the elements whose index along each axis is in `kept[axis]`.
    private static func flatIndices(_ kept: [[Int]], shape: [Int]) -> [Int] {
        let strides = Shapes.strides(shape)
        var indices = [0]
        for axis in shape.indices {
            indices = indices.flatMap { base in kept[axis].map { base + $0 * strides[axis] } }
        }
        return indices
    }

    /// Throws when the graph output is declared with a different element count than computed.
    static func checkDeclaredShape(_ output: Onnx_ValueInfoProto, computed: [Int], file: String) throws {
        guard case let .tensorType(tensorType)? = output.type.value, tensorType.hasShape else { return }
        var declared: [Int] = []
        for dimension in tensorType.shape.dim {
            guard case let .dimValue(value)? = dimension.value, value > 0, let size = Int(exactly: value) else { return }
            declared.append(size)
        }
        guard Shapes.product(declared) == Shapes.product(computed) else {
            throw ONNXError.invalidModel(
                file: file,
                problem: "output '\(output.name)' is declared with shape \(Shapes.describe(declared)) but the graph computes shape \(Shapes.describe(computed))")
        }
    }
}
