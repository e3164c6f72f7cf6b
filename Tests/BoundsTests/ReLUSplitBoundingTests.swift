import ExactArithmetic
import NetworkIR
import Search
import Testing
import VNNLIB
@testable import Bounds

/// `ReLUSplitBounding` (β-CROWN nodes on α-CROWN root bounds) and the α-optimised intermediate
/// bounds behind it: sound on sampled points, never proving a reachable case, and proving what
/// only the split constraints can.
@Suite struct ReLUSplitBoundingTests {
    /// `Y_0 − limit ≤ 0` over `box`.
    static func unsafe(below limit: Rational, box: IntervalVector) -> SpecificationCase {
        let inputBox = InputBox(lower: box.lower.map { Rational(exactly: $0)! }, upper: box.upper.map { Rational(exactly: $0)! })
        let expression = LinearExpression(.output(0)) - LinearExpression(constant: limit)
        return SpecificationCase(box: inputBox, outputConstraints: [LinearConstraint(expression, .lessOrEqual)])
    }

    /// A point `x₀` sampled in `box`, the network's values there, and the case
    /// `Y_0 ≤ y₀(x₀) + 10⁻³`, which `x₀` reaches (so no bound may prove it).
    static func caseReached(in net: Network, box: IntervalVector, using rng: inout SplitMix64) throws
        -> (x0: [Double], trace: [[Double]], refutation: RegionRefutation) {
        let x0 = box.lower.indices.map { Double.random(in: box.lower[$0]...box.upper[$0], using: &rng) }
        let trace = net.evaluateTrace(x0)
        let limit = try #require(Rational(exactly: (trace.last ?? [])[0] + 1e-3))
        return (x0, trace, try RegionRefutation(specCase: unsafe(below: limit, box: box), network: net))
    }

