import NetworkIR

/// `AveragePool` as an exact affine step: each output is the sum of its window's elements
/// divided by the window's count. When every count is a power of two, `1/count` is an exact
/// double and the weights are `1/count`; otherwise the weights are 1 and a `.divide` layer
/// divides by the counts, which the exact encoder divides by exactly (no rounded `1/count`).
extension GraphImporter {
    /// ONNX AveragePool for one image (`N = 1`) with any `kernel_shape`, `strides`, `pads`,
    /// `auto_pad` and `count_include_pad`; `ceil_mode` must be 0 and `dilations` (opset 19)
    /// all 1, where the divisor's definition with padding is settled.
    mutating func applyAveragePool(_ node: NodeContext) throws {
        let attributes = try node.attributes(["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"])
        try node.requireInputCount(1...1)
        try node.requireVariable(at: 0, role: "X")
        guard shape.count >= 3, shape[0] == 1 else { throw node.mismatch("input of shape \(Shapes.describe(shape)) is not one image") }
        let ceilMode = try attributes.int("ceil_mode", default: 0)
        guard ceilMode == 0 else { throw node.unsupportedAttribute("ceil_mode", "\(ceilMode)") }
        let countIncludePad = try attributes.int("count_include_pad", default: 0)
        guard countIncludePad == 0 || countIncludePad == 1 else {
            throw node.invalidAttribute("count_include_pad", "\(countIncludePad) must be 0 or 1")
        }
        let rank = shape.count - 2
        let limit = Self.maximumConvolutionParameter
        guard let kernel = try attributes.ints("kernel_shape"), kernel.count == rank, kernel.allSatisfy({ (1...limit).contains($0) }) else {
            throw node.invalidAttribute("kernel_shape", "must be \(rank) positive numbers")
        }
        let strides = try attributes.ints("strides") ?? Array(repeating: 1, count: rank)
        let dilations = try attributes.ints("dilations") ?? Array(repeating: 1, count: rank)
        guard dilations.allSatisfy({ $0 == 1 }) else { throw node.unsupportedAttribute("dilations", "\(dilations)") }
        guard strides.count == rank, strides.allSatisfy({ (1...limit).contains($0) }) else {
            throw node.invalidAttribute("strides", "\(strides) must be \(rank) numbers in 1...\(limit)")
        }
        let inSize = Array(shape[2...])
        let (padBegin, outSize) = try Self.convolutionGeometry(node, attributes, input: inSize, kernel: kernel, strides: strides, dilations: dilations)
        let channels = shape[1]
        guard let inPixels = Shapes.elementCount(inSize), let outPixels = Shapes.elementCount(outSize),
              let kernelPixels = Shapes.elementCount(kernel), kernelPixels <= 1 << 12,
              outPixels * kernelPixels <= LayerBuilder.maximumDenseEntries else {
            throw node.unsupported("the pooling is too large")
        }
        try LayerBuilder.checkDenseSize(rows: channels * outPixels, columns: channels * inPixels, file: file, node: node.location)
        // The input pixels each output position's window reads (the padding omitted), the same
        // for every channel.
        let reads = WindowReads(input: inSize, output: outSize, kernel: kernel, strides: strides, padBegin: padBegin, dilations: dilations)
        var windows: [[Int]] = []
        windows.reserveCapacity(outPixels)
        for o in 0..<outPixels {
            let window = reads.window(o).filter { $0 >= 0 }
            guard !window.isEmpty else { throw node.mismatch("an output position's window lies entirely in the padding") }
            windows.append(window)
        }
        let counts = windows.map { countIncludePad == 1 ? kernelPixels : $0.count }
        let exactReciprocals = counts.allSatisfy { $0 & ($0 - 1) == 0 }
        let outCount = channels * outPixels
        var weights = Matrix.zeros(rows: outCount, columns: channels * inPixels)
        for c in 0..<channels {
            for (o, window) in windows.enumerated() {
                let weight = exactReciprocals ? 1 / Double(counts[o]) : 1
                for input in window { weights[c * outPixels + o, c * inPixels + input] = weight }
            }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: Array(repeating: 0, count: outCount))), from: node.location)
        if !exactReciprocals {
            try builder.appendDivide((0..<channels).flatMap { _ in counts.map(Double.init) })
        }
        shape = [1, channels] + outSize
    }
}
