import NetworkIR
import Search
import Testing
@testable import Bounds

/// `IntermediateRefinement`: intermediate bounds refined by branch and bound over earlier ReLU
/// phases enclose every sampled point, only ever tighten the bounds they start from, make
/// neurons stable that α-CROWN leaves unstable, and stop at their deadline.
@Suite struct IntermediateRefinementTests {
    /// A random network of 3 or 4 hidden layers and a box in front of it.
    static func network(seed: Int) throws -> (Network, IntervalVector, SplitMix64) {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        let net = try TestNetworks.random(inputs: Int.random(in: 2...6, using: &rng), hiddenLayers: Int.random(in: 3...4, using: &rng),
                                          maxWidth: 10, outputs: 2, using: &rng)
        return (net, TestNetworks.randomBox(net.inputSize, using: &rng), rng)
    }

    /// The root bounds with α-optimised intermediate bounds, refined by `refinement` if given.
    static func bounds(_ net: Network, _ box: IntervalVector, refinement: IntermediateRefinement?) -> NetworkBounds {
        var intermediate = IntermediateOptimisation(iterations: 10)
        intermediate.refinement = refinement
        return LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment(), intermediate: intermediate).bounds
    }

    /// 5000 sampled points (the box's corners first) lie inside every refined layer's bounds,
    /// and on the first layer refined (the second ReLU's input, computed from the same bounds
    /// before it either way) the refined bounds lie inside the unrefined ones.
    @Test(arguments: 0..<16) func refinedBoundsAreSoundAndOnlyTighten(seed: Int) throws {
        var (net, box, rng) = try Self.network(seed: seed)
        let plain = Self.bounds(net, box, refinement: nil)
        let refined = Self.bounds(net, box, refinement: IntermediateRefinement(nodesPerBound: 24))
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 5000, using: &rng) {
            if let v = TestNetworks.violation(net.evaluateTrace(point), refined) { violations.append(v) }
        }
        #expect(violations.count == 0, "\(violations.prefix(5))")
        let relus = net.reluLayersForTests
        if relus.count >= 2 {
            let before = plain.inputBounds(ofLayer: relus[1]), after = refined.inputBounds(ofLayer: relus[1])
            for j in 0..<before.count {
                #expect(after.lower[j] >= before.lower[j] && after.upper[j] <= before.upper[j])
            }
        }
    }

    /// Over random networks, refinement leaves fewer unstable ReLUs than α-CROWN alone: the
    /// branch and bound proves some neurons' signs that a single relaxation cannot.
    @Test func refinementStabilisesNeurons() throws {
        var plainUnstable = 0, refinedUnstable = 0
        for seed in 0..<16 {
            let (net, box, _) = try Self.network(seed: seed)
            plainUnstable += Self.bounds(net, box, refinement: nil).unstableCounts.dropFirst().reduce(0, +)
            refinedUnstable += Self.bounds(net, box, refinement: IntermediateRefinement(nodesPerBound: 24))
                .unstableCounts.dropFirst().reduce(0, +)
        }
        #expect(refinedUnstable < plainUnstable, "unstable after the first ReLU layer: \(refinedUnstable) refined, \(plainUnstable) not")
    }

    /// With its deadline passed, refinement changes no bound; with no node allowed, only the
    /// root leaf's bound is kept, which is the bound it started from or tighter.
    @Test(arguments: 0..<4) func deadlineAndBudgetAreKept(seed: Int) throws {
        let (net, box, _) = try Self.network(seed: seed)
        let plain = Self.bounds(net, box, refinement: nil)
        #expect(Self.bounds(net, box, refinement: IntermediateRefinement(deadline: .now - .seconds(1))) == plain)
        let rootOnly = Self.bounds(net, box, refinement: IntermediateRefinement(nodesPerBound: 0))
        let relus = net.reluLayersForTests
        if relus.count >= 2 {
            let before = plain.inputBounds(ofLayer: relus[1]), after = rootOnly.inputBounds(ofLayer: relus[1])
            for j in 0..<before.count { #expect(after.lower[j] >= before.lower[j] && after.upper[j] <= before.upper[j]) }
        }
    }
}
