import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Sigmoid and Tanh nodes: layers of their own in chains; in graphs, layers that carry the
/// values crossing them unchanged.
@Suite struct SmoothModelTests {
    typealias M = TestModel

    @Test func smoothChainFixtureLayers() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("graph/smooth_chain.onnx"))
        #expect(network.layers.map(\.kindName) == ["affine", "sigmoid", "affine", "tanh", "affine"])
    }

    /// `x + σ(x)`: the sigmoid layer applies to one copy of the input and carries the other.
    @Test func inputSkippingASigmoidIsCarried() throws {
        let model = M.model([M.node("Sigmoid", ["x"], ["s"]), M.node("Add", ["x", "s"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        let network = try M.load(model)
        #expect(network.layers.map(\.kindName) == ["affine", "sigmoid", "affine"])
        #expect(network.layers[1].smoothLayer?.carried == [false, false, true, true])
        for x in [[0.5, -3.0], [-1, 1], [0, 0]] {
            let expected = x.map { $0 + 1 / (1 + exp(-$0)) }
            for (value, want) in zip(network.evaluate(x), expected) { #expect(abs(value - want) < 1e-12) }
        }
    }

    /// A ReLU and a tanh of the input at the same depth, summed: the tanh layer carries the
    /// input to the ReLU layer, which carries the tanh's outputs (at least −1 with or without
    /// a box, so one stably active ReLU each).
    @Test func reluBesideTanh() throws {
        let model = M.model([M.node("Relu", ["x"], ["r"]), M.node("Tanh", ["x"], ["t"]), M.node("Add", ["r", "t"], ["y"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        let graph = try ONNXLoader.loadGraph(model: model, fileName: "test.onnx")
        let boxed = try graph.chain(lower: [-2, -2], upper: [2, 2])
        #expect(boxed.layers.map(\.kindName) == ["affine", "tanh", "affine", "relu", "affine"])
        #expect(boxed.layers[1].smoothLayer?.carried == [false, false, true, true])
        #expect(boxed.reluCount == 4)
        #expect(try graph.chain().reluCount == 4)
        for x in [[0.5, -1.5], [-2, 2], [0, 0]] {
            let expected = x.map { max(0, $0) + Foundation.tanh($0) }
            for network in [boxed, try graph.chain()] {
                for (value, want) in zip(network.evaluate(x), expected) { #expect(abs(value - want) < 1e-12) }
            }
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
