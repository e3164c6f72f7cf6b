import Foundation
import NetworkIR
import Testing
@testable import Bounds

/// Networks with sigmoid and tanh layers (some carrying entries unchanged): every bounding
/// method (intervals, symbolic intervals, linear relaxation with and without optimised slopes,
/// the Lagrangian dual) encloses the outputs at sampled points of random boxes, narrow and wide, around 0 and away from it;
/// the linear relaxation is tighter than intervals; the relaxed-network evaluation used by the
/// slope optimisation accepts the layers.
@Suite struct SmoothNetworkBoundsTests {
    typealias Generator = SmoothRelaxationTests.SplitMix

    /// Affine, sigmoid, affine, ReLU, affine, tanh, affine with random weights of scale 2; for
    /// odd seeds the smooth layers carry some entries unchanged (as lowered graphs do).
    static func network(seed: UInt64) throws -> Network {
        var generator = Generator(seed: seed)
        func affine(_ rows: Int, _ columns: Int) -> Layer {
            var weights = Matrix.zeros(rows: rows, columns: columns)
            for i in 0..<rows { for j in 0..<columns { weights[i, j] = Double.random(in: -2...2, using: &generator) } }
            return .affine(AffineLayer(weights: weights, bias: (0..<rows).map { _ in Double.random(in: -1...1, using: &generator) }))
        }
        let carries = seed % 2 == 1
        let sigmoid = Layer.smooth(SmoothLayer(.sigmoid, carried: carries ? [false, true, false, false, true, false] : []))
        let tanh = Layer.smooth(SmoothLayer(.tanh, carried: carries ? [true, false, false, true] : []))
        return try Network(inputShape: [3], layers: [affine(6, 3), sigmoid, affine(5, 6), .relu, affine(4, 5), tanh, affine(2, 4)])
    }

    static func boxes() -> [(lower: [Double], upper: [Double])] {
        var generator = Generator(seed: 3)
        return (0..<24).map { k in
            let width = [1e-4, 0.05, 0.5, 3][k % 4]
            let centre = (0..<3).map { _ in Double.random(in: -2...2, using: &generator) }
            return (centre.map { $0 - width }, centre.map { $0 + width })
        }
    }

    @Test(arguments: 0..<4)
    func everyMethodEnclosesSampledOutputs(_ seed: Int) throws {
        let network = try Self.network(seed: UInt64(seed))
        var generator = Generator(seed: 100 + UInt64(seed))
        for (lower, upper) in Self.boxes() {
            let box = IntervalVector(lower: lower, upper: upper)
            let methods: [(String, NetworkBounds)] = [
                ("interval", try IntervalPropagation().bounds(of: network, input: box)),
                ("symbolic", try SymbolicPropagation().bounds(of: network, input: box)),
                ("linear", try LinearRelaxation().bounds(of: network, input: box)),
                ("alpha", try LinearRelaxation(options: .init(slopeIterations: 10)).bounds(of: network, input: box)),
                ("lagrangian", try LagrangianDual(options: .init(maxIterations: 10)).bounds(of: network, input: box)),
            ]
            for sample in 0..<200 {
                let x = (0..<3).map { i in
                    sample < 2 ? (sample == 0 ? lower[i] : upper[i]) : Double.random(in: lower[i]...upper[i], using: &generator)
                }
                let trace = network.evaluateTrace(x)
                for (name, bounds) in methods {
                    for (k, values) in trace.enumerated() {
                        for (j, y) in values.enumerated() {
                            // The float64 evaluation itself is off by a few ulps.
                            let slack = 1e-12 * max(1, abs(y))
                            #expect(bounds.layers[k].lower[j] <= y + slack && y - slack <= bounds.layers[k].upper[j],
                                    "\(name): layer \(k) neuron \(j) = \(y) outside [\(bounds.layers[k].lower[j]), \(bounds.layers[k].upper[j])]")
                        }
                    }
                }
            }
        }
    }

    /// Back-substitution through the smooth layers' lines beats intervals on the output.
    @Test func linearRelaxationIsTighterThanIntervals() throws {
        let network = try Self.network(seed: 1)
        let box = IntervalVector(lower: [-0.3, 0.1, -0.2], upper: [0.2, 0.4, 0.3])
        let interval = try IntervalPropagation().bounds(of: network, input: box).output
        let linear = try LinearRelaxation().bounds(of: network, input: box).output
        let intervalWidth = zip(interval.lower, interval.upper).map { $1 - $0 }.reduce(0, +)
        let linearWidth = zip(linear.lower, linear.upper).map { $1 - $0 }.reduce(0, +)
        #expect(linearWidth < intervalWidth)
    }
}
