import ExactArithmetic
import NetworkIR
import Search
import Testing
import VNNLIB
@testable import Bounds

/// `RegionRefutation.refuteWithSplitMultipliers`: the split constraints of a node (β-CROWN's
/// Lagrangian) prove what plain bounds cannot, and never prove a reachable case.
@Suite struct SplitMultiplierTests {
    /// `y = relu(x) − relu(−x)` on x ∈ [−1, 1] with both ReLUs fixed active: the node holds only
    /// x = 0, where y = 0. With the phases, y = 2x, whose minimum over the box is −2, so plain
    /// bounds cannot refute `y ≤ −1`; β₁ = 2 on `x ≥ 0` gives 2x + 1 − 2x = 1 > 0.
    @Test func splitConstraintsRefuteWhatBoundsCannot() throws {
        let net = try Network(inputShape: [1, 1], layers: [
            .affine(AffineLayer(weights: Matrix([[1], [-1]]), bias: [0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, -1]]), bias: [0])),
        ])
        let box = InputBox(lower: [Rational(-1)], upper: [Rational(1)])
        func unsafe(below value: Int) -> SpecificationCase {
            // Y_0 ≤ v  ⇔  Y_0 − v ≤ 0
            let expression = LinearExpression(.output(0)) - LinearExpression(constant: Rational(value))
            return SpecificationCase(box: box, outputConstraints: [LinearConstraint(expression, .lessOrEqual)])
        }
        let phases = PhaseAssignment().fixing(layer: 1, neuron: 0, to: .active).fixing(layer: 1, neuron: 1, to: .active)
        let input = IntervalVector(lower: [-1], upper: [1])

        let unreachable = try RegionRefutation(specCase: unsafe(below: -1), network: net)
        let plain = try unreachable.refute(input: input, phases: phases, within: nil, forwardFilter: false)
        #expect(!plain.proved)
        let bounds = try #require(plain.bounds)
        #expect(bounds.unstableCounts.reduce(0, +) == 0)
        #expect(unreachable.refuteWithSplitMultipliers(over: bounds, phases: phases))

        // y ≤ 0 is reached at x = 0: never proved.
        let reachable = try RegionRefutation(specCase: unsafe(below: 0), network: net)
        #expect(!reachable.refuteWithSplitMultipliers(over: bounds, phases: phases))
        // Without split constraints there is nothing to add.
        #expect(!unreachable.refuteWithSplitMultipliers(over: bounds, phases: PhaseAssignment()))
    }

    /// Random networks and nodes around a sampled point `x₀`: a random half of the ReLUs is
    /// fixed to its phase at `x₀`, so `x₀` lies in the node, and the case `Y_0 ≤ y₀(x₀) + 10⁻³`
    /// is reached there. It must never be proved, whatever β the ascent tries.
    @Test(arguments: 0..<40) func reachableCaseIsNeverProved(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...4, using: &rng), hiddenLayers: Int.random(in: 1...3, using: &rng),
                                          maxWidth: 8, outputs: 1, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let x0 = box.lower.indices.map { Double.random(in: box.lower[$0]...box.upper[$0], using: &rng) }
        let trace = net.evaluateTrace(x0)
        var phases = PhaseAssignment()
        for (k, layer) in net.layers.enumerated() {
            guard case .relu = layer else { continue }
            let pre = k == 0 ? x0 : trace[k - 1]
            for j in pre.indices where Bool.random(using: &rng) {
                phases.fix(layer: k, neuron: j, to: pre[j] >= 0 ? .active : .inactive)
            }
        }
        let limit = try #require(Rational(exactly: (trace.last ?? [])[0] + 1e-3))
        let inputBox = InputBox(lower: box.lower.map { Rational(exactly: $0)! }, upper: box.upper.map { Rational(exactly: $0)! })
        let expression = LinearExpression(.output(0)) - LinearExpression(constant: limit)
        let specCase = SpecificationCase(box: inputBox, outputConstraints: [LinearConstraint(expression, .lessOrEqual)])
        let refutation = try RegionRefutation(specCase: specCase, network: net)
        let outcome = try refutation.refute(input: box, phases: phases, within: nil, forwardFilter: false)
        #expect(!outcome.proved)
        let bounds = try #require(outcome.bounds)
        #expect(!refutation.refuteWithSplitMultipliers(over: bounds, phases: phases, iterations: 60))
    }
}
