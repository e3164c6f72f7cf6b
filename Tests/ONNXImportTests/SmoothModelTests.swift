import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Sigmoid and Tanh nodes: layers of their own in chains; refused, with a reason, in graphs
/// that need lowering (no exact identity carries values across them).
@Suite struct SmoothModelTests {
    typealias M = TestModel

    @Test func smoothChainFixtureLayers() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("graph/smooth_chain.onnx"))
        #expect(network.layers.map(\.kindName) == ["affine", "sigmoid", "affine", "tanh", "affine"])
    }

    @Test func sigmoidInAGraphIsRefused() {
        let model = M.model([M.node("Sigmoid", ["x"], ["s"]), M.node("Add", ["x", "s"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.unsupportedUse(file: "test.onnx", node: NodeLocation(index: 0, name: "", opType: "Sigmoid"),
                                                 reason: "Sigmoid is supported in chains only, not in graphs with skip connections, sums of computed tensors, Concat, Slice or Split")) {
            try M.load(model)
        }
    }

    @Test func supportedOperatorsListSigmoidAndTanh() {
        #expect(ONNXLoader.supportedOperators.contains("Sigmoid"))
        #expect(ONNXLoader.supportedOperators.contains("Tanh"))
    }
}
