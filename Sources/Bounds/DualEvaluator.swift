import NetworkIR

/// Evaluates the dual function `g(μ)` of `LagrangianDual` soundly and returns a supergradient.
///
/// For the variable `vₖ` (the input for `k = 0`, else the output of layer `k − 1`) the
/// coefficient is `−μₖ₋₁` (plus `d` at the input and `c` at the output); layer `k` adds
/// `μₖ·fₖ(vₖ)`. Each per-variable minimum is computed in round-to-nearest with an error bound
/// (see `LagrangianDual`, Soundness), and the minimisers give the supergradient
/// `fₖ(v*ₖ) − v*ₖ₊₁` (Danskin's theorem).
struct DualEvaluator: Sendable {
    let engine: BackSubstitution
    let objective: LinearObjective

    /// A sound value of `g` and a supergradient, one vector per layer equation.
    struct Evaluation: Sendable {
        var value: Double
        var subgradient: [[Double]]
        /// The minimising input `v*₀` and output `v*_L` (for supergradients in the objective).
        var input: [Double]
        var output: [Double]
    }

    func evaluate(_ mu: [[Double]]) -> Evaluation {
        let network = engine.network
        let layerCount = network.layers.count
        let unit = SoundRounding.unit
        var total = objective.constant
        var totalSize = abs(objective.constant)
        var error = 0.0
        var minimisers: [[Double]] = []
        minimisers.reserveCapacity(layerCount + 1)
        for k in 0...layerCount {
            let box = k == 0 ? engine.bounds.input : engine.bounds.layers[k - 1]
            let n = box.count
            let magnitudes = k < layerCount ? engine.cache(k).magnitudes : box.magnitudes
            var base: [Double] = k >= 1 ? mu[k - 1].map { -$0 } : objective.inputCoefficients
            if k == layerCount {
                for j in 0..<n { base[j] += objective.outputCoefficients[j] }
                // One rounded addition per coordinate.
                var size = 0.0
                for j in 0..<n { size += abs(base[j]) * magnitudes[j] }
                error += 2 * unit * size
            }
            var term = 0.0
            var v = [Double](repeating: 0, count: n)
            if k == layerCount {
                term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, ties: nil, error: &error, minimiser: &v)
            } else {
                let cache = engine.cache(k)
                switch network.layers[k] {
                case let .affine(affine):
                    let m = affine.outputSize
                    var t = [Double](repeating: 0, count: n)
                    mu[k].withUnsafeBufferPointer { a in
                        affine.weights.storage.withUnsafeBufferPointer { w in
                            t.withUnsafeMutableBufferPointer { out in
                                guard let ap = a.baseAddress, let wp = w.baseAddress, let op = out.baseAddress else { return }
                                DenseKernels.multiply(ap, rows: 1, inner: m, by: wp, columns: n, into: op)
                            }
                        }
                    }
                    var constant = 0.0, weighted = 0.0
                    for i in 0..<m {
                        constant += mu[k][i] * affine.bias[i]
                        weighted += abs(mu[k][i]) * cache.errorWeights[i]
                    }
                    var ties = [Double](repeating: 0, count: n)
                    var size = 0.0
                    for j in 0..<n {
                        ties[j] = 1e-12 * (abs(base[j]) + abs(t[j]))
                        base[j] += t[j]
                        size += abs(base[j]) * magnitudes[j]
                    }
                    error += SoundRounding.gamma(m + 1) * weighted + 2 * unit * size
                        + SoundRounding.underflow(m) * (cache.magnitudeSum + 1)
                    term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, ties: ties, error: &error, minimiser: &v)
                    // `weighted` already covers the error of `constant` (errorWeights include |b|).
                    total += constant
                    totalSize += abs(constant)
                case let .divide(divisors):
                    var size = 0.0
                    for j in 0..<n {
                        let q = mu[k][j] / divisors[j]
                        base[j] += q
                        size += (abs(q) + abs(base[j])) * magnitudes[j]
                    }
                    error += 2 * unit * size + SoundRounding.underflow(n) * (cache.magnitudeSum + 1)
                    term = Self.boxMinimum(base, box: box, magnitudes: magnitudes, ties: nil, error: &error, minimiser: &v)
                case .relu:
                    var size = 0.0, termSize = 0.0
                    for j in 0..<n {
                        let a = base[j], b = mu[k][j], l = box.lower[j], u = box.upper[j]
                        // a·z + b·max(0, z) at l, at u, and at 0 when 0 lies strictly inside.
                        var bestValue = a * l + b * max(0, l), bestPoint = l
                        let atUpper = a * u + b * max(0, u)
                        if atUpper < bestValue { bestValue = atUpper; bestPoint = u }
                        if l < 0 && u > 0 && 0 < bestValue { bestValue = 0; bestPoint = 0 }
                        v[j] = bestPoint
                        term += bestValue
                        termSize += abs(bestValue)
                        size += (abs(a) + abs(b)) * magnitudes[j]
                    }
                    error += 4 * unit * size + SoundRounding.gamma(n) * termSize
                        + SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
                }
            }
            total += term
            totalSize += abs(term)
            minimisers.append(v)
        }
        error += SoundRounding.gamma(2 * layerCount + 2) * totalSize
        let value = BackSubstitution.finish(total, error)
        return Evaluation(value: value, subgradient: subgradient(minimisers),
                          input: minimisers.first ?? [], output: minimisers.last ?? [])
    }

    /// `Σⱼ min(cⱼlⱼ, cⱼuⱼ)` with its rounding error added to `error`; the minimiser picks the
    /// midpoint where `|cⱼ|` is within `ties[j]` of zero (a valid choice, and a gentler supergradient).
    static func boxMinimum(_ coefficients: [Double], box: IntervalVector, magnitudes: [Double], ties: [Double]?,
                           error: inout Double, minimiser: inout [Double]) -> Double {
        let n = coefficients.count
        var sum = 0.0, size = 0.0
        for j in 0..<n {
            let c = coefficients[j], l = box.lower[j], u = box.upper[j]
            let tie = ties?[j] ?? 0
            if c > tie { minimiser[j] = l } else if c < -tie { minimiser[j] = u } else { minimiser[j] = 0.5 * l + 0.5 * u }
            sum += min(c * l, c * u)
            size += abs(c) * magnitudes[j]
        }
        error += SoundRounding.gamma(n) * size + SoundRounding.underflow(n)
        return sum
    }

    /// `fₖ(v*ₖ) − v*ₖ₊₁` for every layer `k`.
    func subgradient(_ v: [[Double]]) -> [[Double]] {
        engine.network.layers.enumerated().map { k, layer in
            let image: [Double] = Network.apply(layer, to: v[k])
            return zip(image, v[k + 1]).map { $0 - $1 }
        }
    }
}
