import ExactArithmetic
import NetworkIR
import Search
import Testing
import VNNLIB
@testable import Verifier

/// Branch and bound over input splits on networks with sigmoid and tanh layers (some carrying
/// entries, as lowered graphs do): every node is bounded, none goes to Z3. A threshold above
/// every sampled output is either proved or left open, never refuted; one below a sampled
/// output is never proved.
@Suite struct SmoothBranchAndBoundTests {
    /// Affine, sigmoid (carrying entry 1), affine, ReLU, affine, tanh, affine, on `inputs` inputs.
    static func network(seed: UInt64, inputs: Int = 3) throws -> Network {
        var rng = SplitMix64(seed: seed)
        func affine(_ rows: Int, _ columns: Int) -> Layer {
            let w = (0..<(rows * columns)).map { _ in Double.random(in: -2...2, using: &rng) }
            return .affine(AffineLayer(weights: Matrix(rows: rows, columns: columns, storage: w),
                                       bias: (0..<rows).map { _ in Double.random(in: -1...1, using: &rng) }))
        }
        return try Network(inputShape: [inputs], layers: [
            affine(5, inputs), .smooth(SmoothLayer(.sigmoid, carried: [false, true, false, false, false])),
            affine(6, 5), .relu, affine(4, 6), .tanh, affine(1, 4),
        ])
    }

    /// `Y_0 ≥ threshold` on [-1, 1]³, or, with `inputs` > 3, with the other inputs fixed at 1/4.
    static func property(_ threshold: Double, inputs: Int = 3) -> Specification {
        let lower = (0..<inputs).map { $0 < 3 ? Rational(-1) : Rational(1) / Rational(4) }
        let upper = (0..<inputs).map { $0 < 3 ? Rational.one : Rational(1) / Rational(4) }
        let unsafe = LinearConstraint(LinearExpression(constant: Rational(exactly: threshold)!) - LinearExpression(.output(0)), .lessOrEqual)
        return Specification(inputCount: inputs, outputCount: 1,
                             cases: [SpecificationCase(box: InputBox(lower: lower, upper: upper), outputConstraints: [unsafe])])
    }

    /// A point of the property's box: the first 3 inputs from `rng`, the others 1/4.
    static func point(inputs: Int, using rng: inout SplitMix64) -> [Double] {
        (0..<inputs).map { $0 < 3 ? Double.random(in: -1...1, using: &rng) : 0.25 }
    }

    @Test(arguments: 0..<6)
    func verdictsAgreeWithSampledOutputs(seed: Int) async throws {
        for inputs in [3, 24] {
            let network = try Self.network(seed: UInt64(seed), inputs: inputs)
            var rng = SplitMix64(seed: 1000 + UInt64(seed))
            let samples = (0..<20_000).map { _ in network.evaluate(Self.point(inputs: inputs, using: &rng))[0] }
            let top = samples.max()!, spread = top - samples.min()!
            let high = top + 0.02 * spread, low = top - 0.02 * spread
            let above = await VerifierTests.verify(network, Self.property(high, inputs: inputs), attack: true, timeout: 20)
            if case .violated(let cex) = above.verdict {
                #expect(network.evaluate(cex.input)[0] >= high, "seed \(seed): a reported counterexample misses the threshold")
            }
            let below = await VerifierTests.verify(network, Self.property(low, inputs: inputs), attack: false, timeout: 20)
            #expect(below.verdict != .holds, "seed \(seed), \(inputs) inputs: proved a threshold a sampled output passes")
            if case .violated(let cex) = below.verdict { #expect(network.evaluate(cex.input)[0] >= low) }
        }
    }

    /// The thresholds a little above the sampled maximum are proved by branch and bound on
    /// most networks (bounds over the whole box do not reach them), also on 24 inputs of which
    /// the box lets 3 vary (the tree splits only those).
    @Test(arguments: [3, 24])
    func splittingProvesWhatTheRootCannot(inputs: Int) async throws {
        var proved = 0
        for seed in 0..<6 {
            let network = try Self.network(seed: UInt64(seed), inputs: inputs)
            var rng = SplitMix64(seed: 1000 + UInt64(seed))
            let samples = (0..<20_000).map { _ in network.evaluate(Self.point(inputs: inputs, using: &rng))[0] }
            let top = samples.max()!, spread = top - samples.min()!
            // Alone each tree closes in well under a second; the limit only stops a regression from
            // hanging. A tight one failed under CI, where every suite shares 2 cores at once.
            let report = await VerifierTests.verify(network, Self.property(top + 0.05 * spread, inputs: inputs), timeout: 300)
            guard report.verdict == .holds, case let .proved(method) = report.cases.first?.status else { continue }
            if method.hasPrefix("branch and bound") { proved += 1 }
        }
        #expect(proved >= 4, "proved \(proved) of 6")
    }
}
