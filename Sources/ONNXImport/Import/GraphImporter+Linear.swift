import NetworkIR

/// `Gemm` and `MatMul` with a constant weight operand, lowered to dense affine layers whose
/// entries are the stored weights themselves (placed, never combined).
extension GraphImporter {
    /// `Y = alpha·A'·B' + beta·C` with `A` the variable matrix and `B`, `C` constants
    /// (ONNX operator Gemm). `A'` is `A` or, when `transA = 1`, its transpose; a transpose only
    /// changes the row-major order when neither dimension of `A` is 1, which is rejected.
    mutating func applyGemm(_ node: NodeContext) throws {
        let attributes = try node.attributes(["alpha", "beta", "transA", "transB", "broadcast"])
        try node.requireInputCount(2...3)
        try node.requireVariable(at: 0, role: "A")
        let (bName, bShape, b) = try node.realConstant(at: 1, role: "B")
        guard shape.count == 2 else {
            throw node.mismatch("input A has shape \(Shapes.describe(shape)); Gemm needs a matrix")
        }
        var (m, k) = (shape[0], shape[1])
        let transA = try attributes.int("transA", default: 0)
        if transA != 0 {
            guard m == 1 || k == 1 else { throw node.unsupportedAttribute("transA", "\(transA)") }
            (m, k) = (k, m)
        }
        guard bShape.count == 2 else {
            throw node.mismatch("B '\(bName)' has shape \(Shapes.describe(bShape)); Gemm needs a matrix")
        }
        let transB = try attributes.int("transB", default: 0) != 0
        let (bRows, n) = transB ? (bShape[1], bShape[0]) : (bShape[0], bShape[1])
        guard bRows == k else {
            throw node.mismatch("A has \(k) columns but B '\(bName)' has \(bRows) rows (after transA=\(transA), transB=\(transB ? 1 : 0))")
        }
        try LayerBuilder.checkDenseSize(rows: m * n, columns: m * k, file: file, node: node.location)
        var weights = Matrix.zeros(rows: m * n, columns: m * k)
        for row in 0..<m {
            for j in 0..<n {
                let base = (row * n + j) * (m * k) + row * k
                for i in 0..<k { weights.storage[base + i] = transB ? b[j * k + i] : b[i * n + j] }
            }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: Array(repeating: 0, count: m * n))), from: node.location)

        let alpha = try attributes.float("alpha", default: 1)
        if alpha != 1 {
            try builder.append(.diagonal(scale: Array(repeating: alpha, count: m * n), shift: Array(repeating: 0, count: m * n)),
                               from: node.location)
        }
        if let (cName, cShape, c) = try node.optionalRealConstant(at: 2, role: "C") {
            guard Shapes.broadcast(cShape, [m, n]) == [m, n] else {
                throw node.mismatch("C '\(cName)' has shape \(Shapes.describe(cShape)), which does not broadcast to \(Shapes.describe([m, n]))")
            }
            let beta = try attributes.float("beta", default: 1)
            let shift = try Shapes.expand(c, from: cShape, to: [m, n]).map { value in
                guard let scaled = ExactDouble.product(beta, value) else {
                    throw node.unsupported("beta·C is not exactly representable in double precision")
                }
                return scaled
            }
            try builder.append(.diagonal(scale: Array(repeating: 1, count: m * n), shift: shift), from: node.location)
        }
        shape = [m, n]
    }

    /// NumPy-style matrix product of the variable tensor with a constant of rank 1 or 2, on
    /// either side (ONNX operator MatMul). Leading (batch) dimensions of the variable become
    /// diagonal blocks of the dense matrix.
    mutating func applyMatMul(_ node: NodeContext) throws {
        _ = try node.attributes([])
        try node.requireInputCount(2...2)
        let variableOnLeft = node.isVariable(0)
        let (name, wShape, w) = try node.realConstant(at: variableOnLeft ? 1 : 0, role: "weights")
        guard (1...2).contains(wShape.count) else {
            throw node.unsupported("MatMul with a constant of rank \(wShape.count) ('\(name)') is not supported")
        }
        guard !shape.isEmpty else { throw node.mismatch("MatMul of a scalar") }
        if variableOnLeft {
            try matMulOnRight(node, name: name, wShape: wShape, w: w)
        } else {
            try matMulOnLeft(node, name: name, wShape: wShape, w: w)
        }
    }

    /// `x · W` with `x` of shape `[..., K]` and `W` of shape `[K, N]` or `[K]`.
    private mutating func matMulOnRight(_ node: NodeContext, name: String, wShape: [Int], w: [Double]) throws {
        let k = wShape[0]
        let n = wShape.count == 2 ? wShape[1] : 1
        guard shape.last == k else {
            throw node.mismatch("input of shape \(Shapes.describe(shape)) cannot multiply '\(name)' of shape \(Shapes.describe(wShape))")
        }
        let batch = shape.count == 1 ? 1 : (Shapes.elementCount(shape.dropLast()) ?? 0)
        try LayerBuilder.checkDenseSize(rows: batch * n, columns: batch * k, file: file, node: node.location)
        var weights = Matrix.zeros(rows: batch * n, columns: batch * k)
        for r in 0..<batch {
            for j in 0..<n {
                for i in 0..<k { weights[r * n + j, r * k + i] = w[i * n + j] }
            }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: Array(repeating: 0, count: batch * n))), from: node.location)
        shape = Array(shape.dropLast()) + (wShape.count == 2 ? [n] : [])
    }

    /// `W · x` with `W` of shape `[M, K]` or `[K]` and `x` of shape `[K]` or `[..., K, N]`.
    private mutating func matMulOnLeft(_ node: NodeContext, name: String, wShape: [Int], w: [Double]) throws {
        let m = wShape.count == 2 ? wShape[0] : 1
        let k = wShape.count == 2 ? wShape[1] : wShape[0]
        let kAxis = shape.count == 1 ? 0 : shape.count - 2
        guard shape[kAxis] == k else {
            throw node.mismatch("'\(name)' of shape \(Shapes.describe(wShape)) cannot multiply the input of shape \(Shapes.describe(shape))")
        }
        let columns = shape.count == 1 ? 1 : shape[shape.count - 1]
        let batch = shape.count <= 2 ? 1 : (Shapes.elementCount(shape.dropLast(2)) ?? 0)
        try LayerBuilder.checkDenseSize(rows: batch * m * columns, columns: batch * k * columns, file: file, node: node.location)
        var weights = Matrix.zeros(rows: batch * m * columns, columns: batch * k * columns)
        for r in 0..<batch {
            for i in 0..<m {
                for j in 0..<columns {
                    for l in 0..<k {
                        weights[r * m * columns + i * columns + j, r * k * columns + l * columns + j] = w[i * k + l]
                    }
                }
            }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: Array(repeating: 0, count: batch * m * columns))),
                           from: node.location)
        let rowAxis: [Int] = wShape.count == 2 ? [m] : []
        shape = shape.count == 1 ? rowAxis : Array(shape.dropLast(2)) + rowAxis + [columns]
    }
}
