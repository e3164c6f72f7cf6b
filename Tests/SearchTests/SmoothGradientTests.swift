import NetworkIR
import Testing
@testable import Search

/// The attack's gradients through sigmoid and tanh layers match finite differences, on the
/// network and on its attack form.
@Suite struct SmoothGradientTests {
    /// With `carrying`, the sigmoid layer passes its second entry through unchanged.
    static func network(carrying: Bool = false) throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1.5, -0.5], [0.25, 2], [-1, 1]]), bias: [0.1, -0.3, 0.2])),
            .smooth(SmoothLayer(.sigmoid, carried: carrying ? [false, true, false] : [])),
            .affine(AffineLayer(weights: Matrix([[2, -1, 0.5], [1, 1, -2]]), bias: [0, 0.5])),
            .tanh,
            .affine(AffineLayer(weights: Matrix([[1, -3]]), bias: [0.25])),
        ])
    }

    @Test(arguments: [false, true])
    func gradientMatchesFiniteDifferences(carrying: Bool) throws {
        let net = try Self.network(carrying: carrying)
        let attack = AttackNetwork(net)
        for x in [[0.0, 0], [0.7, -1.2], [-2, 0.4], [1.5, 1.5]] {
            let g = net.inputGradient(of: [1], at: x)
            #expect(attack.inputGradient(of: [1], at: x, trace: attack.evaluateTrace(x)) == g)
            for i in 0..<2 {
                var up = x, down = x
                up[i] += 1e-6
                down[i] -= 1e-6
                let numeric = (net.evaluate(up)[0] - net.evaluate(down)[0]) / 2e-6
                #expect(abs(g[i] - numeric) < 1e-6, "∂/∂x\(i) at \(x): \(g[i]) vs \(numeric)")
            }
        }
    }
}
