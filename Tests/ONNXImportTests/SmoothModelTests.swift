import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Sigmoid and Tanh nodes: layers of their own in chains and in graphs where nothing skips over
/// them; refused, with a reason, where a tensor would have to cross them (no exact identity
/// carries a value across a sigmoid or tanh layer).
@Suite struct SmoothModelTests {
    typealias M = TestModel

    @Test func smoothChainFixtureLayers() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("graph/smooth_chain.onnx"))
        #expect(network.layers.map(\.kindName) == ["affine", "sigmoid", "affine", "tanh", "affine"])
    }

    @Test func sigmoidSkippedOverIsRefused() {
        let model = M.model([M.node("Sigmoid", ["x"], ["s"]), M.node("Add", ["x", "s"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.unsupportedUse(file: "test.onnx", node: NodeLocation(index: 0, name: "", opType: "Sigmoid"),
                                                 reason: "the network input skips over this sigmoid node; a sigmoid layer in a graph is supported only where every later tensor is computed from its outputs (no identity carries a value across it)")) {
            try M.load(model)
        }
    }

    /// A ReLU and a tanh at the same depth would need one layer applying both.
    @Test func reluBesideTanhIsRefused() {
        let model = M.model([M.node("Relu", ["x"], ["r"]), M.node("Tanh", ["x"], ["t"]), M.node("Add", ["r", "t"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.unsupportedUse(file: "test.onnx", node: NodeLocation(index: 1, name: "", opType: "Tanh"),
                                                 reason: "node 0 (Relu) is at the same depth; a tanh layer can hold no other activation")) {
            try M.load(model)
        }
    }

    /// Concat of a sigmoid of the input and a sigmoid of its negation, plus a ReLU of the
    /// concatenation: one sigmoid layer over both operands, then a ReLU layer that carries the
    /// concatenation (non-negative) across.
    @Test func sigmoidBranchesShareOneLayer() throws {
        let model = M.model([M.node("Mul", ["x", "m"], ["n"]), M.node("Sigmoid", ["x"], ["a"]), M.node("Sigmoid", ["n"], ["b"]),
                             M.node("Concat", ["a", "b"], ["c"], attributes: [M.attribute("axis", int: 0)]),
                             M.node("Relu", ["c"], ["r"]), M.node("Add", ["c", "r"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [4]),
                            initializers: [M.tensor("m", [2], [-1, -1])])
        let graph = try ONNXLoader.loadGraph(model: model, fileName: "test.onnx")
        #expect(!graph.isChain)
        let network = try graph.chain(lower: [-1, -1], upper: [1, 1])
        #expect(network.layers.map(\.kindName) == ["affine", "sigmoid", "affine", "relu", "affine"])
        for x in [[0.5, -0.25], [-1, 1], [0, 0]] {
            let s = x.map { 1 / (1 + exp(-$0)) }
            let c = s + s.map { 1 - $0 }
            let expected = c.map { 2 * $0 }
            for (value, want) in zip(network.evaluate(x), expected) { #expect(abs(value - want) < 1e-12) }
            for (value, want) in zip(graph.evaluate(x), expected) { #expect(abs(value - want) < 1e-12) }
        }
    }

    @Test func supportedOperatorsListSigmoidAndTanh() {
        #expect(ONNXLoader.supportedOperators.contains("Sigmoid"))
        #expect(ONNXLoader.supportedOperators.contains("Tanh"))
    }
}
