import NetworkIR
import Testing
@testable import Search

/// The attack's sparse form of a network computes what the network computes.
@Suite struct AttackNetworkTests {
    typealias F = SearchFixtures

    /// A random network whose first layer keeps a fifth of its weights (a lowered convolution's
    /// pattern), followed by a divide and a dense layer.
    static func sparseNetwork(seed: UInt64) throws -> Network {
        var rng = SplitMix64(seed: seed)
        let (inputs, hidden, outputs) = (30, 20, 4)
        let first = Matrix(rows: hidden, columns: inputs, storage: (0..<(hidden * inputs)).map { _ in
            rng.next() % 5 == 0 ? rng.nextDouble(in: -1, 1) : 0
        })
        let last = Matrix(rows: outputs, columns: hidden, storage: (0..<(outputs * hidden)).map { _ in rng.nextDouble(in: -1, 1) })
        return try Network(inputShape: [inputs], layers: [
            .divide(divisors: (0..<inputs).map { _ in rng.nextDouble(in: 0.5, 2) }),
            .affine(AffineLayer(weights: first, bias: (0..<hidden).map { _ in rng.nextDouble(in: -0.5, 0.5) })),
            .relu,
            .affine(AffineLayer(weights: last, bias: (0..<outputs).map { _ in rng.nextDouble(in: -0.5, 0.5) })),
        ])
    }

    @Test func keepsSparseLayersSparseAndDenseLayersDense() throws {
        #expect(AttackNetwork(try Self.sparseNetwork(seed: 3)).sparseLayerCount == 1)
        #expect(AttackNetwork(try F.random(sizes: [4, 8, 3], seed: 1)).sparseLayerCount == 0)
    }

    @Test func evaluationAndGradientEqualTheNetworksBitForBit() throws {
        let net = try Self.sparseNetwork(seed: 5)
        let attack = AttackNetwork(net)
        var rng = SplitMix64(seed: 9)
        for _ in 0..<50 {
            let x = (0..<net.inputSize).map { _ in rng.nextDouble(in: -1, 1) }
            let c = (0..<net.outputSize).map { _ in rng.nextDouble(in: -1, 1) }
            #expect(attack.evaluate(x) == net.evaluate(x))
            let trace = attack.evaluateTrace(x)
            #expect(trace == net.evaluateTrace(x))
            #expect(attack.inputGradient(of: c, at: x, trace: trace) == net.inputGradient(of: c, at: x))
        }
    }
}
