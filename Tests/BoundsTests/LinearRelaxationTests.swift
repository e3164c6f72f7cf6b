import Search
import Testing
import ExactArithmetic
import NetworkIR
@testable import Bounds

@Suite struct LinearRelaxationTests {
    /// CROWN on the 2-2-1 network of `IntervalPropagationTests.handNetwork()`, by hand:
    /// both ReLUs have z ∈ [−2, 2], so the chord is a ≤ ½z + 1 and the adaptive lower slope is
    /// α = 1 (u ≥ −l), a ≥ z. Upper: y ≤ ½z0 + 1 + ½z1 + 1 − 1 = x0 + 1 ≤ 2 (interval: 3).
    /// Lower: y ≥ z0 + z1 − 1 = 2x0 − 1 ≥ −3, worse than interval's −1, so the intersection keeps −1.
    @Test func handNetworkCROWN() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let box = IntervalPropagationTests.unitBox
        let bounds = try LinearRelaxation().bounds(of: net, input: box)
        #expect(bounds.output.upper[0] >= 2 && bounds.output.upper[0] < 2 + 1e-12)
        #expect(bounds.output.lower[0] <= -1 && bounds.output.lower[0] > -1 - 1e-12)
        // The raw back-substitution values.
        var engine = BackSubstitution(network: net, bounds: bounds)
        engine.prepare(through: 2)
        let low = engine.run(start: 2, rows: .units(neurons: [0], negated: false)).lower[0]
        let high = -engine.run(start: 2, rows: .units(neurons: [0], negated: true)).lower[0]
        #expect(low <= -3 && low > -3 - 1e-12)
        #expect(high >= 2 && high < 2 + 1e-12)
    }

    /// The objective y − x0 has true minimum −1 (at x = 0). Plain CROWN (α = 1) and the boxes
    /// give −2; the best slopes α = ½ give exactly −1, which α optimisation should approach.
    @Test func slopeOptimisationTightens() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let bounds = try LinearRelaxation().bounds(of: net, input: IntervalPropagationTests.unitBox)
        let objective = LinearObjective(outputCoefficients: [1], inputCoefficients: [-1, 0])
        let plain = try LinearRelaxation().lowerBounds(of: [objective], in: net, over: bounds)[0]
        #expect(plain.lower <= -2 && plain.lower > -2 - 1e-12)
        let optimised = try LinearRelaxation(options: .init(slopeIterations: 40)).lowerBounds(of: [objective], in: net, over: bounds)[0]
        #expect(optimised.lower <= -1)
        #expect(optimised.lower > -1.1)
        // Certificate: the multipliers' exact dual value is at least the reported bound.
        let exact = ExactReference.dualValue(network: net, bounds: bounds, objective: objective, multipliers: optimised.multipliers)
        #expect(ExactReference.r(optimised.lower) <= exact)
    }

    /// Bounds of every layer enclose 5000 sampled points; linear bounds are inside interval
    /// bounds; objective bounds are below every sampled value and below the exact dual value
    /// of their own multipliers.
    @Test(arguments: 0..<16) func soundOnRandomNetworks(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...5, using: &rng), hiddenLayers: Int.random(in: 1...4, using: &rng),
                                          maxWidth: 8, outputs: Int.random(in: 1...3, using: &rng), using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let interval = try IntervalPropagation().bounds(of: net, input: box)
        let linear = try LinearRelaxation().bounds(of: net, input: box)
        let dual = try LagrangianDual(options: .init(maxIterations: 30)).bounds(of: net, input: box)
        let objectives = (0..<3).map { _ in
            LinearObjective(outputCoefficients: (0..<net.outputSize).map { _ in Double.random(in: -1...1, using: &rng) },
                            inputCoefficients: (0..<net.inputSize).map { _ in Double.random(in: -0.5...0.5, using: &rng) },
                            constant: Double.random(in: -1...1, using: &rng))
        }
        let objectiveBounds = try LinearRelaxation(options: .init(slopeIterations: 10)).lowerBounds(of: objectives, in: net, over: linear)
        var minimum = [Double](repeating: .infinity, count: objectives.count)
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 5000, using: &rng) {
            let trace = net.evaluateTrace(point)
            for (name, bounds) in [("interval", interval), ("linear", linear), ("lagrangian", dual)] {
                if let v = TestNetworks.violation(trace, bounds) { violations.append("\(name): \(v)") }
            }
            let y = trace.last ?? point
            for r in objectives.indices {
                var value = objectives[r].constant
                for j in y.indices { value += objectives[r].outputCoefficients[j] * y[j] }
                for j in point.indices { value += objectives[r].inputCoefficients[j] * point[j] }
                minimum[r] = min(minimum[r], value)
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        for k in linear.layers.indices {
            for j in 0..<linear.layers[k].count {
                #expect(linear.layers[k].lower[j] >= interval.layers[k].lower[j] && linear.layers[k].upper[j] <= interval.layers[k].upper[j])
            }
        }
        for j in 0..<net.outputSize {
            #expect(dual.output.lower[j] >= linear.output.lower[j] && dual.output.upper[j] <= linear.output.upper[j])
        }
        for (r, bound) in objectiveBounds.enumerated() {
            #expect(bound.lower <= minimum[r] + 1e-9 * (1 + abs(minimum[r])), "objective \(r): bound \(bound.lower) above sampled minimum \(minimum[r])")
            // The exact check is slow in rationals; one objective per network suffices.
            guard r == 0 else { continue }
            let exact = ExactReference.dualValue(network: net, bounds: linear, objective: objectives[r], multipliers: bound.multipliers)
            #expect(ExactReference.r(bound.lower) <= exact || bound.lower == objectives[r].boxLowerBound(output: linear.output, input: linear.input),
                    "objective \(r): float bound exceeds the exact dual value of its multipliers")
        }
    }

    /// With phases fixed, bounds hold for every sampled point of the sub-region.
    @Test(arguments: 0..<12) func phasesAreRespected(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 31 &+ 1_000_003)
        let net = try TestNetworks.random(inputs: 2, hiddenLayers: 2, maxWidth: 5, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(2, using: &rng)
        let free = try LinearRelaxation().bounds(of: net, input: box)
        // Fix the first unstable neuron of each ReLU layer to a random phase.
        var phases = PhaseAssignment()
        for layer in free.reluLayers {
            if let neuron = free.unstableNeurons(inLayer: layer).first {
                phases.fix(layer: layer, neuron: neuron, to: Bool.random(using: &rng) ? .active : .inactive)
            }
        }
        let methods: [(String, NetworkBounds)] = [
            ("interval", try IntervalPropagation().bounds(of: net, input: box, phases: phases)),
            ("linear", try LinearRelaxation().bounds(of: net, input: box, phases: phases)),
            ("lagrangian", try LagrangianDual(options: .init(maxIterations: 20)).bounds(of: net, input: box, phases: phases)),
        ]
        var inside = 0
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 5000, using: &rng) {
            let trace = net.evaluateTrace(point)
            let matches = phases.isEmpty || free.reluLayers.allSatisfy { layer in
                phases.phases(inLayer: layer).allSatisfy { neuron, phase in
                    let pre = layer == 0 ? point[neuron] : trace[layer - 1][neuron]
                    return phase == .active ? pre >= 0 : pre <= 0
                }
            }
            guard matches else { continue }
            inside += 1
            for (name, bounds) in methods {
                if bounds.isInfeasible { violations.append("\(name) claims an empty sub-region that contains a point") }
                if let v = TestNetworks.violation(trace, bounds) { violations.append("\(name): \(v)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        for (_, bounds) in methods where !bounds.isInfeasible {
            for layer in bounds.reluLayers {
                for (neuron, phase) in phases.phases(inLayer: layer) { #expect(bounds.stablePhase(layer: layer, neuron: neuron) == phase) }
            }
        }
        _ = inside
    }

    /// Every intermediate back-substitution bound (the unit rows behind each layer's box) is at
    /// most the exact dual value of its multipliers, computed in rationals on the network cut
    /// after that layer.
    @Test(arguments: 0..<5) func intermediateBoundsAreCertifiedExactly(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 977 &+ 41)
        let net = try TestNetworks.random(inputs: 3, hiddenLayers: 3, maxWidth: 5, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(3, using: &rng)
        let bounds = try LinearRelaxation().bounds(of: net, input: box)
        var engine = BackSubstitution(network: net, bounds: bounds)
        engine.prepare(through: net.layers.count - 1)
        for k in net.layers.indices {
            if case .relu = net.layers[k] { continue }
            let prefix = try Network(inputShape: net.inputShape, layers: Array(net.layers[0...k]))
            let prefixBounds = NetworkBounds(input: bounds.input, layers: Array(bounds.layers[0...k]),
                                             reluLayers: bounds.reluLayers.filter { $0 <= k })
            for j in 0..<net.layerSizes[k] {
                for negated in [false, true] {
                    let fast = engine.run(start: k, rows: .units(neurons: [j], negated: negated)).lower[0]
                    let recorded = engine.run(start: k, rows: .units(neurons: [j], negated: negated), record: true)
                    var c = [Double](repeating: 0, count: net.layerSizes[k])
                    c[j] = negated ? -1 : 1
                    let objective = LinearObjective(outputCoefficients: c, inputCoefficients: [Double](repeating: 0, count: 3))
                    let exact = ExactReference.dualValue(network: prefix, bounds: prefixBounds, objective: objective,
                                                         multipliers: recorded.multipliers)
                    #expect(ExactReference.r(fast) <= exact, "layer \(k) neuron \(j) negated \(negated)")
                    #expect(ExactReference.r(recorded.lower[0]) <= exact)
                }
            }
        }
    }
}
