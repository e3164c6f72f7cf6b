import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Every operator fixture imports and computes what onnxruntime computes.
@Suite struct FixtureModelTests {
    /// The operator fixtures written by `scripts/make_onnx_fixtures.py`.
    static let fixtureNames = [
        "gemm_alpha_beta_transB.onnx", "gemm_transA_column.onnx", "matmul_add.onnx", "matmul_left_vector.onnx",
        "matmul_batched.onnx", "matmul_vector_weight.onnx", "sub_mul_div.onnx", "flatten_reshape.onnx",
        "squeeze_unsqueeze_opset11.onnx", "squeeze_unsqueeze_opset13.onnx", "identity_constant.onnx",
        "transpose.onnx", "batchnorm.onnx", "conv_stride_pad_dilation.onnx", "conv1d.onnx", "small_cnn.onnx",
        "float64.onnx", "float_data.onnx", "symbolic_batch.onnx",
    ]

    static func load(_ name: String) throws -> Network {
        try ONNXLoader.load(contentsOf: Fixtures.url("onnx/\(name)"))
    }

    @Test func referenceFileCoversEveryFixture() throws {
        let references = try ReferenceOutputs.load()
        #expect(references.fixtures.map(\.model).sorted() == Self.fixtureNames.sorted())
        #expect(references.fixtures.allSatisfy { !$0.cases.isEmpty })
    }

    @Test(arguments: fixtureNames)
    func matchesOnnxRuntime(_ name: String) throws {
        let network = try Self.load(name)
        let reference = try #require(try ReferenceOutputs.load().fixtures.first { $0.model == name })
        for example in reference.cases {
            #expect(network.inputSize == example.input.count)
            #expect(network.outputSize == example.output.count)
            let double = network.evaluate(example.input)
            let single = network.evaluateFloat(example.input.map(Float.init)).map(Double.init)
            #expect(ReferenceOutputs.relativeError(double, example.output) <= 1e-5, "\(name) double: \(double) vs \(example.output)")
            #expect(ReferenceOutputs.relativeError(single, example.output) <= 1e-5, "\(name) float: \(single) vs \(example.output)")
        }
    }

    /// MatMul + Add fold into one layer (the bias was zero), so the chain is affine, relu, affine.
    @Test func matMulAddFoldsIntoOneLayer() throws {
        let network = try Self.load("matmul_add.onnx")
        #expect(network.layers.map(\.kindName) == ["affine", "relu", "affine"])
        #expect(network.inputShape == [1, 6])
    }

    /// Sub of a zero constant is dropped; Sub of the mean becomes its own shift layer (folding
    /// it into the next layer's bias would round); Div stays a divide layer; Mul by the gain
    /// folds exactly into the Gemm's columns; the Sub/Mul/Add after the ReLU fold into one
    /// diagonal layer; the final Div stays.
    @Test func subMulDivNormalisation() throws {
        let network = try Self.load("sub_mul_div.onnx")
        #expect(network.layers.map(\.kindName) == ["affine", "divide", "affine", "relu", "affine", "divide"])
        guard case let .affine(shift) = network.layers[0] else { throw Failure("layer 0 is not affine") }
        #expect(shift.weights == Matrix.identity(5))
        guard case let .divide(divisors) = network.layers[5] else { throw Failure("layer 5 is not divide") }
        #expect(divisors == [8, 8, 8])
        guard case let .affine(tail) = network.layers[4] else { throw Failure("layer 4 is not affine") }
        #expect(tail.weights == Matrix([[-0.5, 0, 0], [0, -0.5, 0], [0, 0, -0.5]]))
    }

    /// Gemm with alpha = 0.5 and beta = 2 folds exactly into one layer (products of float32s).
    @Test func gemmAlphaBetaFoldExactly() throws {
        let network = try Self.load("gemm_alpha_beta_transB.onnx")
        #expect(network.layers.map(\.kindName) == ["affine", "relu", "affine"])
        let model = try ONNXLoader.decodeModel(data: Data(contentsOf: Fixtures.url("onnx/gemm_alpha_beta_transB.onnx")),
                                               fileName: "gemm_alpha_beta_transB.onnx")
        let b = try TensorValue(decoding: try #require(model.graph.initializer.first { $0.name == "B1" })).realValues()
        let c = try TensorValue(decoding: try #require(model.graph.initializer.first { $0.name == "C1" })).realValues()
        guard case let .affine(first) = network.layers[0] else { throw Failure("layer 0 is not affine") }
        #expect(first.weights.storage == b.map { 0.5 * $0 })
        #expect(first.bias == c.map { 2 * $0 })
    }

    /// A non-trivial Transpose of the variable is a permutation folded into the MatMul before it.
    @Test func transposeFoldsIntoPrecedingLayer() throws {
        let network = try Self.load("transpose.onnx")
        #expect(network.layers.map(\.kindName) == ["affine", "relu", "affine"])
    }

    /// Conv lowers to a dense layer whose entries are kernel weights or zero, each weight placed
    /// once per output pixel whose window covers an input.
    @Test func convolutionPlacesWeightsOnly() throws {
        let network = try Self.load("conv1d.onnx")
        let model = try ONNXLoader.decodeModel(data: Data(contentsOf: Fixtures.url("onnx/conv1d.onnx")), fileName: "conv1d.onnx")
        let kernel = try TensorValue(decoding: try #require(model.graph.initializer.first { $0.name == "K" })).realValues()
        guard case let .affine(conv) = network.layers[0] else { throw Failure("layer 0 is not affine") }
        #expect(conv.weights.rows == 12 && conv.weights.columns == 14)
        #expect(conv.weights.storage.allSatisfy { $0 == 0 || kernel.contains($0) })
    }

    @Test func symbolicBatchDimensionCountsAsOne() throws {
        #expect(try Self.load("symbolic_batch.onnx").inputShape == [1, 3])
    }
}

/// A test failure with a message, for `guard case` checks.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
