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

    /// An entry a smooth layer carries is the identity in the encoding: the same linear form,
    /// no fresh variable.
    @Test func carriedEntriesStayExact() throws {
        let network = try Network(inputShape: [2], layers: [.smooth(SmoothLayer(.tanh, carried: [false, true]))])
        let backend = RecordingBackend()
        let encoded = NetworkEncoder(network: network).encode(into: backend)
        #expect(encoded.relaxedLayers == [0])
        #expect(encoded.outputs[1] == LinearForm(encoded.inputs[1]))
        #expect(encoded.outputs[0] != LinearForm(encoded.inputs[0]))
        #expect(backend.names.count == 3)
    }
}
