import NetworkIR

/// A classifier in the shape the generator builds: convolutions (each followed by ReLU), a
/// flatten when there were convolutions, dense hidden layers (each followed by ReLU) and a dense
/// output layer. Planting edits networks in this form; `model` turns one into ONNX operators.
public struct LayeredNetwork: Sendable, Equatable {
    /// The input shape without batch: `[n]` or `[C, H, W]`.
    public var inputShape: [Int]
    /// The convolutions.
    public var convolutions: [ConvolutionWeights]
    /// Hidden dense layers, then the output layer (last).
    public var dense: [DenseWeights]
    /// Write dense layers as `MatMul` + `Add` instead of `Gemm`.
    public var usesMatMul: Bool

    public init(inputShape: [Int], convolutions: [ConvolutionWeights], dense: [DenseWeights], usesMatMul: Bool) {
        self.inputShape = inputShape
        self.convolutions = convolutions
        self.dense = dense
        self.usesMatMul = usesMatMul
    }

    /// The number of classes.
    public var classCount: Int { dense.last?.outputCount ?? 0 }

    /// The ONNX operator sequence.
    /// - Throws: `SoundnessBenchError.invalidModel` when the layers do not fit together.
    public func model() throws -> BenchModel {
        var operations: [BenchOperation] = []
        for conv in convolutions { operations += [.convolution(conv), .relu] }
        if !convolutions.isEmpty { operations.append(.flatten) }
        for (index, layer) in dense.enumerated() {
            operations.append(usesMatMul ? .matMul(layer) : .gemm(layer))
            if index < dense.count - 1 { operations.append(.relu) }
        }
        return try BenchModel(inputShape: inputShape, operations: operations)
    }

    /// The network with every parameter rounded to float32.
    public var roundedToFloat32: LayeredNetwork {
        LayeredNetwork(inputShape: inputShape, convolutions: convolutions.map(\.roundedToFloat32),
                       dense: dense.map(\.roundedToFloat32), usesMatMul: usesMatMul)
    }

    /// The spatial shape `[C, H, W]` after the convolutions (the input shape without any).
    public var convolutionOutputShape: [Int] {
        var shape = inputShape
        for conv in convolutions {
            shape = [conv.outputChannels, conv.outputSize(shape[1]), conv.outputSize(shape[2])]
        }
        return shape
    }
}
