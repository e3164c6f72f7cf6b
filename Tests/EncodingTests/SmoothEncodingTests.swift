import Bounds
import NetworkIR
import SMT
import Testing
@testable import Encoding

/// A sigmoid or tanh layer has no exact encoding: the encoder over-approximates it by its
/// bounds and says so, so no caller mistakes a model for a counterexample.
@Suite struct SmoothEncodingTests {
    @Test func smoothLayersAreMarkedRelaxed() throws {
        let network = try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, -1], [2, 1]]), bias: [0, -1])), .sigmoid,
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0])), .tanh,
        ])
        let bounds = try IntervalPropagation().bounds(of: network, input: IntervalVector(lower: [-1, -1], upper: [1, 1]))
        let encoded = NetworkEncoder(network: network, bounds: bounds).encode(into: RecordingBackend())
        #expect(!encoded.isExact)
        #expect(encoded.relaxedLayers == [1, 3])
        let relu = try Network(inputShape: [1], layers: [.relu])
        #expect(NetworkEncoder(network: relu).encode(into: RecordingBackend()).isExact)
    }
}
