import Bounds
import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import ONNXImport
import SMT
import Testing
import TestSupport
import Z3Backend

/// Graph models lowered to chains, seen by the passes that read chains: interval bounds enclose
/// the graph's outputs, and the exact Z3 encoding of the lowered chain computes the graph. A
/// graph with sigmoid and tanh layers has no exact encoding; its bounds enclose the graph's
/// outputs by every method.
@Suite struct GraphLoweringTests {
    static let boxes: [(name: String, lower: Double, upper: Double)] = [
        ("residual.onnx", -1, 1), ("skip_concat.onnx", -0.5, 1.5), ("split_branches.onnx", -2, 1), ("conv_residual.onnx", -1, 1),
        ("piecewise.onnx", -1.5, 1.5), ("maxpool_cnn.onnx", -1, 1), ("pool_graph.onnx", -1, 1), ("pool_chain.onnx", -1, 1),
        ("pad_opset10.onnx", -1, 1),
    ]

    static func lowered(_ index: Int) throws -> (graph: NetworkGraph, network: Network, lower: [Double], upper: [Double]) {
        let (name, low, high) = boxes[index]
        let graph = try ONNXLoader.loadGraph(contentsOf: Fixtures.url("graph/\(name)"))
        let lower = Array(repeating: low, count: graph.inputSize), upper = Array(repeating: high, count: graph.inputSize)
        return (graph, try graph.chain(lower: lower, upper: upper), lower, upper)
    }

    /// Interval bounds of the lowered chain over the box enclose the graph's outputs at
    /// sampled points (corners included).
    @Test(arguments: 0..<9)
    func intervalBoundsEncloseSampledOutputs(_ index: Int) throws {
        let (graph, network, lower, upper) = try Self.lowered(index)
        let bounds = try IntervalPropagation().bounds(of: network, input: IntervalVector(lower: lower, upper: upper))
        let output = try #require(bounds.layers.last)
        var generator = SystemRandomNumberGenerator()
        for sample in 0..<300 {
            let x = lower.indices.map { i in
                sample < 2 ? (sample == 0 ? lower[i] : upper[i]) : Double.random(in: lower[i]...upper[i], using: &generator)
            }
            for (j, y) in graph.evaluate(x).enumerated() {
                #expect(output.lower[j] <= y && y <= output.upper[j], "\(Self.boxes[index].name) output \(j) = \(y) at \(x)")
            }
        }
    }

    /// With the inputs fixed to a point of the box, Z3's model of the lowered chain's exact
    /// encoding gives the graph's outputs (to float64 rounding of the graph's evaluation).
    @Test(arguments: 0..<9)
    func exactEncodingComputesTheGraph(_ index: Int) throws {
        let (graph, network, lower, upper) = try Self.lowered(index)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let x = lower.indices.map { Double.random(in: lower[$0]...upper[$0], using: &generator) }
            let solver = Z3Solver()
            let encoded = NetworkEncoder(network: network).encode(into: solver)
            for (variable, value) in zip(encoded.inputs, x) {
                solver.add(.equal(.variable(variable), .constant(Rational(exactly: value)!)))
            }
            guard case let .sat(model) = solver.check(timeout: .seconds(30)) else {
                Issue.record("the encoding with fixed inputs is not satisfiable")
                return
            }
            let expected = graph.evaluate(x)
            for (j, form) in encoded.outputs.enumerated() {
                var value = form.constant
                for (variable, coefficient) in form.coefficients { value = value + coefficient * model[variable.id] }
                #expect(abs(value.toDouble() - expected[j]) <= 1e-9 * max(1, abs(expected[j])),
                        "\(Self.boxes[index].name) output \(j): Z3 \(value.toDouble()) vs graph \(expected[j])")
            }
        }
    }

    /// smooth_graph.onnx (residual blocks, a tanh layer, a sigmoid head) and smooth_skip.onnx
    /// (the input carried across a tanh layer, a ReLU beside a sigmoid) lowered over boxes
    /// inside [-1, 1]ⁿ: intervals, the linear relaxation with optimised slopes and the
    /// Lagrangian dual of the chain enclose the graph's outputs at sampled points and corners.
    @Test(arguments: ["smooth_graph.onnx", "smooth_skip.onnx"])
    func smoothGraphBoundsEncloseSampledOutputs(_ name: String) throws {
        let graph = try ONNXLoader.loadGraph(contentsOf: Fixtures.url("graph/\(name)"))
        let n = graph.inputSize
        var generator = SystemRandomNumberGenerator()
        for width in [0.01, 0.2, 1.0] {
            let centre = (0..<n).map { _ in Double.random(in: (-1 + width)...(1 - width), using: &generator) }
            let lower = centre.map { $0 - width }, upper = centre.map { $0 + width }
            let network = try graph.chain(lower: lower, upper: upper)
            let box = IntervalVector(lower: lower, upper: upper)
            let methods: [(String, NetworkBounds)] = [
                ("interval", try IntervalPropagation().bounds(of: network, input: box)),
                ("alpha", try LinearRelaxation(options: .init(slopeIterations: 10)).bounds(of: network, input: box)),
                ("lagrangian", try LagrangianDual(options: .init(maxIterations: 10)).bounds(of: network, input: box)),
            ]
            for sample in 0..<300 {
                let x = (0..<n).map { i in
                    sample < 2 ? (sample == 0 ? lower[i] : upper[i]) : Double.random(in: lower[i]...upper[i], using: &generator)
                }
                for (j, y) in graph.evaluate(x).enumerated() {
                    let slack = 1e-12 * max(1, abs(y))
                    for (method, bounds) in methods {
                        let output = try #require(bounds.layers.last)
                        #expect(output.lower[j] <= y + slack && y - slack <= output.upper[j],
                                "\(name) \(method), width \(width): output \(j) = \(y) outside [\(output.lower[j]), \(output.upper[j])]")
                    }
                }
            }
        }
    }
}
