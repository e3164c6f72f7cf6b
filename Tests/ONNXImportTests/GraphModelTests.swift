import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Graph fixtures (skip connections, sums of computed tensors, Concat, Slice, Split, a residual
/// convolution, Dropout, Pad and AveragePool, convolutions stored sparse): the graph and its
/// lowered chains compute what onnxruntime computes.
@Suite struct GraphModelTests {
    /// The onnxruntime outputs written by `scripts/make_graph_fixtures.py`.
    struct Reference: Decodable {
        struct Point: Decodable {
            let input: [Double]
            let output: [Double]
        }
        let lower: Double
        let upper: Double
        let points: [Point]
    }

    static let graphNames = ["residual.onnx", "skip_concat.onnx", "split_branches.onnx", "conv_residual.onnx", "piecewise.onnx",
                             "maxpool_cnn.onnx", "pool_graph.onnx", "smooth_graph.onnx",
                             "smooth_skip.onnx"]
    static let chainNames = ["dropout_chain.onnx", "pool_chain.onnx", "pad_opset10.onnx", "smooth_chain.onnx", "sparse_conv.onnx"]
    static let allNames = graphNames + chainNames

    static func references() throws -> [String: Reference] {
        try JSONDecoder().decode([String: Reference].self, from: Data(contentsOf: Fixtures.url("graph/reference-outputs.json")))
    }

    static func graph(_ name: String) throws -> NetworkGraph {
        try ONNXLoader.loadGraph(contentsOf: Fixtures.url("graph/\(name)"))
    }

    static func relativeError(_ actual: [Double], _ expected: [Double]) -> Double {
        let scale = max(expected.map(\.magnitude).max() ?? 0, 1e-30)
        return zip(actual, expected).map { ($0 - $1).magnitude }.max().map { $0 / scale } ?? 0
    }

    @Test func referenceFileCoversEveryFixture() throws {
        #expect(try Self.references().keys.sorted() == Self.allNames.sorted())
    }

    @Test func graphsAreRecognisedAndChainsStayChains() throws {
        for name in Self.graphNames { #expect(try !Self.graph(name).isChain, "\(name)") }
        for name in Self.chainNames { #expect(try Self.graph(name).isChain, "\(name)") }
    }

    /// The graph evaluated node by node, the chain lowered over the fixture's box and the chain
    /// lowered for every input all match onnxruntime, in float64 and float32.
    @Test(arguments: allNames)
    func matchesOnnxRuntime(_ name: String) throws {
        let reference = try #require(try Self.references()[name])
        let graph = try Self.graph(name)
        let n = graph.inputSize
        let boxed = try graph.chain(lower: Array(repeating: reference.lower, count: n), upper: Array(repeating: reference.upper, count: n))
        let unboxed = try graph.chain()
        for point in reference.points {
            let float = point.input.map(Float.init)
            let results: [(String, [Double])] = [
                ("graph float64", graph.evaluate(point.input)),
                ("graph float32", graph.evaluateFloat(float).map(Double.init)),
                ("boxed chain float64", boxed.evaluate(point.input)),
                ("boxed chain float32", boxed.evaluateFloat(float).map(Double.init)),
                ("chain float64", unboxed.evaluate(point.input)),
                ("chain float32", unboxed.evaluateFloat(float).map(Double.init)),
            ]
            for (label, output) in results {
                #expect(Self.relativeError(output, point.output) <= 1e-5, "\(name) \(label): \(output) vs \(point.output)")
            }
        }
    }

    /// On random points of the box the lowered chains agree with the graph to rounding.
    @Test(arguments: graphNames)
    func loweredChainsAgreeWithTheGraph(_ name: String) throws {
        let reference = try #require(try Self.references()[name])
        let graph = try Self.graph(name)
        let n = graph.inputSize
        let chains = [try graph.chain(lower: Array(repeating: reference.lower, count: n), upper: Array(repeating: reference.upper, count: n)),
                      try graph.chain()]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let x = (0..<n).map { _ in Double.random(in: reference.lower...reference.upper, using: &generator) }
            let expected = graph.evaluate(x)
            for chain in chains { #expect(Self.relativeError(chain.evaluate(x), expected) <= 1e-12, "\(name) at \(x)") }
        }
    }

    /// Crossing a ReLU layer costs one ReLU per carried value with a box (an offset makes it
    /// stably active) and two without one. residual.onnx: layer 1 holds relu(g1) (8) and the
    /// input, carried for the sum x + g2 (4); layers 2 and 3 hold relu(s1) (4) and relu(g3) (6),
    /// each next to s1 (4), which the last Sub reads.
    @Test func valuesCrossReLULayersExactly() throws {
        let graph = try Self.graph("residual.onnx")
        let boxed = try graph.chain(lower: Array(repeating: -1, count: 4), upper: Array(repeating: 1, count: 4))
        #expect(boxed.layers.filter { $0 == .relu }.count == 3)
        #expect(boxed.reluCount == (8 + 4) + (4 + 4) + (6 + 4))
        #expect(try graph.chain().reluCount == (8 + 8) + (4 + 8) + (6 + 8))
    }

    /// split_branches.onnx: relu(g1) (5) and the two slices of the input (8 values) cross the
    /// first ReLU layer, then relu(scaled) (13). On a non-negative box the slices need no offset.
    @Test func slicesOfTheInputCrossOnceEach() throws {
        let graph = try Self.graph("split_branches.onnx")
        #expect(try graph.chain(lower: Array(repeating: 0, count: 6), upper: Array(repeating: 1, count: 6)).reluCount == 5 + 8 + 13)
        #expect(try graph.chain(lower: Array(repeating: -2, count: 6), upper: Array(repeating: 1, count: 6)).reluCount == 5 + 8 + 13)
        #expect(try graph.chain().reluCount == 5 + 16 + 13)
    }

    /// Dropout at inference is the identity: the chain is Gemm, ReLU, Gemm.
    @Test func dropoutVanishes() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("graph/dropout_chain.onnx"))
        #expect(network.layers.map(\.kindName) == ["affine", "relu", "affine"])
    }

    /// The offset chosen for a carried value makes `bias − offset` exact and lies below the
    /// lower bound.
    @Test func carryOffsetsAreExactAndBelowTheBound() {
        let cases: [(Double, Double)] = [(-1.5, 0.1), (-1e-3, 1e10), (-3.25, -0.7), (-1e300, 1e-300), (-0.1, 0)]
        for (lower, bias) in cases {
            guard let offset = GraphLowering.exactOffset(below: lower, bias: bias) else { continue }
            #expect(offset <= lower)
            #expect(ExactDouble.sum(bias, -offset) != nil)
        }
        for lower in [-1.5, -1e-300, -3e300, -0.1] { #expect(GraphLowering.exactOffset(below: lower, bias: 0) == lower) }
    }

    /// smooth_graph.onnx: the input crosses the first ReLU layer (8 + 4); the tanh layer holds
    /// the tanh's operand alone (6); its outputs cross the second ReLU layer (6 + 6); the
    /// sigmoid layer is the output. Where composing in doubles is not exact the live values are
    /// stored first: the first residual sum (4) before the Gemm that reads it, the two operands
    /// of the second (6 + 6) before the sum.
    @Test func smoothLayersInGraphs() throws {
        let graph = try Self.graph("smooth_graph.onnx")
        let boxed = try graph.chain(lower: Array(repeating: -1, count: 4), upper: Array(repeating: 1, count: 4))
        #expect(boxed.layers.map(\.kindName) == ["affine", "relu", "affine", "affine", "tanh", "affine", "relu", "affine", "affine", "sigmoid"])
        #expect(boxed.layerSizes == [12, 12, 4, 6, 6, 12, 12, 12, 2, 2])
        #expect(boxed.reluCount == (8 + 4) + (6 + 6))
        #expect(boxed.layers.allSatisfy { $0.smoothLayer?.carried.isEmpty ?? true })
    }

    /// smooth_skip.onnx, `x + W₂·tanh(W₁·x + b₁) + b₂` then a ReLU and a sigmoid of it side by
    /// side: the input is carried across the tanh layer (4 applied, 3 carried); at the next
    /// depth the sigmoid layer carries the sum on to the ReLU layer (3 applied, 3 carried),
    /// which carries the sigmoid's outputs (3 + 3; they are positive, so one ReLU each).
    @Test func valuesCrossSmoothLayersCarried() throws {
        let graph = try Self.graph("smooth_skip.onnx")
        for network in [try graph.chain(lower: [-1, -1, -1], upper: [1, 1, 1]), try graph.chain()] {
            let smooth = network.layers.compactMap(\.smoothLayer)
            #expect(smooth.map(\.function) == [.tanh, .sigmoid])
            #expect(smooth.map { $0.carried.filter { $0 }.count } == [3, 3])
            #expect(smooth.map(\.carried.count) == [7, 6])
            #expect(network.reluCount == 6)
        }
    }

    @Test func unsupportedOperatorNamesWhatIsSupported() throws {
        let error = ONNXError.unsupportedOperator(file: "m.onnx", node: NodeLocation(index: 2, name: "", opType: "Softmax"))
        #expect(error.description.hasPrefix("m.onnx: node 2 (Softmax): operator 'Softmax' is not supported (supported: Add, "))
        #expect(error.description.contains("Concat"))
    }
}
