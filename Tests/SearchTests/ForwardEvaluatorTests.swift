import NetworkIR
import Testing
@testable import Search

@Suite struct ForwardEvaluatorTests {
    @Test func matchesNetworkEvaluationBitForBit() throws {
        let base = try SearchFixtures.random(sizes: [4, 9, 7, 3], seed: 5)
        let net = try Network(inputShape: [4], layers: base.layers + [.divide(divisors: [3, -7, 0.1])])
        var evaluator = ForwardEvaluator(network: net)
        var rng = SplitMix64(seed: 2)
        for _ in 0..<50 {
            let x = (0..<4).map { _ in rng.nextDouble(in: -3, 3) }
            #expect(evaluator.evaluate(x) == net.evaluate(x))
            let hidden = net.evaluate(layers: 0..<2, on: x)
            #expect(evaluator.evaluate(layers: 2..<net.layers.count, on: hidden) == net.evaluate(layers: 2..<net.layers.count, on: hidden))
        }
    }
}
