import Search
import Testing
import NetworkIR
@testable import Bounds

/// Bounds of networks whose affine layers are stored sparse (as large convolutions are): every
/// pass encloses sampled points, agrees with the dense copy up to rounding, and objective
/// bounds stay below the exact dual value of their multipliers.
@Suite struct SparseLayerBoundsTests {
    static func sparseCopy(_ network: Network) throws -> Network {
        try Network(inputShape: network.inputShape, layers: network.layers.map { layer in
            guard case let .affine(affine) = layer else { return layer }
            return .affine(AffineLayer(matrix: .sparse(SparseMatrix(affine.weights)), bias: affine.bias))
        })
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * (1 + abs(a) + abs(b))
    }

    @Test(arguments: 0..<10) func sparseBoundsAreSoundAndMatchDense(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7_919 &+ 11)
        let dense = try TestNetworks.random(inputs: Int.random(in: 2...5, using: &rng), hiddenLayers: Int.random(in: 1...3, using: &rng),
                                            maxWidth: 9, outputs: 2, using: &rng)
        let sparse = try Self.sparseCopy(dense)
        #expect(sparse.hasSparseLayers)
        let box = TestNetworks.randomBox(dense.inputSize, using: &rng)
        let methods: [(String, (Network) throws -> NetworkBounds)] = [
            ("interval", { try IntervalPropagation().bounds(of: $0, input: box) }),
            ("linear", { try LinearRelaxation().bounds(of: $0, input: box) }),
            ("symbolic", { try SymbolicPropagation().bounds(of: $0, input: box) }),
            ("lagrangian", { try LagrangianDual(options: .init(maxIterations: 20)).bounds(of: $0, input: box) }),
        ]
        let samples = TestNetworks.samples(of: box, count: 2000, using: &rng)
        for (name, method) in methods {
            let s = try method(sparse), d = try method(dense)
            for point in samples {
                if let v = TestNetworks.violation(sparse.evaluateTrace(point), s) { Issue.record("\(name): \(v)"); break }
            }
            for k in s.layers.indices {
                for j in 0..<s.layers[k].count {
                    #expect(Self.close(s.layers[k].lower[j], d.layers[k].lower[j]) && Self.close(s.layers[k].upper[j], d.layers[k].upper[j]),
                            "\(name) layer \(k) neuron \(j): sparse [\(s.layers[k].lower[j]), \(s.layers[k].upper[j])], dense [\(d.layers[k].lower[j]), \(d.layers[k].upper[j])]")
                }
            }
        }
        let linear = try LinearRelaxation().bounds(of: sparse, input: box)
        let objective = LinearObjective(outputCoefficients: [1, -1], inputCoefficients: Array(repeating: 0, count: sparse.inputSize))
        let bound = try LinearRelaxation(options: .init(slopeIterations: 10)).lowerBounds(of: [objective], in: sparse, over: linear)[0]
        let exact = ExactReference.dualValue(network: sparse, bounds: linear, objective: objective, multipliers: bound.multipliers)
        #expect(ExactReference.r(bound.lower) <= exact || bound.lower == objective.boxLowerBound(output: linear.output, input: linear.input))
    }
}
