import Search
import Testing
import ExactArithmetic
import NetworkIR
@testable import Bounds

@Suite struct IntervalPropagationTests {
    /// The hand-computed 2-2-1 network used across the bounds tests:
    ///
    /// ```
    ///   x0 ∈ [-1, 1] ──┬── (+1) ──▶ z0 = x0 + x1 ──relu──▶ a0 ──(+1)──┐
    ///                  ╳                                               ├──▶ y = a0 + a1 − 1
    ///   x1 ∈ [-1, 1] ──┴── (±1) ──▶ z1 = x0 − x1 ──relu──▶ a1 ──(+1)──┘
    /// ```
    /// Interval: z ∈ [−2, 2]², a ∈ [0, 2]², y ∈ [−1, 3]. True range of y: [−1, 1].
    static func handNetwork() throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 1], [1, -1]]), bias: [0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [-1])),
        ])
    }

    static let unitBox = IntervalVector(lower: [-1, -1], upper: [1, 1])

    @Test func handNetworkIntervals() throws {
        let bounds = try IntervalPropagation().bounds(of: Self.handNetwork(), input: Self.unitBox)
        // Outward rounding may move each end by a few ulps only.
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-13 }
        #expect(bounds.layers.count == 3)
        #expect(zip(bounds.layers[0].lower, [-2.0, -2]).allSatisfy { close($0, $1) && $0 <= $1 })
        #expect(zip(bounds.layers[0].upper, [2.0, 2]).allSatisfy { close($0, $1) && $0 >= $1 })
        #expect(bounds.layers[1].lower == [0, 0])
        #expect(close(bounds.output.lower[0], -1) && bounds.output.lower[0] <= -1)
        #expect(close(bounds.output.upper[0], 3) && bounds.output.upper[0] >= 3)
        #expect(bounds.unstableCounts == [2])
        #expect(bounds.reluLayers == [1])
        #expect(!bounds.isStable(layer: 1, neuron: 0))
    }

    /// A sum whose naive floating-point value is 0 but whose exact value is 1: the upper bound
    /// must still reach 1, or a property `y ≥ 0.5` would be "proved" unreachable.
    @Test func roundingCannotHideMass() throws {
        let net = try Network(inputShape: [1], layers: [
            .affine(AffineLayer(weights: Matrix([[1], [1], [1]]), bias: [0, 0, 0])),
            .affine(AffineLayer(weights: Matrix([[1e16, 1, -1e16]]), bias: [0])),
        ])
        let naive = net.evaluate([1])[0]
        #expect(naive == 0)  // the trap: double evaluation loses the 1
        for method in [0, 1] {
            let box = IntervalVector(point: [1])
            let bounds = method == 0 ? try IntervalPropagation().bounds(of: net, input: box)
                                     : try LinearRelaxation().bounds(of: net, input: box)
            #expect(bounds.output.upper[0] >= 1, "method \(method)")
            #expect(bounds.output.lower[0] <= 1, "method \(method)")
        }
    }

    /// Float interval bounds enclose the exact-rational interval bounds, layer by layer.
    @Test(arguments: 0..<40) func enclosesExactIntervalBounds(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...4, using: &rng), hiddenLayers: Int.random(in: 1...3, using: &rng),
                                          maxWidth: 6, outputs: Int.random(in: 1...3, using: &rng), using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let bounds = try IntervalPropagation().bounds(of: net, input: box)
        let exact = ExactReference.intervalBounds(of: net, lower: box.lower.map(ExactReference.r), upper: box.upper.map(ExactReference.r))
        for (k, layer) in exact.enumerated() {
            for j in layer.lower.indices {
                #expect(ExactReference.r(bounds.layers[k].lower[j]) <= layer.lower[j], "layer \(k) neuron \(j) lower")
                #expect(ExactReference.r(bounds.layers[k].upper[j]) >= layer.upper[j], "layer \(k) neuron \(j) upper")
                // …and only by rounding: within 1e-9 relative.
                let width = abs(layer.upper[j].toDouble()) + abs(layer.lower[j].toDouble()) + 1
                #expect(layer.lower[j].toDouble() - bounds.layers[k].lower[j] <= 1e-9 * width)
            }
        }
    }

    /// Rows long enough for the vectorised kernel's lanes and its tail (8, 9, 17 and 33 inputs,
    /// one with a large cancellation): both the vectorised and the portable image enclose the
    /// exact image and agree with each other to rounding.
    @Test(arguments: [8, 9, 17, 33]) func wideRowsEncloseExactImageOnBothPaths(inputs: Int) throws {
        var rng = SplitMix64(seed: UInt64(inputs) &* 31 &+ 7)
        var w = (0..<(5 * inputs)).map { _ in Int.random(in: 0..<8, using: &rng) == 0 ? 0 : Double.random(in: -1...1, using: &rng) }
        w[0] = 1e16
        w[inputs - 1] = -1e16
        let bias = (0..<5).map { _ in Double.random(in: -0.5...0.5, using: &rng) }
        let affine = AffineLayer(weights: Matrix(rows: 5, columns: inputs, storage: w), bias: bias)
        let net = try Network(inputShape: [1, inputs], layers: [.affine(affine)])
        let box = TestNetworks.randomBox(inputs, using: &rng)
        let exact = ExactReference.intervalBounds(of: net, lower: box.lower.map(ExactReference.r), upper: box.upper.map(ExactReference.r))[0]
        let vectorised = IntervalPropagation.image(of: affine, over: box, vectorised: true)
        let portable = IntervalPropagation.image(of: affine, over: box, vectorised: false)
        for image in [vectorised, portable] {
            for i in 0..<5 {
                #expect(ExactReference.r(image.lower[i]) <= exact.lower[i], "row \(i) lower")
                #expect(ExactReference.r(image.upper[i]) >= exact.upper[i], "row \(i) upper")
            }
        }
        for i in 0..<5 {
            let scale = abs(bias[i]) + (0..<inputs).reduce(0) { $0 + abs(w[i * inputs + $1]) * 2 } + 1
            #expect(abs(vectorised.lower[i] - portable.lower[i]) <= 1e-12 * scale)
            #expect(abs(vectorised.upper[i] - portable.upper[i]) <= 1e-12 * scale)
        }
    }

    @Test func infiniteEndsStayInfiniteWithoutNaN() throws {
        let net = try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 0], [0, -2], [0, 0]]), bias: [1, 0, 3])),
            .relu,
        ])
        let box = IntervalVector(lower: [-.infinity, 0], upper: [1, .infinity])
        let bounds = try IntervalPropagation().bounds(of: net, input: box)
        #expect(bounds.layers[0].lower[0] == -.infinity)
        #expect(bounds.layers[0].upper[0] >= 2)
        #expect(bounds.layers[0].lower[1] == -.infinity && bounds.layers[0].upper[1] >= 0)
        #expect(bounds.layers[0].lower[2] <= 3 && bounds.layers[0].upper[2] >= 3 && bounds.layers[0].upper[2] < 3.001)
        #expect(!bounds.layers.contains { $0.lower.contains(where: \.isNaN) || $0.upper.contains(where: \.isNaN) })
    }

    @Test func phasesClipPreActivationsAndDetectEmptyRegions() throws {
        let net = try Self.handNetwork()
        var phases = PhaseAssignment()
        phases.fix(layer: 1, neuron: 0, to: .inactive)
        phases.fix(layer: 1, neuron: 1, to: .active)
        let bounds = try IntervalPropagation().bounds(of: net, input: Self.unitBox, phases: phases)
        #expect(bounds.layers[0].upper[0] == 0 && bounds.layers[0].lower[1] == 0)
        #expect(bounds.layers[1].upper[0] == 0)
        #expect(bounds.unstableCounts == [0])
        #expect(bounds.stablePhase(layer: 1, neuron: 1) == .active)
        #expect(!bounds.isInfeasible)
        // z0 = x0 + x1 ≥ 1.5 on this box, so "inactive" is impossible.
        let high = IntervalVector(lower: [0.75, 0.75], upper: [1, 1])
        let empty = try IntervalPropagation().bounds(of: net, input: high, phases: PhaseAssignment().fixing(layer: 1, neuron: 0, to: .inactive))
        #expect(empty.isInfeasible)
    }

    @Test func rejectsBadInputs() throws {
        let net = try Self.handNetwork()
        #expect(throws: BoundsError.inputSizeMismatch(expected: 2, actual: 1)) {
            try IntervalPropagation().bounds(of: net, input: IntervalVector(point: [0]))
        }
        #expect(throws: BoundsError.invalidPhase(layer: 0, neuron: 0, reason: "layer 0 is affine, not relu")) {
            try IntervalPropagation().bounds(of: net, input: Self.unitBox, phases: PhaseAssignment().fixing(layer: 0, neuron: 0, to: .active))
        }
        #expect(throws: BoundsError.invalidPhase(layer: 1, neuron: 5, reason: "layer 1 has 2 neurons")) {
            try LinearRelaxation().bounds(of: net, input: Self.unitBox, phases: PhaseAssignment().fixing(layer: 1, neuron: 5, to: .active))
        }
        #expect(BoundsError.inputSizeMismatch(expected: 2, actual: 1).description == "input box has 1 coordinates but the network takes 2 inputs")
    }
}
