import NetworkIR

/// `Pad` as an exact affine step: every output element is a copy of one input element or the
/// padding constant, so the layer's weights are 0 or 1 and its bias is 0 or the constant, all
/// stored as given; nothing is computed.
extension GraphImporter {
    /// ONNX Pad in modes `constant`, `edge` and `reflect`, with `pads` (and `value`) as
    /// attributes (opsets before 11) or as constant inputs `pads`, `constant_value` and `axes`
    /// (opset 11 on, `axes` from 18). Negative pads crop, as ONNX allows (in mode `constant`);
    /// `wrap` is refused.
    mutating func applyPad(_ node: NodeContext) throws {
        let attributes = try node.attributes(["mode", "pads", "value"])
        try node.requireInputCount(1...4)
        try node.requireVariable(at: 0, role: "data")
        let mode = try attributes.string("mode") ?? "constant"
        guard ["constant", "edge", "reflect"].contains(mode) else {
            throw node.unsupportedAttribute("mode", "'\(mode)'")
        }
        let rank = shape.count
        let pads: [Int], value: Double
        if attributes.contains("pads") {
            try node.requireInputCount(1...1)
            pads = try attributes.ints("pads") ?? []
            value = try attributes.float("value", default: 0)
            guard pads.count == 2 * rank else {
                throw node.invalidAttribute("pads", "\(pads) must be \(2 * rank) numbers for an input of shape \(Shapes.describe(shape))")
            }
        } else {
            // Opset 11 on: `value` is no longer an attribute, and ignoring it would pad with a
            // different constant than the file's author meant.
            if attributes.contains("value") {
                throw node.invalidAttribute("value", "is an attribute of Pad before opset 11, where pads is one too; with pads as an input, give constant_value as an input")
            }
            guard let given = try node.optionalIntegerConstant(at: 1, role: "pads") else { throw node.missingAttribute("pads") }
            value = try Self.padValue(node)
            pads = try Self.padsOnEveryAxis(node, given: given, rank: rank)
        }
        let limit = Self.maximumConvolutionParameter
        guard pads.allSatisfy({ (-limit...limit).contains($0) }) else {
            throw node.invalidAttribute("pads", "\(pads) must be numbers in \(-limit)...\(limit)")
        }
        let begin = Array(pads[..<rank]), end = Array(pads[rank...])
        let outShape = (0..<rank).map { shape[$0] + begin[$0] + end[$0] }
        guard outShape.allSatisfy({ $0 > 0 }), let outCount = Shapes.elementCount(outShape), let inCount = Shapes.elementCount(shape) else {
            throw node.mismatch("padding \(pads) turns shape \(Shapes.describe(shape)) into \(Shapes.describe(outShape))")
        }
        if mode != "constant", pads.contains(where: { $0 < 0 }) {
            throw node.unsupported("negative pads \(pads) (cropping) are supported in mode 'constant' only")
        }
        if mode == "reflect", let axis = (0..<rank).first(where: { begin[$0] >= shape[$0] || end[$0] >= shape[$0] }) {
            throw node.unsupported("reflect padding of \(max(begin[axis], end[axis])) on axis \(axis) of size \(shape[axis]) is not supported (at most \(shape[axis] - 1))")
        }
        if pads.allSatisfy({ $0 == 0 }) { return }
        try LayerBuilder.checkDenseSize(rows: outCount, columns: inCount, file: file, node: node.location)
        let inStrides = Shapes.strides(shape), outStrides = Shapes.strides(outShape)
        var weights = Matrix.zeros(rows: outCount, columns: inCount)
        var bias = Array(repeating: 0.0, count: outCount)
        for o in 0..<outCount {
            var source = 0
            var inside = true
            for axis in 0..<rank {
                let position = (o / outStrides[axis]) % outShape[axis] - begin[axis]
                guard let read = Self.padSource(position, size: shape[axis], mode: mode) else { inside = false; break }
                source += read * inStrides[axis]
            }
            if inside { weights[o, source] = 1 } else { bias[o] = value }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: bias)), from: node.location)
        shape = outShape
    }

    /// The input position that output position `position` (counted from the input's first
    /// element) copies along one axis, or nil for the padding constant.
    private static func padSource(_ position: Int, size: Int, mode: String) -> Int? {
        if (0..<size).contains(position) { return position }
        switch mode {
        case "edge":
            return position < 0 ? 0 : size - 1
        case "reflect":
            // Mirror about the first and last elements, which are not repeated (checked: the
            // padding is shorter than the axis, so one reflection suffices).
            return position < 0 ? -position : 2 * (size - 1) - position
        default:
            return nil
        }
    }

    /// The padding constant from the optional `constant_value` input: one real number.
    private static func padValue(_ node: NodeContext) throws -> Double {
        guard let (name, _, values) = try node.optionalRealConstant(at: 2, role: "constant_value") else { return 0 }
        guard values.count == 1 else { throw node.mismatch("constant_value '\(name)' must hold one number, not \(values.count)") }
        return values[0]
    }

    /// The `pads` input spread over every axis: it lists the begins then the ends of the axes
    /// named by the optional `axes` input (negative axes count from the end), or of all axes.
    private static func padsOnEveryAxis(_ node: NodeContext, given: [Int], rank: Int) throws -> [Int] {
        let axes = try node.optionalIntegerConstant(at: 3, role: "axes") ?? Array(0..<rank)
        var normalised: [Int] = []
        for axis in axes {
            let resolved = axis < 0 ? axis + rank : axis
            guard (0..<rank).contains(resolved), !normalised.contains(resolved) else {
                throw node.unsupported("axes \(axes) must name distinct axes of a rank-\(rank) input")
            }
            normalised.append(resolved)
        }
        guard given.count == 2 * normalised.count else {
            throw node.mismatch("pads \(given) must hold \(2 * normalised.count) numbers, two per padded axis")
        }
        var pads = Array(repeating: 0, count: 2 * rank)
        for (k, axis) in normalised.enumerated() {
            pads[axis] = given[k]
            pads[rank + axis] = given[normalised.count + k]
        }
        return pads
    }
}
