import NetworkIR
import Testing
@testable import Search

@Suite struct GradientTests {
    typealias F = SearchFixtures

    @Test func gradientOfTheSmallNetworkByHand() throws {
        let net = try F.small()
        // x = (1, 2): pre = (-1, 3): only the second ReLU is active; y = (2x0 + x1 − 1)/2.
        #expect(net.inputGradient(of: [1], at: [1, 2]) == [1, 0.5])
        // x = (2, 0): pre = (2, 3): both active; y = (3x0 − 1)/2... d/dx = ((1 + 2)/2, (−1 + 1)/2).
        #expect(net.inputGradient(of: [1], at: [2, 0]) == [1.5, 0])
        // At a kink (pre-activation exactly 0) the subgradient 0 is used: x = (0, 1) gives pre = (-1, 0).
        #expect(net.inputGradient(of: [2], at: [0, 1]) == [0, 0])
    }

    @Test func gradientMatchesFiniteDifferencesOnARandomNetwork() throws {
        let net = try F.random(sizes: [4, 8, 8, 3], seed: 7)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<20 {
            let x = (0..<4).map { _ in rng.nextDouble(in: -1, 1) }
            let c = (0..<3).map { _ in rng.nextDouble(in: -1, 1) }
            let g = net.inputGradient(of: c, at: x)
            for i in 0..<4 {
                let h = 1e-7
                var xp = x, xm = x
                xp[i] += h
                xm[i] -= h
                let fp = zip(c, net.evaluate(xp)).map(*).reduce(0, +)
                let fm = zip(c, net.evaluate(xm)).map(*).reduce(0, +)
                #expect(abs((fp - fm) / (2 * h) - g[i]) < 1e-5)
            }
        }
    }

    @Test func vectorJacobianProductThroughASuffix() throws {
        let net = try F.small()
        // Layers 2..<4 map the hidden vector h to (h0 + h1)/2.
        #expect(net.vectorJacobianProduct([1], layers: 2..<4, at: [5, 7]) == [0.5, 0.5])
        // Layers 1..<4 start with the ReLU: a negative entry has zero gradient.
        #expect(net.vectorJacobianProduct([1], layers: 1..<4, at: [-1, 3]) == [0, 0.5])
    }
}
