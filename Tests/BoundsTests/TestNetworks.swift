import ExactArithmetic
import NetworkIR
import Search
@testable import Bounds

enum TestNetworks {
    /// A random feed-forward network: affine layers with ReLUs between them, sometimes a
    /// division, sometimes two affine layers in a row; widths 2...maxWidth.
    static func random(inputs: Int, hiddenLayers: Int, maxWidth: Int, outputs: Int,
                       using rng: inout SplitMix64) throws -> Network {
        var layers: [Layer] = []
        var size = inputs
        func affine(to next: Int) -> Layer {
            var w = [Double](repeating: 0, count: next * size)
            for i in w.indices {
                // Some exact zeros, mostly dyadic-unfriendly values.
                w[i] = Int.random(in: 0..<8, using: &rng) == 0 ? 0 : Double.random(in: -1...1, using: &rng)
            }
            let b = (0..<next).map { _ in Double.random(in: -0.5...0.5, using: &rng) }
            defer { size = next }
            return .affine(AffineLayer(weights: Matrix(rows: next, columns: size, storage: w), bias: b))
        }
        for _ in 0..<hiddenLayers {
            layers.append(affine(to: Int.random(in: 2...maxWidth, using: &rng)))
            if Int.random(in: 0..<4, using: &rng) == 0 {
                layers.append(.divide(divisors: (0..<size).map { _ in
                    let d = Double.random(in: 0.3...3, using: &rng)
                    return Bool.random(using: &rng) ? d : -d
                }))
            }
            if Int.random(in: 0..<6, using: &rng) == 0 { layers.append(affine(to: Int.random(in: 2...maxWidth, using: &rng))) }
            layers.append(.relu)
        }
        layers.append(affine(to: outputs))
        if Int.random(in: 0..<3, using: &rng) == 0 {
            layers.append(.divide(divisors: (0..<outputs).map { _ in Double.random(in: 0.5...2, using: &rng) }))
        }
        return try Network(inputShape: [1, inputs], layers: layers)
    }

    /// A random box of the given size.
    static func randomBox(_ count: Int, using rng: inout SplitMix64) -> IntervalVector {
        var lower: [Double] = [], upper: [Double] = []
        for _ in 0..<count {
            let c = Double.random(in: -1...1, using: &rng)
            let r = Double.random(in: 0.05...1, using: &rng)
            lower.append(c - r)
            upper.append(c + r)
        }
        return IntervalVector(lower: lower, upper: upper)
    }

    /// `count` points of the box: its corners first (up to 64), then uniform samples.
    static func samples(of box: IntervalVector, count: Int, using rng: inout SplitMix64) -> [[Double]] {
        var points: [[Double]] = []
        let corners = min(1 << min(box.count, 6), count)
        for c in 0..<corners {
            var point = box.lower
            for j in 0..<min(box.count, 6) where (c >> j) & 1 == 1 { point[j] = box.upper[j] }
            points.append(point)
        }
        while points.count < count {
            points.append((0..<box.count).map { j in Double.random(in: box.lower[j]...box.upper[j], using: &rng) })
        }
        return points
    }

    /// The first layer value of `trace` outside `bounds` (up to sample noise), described; nil if none.
    static func violation(_ trace: [[Double]], _ bounds: NetworkBounds) -> String? {
        for k in trace.indices {
            let values = trace[k]
            let lower = bounds.layers[k].lower, upper = bounds.layers[k].upper
            for j in values.indices {
                let slack = 1e-9 * (1 + abs(values[j]))
                if values[j] < lower[j] - slack || values[j] > upper[j] + slack {
                    return "layer \(k) neuron \(j): \(values[j]) ∉ [\(lower[j]), \(upper[j])]"
                }
            }
        }
        return nil
    }

