/// Inference-mode batch normalisation, folded into one diagonal affine step.
extension GraphImporter {
    /// `y = scale·(x − mean)/√(var + ε) + B` per channel (axis 1), as `y = s·x + t` with
    /// `s = scale/√(var + ε)` and `t = B − mean·s` (Ioffe and Szegedy 2015, Algorithm 2).
    ///
    /// - Important: `s` and `t` are computed in double arithmetic and rounded, so the imported
    ///   layer is the double-precision fold of the batch normalisation, not the real-number one
    ///   (the square root is irrational anyway). Later proofs are about this folded layer;
    ///   it differs from ONNX's float32 evaluation by about one double rounding per entry.
    mutating func applyBatchNormalization(_ node: NodeContext) throws {
        let attributes = try node.attributes(["epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs"])
        try node.requireInputCount(5...5)
        try node.requireVariable(at: 0, role: "X")
        let trainingMode = try attributes.int("training_mode", default: 0)
        guard trainingMode == 0 else { throw node.unsupportedAttribute("training_mode", "\(trainingMode)") }
        let spatial = try attributes.int("spatial", default: 1)
        guard spatial == 1 else { throw node.unsupportedAttribute("spatial", "\(spatial)") }
        let epsilon = try attributes.float("epsilon", default: 1e-5)
        guard shape.count >= 2 else {
            throw node.mismatch("input of shape \(Shapes.describe(shape)) has no channel axis")
        }
        let channels = shape[1]
        var parameters: [[Double]] = []
        for (position, role) in ["scale", "B", "mean", "var"].enumerated() {
            let (name, parameterShape, values) = try node.realConstant(at: position + 1, role: role)
            guard values.count == channels, parameterShape.count == 1 else {
                throw node.mismatch("\(role) '\(name)' has shape \(Shapes.describe(parameterShape)), expected [\(channels)]")
            }
            parameters.append(values)
        }
        var channelScale: [Double] = []
        var channelShift: [Double] = []
        for c in 0..<channels {
            let variance = parameters[3][c] + epsilon
            let s = parameters[0][c] / variance.squareRoot()
            let t = parameters[1][c] - parameters[2][c] * s
            guard variance > 0, s.isFinite, t.isFinite else {
                throw node.unsupported("channel \(c) has a non-positive variance or a non-finite folded scale")
            }
            channelScale.append(s)
            channelShift.append(t)
        }
        let inner = Shapes.elementCount(shape.dropFirst(2)) ?? 0
        let count = Shapes.elementCount(shape) ?? 0
        let channelOf = { (index: Int) in (index / inner) % channels }
        try builder.append(.diagonal(scale: (0..<count).map { channelScale[channelOf($0)] },
                                     shift: (0..<count).map { channelShift[channelOf($0)] }),
                           from: node.location)
    }
}
