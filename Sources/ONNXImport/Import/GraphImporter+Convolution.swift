import NetworkIR

/// `Conv` lowered to an affine layer: dense, or sparse when the dense matrix would be large.
extension GraphImporter {
    /// The largest stride, dilation or padding accepted; it keeps the geometry arithmetic far
    /// from overflow (real networks use single digits).
    static let maximumConvolutionParameter = 1 << 20

    /// ONNX Conv (cross-correlation) with any kernel, strides, pads, dilations and `auto_pad`,
    /// for one image (`N = 1`) and `group = 1`, as a matrix from the `C·∏in` inputs to the
    /// `M·∏out` outputs: dense up to `AffineStep.convolutionSparseThreshold` entries, above it in compressed
    /// rows holding only the kernel's nonzero weights (collins_rul_cnn's window-40 layers need
    /// 92 million dense entries and 0.6 million stored ones).
    ///
    /// Each matrix entry is one kernel weight or zero: with dilations ≥ 1, distinct kernel
    /// positions of one output read distinct inputs, so weights are only placed, never added,
    /// and the layer computes exactly the stored convolution.
    mutating func applyConvolution(_ node: NodeContext) throws {
        let attributes = try node.attributes(["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])
        try node.requireInputCount(2...3)
        try node.requireVariable(at: 0, role: "X")
        let (wName, wShape, w) = try node.realConstant(at: 1, role: "W")
        let spatialRank = shape.count - 2
        guard spatialRank >= 1, wShape.count == shape.count else {
            throw node.mismatch("input of shape \(Shapes.describe(shape)) and kernel '\(wName)' of shape \(Shapes.describe(wShape)) do not fit a convolution")
        }
        guard wShape.allSatisfy({ $0 > 0 }) else {
            throw node.mismatch("kernel '\(wName)' has shape \(Shapes.describe(wShape)) with an empty dimension")
        }
        guard shape[0] == 1 else { throw node.unsupported("Conv over a batch of \(shape[0]) images is not supported") }
        let group = try attributes.int("group", default: 1)
        guard group == 1 else { throw node.unsupportedAttribute("group", "\(group)") }
        let (outChannels, inChannels) = (wShape[0], shape[1])
        guard wShape[1] == inChannels else {
            throw node.mismatch("kernel '\(wName)' expects \(wShape[1]) input channels but the input has \(inChannels)")
        }
        let inSize = Array(shape[2...])
        let kernel = Array(wShape[2...])
        if let declared = try attributes.ints("kernel_shape"), declared != kernel {
            throw node.invalidAttribute("kernel_shape", "\(declared) differs from the kernel's shape \(kernel)")
        }
        let strides = try attributes.ints("strides") ?? Array(repeating: 1, count: spatialRank)
        let dilations = try attributes.ints("dilations") ?? Array(repeating: 1, count: spatialRank)
        guard strides.count == spatialRank, strides.allSatisfy({ (1...Self.maximumConvolutionParameter).contains($0) }) else {
            throw node.invalidAttribute("strides", "\(strides) must be \(spatialRank) numbers in 1...\(Self.maximumConvolutionParameter)")
        }
        guard dilations.count == spatialRank, dilations.allSatisfy({ (1...Self.maximumConvolutionParameter).contains($0) }) else {
            throw node.invalidAttribute("dilations", "\(dilations) must be \(spatialRank) numbers in 1...\(Self.maximumConvolutionParameter)")
        }
        let padBegin: [Int], outSize: [Int]
        (padBegin, outSize) = try Self.convolutionGeometry(
            node, attributes, input: inSize, kernel: kernel, strides: strides, dilations: dilations)

        let bias: [Double]
        if let (bName, bShape, b) = try node.optionalRealConstant(at: 2, role: "B") {
            guard b.count == outChannels, bShape.count == 1 else {
                throw node.mismatch("bias '\(bName)' has shape \(Shapes.describe(bShape)), expected [\(outChannels)]")
            }
            bias = b
        } else {
            bias = Array(repeating: 0, count: outChannels)
        }

        guard let inPixels = Shapes.elementCount(inSize), let outPixels = Shapes.elementCount(outSize),
              let kernelPixels = Shapes.elementCount(kernel) else {
            throw node.mismatch("convolution sizes overflow")
        }
        let rows = outChannels * outPixels, columns = inChannels * inPixels
        let (denseEntries, denseOverflow) = rows.multipliedReportingOverflow(by: columns)
        let (storedBound, storedOverflow) = rows.multipliedReportingOverflow(by: inChannels * kernelPixels)
        let sparse = (denseOverflow || denseEntries > AffineStep.convolutionSparseThreshold) && !storedOverflow && storedBound <= denseEntries / 4
        if sparse {
            guard storedBound <= LayerBuilder.maximumDenseEntries, columns <= Int(Int32.max) else {
                throw node.unsupported("the convolution has \(rows) outputs of \(inChannels * kernelPixels) weights each; more than \(LayerBuilder.maximumDenseEntries) stored weights are not supported")
            }
        } else {
            try LayerBuilder.checkDenseSize(rows: rows, columns: columns, file: file, node: node.location)
        }
        // With padding, a kernel may be larger than the input; the table of reads below must
        // not then outgrow the matrix limit.
        let (readCount, overflow) = outPixels.multipliedReportingOverflow(by: kernelPixels)
        guard !overflow, readCount <= LayerBuilder.maximumDenseEntries else {
            throw node.unsupported("the convolution has \(outPixels) output positions and \(kernelPixels) kernel positions; more than \(LayerBuilder.maximumDenseEntries) combinations are not supported")
        }
        // For each output pixel and kernel offset, the input pixel it reads (or -1 in the padding).
        let reads = WindowReads(input: inSize, output: outSize, kernel: kernel, strides: strides, padBegin: padBegin,
                                dilations: dilations).offsets
        var layerBias: [Double] = []
        layerBias.reserveCapacity(rows)
        if sparse {
            var rowStart = [0]
            rowStart.reserveCapacity(rows + 1)
            var columnIndex: [Int32] = [], values: [Double] = []
            var row: [(column: Int, value: Double)] = []
            for m in 0..<outChannels {
                for o in 0..<outPixels {
                    row.removeAll(keepingCapacity: true)
                    for c in 0..<inChannels {
                        let kernelBase = (m * inChannels + c) * kernelPixels
                        for kk in 0..<kernelPixels {
                            let input = reads[o * kernelPixels + kk]
                            let weight = w[kernelBase + kk]
                            if input >= 0, weight != 0 { row.append((c * inPixels + input, weight)) }
                        }
                    }
                    // Distinct kernel positions read distinct inputs, so columns never repeat.
                    row.sort { $0.column < $1.column }
                    for entry in row {
                        columnIndex.append(Int32(entry.column))
                        values.append(entry.value)
                    }
                    rowStart.append(values.count)
                    layerBias.append(bias[m])
                }
            }
            let matrix = SparseMatrix(rows: rows, columns: columns, rowStart: rowStart, columnIndex: columnIndex, values: values)
            try builder.append(.sparse(AffineLayer(matrix: .sparse(matrix), bias: layerBias)), from: node.location)
            shape = [1, outChannels] + outSize
            return
        }
        var weights = Matrix.zeros(rows: rows, columns: columns)
        for m in 0..<outChannels {
            for o in 0..<outPixels {
                let rowBase = (m * outPixels + o) * columns
                for c in 0..<inChannels {
                    let kernelBase = (m * inChannels + c) * kernelPixels
                    for kk in 0..<kernelPixels {
                        let input = reads[o * kernelPixels + kk]
                        if input >= 0 { weights.storage[rowBase + c * inPixels + input] = w[kernelBase + kk] }
                    }
                }
                layerBias.append(bias[m])
            }
        }
        try builder.append(.dense(AffineLayer(weights: weights, bias: layerBias)), from: node.location)
        shape = [1, outChannels] + outSize
    }

    /// The leading padding and the output size of each spatial axis, from `pads` or `auto_pad`.
    static func convolutionGeometry(_ node: NodeContext, _ attributes: NodeAttributes, input: [Int], kernel: [Int],
                                            strides: [Int], dilations: [Int]) throws -> (padBegin: [Int], outSize: [Int]) {
        let rank = input.count
        let autoPad = try attributes.string("auto_pad") ?? "NOTSET"
        var padBegin = Array(repeating: 0, count: rank)
        var padEnd = Array(repeating: 0, count: rank)
        let extent = (0..<rank).map { (kernel[$0] - 1) * dilations[$0] + 1 }
        switch autoPad {
        case "NOTSET":
            if let pads = try attributes.ints("pads") {
                guard pads.count == 2 * rank, pads.allSatisfy({ (0...maximumConvolutionParameter).contains($0) }) else {
                    throw node.invalidAttribute("pads", "\(pads) must be \(2 * rank) numbers in 0...\(maximumConvolutionParameter)")
                }
                padBegin = Array(pads[..<rank])
                padEnd = Array(pads[rank...])
            }
        case "VALID":
            break
        case "SAME_UPPER", "SAME_LOWER":
            for axis in 0..<rank {
                let out = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (out - 1) * strides[axis] + extent[axis] - input[axis])
                let small = total / 2
                (padBegin[axis], padEnd[axis]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small)
            }
        default:
            throw node.unsupportedAttribute("auto_pad", "'\(autoPad)'")
        }
        if autoPad != "NOTSET", attributes.contains("pads") {
            throw node.invalidAttribute("pads", "cannot be combined with auto_pad '\(autoPad)'")
        }
        var outSize: [Int] = []
        for axis in 0..<rank {
            let span = input[axis] + padBegin[axis] + padEnd[axis] - extent[axis]
            guard span >= 0 else {
                throw node.mismatch("kernel extent \(extent[axis]) exceeds the padded input size \(input[axis] + padBegin[axis] + padEnd[axis]) on spatial axis \(axis)")
            }
            outSize.append(span / strides[axis] + 1)
        }
        return (padBegin, outSize)
    }
}
