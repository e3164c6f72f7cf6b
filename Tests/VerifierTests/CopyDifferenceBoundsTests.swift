import Foundation
import NetworkIR
import Testing
import VNNLIB
@testable import Verifier

/// The difference bounds of two ordered copies: they contain every sampled difference, and
/// they prove a monotone network but not a non-monotone one.
@Suite struct CopyDifferenceBoundsTests {
    static let query = """
    (vnnlib-version <2.0>)
    (declare-network f (declare-input X Real [3]) (declare-output Y Real [2]))
    (declare-network f2 (equal-to f) (declare-input U Real [3]) (declare-output V Real [2]))
    (assert (and (>= X[0] -1) (<= X[0] 1) (>= U[0] -1) (<= U[0] 1) (>= X[1] 0) (<= X[1] 1) (>= X[2] -0.5) (<= X[2] 0.5)))
    (assert (<= X[0] U[0]))
    (assert (and (== X[1] U[1]) (== X[2] U[2])))
    (assert (> Y[0] V[0]))
    """

    static func bounds(_ network: Network) throws -> (CopyDifferenceBounds, Specification, ProductLayout) {
        let query = try QueryParser.parse(text: query, fileName: "q.vnnlib")
        let (layout, spec) = try query.translate()
        let copies = try #require(CopyDifferenceBounds(query: query, layout: layout, networks: [network, network]))
        return (copies, spec, layout)
    }

    /// A random two-layer network; `monotone` makes every weight on a path from input 0 nonnegative.
    static func network(seed: UInt64, monotone: Bool) throws -> Network {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        var w1 = (0..<8).map { _ in (0..<3).map { _ in next() } }, w2 = (0..<2).map { _ in (0..<8).map { _ in next() } }
        if monotone {
            for i in 0..<8 { w1[i][0] = abs(w1[i][0]) }
            w2 = w2.map { $0.map(abs) }
        }
        return try Network(inputShape: [3], layers: [
            .affine(AffineLayer(weights: Matrix(w1), bias: (0..<8).map { _ in next() / 2 })), .relu,
            .affine(AffineLayer(weights: Matrix(w2), bias: [next(), next()])),
        ])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func boundsContainSampledDifferences(seed: UInt64) throws {
        let network = try Self.network(seed: seed, monotone: false)
        let (copies, spec, layout) = try Self.bounds(network)
        let box = spec.cases[0].box
        let difference = try #require(copies.outputDifference(over: box))
        var state = seed
        for _ in 0..<2000 {
            let point = zip(box.lowerDoubles, box.upperDoubles).map { lo, hi in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return lo + (hi - lo) * Double(state >> 11) / Double(1 << 53)
            }
            let x = layout.networkInputs(0, at: point), u = layout.networkInputs(1, at: point)
            let (y, v) = (network.evaluate(x), network.evaluate(u))
            for j in 0..<2 {
                #expect(difference[j].lower <= v[j] - y[j] + 1e-12 && v[j] - y[j] <= difference[j].upper + 1e-12)
            }
        }
    }

    @Test func monotoneNetworkIsRefutedAndANonMonotoneOneIsNot() throws {
        let (monotone, spec, _) = try Self.bounds(try Self.network(seed: 7, monotone: true))
        #expect(monotone.refutes(spec))
        // y = relu(x0) − 2·relu(x0 − 0.5) (first output) falls beyond 0.5.
        let falling = try Network(inputShape: [3], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 0, 0], [1, 0, 0]]), bias: [0, -0.5])), .relu,
            .affine(AffineLayer(weights: Matrix([[1, -2], [0, 0]]), bias: [0, 0])),
        ])
        let (other, otherSpec, _) = try Self.bounds(falling)
        #expect(!other.refutes(otherSpec))
    }
}
