import Search
import Testing
import ExactArithmetic
import NetworkIR
import VNNLIB
@testable import Bounds

@Suite struct SymbolicPropagationTests {
    /// The 2-2-1 hand network of `IntervalPropagationTests` on [−1, 1]²: both pre-activations
    /// are linear functions with range [−2, 2]. Upper: the chord ½z + 1 on each, so
    /// y ≤ ½(x0+x1) + 1 + ½(x0−x1) + 1 − 1 = x0 + 1 ≤ 2. Lower: with u = −l DeepPoly's rule picks
    /// slope 0, so y ≥ 0 + 0 − 1 = −1.
    @Test func handNetwork() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let bounds = try SymbolicPropagation().bounds(of: net, input: IntervalPropagationTests.unitBox)
        #expect(bounds.output.upper[0] >= 2 && bounds.output.upper[0] < 2 + 1e-12)
        #expect(bounds.output.lower[0] <= -1 && bounds.output.lower[0] > -1 - 1e-12)
    }

    /// Every layer's bounds enclose sampled points, for the forward pass alone, for the
    /// forward-filtered linear relaxation, and both within the bounds of an enclosing box; the
    /// filtered relaxation lies within interval propagation and within the enclosing bounds.
    @Test(arguments: 0..<24) func soundOnRandomNetworks(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 11)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...5, using: &rng), hiddenLayers: Int.random(in: 1...4, using: &rng),
                                          maxWidth: 10, outputs: Int.random(in: 1...3, using: &rng), using: &rng)
        let outer = TestNetworks.randomBox(net.inputSize, using: &rng)
        // A sub-box of the outer box.
        var inner = outer
        for j in 0..<outer.count {
            let a = Double.random(in: outer.lower[j]...outer.upper[j], using: &rng)
            let b = Double.random(in: outer.lower[j]...outer.upper[j], using: &rng)
            inner.set(j, lower: min(a, b), upper: max(a, b))
        }
        let parent = try LinearRelaxation().bounds(of: net, input: outer)
        let forward = try SymbolicPropagation().bounds(of: net, input: inner)
        let forwardWithin = try SymbolicPropagation().bounds(of: net, input: inner, within: parent)
        let filtered = try LinearRelaxation().bounds(of: net, input: inner, within: parent, forwardFilter: true)
        let interval = try IntervalPropagation().bounds(of: net, input: inner)
        var violations: [String] = []
        for point in TestNetworks.samples(of: inner, count: 3000, using: &rng) {
            let trace = net.evaluateTrace(point)
            for (name, bounds) in [("forward", forward), ("forward within parent", forwardWithin), ("filtered", filtered)] {
                if let v = TestNetworks.violation(trace, bounds) { violations.append("\(name): \(v)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        for k in filtered.layers.indices {
            for j in 0..<filtered.layers[k].count {
                #expect(filtered.layers[k].lower[j] >= max(interval.layers[k].lower[j], parent.layers[k].lower[j]))
                #expect(filtered.layers[k].upper[j] <= min(interval.layers[k].upper[j], parent.layers[k].upper[j]))
                #expect(forwardWithin.layers[k].lower[j] >= parent.layers[k].lower[j])
                #expect(forwardWithin.layers[k].upper[j] <= parent.layers[k].upper[j])
            }
        }
    }

    /// Rounding, tested where no relaxation gap hides it: an affine network (no ReLU) on a box
    /// of one point. The bounds must contain the exact rational output, and be tight to 1e-8
    /// relative (the a-priori error bounds grow with |W| layer after layer, but not beyond that).
    @Test(arguments: 0..<12) func enclosesExactAffineValue(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 401)
        var size = Int.random(in: 1...6, using: &rng)
        let inputs = size
        var layers: [Layer] = []
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let next = Int.random(in: 1...12, using: &rng)
            let w = (0..<(next * size)).map { _ in Double.random(in: -3...3, using: &rng) }
            let b = (0..<next).map { _ in Double.random(in: -1...1, using: &rng) }
            layers.append(.affine(AffineLayer(weights: Matrix(rows: next, columns: size, storage: w), bias: b)))
            if Bool.random(using: &rng) {
                layers.append(.divide(divisors: (0..<next).map { _ in Double.random(in: 0.1...7, using: &rng) * (Bool.random(using: &rng) ? 1 : -1) }))
            }
            size = next
        }
        let net = try Network(inputShape: [1, inputs], layers: layers)
        let point = (0..<inputs).map { _ in Double.random(in: -2...2, using: &rng) }
        let bounds = try SymbolicPropagation().bounds(of: net, input: IntervalVector(point: point))
        // Exact evaluation.
        var values = point.map { ExactReference.r($0) }
        for layer in layers {
            switch layer {
            case let .affine(affine):
                values = (0..<affine.outputSize).map { i in
                    var sum = ExactReference.r(affine.bias[i])
                    for j in 0..<affine.inputSize { sum = sum + ExactReference.r(affine.weights[i, j]) * values[j] }
                    return sum
                }
            case let .divide(divisors):
                values = zip(values, divisors).map { $0 / ExactReference.r($1) }
            case .relu, .smooth:
                Issue.record("the network has only affine and divide layers")
            }
        }
        for j in values.indices {
            #expect(ExactReference.r(bounds.output.lower[j]) <= values[j])
            #expect(values[j] <= ExactReference.r(bounds.output.upper[j]))
            #expect(bounds.output.upper[j] - bounds.output.lower[j] <= 1e-8 * (1 + abs(bounds.output.upper[j])))
        }
    }

    /// Fixed phases that contradict the bounds make the region infeasible.
    @Test func contradictoryPhasesAreInfeasible() throws {
        // y = relu(x + 3) on x ∈ [−1, 1]: the pre-activation is in [2, 4], never inactive.
        let net = try Network(inputShape: [1, 1], layers: [
            .affine(AffineLayer(weights: Matrix([[1]]), bias: [3])), .relu,
            .affine(AffineLayer(weights: Matrix([[1]]), bias: [0])),
        ])
        let phases = PhaseAssignment().fixing(layer: 1, neuron: 0, to: .inactive)
        let bounds = try SymbolicPropagation().bounds(of: net, input: IntervalVector(lower: [-1], upper: [1]), phases: phases)
        #expect(bounds.isInfeasible)
        let feasible = try SymbolicPropagation().bounds(of: net, input: IntervalVector(lower: [-1], upper: [1]),
                                                         phases: PhaseAssignment().fixing(layer: 1, neuron: 0, to: .active))
        #expect(!feasible.isInfeasible)
    }

    /// Bounds of a region of another shape are refused.
    @Test func mismatchedKnownBoundsThrow() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let other = try Network(inputShape: [1, 1], layers: [.affine(AffineLayer(weights: Matrix([[1]]), bias: [0]))])
        let wrong = try IntervalPropagation().bounds(of: other, input: IntervalVector(lower: [0], upper: [1]))
        #expect(throws: BoundsError.self) {
            try SymbolicPropagation().bounds(of: net, input: IntervalPropagationTests.unitBox, within: wrong)
        }
    }
}

