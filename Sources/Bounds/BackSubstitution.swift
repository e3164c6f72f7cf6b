import NetworkIR

/// Backward linear bound propagation with a sound final evaluation: the engine behind
/// `LinearRelaxation` (CROWN, Zhang et al. 2018, Theorem 3.2; DeepPoly's back-substitution,
/// Singh et al. 2019, §4.4) and the warm start of `LagrangianDual`.
///
/// For objective rows `Λ` on the output of layer `start`, it walks back to the input:
/// an affine layer maps `Λ ↦ Λ·W` and adds `Λ·b`; a division maps `Λⱼ ↦ Λⱼ/dⱼ`; a ReLU replaces
/// each coefficient `λ` by a multiplier `μ` on the pre-activation (`μ = α·λ` when `λ ≥ 0`, the
/// chord slope times `λ` when `λ < 0`, `λ` or `0` for stable neurons) and adds the exact
/// `min_{z∈[l,u]} λ·max(0,z) − μ·z`. At the input it adds `min_{x∈box} Λ₀·x`.
///
/// - Soundness: read the computed coefficients as Lagrange multipliers of the layer equations
///   (Dvijotham et al. 2018, eq. 5; see `LagrangianDual`): *any* multipliers give a valid bound
///   once the Lagrangian is evaluated exactly. The engine evaluates it with these error terms:
///   the affine step's coefficients `fl(Λ·W)` differ from the exact `Λ·W` by at most
///   `γ·|Λ|·|W|` entrywise (`SoundRounding`), and that residual multiplies a vector known to lie in
///   its box, so the step adds `γ·Σᵢ|Λᵢ|·(Σⱼ|Wᵢⱼ|·magⱼ + |bᵢ|)` (which also covers `Λ·b`) to the
///   error; a division adds `2u·Σ|Λⱼ/dⱼ|·magⱼ`; each ReLU minimum adds `4u·(|λ|+|μ|)·mag` plus the
///   summation error; the final box minimum adds `γ·Σ|Λ₀ⱼ|·magⱼ`; every running sum adds `2u·|sum|`.
///   The bound returned is `(sum − error)` rounded down; NaN or infinite intermediate values
///   yield −∞. Bounds of earlier layers must themselves be sound, which they are by induction.
struct BackSubstitution: Sendable {
    let network: Network
    /// Bounds of the input and of the layers computed so far.
    private(set) var bounds: NetworkBounds
    /// `caches[k]` describes layer `k` given the bounds of its input; nil until prepared.
    private var caches: [LayerCache?]

    init(network: Network, bounds: NetworkBounds) {
        self.network = network
        self.bounds = bounds
        caches = Array(repeating: nil, count: network.layers.count)
    }

    /// Replaces (or appends, when `index == bounds.layers.count`) the bounds of layer `index`;
    /// `index == -1` sets the input bounds. Invalidates the cache of the layer reading them.
    mutating func setBounds(ofLayer index: Int, _ box: IntervalVector) {
        if index == -1 { bounds.input = box }
        else if index == bounds.layers.count { bounds.layers.append(box) }
        else { bounds.layers[index] = box }
        if index + 1 < caches.count { caches[index + 1] = nil }
    }

    /// Marks the region as empty.
    mutating func markInfeasible() { bounds.isInfeasible = true }

    /// Builds the caches of layers `0...index`.
    mutating func prepare(through index: Int) {
        guard index >= 0 else { return }
        for k in 0...index where caches[k] == nil {
            caches[k] = LayerCache(layer: network.layers[k], input: bounds.inputBounds(ofLayer: k))
        }
    }

    /// The cache of layer `index` (prepared).
    func cache(_ index: Int) -> LayerCache {
        guard let cache = caches[index] else { preconditionFailure("layer \(index) used before prepare(through:)") }
        return cache
    }

    /// Objective rows for `run`.
    enum Rows {
        /// `±eⱼ` for each listed neuron of the start layer (lower bounds of `yⱼ`, or of `−yⱼ`).
        case units(neurons: [Int], negated: Bool)
        /// `count` dense rows, row-major, each of the start layer's output size.
        case dense(count: Int, coefficients: [Double])

        var count: Int {
            switch self {
            case let .units(neurons, _): neurons.count
            case let .dense(count, _): count
            }
        }
    }

    /// What `run` returns, per row.
    struct Result {
        /// Sound lower bounds of the row objectives over the region.
        var lower: [Double]
        /// Row-major coefficients `a` of an affine minorant `objective(x) ≥ a·x + c` on the region.
        var inputCoefficients: [Double]
        /// The constants `c` of those minorants (sound).
        var inputConstants: [Double]
        /// When recorded: `multipliers[k]` holds, row-major, the coefficients on the output of
        /// layer `k` (for `k ≤ start`), i.e. the Lagrange multipliers of that layer's equation.
        var multipliers: [[Double]]
    }