    /// Whether `value` lies in `[lower, upper]` up to double-evaluation noise of the sample.
    static func within(_ value: Double, _ lower: Double, _ upper: Double) -> Bool {
        let slack = 1e-9 * (1 + abs(value))
        return value >= lower - slack && value <= upper + slack
    }
}

/// Exact (rational) reference computations.
enum ExactReference {
    static func r(_ x: Double) -> Rational {
        guard let v = Rational(exactly: x) else { preconditionFailure("non-finite \(x)") }
        return v
    }

    /// Interval propagation in exact arithmetic: the tightest bounds interval propagation can give.
    static func intervalBounds(of network: Network, lower: [Rational], upper: [Rational]) -> [(lower: [Rational], upper: [Rational])] {
        var l = lower, u = upper
        var result: [(lower: [Rational], upper: [Rational])] = []
        for layer in network.layers {
            switch layer {
            case let .affine(affine):
                var nl: [Rational] = [], nu: [Rational] = []
                for i in 0..<affine.outputSize {
                    var lo = r(affine.bias[i]), hi = r(affine.bias[i])
                    for j in 0..<affine.inputSize {
                        let w = r(affine.weights[i, j])
                        if w.signum >= 0 { lo += w * l[j]; hi += w * u[j] } else { lo += w * u[j]; hi += w * l[j] }
                    }
                    nl.append(lo)
                    nu.append(hi)
                }
                l = nl
                u = nu
            case let .divide(divisors):
                var nl: [Rational] = [], nu: [Rational] = []
                for j in l.indices {
                    let d = r(divisors[j])
                    if d.signum > 0 { nl.append(l[j] / d); nu.append(u[j] / d) } else { nl.append(u[j] / d); nu.append(l[j] / d) }
                }
                l = nl
                u = nu
            case .relu:
                l = l.map { max($0, .zero) }
                u = u.map { max($0, .zero) }
            case .smooth:
                preconditionFailure("exact references cover affine, divide and ReLU layers")
            }
            result.append((l, u))
        }
        return result
    }

    /// The exact value of the dual function `g(μ)` of `LagrangianDual` for the objective
    /// `c·y + d·x + e`, with the boxes of `bounds` taken at their exact values.
    static func dualValue(network: Network, bounds: NetworkBounds, objective: LinearObjective, multipliers mu: [[Double]]) -> Rational {
        let L = network.layers.count
        var total = r(objective.constant)
        for k in 0...L {
            let box = k == 0 ? bounds.input : bounds.layers[k - 1]
            var base: [Rational] = k >= 1 ? mu[k - 1].map { -r($0) } : objective.inputCoefficients.map(r)
            if k == L { for j in base.indices { base[j] += r(objective.outputCoefficients[j]) } }
            func boxMin(_ c: [Rational]) -> Rational {
                var s = Rational.zero
                for j in c.indices { s += min(c[j] * r(box.lower[j]), c[j] * r(box.upper[j])) }
                return s
            }
            if k == L { total += boxMin(base); continue }
            switch network.layers[k] {
            case let .affine(affine):
                var coef = base
                for i in 0..<affine.outputSize where mu[k][i] != 0 {
                    let m = r(mu[k][i])
                    total += m * r(affine.bias[i])
                    for j in 0..<affine.inputSize { coef[j] += m * r(affine.weights[i, j]) }
                }
                total += boxMin(coef)
            case let .divide(divisors):
                let coef = base.indices.map { base[$0] + r(mu[k][$0]) / r(divisors[$0]) }
                total += boxMin(coef)
            case .relu:
                for j in base.indices {
                    let l = r(box.lower[j]), u = r(box.upper[j]), m = r(mu[k][j])
                    var best = base[j] * l + m * max(l, .zero)
                    best = min(best, base[j] * u + m * max(u, .zero))
                    if l.signum < 0 && u.signum > 0 { best = min(best, .zero) }
                    total += best
                }
            case .smooth:
                preconditionFailure("exact references cover affine, divide and ReLU layers")
            }
        }
        return total
    }
}
