@testable import Bounds
import NetworkIR
import Search
import Testing

/// The batched forward pass agrees with `Network.evaluate` point by point.
@Suite struct BatchEvaluatorTests {
    /// Random networks (divisions, consecutive affine layers, widths not a multiple of four) and
    /// batches of 1 to 11 points, so that every tail of the four-row blocks is exercised; the
    /// batch may only differ from the one-by-one evaluation by rounding.
    @Test func batchMatchesOnePointAtATime() throws {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<60 {
            let inputs = Int.random(in: 1...13, using: &rng)
            let net = try TestNetworks.random(inputs: inputs, hiddenLayers: Int.random(in: 1...4, using: &rng), maxWidth: 19,
                                              outputs: Int.random(in: 1...6, using: &rng), using: &rng)
            let box = TestNetworks.randomBox(inputs, using: &rng)
            let points = TestNetworks.samples(of: box, count: 1 + trial % 11, using: &rng)
            // The same network with its affine layers stored sparse, as large convolutions are.
            for network in [net, try SparseLayerBoundsTests.sparseCopy(net)] {
                let batch = BatchEvaluator(network: network).evaluate(points)
                #expect(batch.count == points.count)
                for (point, outputs) in zip(points, batch) {
                    let expected = net.evaluate(point)
                    #expect(outputs.count == expected.count)
                    for (a, b) in zip(outputs, expected) {
                        #expect(abs(a - b) <= 1e-12 * (1 + abs(b)), "trial \(trial), sparse \(network.hasSparseLayers): \(a) vs \(b)")
                    }
                }
            }
        }
    }

    @Test func noPointsGiveNoOutputs() throws {
        var rng = SplitMix64(seed: 1)
        let net = try TestNetworks.random(inputs: 3, hiddenLayers: 1, maxWidth: 4, outputs: 2, using: &rng)
        #expect(BatchEvaluator(network: net).evaluate([]).isEmpty)
    }
}
