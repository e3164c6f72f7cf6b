import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// The real VNN-COMP 2021 networks import with the expected structure and compute what
/// onnxruntime computes. Skipped, with a printed notice, when the benchmarks are absent.
@Suite(.requiresBenchmarks)
struct BenchmarkNetworkTests {
    static func load(_ relativePath: String) throws -> Network {
        let folder = try #require(Fixtures.vnncomp2021)
        return try ONNXLoader.load(contentsOf: folder.appendingPathComponent(relativePath))
    }

    static let referencedNetworks = [
        "acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/ACASXU_run2a_1_9_batch_2000.onnx",
        "acasxu/ACASXU_run2a_5_3_batch_2000.onnx", "mnistfc/mnist-net_256x2.onnx", "mnistfc/mnist-net_256x4.onnx",
        "mnistfc/mnist-net_256x6.onnx", "test/test_nano.onnx", "test/test_sat.onnx", "test/test_small.onnx",
        "test/test_tiny.onnx", "test/test_unsat.onnx",
    ]

    @Test func referenceFileCoversTheNetworks() throws {
        #expect(try ReferenceOutputs.load().benchmarks.map(\.model).sorted() == Self.referencedNetworks.sorted())
    }

    @Test(arguments: referencedNetworks)
    func matchesOnnxRuntime(_ relativePath: String) throws {
        let network = try Self.load(relativePath)
        let reference = try #require(try ReferenceOutputs.load().benchmarks.first { $0.model == relativePath })
        for example in reference.cases {
            let double = network.evaluate(example.input)
            let single = network.evaluateFloat(example.input.map(Float.init)).map(Double.init)
            #expect(ReferenceOutputs.relativeError(double, example.output) <= 1e-5, "\(relativePath) double: \(double) vs \(example.output)")
            #expect(ReferenceOutputs.relativeError(single, example.output) <= 1e-5, "\(relativePath) float: \(single) vs \(example.output)")
        }
    }

    /// ACAS Xu: the zero `Sub` is dropped and each MatMul + Add is one layer, so the chain is
    /// six hidden layers of 50 ReLUs and a 5-output layer.
    @Test func acasXuStructure() throws {
        let network = try Self.load("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")
        #expect(network.inputSize == 5)
        #expect(network.outputSize == 5)
        #expect(network.reluCount == 300)
        #expect(network.inputShape == [1, 1, 1, 5])
        #expect(network.layers.count == 13)
        #expect(network.layerSizes == Array(repeating: 50, count: 12) + [5])
    }

    @Test func mnist256x2Structure() throws {
        let network = try Self.load("mnistfc/mnist-net_256x2.onnx")
        #expect(network.inputSize == 784)
        #expect(network.outputSize == 10)
        #expect(network.reluCount == 512)
        #expect(network.layers.map(\.kindName) == ["affine", "relu", "affine", "relu", "affine"])
    }

    /// Every ACAS Xu network of the benchmark imports to the same architecture.
    @Test func allAcasXuNetworksImport() throws {
        let folder = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".onnx") }
        #expect(files.count == 45)
        for file in files {
            let network = try ONNXLoader.load(contentsOf: folder.appendingPathComponent(file))
            #expect(network.reluCount == 300 && network.inputSize == 5 && network.outputSize == 5, "\(file)")
        }
    }
}