    /// Lower-bounds `rows·y_start + inputRows·x + constants` over the region.
    /// - Parameters:
    ///   - start: the layer whose output the rows multiply (`-1`: the input itself).
    ///   - inputRows: row-major extra coefficients on the input, or nil.
    ///   - constants: exact constants per row, or nil for zeros.
    ///   - slopes: optional lower slopes α per ReLU layer, row-major (rows × neurons), in [0, 1];
    ///     missing layers use CROWN's adaptive choice.
    ///   - record: whether to return the multipliers of every layer.
    /// - Precondition: `prepare(through: start)` was called and the bounds are finite.
    /// - Complexity: O(rows × number of weights up to `start`).
    func run(start: Int, rows: Rows, inputRows: [Double]? = nil, constants: [Double]? = nil,
             slopes: [Int: [Double]] = [:], record: Bool = false) -> Result {
        let count = rows.count
        var sum = constants ?? [Double](repeating: 0, count: count)
        var error = [Double](repeating: 0, count: count)
        var multipliers = record ? Array(repeating: [Double](), count: max(start + 1, 0)) : []
        var layer = start
        var lambda: [Double]
        switch rows {
        case let .dense(_, coefficients):
            lambda = coefficients
        case let .units(neurons, negated):
            let sign: Double = negated ? -1 : 1
            if !record, start >= 0, case let .affine(affine) = network.layers[start] {
                // The first step is exact: the rows of ±W and ±b.
                let n = affine.inputSize
                lambda = [Double](repeating: 0, count: count * n)
                for (r, neuron) in neurons.enumerated() {
                    for j in 0..<n { lambda[r * n + j] = sign * affine.weights.storage[neuron * n + j] }
                    sum[r] = sign * affine.bias[neuron]
                }
                layer = start - 1
            } else {
                let size = start >= 0 ? network.layerSizes[start] : network.inputSize
                lambda = [Double](repeating: 0, count: count * size)
                for (r, neuron) in neurons.enumerated() { lambda[r * size + neuron] = sign }
            }
        }

        while layer >= 0 {
            if record { multipliers[layer] = lambda }
            let cache = self.cache(layer)
            switch network.layers[layer] {
            case let .affine(affine):
                lambda = Self.affineStep(affine, cache: cache, lambda: lambda, rows: count, sum: &sum, error: &error)
            case let .divide(divisors):
                lambda = Self.divideStep(divisors, cache: cache, lambda: lambda, rows: count, error: &error)
            case .relu:
                guard let relaxation = cache.relaxation else { preconditionFailure("ReLU layer \(layer) without relaxation") }
                lambda = Self.reluStep(relaxation, cache: cache, lambda: lambda, rows: count,
                                       slopes: slopes[layer], sum: &sum, error: &error)
            }
            layer -= 1
        }

        // The input step: add the input rows, keep the affine minorant, minimise over the box.
        let n = network.inputSize
        let box = bounds.input
        let magnitudes = box.magnitudes
        var lower = [Double](repeating: 0, count: count)
        var inputConstants = [Double](repeating: 0, count: count)
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(n), tiny = SoundRounding.underflow(n)
        let magnitudeSum = magnitudes.reduce(0, +)
        for r in 0..<count {
            var extraError = 0.0
            if let inputRows {
                var size = 0.0
                for j in 0..<n {
                    lambda[r * n + j] += inputRows[r * n + j]
                    size += abs(lambda[r * n + j]) * magnitudes[j]
                }
                extraError = 2 * unit * size
            }
            error[r] += extraError
            inputConstants[r] = Self.finish(sum[r], error[r])
            var minimum = 0.0, size = 0.0
            for j in 0..<n {
                let a = lambda[r * n + j]
                minimum += min(a * box.lower[j], a * box.upper[j])
                size += abs(a) * magnitudes[j]
            }
            let total = sum[r] + minimum
            let totalError = error[r] + gamma * size + tiny * (magnitudeSum + 1) + 2 * unit * abs(total)
            lower[r] = Self.finish(total, totalError)
        }
        return Result(lower: lower, inputCoefficients: lambda, inputConstants: inputConstants, multipliers: multipliers)
    }

    /// `value − error` rounded down, with the error inflated for its own summation; −∞ when
    /// anything is not finite.
    @inline(__always)
    static func finish(_ value: Double, _ error: Double) -> Double {
        guard value.isFinite, error.isFinite else { return -.infinity }
        return SoundRounding.lower(value, error: error * (1 + 0x1p-40))
    }

