import Search
import Testing
import ExactArithmetic
import NetworkIR
@testable import Bounds

@Suite struct LagrangianDualTests {
    /// On y − x0 over the hand network (true minimum −1, CROWN and boxes −2, triangle-LP
    /// optimum −1), the dual improves on its warm start and approaches −1 from below.
    @Test func improvesOnCROWNForTheHandNetwork() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let bounds = try LinearRelaxation().bounds(of: net, input: IntervalPropagationTests.unitBox)
        let objective = LinearObjective(outputCoefficients: [1], inputCoefficients: [-1, 0])
        let result = try LagrangianDual(options: .init(maxIterations: 300, patience: 300, recordTrace: true))
            .lowerBound(of: objective, in: net, over: bounds)
        #expect(result.trace.first.map { $0.bound <= -2 + 1e-9 } == true)
        #expect(result.lower <= -1)
        #expect(result.lower > -1.2, "dual stuck at \(result.lower)")
        let exact = ExactReference.dualValue(network: net, bounds: bounds, objective: objective, multipliers: result.multipliers)
        #expect(ExactReference.r(result.lower) <= exact)
    }

    /// Every iterate is a valid bound (below the sampled minimum), the best never worsens, the
    /// result is at least as tight as interval propagation and as back-substitution, and its
    /// multipliers certify it exactly.
    @Test(arguments: 0..<10) func anytimeAndSound(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 2_654_435_761 &+ 11)
        let net = try TestNetworks.random(inputs: Int.random(in: 2...4, using: &rng), hiddenLayers: Int.random(in: 1...3, using: &rng),
                                          maxWidth: 7, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let interval = try IntervalPropagation().bounds(of: net, input: box)
        let linear = try LinearRelaxation().bounds(of: net, input: box)
        let objective = LinearObjective(outputCoefficients: [1, -1], inputCoefficients: [Double](repeating: 0, count: net.inputSize))
        var minimum = Double.infinity
        for point in TestNetworks.samples(of: box, count: 5000, using: &rng) {
            let y = net.evaluate(point)
            minimum = min(minimum, y[0] - y[1])
        }
        var live: [LagrangianDual.TraceEntry] = []
        let result = try LagrangianDual(options: .init(maxIterations: 150, patience: 150, recordTrace: true))
            .lowerBound(of: objective, in: net, over: linear) { live.append($0) }
        #expect(live == result.trace)
        #expect(result.trace.count == result.iterations + 1)
        var previousBest = -Double.infinity
        for entry in result.trace {
            #expect(entry.bound <= minimum + 1e-9 * (1 + abs(minimum)), "iteration \(entry.iteration): \(entry.bound) > sampled min \(minimum)")
            #expect(entry.best >= previousBest)
            #expect(entry.best >= entry.bound)
            previousBest = entry.best
        }
        #expect(result.lower == previousBest)
        let intervalBound = objective.boxLowerBound(output: interval.output, input: interval.input)
        let crown = try LinearRelaxation().lowerBounds(of: [objective], in: net, over: linear)[0].lower
        #expect(result.lower >= intervalBound)
        #expect(result.lower >= crown)
        print("DUALGAIN seed \(seed): interval \(intervalBound) crown \(crown) dual start \(result.trace[0].bound) best \(result.lower) sampled \(minimum)")
        if !result.multipliers.isEmpty {
            let exact = ExactReference.dualValue(network: net, bounds: linear, objective: objective, multipliers: result.multipliers)
            #expect(ExactReference.r(result.lower) <= exact || result.lower == objective.boxLowerBound(output: linear.output, input: linear.input))
        }
    }

    @Test func stopsAtTargetAndDeadline() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let bounds = try LinearRelaxation().bounds(of: net, input: IntervalPropagationTests.unitBox)
        let objective = LinearObjective(outputCoefficients: [1], inputCoefficients: [-1, 0], constant: 3)
        // True minimum 2: any bound above 0 reaches the target at once (warm start gives 1).
        let proved = try LagrangianDual(options: .init(maxIterations: 100, target: 0)).lowerBound(of: objective, in: net, over: bounds)
        #expect(proved.stopReason == .reachedTarget && proved.iterations == 0 && proved.lower > 0)
        let late = try LagrangianDual(options: .init(maxIterations: 100, deadline: ContinuousClock().now)).lowerBound(of: objective.negated, in: net, over: bounds)
        #expect(late.stopReason == .deadline && late.iterations == 0)
        let stalled = try LagrangianDual(options: .init(maxIterations: 1000, patience: 5)).lowerBound(of: objective.negated, in: net, over: bounds)
        #expect(stalled.stopReason == .stalled && stalled.iterations < 1000)
    }

    @Test func roundingCannotHideMass() throws {
        let net = try Network(inputShape: [1], layers: [
            .affine(AffineLayer(weights: Matrix([[1], [1], [1]]), bias: [0, 0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1e16, 1, -1e16]]), bias: [0])),
        ])
        let box = IntervalVector(lower: [1], upper: [1])
        let bounds = try LagrangianDual().bounds(of: net, input: box)
        #expect(bounds.output.upper[0] >= 1 && bounds.output.lower[0] <= 1)
        let upper = try LagrangianDual().lowerBound(of: LinearObjective.output(0, of: net, negated: true), in: net, over: bounds)
        #expect(-upper.lower >= 1)
    }

    /// Weak duality with arbitrary multipliers: random μ give a sound value that is below the
    /// exact rational dual value, which is below every sampled objective value.
    @Test(arguments: 0..<6) func anyMultipliersGiveAValidBound(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 31_337 &+ 7)
        let net = try TestNetworks.random(inputs: 2, hiddenLayers: 2, maxWidth: 4, outputs: 2, using: &rng)
        let box = TestNetworks.randomBox(2, using: &rng)
        let bounds = try LinearRelaxation().bounds(of: net, input: box)
        var engine = BackSubstitution(network: net, bounds: bounds)
        engine.prepare(through: net.layers.count - 1)
        let objective = LinearObjective(outputCoefficients: [1, 0.5], inputCoefficients: [0.25, -1], constant: 0.125)
        var minimum = Double.infinity
        for point in TestNetworks.samples(of: box, count: 2000, using: &rng) {
            let y = net.evaluate(point)
            minimum = min(minimum, y[0] + 0.5 * y[1] + 0.25 * point[0] - point[1] + 0.125)
        }
        for _ in 0..<5 {
            let mu = net.layerSizes.map { size in (0..<size).map { _ in Double.random(in: -2...2, using: &rng) } }
            let value = DualEvaluator(engine: engine, objective: objective).evaluate(mu)
            let exact = ExactReference.dualValue(network: net, bounds: bounds, objective: objective, multipliers: mu)
            #expect(ExactReference.r(value) <= exact)
            #expect(value <= minimum + 1e-9 * (1 + abs(minimum)))
        }
    }
}
