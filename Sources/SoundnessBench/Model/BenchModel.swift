/// A network as the generator writes it to ONNX: the input shape and the operators in order,
/// with the shape checked after every operator.
///
/// The generator builds networks in this form (not as `NetworkIR.Network`) because it decides
/// the ONNX graph itself: which operators appear (Gemm, MatMul, Conv, Relu, Flatten) and in
/// which tensor layout. The written file, loaded back by `ONNXLoader`, is the reference every
/// check uses; `evaluate` is for construction and training.
public struct BenchModel: Sendable, Equatable {
    /// The input tensor's shape without the batch dimension: `[n]` or `[C, H, W]`.
    public let inputShape: [Int]
    /// The operators in order.
    public let operations: [BenchOperation]
    /// The shape (without batch) after each operator.
    public let shapes: [[Int]]

    /// Assembles a model and checks that every operator fits the tensor it receives.
    /// - Throws: `SoundnessBenchError.invalidModel` naming the first operator that does not fit.
    public init(inputShape: [Int], operations: [BenchOperation]) throws {
        guard inputShape.count == 1 || inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw SoundnessBenchError.invalidModel("input shape \(inputShape) is neither [n] nor [C, H, W] with positive sizes")
        }
        var shape = inputShape
        var shapes: [[Int]] = []
        for (index, operation) in operations.enumerated() {
            switch operation {
            case let .gemm(dense), let .matMul(dense):
                guard shape.count == 1, shape[0] == dense.inputCount else {
                    throw SoundnessBenchError.invalidModel("operator \(index) (dense, \(dense.inputCount) inputs) receives shape \(shape)")
                }
                shape = [dense.outputCount]
            case let .convolution(conv):
                guard shape.count == 3, shape[0] == conv.inputChannels,
                      conv.outputSize(shape[1]) > 0, conv.outputSize(shape[2]) > 0 else {
                    throw SoundnessBenchError.invalidModel("operator \(index) (Conv, \(conv.inputChannels) channels) receives shape \(shape)")
                }
                shape = [conv.outputChannels, conv.outputSize(shape[1]), conv.outputSize(shape[2])]
            case .relu:
                break
            case .flatten:
                shape = [shape.reduce(1, *)]
            }
            shapes.append(shape)
        }
        guard shape.count == 1 else {
            throw SoundnessBenchError.invalidModel("the output has shape \(shape); a classifier ends with a vector")
        }
        self.inputShape = inputShape
        self.operations = operations
        self.shapes = shapes
    }

    /// The number of input values.
    public var inputSize: Int { inputShape.reduce(1, *) }
    /// The number of outputs (classes).
    public var outputSize: Int { shapes.last?[0] ?? inputSize }

    /// The shape entering operator `index`.
    public func shape(enteringOperation index: Int) -> [Int] { index == 0 ? inputShape : shapes[index - 1] }

    /// Runs the model in double precision.
    /// - Precondition: `input.count == inputSize`.
    /// - Complexity: O(total number of multiply-adds).
    public func evaluate(_ input: [Double]) -> [Double] {
        precondition(input.count == inputSize, "input has \(input.count) values, model takes \(inputSize)")
        var x = input
        for (index, operation) in operations.enumerated() {
            switch operation {
            case let .gemm(dense), let .matMul(dense):
                x = dense.apply(x)
            case let .convolution(conv):
                let shape = self.shape(enteringOperation: index)
                x = conv.apply(x, height: shape[1], width: shape[2])
            case .relu:
                x = x.map { max(0, $0) }
            case .flatten:
                break
            }
        }
        return x
    }

    /// The same model with every parameter rounded to float32, as the ONNX file stores it.
    public var roundedToFloat32: BenchModel {
        let rounded = operations.map { operation -> BenchOperation in
            switch operation {
            case let .gemm(dense): .gemm(dense.roundedToFloat32)
            case let .matMul(dense): .matMul(dense.roundedToFloat32)
            case let .convolution(conv): .convolution(conv.roundedToFloat32)
            case .relu: .relu
            case .flatten: .flatten
            }
        }
        // The shapes are unchanged, so the checks that passed for `self` pass again.
        return BenchModel(validated: inputShape, operations: rounded, shapes: shapes)
    }

    private init(validated inputShape: [Int], operations: [BenchOperation], shapes: [[Int]]) {
        self.inputShape = inputShape
        self.operations = operations
        self.shapes = shapes
    }

    /// A one-line description of the architecture, such as `10-32-32-2` or
    /// `1x8x8 conv4k3s1 conv8k3s2 flatten 32 2`.
    public var architecture: String {
        var parts: [String] = [inputShape.map(String.init).joined(separator: "x")]
        for operation in operations {
            switch operation {
            case let .gemm(dense), let .matMul(dense): parts.append("\(dense.outputCount)")
            case let .convolution(c): parts.append("conv\(c.outputChannels)k\(c.kernel)s\(c.stride)")
            case .relu, .flatten: break
            }
        }
        return parts.joined(separator: "-")
    }

    /// The number of ReLU neurons.
    public var reluCount: Int {
        operations.indices.reduce(0) { count, index in
            if case .relu = operations[index] { return count + shapes[index].reduce(1, *) }
            return count
        }
    }
}