    /// `Λ ↦ Λ·W`, adding `Λ·b` to the sums and the rounding-error term to the errors.
    static func affineStep(_ affine: AffineLayer, cache: LayerCache, lambda: [Double], rows: Int,
                           sum: inout [Double], error: inout [Double]) -> [Double] {
        let m = affine.outputSize, n = affine.inputSize
        var next = [Double](repeating: 0, count: rows * n)
        lambda.withUnsafeBufferPointer { a in
            affine.weights.storage.withUnsafeBufferPointer { w in
                next.withUnsafeMutableBufferPointer { out in
                    guard let ap = a.baseAddress, let wp = w.baseAddress, let op = out.baseAddress else { return }
                    DenseKernels.multiply(ap, rows: rows, inner: m, by: wp, columns: n, into: op)
                }
            }
        }
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(m + 1)
        let tiny = SoundRounding.underflow(m) * (cache.magnitudeSum + 1)
        lambda.withUnsafeBufferPointer { a in
            affine.bias.withUnsafeBufferPointer { b in
                cache.errorWeights.withUnsafeBufferPointer { ew in
                    for r in 0..<rows {
                        var constant = 0.0, size = 0.0
                        let base = r * m
                        for i in 0..<m {
                            let c = a[base + i]
                            constant += c * b[i]
                            size += abs(c) * ew[i]
                        }
                        let total = sum[r] + constant
                        sum[r] = total
                        error[r] += gamma * size + tiny + 2 * unit * abs(total)
                    }
                }
            }
        }
        return next
    }

    /// `Λⱼ ↦ Λⱼ/dⱼ`, adding the quotients' rounding error.
    static func divideStep(_ divisors: [Double], cache: LayerCache, lambda: [Double], rows: Int,
                           error: inout [Double]) -> [Double] {
        let n = divisors.count
        var next = lambda
        let unit = SoundRounding.unit, tiny = SoundRounding.underflow(n) * (cache.magnitudeSum + 1)
        for r in 0..<rows {
            var size = 0.0
            for j in 0..<n {
                let q = lambda[r * n + j] / divisors[j]
                next[r * n + j] = q
                size += abs(q) * cache.magnitudes[j]
            }
            error[r] += 2 * unit * size + tiny
        }
        return next
    }

    /// Replaces coefficients on ReLU outputs by multipliers on the pre-activations and adds the
    /// exact per-neuron minima of `λ·max(0,z) − μ·z` over `[l, u]` (candidates `l`, `0`, `u`).
    static func reluStep(_ relaxation: ReLURelaxation, cache: LayerCache, lambda: [Double], rows: Int,
                         slopes: [Double]?, sum: inout [Double], error: inout [Double]) -> [Double] {
        let n = relaxation.kinds.count
        var next = [Double](repeating: 0, count: rows * n)
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(n)
        let tiny = SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
        relaxation.kinds.withUnsafeBufferPointer { kinds in
        relaxation.lower.withUnsafeBufferPointer { lower in
        relaxation.upper.withUnsafeBufferPointer { upper in
        relaxation.chordSlopes.withUnsafeBufferPointer { chord in
        relaxation.adaptiveSlopes.withUnsafeBufferPointer { adaptive in
        cache.magnitudes.withUnsafeBufferPointer { mag in
        lambda.withUnsafeBufferPointer { a in
        next.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                let base = r * n
                var constant = 0.0, constantSize = 0.0, size = 0.0
                for j in 0..<n {
                    let l = a[base + j]
                    switch kinds[j] {
                    case ReLURelaxation.inactive:
                        out[base + j] = 0
                    case ReLURelaxation.active:
                        out[base + j] = l
                    default:
                        let mu: Double
                        if l >= 0 {
                            let alpha = slopes.map { $0[base + j] } ?? adaptive[j]
                            mu = l * alpha
                        } else {
                            mu = l * chord[j]
                        }
                        out[base + j] = mu
                        // min over z ∈ {lower, 0, upper} of l·max(0,z) − mu·z.
                        let atLower = -mu * lower[j]
                        let atUpper = (l - mu) * upper[j]
                        let m = min(0, min(atLower, atUpper))
                        constant += m
                        constantSize += abs(m)
                        size += (abs(l) + abs(mu)) * mag[j]
                    }
                }
                let total = sum[r] + constant
                sum[r] = total
                error[r] += 4 * unit * size + gamma * constantSize + tiny + 2 * unit * abs(total)
            }
        }}}}}}}}
        return next
    }
}
