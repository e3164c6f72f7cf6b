import NetworkIR

/// Evaluates the dual function `g(μ)` of `LagrangianDual` soundly at arbitrary multipliers.
///
/// For the variable `vₖ` (the input for `k = 0`, else the output of layer `k − 1`) the
/// coefficient is `−μₖ₋₁` (plus `d` at the input and `c` at the output); layer `k` adds
/// `μₖ·fₖ(vₖ)`. An affine or division layer leaves a linear function minimised at box corners;
/// a ReLU leaves, per neuron, `a·z + μ·max(0, z)` minimised at `l`, `u` or `0` (Dvijotham et al.
/// 2018, §4.2). Used to re-evaluate multipliers found for one objective on another (the exact
/// combination of constraints whose weights were rounded).
///
/// - Soundness: the affine coefficient `fl(Wᵀμ) + base` is inexact by at most
///   `γ·|W|ᵀ|μ| + 2u·|coef|` (the first term also covers `μ·b`), multiplying a vector in a known
///   box; each ReLU candidate value by `4u·(|a| + |μ|)·mag`; every sum by `γ·Σ|terms|`; the
///   total is rounded down (see `SoundRounding`).
struct DualEvaluator: Sendable {
    let engine: BackSubstitution
    let objective: LinearObjective

    /// A sound lower bound of the objective: `g(mu)` rounded down (−∞ if anything is not finite).
    /// - Precondition: `mu[k]` has the size of layer `k`'s output, for every layer.
    func evaluate(_ mu: [[Double]]) -> Double {
        let network = engine.network
        let layerCount = network.layers.count
        guard mu.count == layerCount, zip(mu, network.layerSizes).allSatisfy({ $0.count == $1 }) else { return -.infinity }
        let unit = SoundRounding.unit
        var total = objective.constant
        var totalSize = abs(objective.constant)
        var error = 0.0
        for k in 0...layerCount {
            let box = k == 0 ? engine.bounds.input : engine.bounds.layers[k - 1]
            let n = box.count
            let magnitudes = box.magnitudes
            var base: [Double] = k >= 1 ? mu[k - 1].map { -$0 } : objective.inputCoefficients
            if k == layerCount {
                for j in 0..<n { base[j] += objective.outputCoefficients[j] }
                // One rounded addition per coordinate.
                var size = 0.0
                for j in 0..<n { size += abs(base[j]) * magnitudes[j] }
                error += 2 * unit * size
                let term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, error: &error)
                total += term
                totalSize += abs(term)
                continue
            }
            let cache = engine.cache(k)
            var term = 0.0
            switch network.layers[k] {
            case let .affine(affine):
                let m = affine.outputSize
                var t = [Double](repeating: 0, count: n)
                mu[k].withUnsafeBufferPointer { a in
                    t.withUnsafeMutableBufferPointer { out in
                        guard let ap = a.baseAddress, let op = out.baseAddress else { return }
                        WeightKernels.multiply(ap, rows: 1, by: affine.matrix, packed: nil, into: op)
                    }
                }
                var constant = 0.0, weighted = 0.0
                for i in 0..<m {
                    constant += mu[k][i] * affine.bias[i]
                    weighted += abs(mu[k][i]) * cache.errorWeights[i]
                }
                var size = 0.0
                for j in 0..<n {
                    base[j] += t[j]
                    size += abs(base[j]) * magnitudes[j]
                }
                error += SoundRounding.gamma(m + 1) * weighted + 2 * unit * size + SoundRounding.underflow(m) * (cache.magnitudeSum + 1)
                term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, error: &error) + constant
            case let .divide(divisors):
                var size = 0.0
                for j in 0..<n {
                    let q = mu[k][j] / divisors[j]
                    base[j] += q
                    size += (abs(q) + abs(base[j])) * magnitudes[j]
                }
                error += 2 * unit * size + SoundRounding.underflow(n) * (cache.magnitudeSum + 1)
                term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, error: &error)
            case .relu:
                var size = 0.0, termSize = 0.0
                for j in 0..<n {
                    let a = base[j], b = mu[k][j], l = box.lower[j], u = box.upper[j]
                    // a·z + b·max(0, z) at l, at u, and at 0 when 0 lies strictly inside.
                    var best = min(a * l + b * max(0, l), a * u + b * max(0, u))
                    if l < 0 && u > 0 { best = min(best, 0) }
                    term += best
                    termSize += abs(best)
                    size += (abs(a) + abs(b)) * magnitudes[j]
                }
                error += 4 * unit * size + SoundRounding.gamma(n) * termSize + SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
            case .smooth:
                // a·z + b·f(z) ≥ (a + b·s)·z + b·t with the line (s, t) below f for b ≥ 0 and
                // above it for b < 0 (`SmoothRelaxation`), minimised at an end of [l, u].
                guard let lines = cache.smoothRelaxations else { preconditionFailure("smooth layer \(k) without relaxation") }
                var size = 0.0, termSize = 0.0
                for j in 0..<n {
                    let a = base[j], b = mu[k][j], l = box.lower[j], u = box.upper[j], line = lines[j]
                    let (s, t) = b >= 0 ? (line.lowerSlope, line.lowerIntercept) : (line.upperSlope, line.upperIntercept)
                    let slope = a + b * s, constant = b * t
                    let best = (slope == 0 ? 0 : min(slope * l, slope * u)) + constant
                    term += best
                    termSize += abs(best)
                    size += (abs(a) + abs(b * s)) * magnitudes[j] + abs(constant)
                }
                error += 4 * unit * size + SoundRounding.gamma(n) * termSize + SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
            }
            total += term
            totalSize += abs(term)
        }
        error += SoundRounding.gamma(2 * layerCount + 2) * totalSize
        return BackSubstitution.finish(total, error)
    }

    /// `Σⱼ min(cⱼlⱼ, cⱼuⱼ)`, with its rounding error added to `error`.
    static func boxMinimum(_ coefficients: [Double], box: IntervalVector, magnitudes: [Double], error: inout Double) -> Double {
        var sum = 0.0, size = 0.0
        for j in coefficients.indices {
            let c = coefficients[j]
            sum += min(c * box.lower[j], c * box.upper[j])
            size += abs(c) * magnitudes[j]
        }
        error += SoundRounding.gamma(coefficients.count) * size + SoundRounding.underflow(coefficients.count)
        return sum
    }
}