    /// A random one-output network with `inputs` inputs and `hiddenLayers` hidden layers, a random
    /// box in front of it, and `caseReached` in that box.
    static func randomCaseReached(inputs: ClosedRange<Int>, hiddenLayers: ClosedRange<Int>, maxWidth: Int,
                                  using rng: inout SplitMix64) throws
        -> (net: Network, box: IntervalVector, x0: [Double], trace: [[Double]], refutation: RegionRefutation) {
        let net = try TestNetworks.random(inputs: Int.random(in: inputs, using: &rng), hiddenLayers: Int.random(in: hiddenLayers, using: &rng),
                                          maxWidth: maxWidth, outputs: 1, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let (x0, trace, refutation) = try caseReached(in: net, box: box, using: &rng)
        return (net, box, x0, trace, refutation)
    }

    /// α-optimised intermediate bounds enclose 5000 sampled points of random networks, and are
    /// never looser than plain back-substitution on the first layer they optimise.
    @Test(arguments: 0..<12) func optimisedIntermediateBoundsAreSound(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7_919 &+ 11)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...5, using: &rng), hiddenLayers: Int.random(in: 2...4, using: &rng),
                                          maxWidth: 8, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let plain = LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment()).bounds
        let optimised = LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment(),
                                                intermediate: IntermediateOptimisation(iterations: 20)).bounds
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 5000, using: &rng) {
            if let v = TestNetworks.violation(net.evaluateTrace(point), optimised) { violations.append(v) }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        // The first ReLU's pre-activations have no earlier slope to optimise; the second's are
        // optimised from the same earlier bounds as plain back-substitution's.
        if net.reluLayersForTests.count >= 2 {
            let second = net.reluLayersForTests[1]
            let before = plain.inputBounds(ofLayer: second), after = optimised.inputBounds(ofLayer: second)
            for j in 0..<before.count {
                #expect(after.lower[j] >= before.lower[j] && after.upper[j] <= before.upper[j])
            }
        }
    }

    /// Rows are independent, so bounding them in batches (here of one or two rows, as on a
    /// network too wide for one batch) gives exactly the bounds of one batch.
    @Test(arguments: 0..<6) func batchesOfRowsChangeNoBound(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 6_151 &+ 1)
        let net = try TestNetworks.random(inputs: Int.random(in: 2...6, using: &rng), hiddenLayers: 3, maxWidth: 12, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let whole = LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment(),
                                            intermediate: IntermediateOptimisation(iterations: 10)).bounds
        var batched = IntermediateOptimisation(iterations: 10)
        batched.rowBudget = 1
        let parts = LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment(), intermediate: batched).bounds
        #expect(parts == whole)
        #expect(LinearRelaxation.chunks(of: Array(0..<7), rowSize: 3, budget: 7).map(Array.init) == [[0, 1], [2, 3], [4, 5], [6]])
        #expect(LinearRelaxation.chunks(of: [4, 5], rowSize: 100, budget: 7).map(Array.init) == [[4], [5]])
    }

    /// Random nodes around a sampled point `x₀` (a random half of the ReLUs fixed to their phase
    /// at `x₀`): the node's bounds enclose every sampled point that meets its phases, and the
    /// case `Y_0 ≤ y₀(x₀) + 10⁻³`, reached at `x₀`, is never proved, whatever α and β the
    /// ascent tries.
    @Test(arguments: 0..<40) func nodesAreSound(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_723 &+ 5)
        let (net, box, x0, trace, refutation) = try Self.randomCaseReached(inputs: 1...4, hiddenLayers: 1...3, maxWidth: 8, using: &rng)
        let bounding = ReLUSplitBounding(members: [refutation], input: box,
                                         options: .init(rootIterations: 20, nodeIterations: 30, splitStep: 0.2, branchingCandidates: 3))
        #expect(!bounding.rootOutcomes[0].proved)
        var phases = PhaseAssignment()
        for layer in bounding.rootBounds.reluLayers {
            let pre = layer == 0 ? x0 : trace[layer - 1]
            for j in bounding.rootBounds.unstableNeurons(inLayer: layer) where Bool.random(using: &rng) {
                phases.fix(layer: layer, neuron: j, to: pre[j] >= 0 ? .active : .inactive)
            }
        }
        let node = bounding.bound([0], phases: phases, known: nil, warm: nil)
        #expect(!node.bounds.isInfeasible)
        #expect(!node.outcomes[0].proved)
        // A grandchild warm-started from the node's multipliers is just as sound.
        let child = bounding.bound([0], phases: phases, known: node.bounds, warm: node.warmStarts)
        #expect(!child.outcomes[0].proved)
        if let split = node.split {
            #expect(node.bounds.unstableNeurons(inLayer: split.layer).contains(split.neuron))
        }
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 3000, using: &rng) {
            let values = net.evaluateTrace(point)
            let meets = phases.isEmpty || bounding.rootBounds.reluLayers.allSatisfy { layer in
                phases.phases(inLayer: layer).allSatisfy { neuron, phase in
                    let pre = layer == 0 ? point[neuron] : values[layer - 1][neuron]
                    return phase == .active ? pre >= 0 : pre <= 0
                }
            }
            guard meets else { continue }
            if let v = TestNetworks.violation(values, node.bounds) { violations.append(v) }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
    }

    /// A root refined again from an earlier root's bounds (as a tree judged too slow starts
    /// again), with larger and more refinement trees: every layer's bounds lie inside the
    /// earlier root's, enclose 3000 sampled points, and the case the sample reaches stays open.
    @Test(arguments: 0..<12) func aRootStartedFromAnEarlierRootIsSoundAndInsideIt(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 15_485_863 &+ 7)
        let (net, box, _, _, refutation) = try Self.randomCaseReached(inputs: 2...5, hiddenLayers: 3...4, maxWidth: 10, using: &rng)
        var options = ReLUSplitBounding.Options(rootIterations: 10)
        options.refinementNodes = 4
        options.refinementRounds = 1
        options.refinementBudget = .seconds(600)
        let first = ReLUSplitBounding(members: [refutation], input: box, options: options)
        options.refinementNodes = 16
        options.refinementRounds = 3
        let second = ReLUSplitBounding(members: [refutation], input: box, known: first.rootBounds, options: options)
        #expect(!second.rootOutcomes[0].proved)
        #expect(second.rootBounds.input == first.rootBounds.input)
        for (k, (before, after)) in zip(first.rootBounds.layers, second.rootBounds.layers).enumerated() {
            for j in 0..<before.count {
                #expect(after.lower[j] >= before.lower[j] && after.upper[j] <= before.upper[j], "layer \(k), neuron \(j)")
            }
        }
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 3000, using: &rng) {
            if let v = TestNetworks.violation(net.evaluateTrace(point), second.rootBounds) { violations.append(v) }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
    }

    /// A node's bounds skip the layers before its first split and its engine reuses the root's
    /// caches: the bounds equal a full interval pass from the root's (the skip is exact, not
    /// only sound), and the node's case bounds stay within rounding of an engine built afresh.
    @Test(arguments: 0..<12) func nodesReuseTheRootExactly(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7_121 &+ 3)
        let net = try TestNetworks.random(inputs: Int.random(in: 2...12, using: &rng), hiddenLayers: Int.random(in: 2...4, using: &rng),
                                          maxWidth: 20, outputs: 1, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let (_, trace, refutation) = try Self.caseReached(in: net, box: box, using: &rng)
        let bounding = ReLUSplitBounding(members: [refutation], input: box, options: .init(rootIterations: 5, nodeIterations: 0))
        // Fix a few phases in the later ReLU layers only, so that the skip has layers to skip.
        var phases = PhaseAssignment()
        for layer in bounding.rootBounds.reluLayers.dropFirst() {
            let pre = trace[layer - 1]
            for j in bounding.rootBounds.unstableNeurons(inLayer: layer) where Bool.random(using: &rng) {
                phases.fix(layer: layer, neuron: j, to: pre[j] >= 0 ? .active : .inactive)
            }
        }
        let node = bounding.bound([0], phases: phases, known: nil, warm: nil)
        let full = ReLUSplitBounding.nodeBounds(of: net, phases: phases, known: bounding.rootBounds, from: 0)
        #expect(node.bounds == full)
        var fresh = BackSubstitution(network: net, bounds: node.bounds)
        fresh.prepare(through: net.layers.count - 1)
        let objective = refutation.objectives[0]
        let afresh = fresh.run(start: net.layers.count - 1, rows: .dense(count: 1, coefficients: objective.outputCoefficients),
                               inputRows: objective.inputCoefficients, constants: [objective.constant]).lower[0]
        let reused = bounding.rootEngine.narrowed(to: node.bounds)
        var prepared = reused
        prepared.prepare(through: net.layers.count - 1)
        let narrowed = prepared.run(start: net.layers.count - 1, rows: .dense(count: 1, coefficients: objective.outputCoefficients),
                                    inputRows: objective.inputCoefficients, constants: [objective.constant]).lower[0]
        // The reused error terms are never smaller, and differ by rounding terms only.
        #expect(narrowed <= afresh)
        #expect(afresh - narrowed <= 1e-9 * (1 + abs(afresh)))
    }

    /// `y = relu(x) − relu(−x)` on x ∈ [−1, 1] with both ReLUs fixed active: the node holds only
    /// x = 0, where y = 0. With the phases y = 2x, so the plain bound of `y + 1` is −1 and
    /// `y ≤ −1` stays open; the split multiplier β = 2 on `x ≥ 0` proves it. The node's ascent
    /// must find such a β, and must not prove the reachable `y ≤ 0`.
    @Test func splitConstraintsProveWhatPlainBoundsCannot() throws {
        let net = try Network(inputShape: [1, 1], layers: [
            .affine(AffineLayer(weights: Matrix([[1], [-1]]), bias: [0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, -1]]), bias: [0])),
        ])
        let box = IntervalVector(lower: [-1], upper: [1])
        let phases = PhaseAssignment().fixing(layer: 1, neuron: 0, to: .active).fixing(layer: 1, neuron: 1, to: .active)
        let unreachable = try RegionRefutation(specCase: Self.unsafe(below: Rational(-1), box: box), network: net)
        #expect(try !unreachable.refute(input: box, phases: phases, within: nil, forwardFilter: false).proved)
        let options = ReLUSplitBounding.Options(nodeIterations: 60, splitStep: 0.2)
        let proved = ReLUSplitBounding(members: [unreachable], input: box, options: options).bound([0], phases: phases, known: nil, warm: nil)
        #expect(proved.outcomes[0].proved)
        // Without the multipliers (no ascent) the same node stays open.
        let noAscent = ReLUSplitBounding(members: [unreachable], input: box, options: .init(nodeIterations: 0))
            .bound([0], phases: phases, known: nil, warm: nil)
        #expect(!noAscent.outcomes[0].proved)

        let reachable = try RegionRefutation(specCase: Self.unsafe(below: Rational(0), box: box), network: net)
        let open = ReLUSplitBounding(members: [reachable], input: box, options: options).bound([0], phases: phases, known: nil, warm: nil)
        #expect(!open.outcomes[0].proved)
    }
}

extension Network {
    /// The indices of the ReLU layers.
    var reluLayersForTests: [Int] { layers.indices.filter { if case .relu = layers[$0] { true } else { false } } }
}