@Suite struct RegionRefutationTests {
    /// y0 = x, y1 = −x on x ∈ [−1, 1].
    static func mirror() throws -> Network {
        try Network(inputShape: [1, 1], layers: [.affine(AffineLayer(weights: Matrix([[1], [-1]]), bias: [0, 0]))])
    }

    static func specCase(constant: String) throws -> SpecificationCase {
        let text = """
        (declare-const X_0 Real)
        (declare-const Y_0 Real)
        (declare-const Y_1 Real)
        (assert (>= X_0 -1))
        (assert (<= X_0 1))
        (assert (<= Y_0 \(constant)))
        (assert (<= Y_1 \(constant)))
        """
        return try PropertyParser.parse(text: text, fileName: "mirror.vnnlib").cases[0]
    }

    /// Unsafe needs x ≤ −0.1 and −x ≤ −0.1: empty, but each constraint alone is reachable. Only
    /// the combination ½(y0 + 0.1) + ½(y1 + 0.1) = 0.1 > 0 proves it.
    @Test func combinationProvesWhatNoSingleConstraintDoes() throws {
        let net = try Self.mirror()
        let box = IntervalVector(lower: [-1], upper: [1])
        let bounds = try LinearRelaxation().bounds(of: net, input: box)
        let specCase = try Self.specCase(constant: "-0.1")
        let alone = try RegionRefutation(specCase: specCase, network: net, combinesConstraints: false).refute(over: bounds)
        #expect(!alone.proved)
        let combined = try RegionRefutation(specCase: specCase, network: net).refute(over: bounds)
        #expect(combined.proved)
    }

    /// With y ≤ 0.1 the unsafe set is x ∈ [−0.1, 0.1]: nothing may prove it.
    @Test func reachableCaseIsNeverProved() throws {
        let net = try Self.mirror()
        let specCase = try Self.specCase(constant: "0.1")
        let refutation = try RegionRefutation(specCase: specCase, network: net)
        for (low, high) in [(-1.0, 1.0), (-0.1, 0.1), (0.0, 0.0), (-0.1, -0.1), (0.05, 0.5)] {
            let outcome = try refutation.refute(input: IntervalVector(lower: [low], upper: [high]), phases: PhaseAssignment(),
                                                within: nil, forwardFilter: true)
            #expect(!outcome.proved, "[\(low), \(high)]")
        }
        // Outside the unsafe interval it is proved.
        let outside = try refutation.refute(input: IntervalVector(lower: [0.2], upper: [1]), phases: PhaseAssignment(),
                                            within: nil, forwardFilter: true)
        #expect(outside.proved)
    }
}
