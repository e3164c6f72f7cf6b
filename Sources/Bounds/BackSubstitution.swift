import NetworkIR

/// Backward linear bound propagation with a sound final evaluation: the engine behind
/// `LinearRelaxation` (CROWN, Zhang et al. 2018, Theorem 3.2; DeepPoly's back-substitution,
/// Singh et al. 2019, §4.4) and the warm start of `LagrangianDual`.
///
/// For objective rows `Λ` on the output of layer `start`, it walks back to the input:
/// an affine layer maps `Λ ↦ Λ·W` and adds `Λ·b`; a division maps `Λⱼ ↦ Λⱼ/dⱼ`; a ReLU replaces
/// each coefficient `λ` by a multiplier `μ` on the pre-activation (`μ = α·λ` when `λ ≥ 0`, the
/// chord slope times `λ` when `λ < 0`, `λ` or `0` for stable neurons) and adds the exact
/// `min_{z∈[l,u]} λ·max(0,z) − μ·z`; a sigmoid or tanh uses its two lines (`smoothStep`). At
/// the input it adds `min_{x∈box} Λ₀·x`.
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
    /// The weights of each affine layer as column panels (nil for other layers).
    let packedWeights: [PackedMatrix?]

    init(network: Network, bounds: NetworkBounds) {
        self.network = network
        self.bounds = bounds
        caches = Array(repeating: nil, count: network.layers.count)
        packedWeights = network.layers.map { layer in
            guard case let .affine(affine) = layer, let dense = affine.denseWeights else { return nil }
            return PackedMatrix(rows: affine.outputSize, columns: affine.inputSize, storage: dense.storage)
        }
    }

    /// This engine moved to `bounds`, the bounds of a sub-region of this engine's region (a
    /// branch-and-bound node inside the root), sharing the packed weights.
    ///
    /// Why: a node differs from the root only after its first split, and rebuilding every cache
    /// costs a pass over every weight (`|W|·mag` per affine layer), which on MNIST fc was a fifth
    /// of a node's time, as was packing the weights again.
    ///
    /// A layer whose input bounds are unchanged keeps its cache. An affine layer whose input
    /// magnitudes did not grow keeps it too: its magnitudes and error weights enter only the
    /// error terms, as upper bounds, so the larger ones of the enclosing region stay sound.
    /// Every other cache (a ReLU's relaxation above all) is rebuilt by `prepare(through:)`.
    /// - Precondition: `bounds` is for the same network.
    func narrowed(to bounds: NetworkBounds) -> BackSubstitution {
        var engine = self
        engine.bounds = bounds
        for k in caches.indices {
            guard let cache = caches[k] else { continue }
            let known = k == 0 || k - 1 < self.bounds.layers.count
            let available = k == 0 || k - 1 < bounds.layers.count
            guard known, available else { engine.caches[k] = nil; continue }
            let before = self.bounds.inputBounds(ofLayer: k), after = bounds.inputBounds(ofLayer: k)
            if before == after { continue }
            if case .affine = network.layers[k], after.count == cache.magnitudes.count,
               zip(after.lower, after.upper).enumerated().allSatisfy({ j, ends in
                   max(abs(ends.0), abs(ends.1)) <= cache.magnitudes[j]
               }) {
                continue
            }
            engine.caches[k] = nil
        }
        return engine
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
        /// When recorded: per layer with box shares, the coefficients minimised over its box
        /// (the coefficient that arrived at the layer's output is `multipliers[k] + this`).
        var boxCoefficients: [Int: [Double]]
    }

    /// Lower-bounds `rows·y_start + inputRows·x + constants` over the region.
    /// - Parameters:
    ///   - start: the layer whose output the rows multiply (`-1`: the input itself).
    ///   - inputRows: row-major extra coefficients on the input, or nil.
    ///   - constants: exact constants per row, or nil for zeros.
    ///   - slopes: optional lower slopes α per ReLU layer, row-major (rows × neurons), in [0, 1];
    ///     missing layers use CROWN's adaptive choice.
    ///   - shares: optional box shares β ∈ [0, 1] per affine or division layer, row-major: the
    ///     part `β·λ` of the coefficients arriving at that layer's output is bounded on the
    ///     layer's box instead of being back-substituted (see `splitStep`).
    ///   - record: whether to return the multipliers of every layer.
    ///   - splitTerms: per ReLU layer, row-major coefficients added to the multipliers of the
    ///     layer's *input* after the ReLU step: `−βⱼ·sⱼ` for a split constraint `sⱼ·zⱼ ≥ 0`
    ///     (β-CROWN, Wang et al. 2021, "Beta-CROWN: Efficient Bound Propagation with Per-neuron
    ///     Split Constraints", Theorem 3.1). The bound is then valid only on points that meet
    ///     those constraints, that is, over the node whose phases they are.
    /// - Precondition: `prepare(through: start)` was called and the bounds are finite.
    /// - Complexity: O(rows × number of weights up to `start`).
    func run(start: Int, rows: Rows, inputRows: [Double]? = nil, constants: [Double]? = nil,
             slopes: [Int: [Double]] = [:], shares: [Int: [Double]] = [:], record: Bool = false,
             splitTerms: [Int: [Double]] = [:]) -> Result {
        let count = rows.count
        var sum = constants ?? [Double](repeating: 0, count: count)
        var error = [Double](repeating: 0, count: count)
        var multipliers = record ? Array(repeating: [Double](), count: max(start + 1, 0)) : []
        var boxCoefficients: [Int: [Double]] = [:]
        var layer = start
        var lambda: [Double]
        switch rows {
        case let .dense(_, coefficients):
            lambda = coefficients
        case let .units(neurons, negated):
            let sign: Double = negated ? -1 : 1
            if !record, shares.isEmpty, start >= 0, case let .affine(affine) = network.layers[start] {
                // The first step is exact: the rows of ±W and ±b.
                let n = affine.inputSize
                lambda = [Double](repeating: 0, count: count * n)
                for (r, neuron) in neurons.enumerated() {
                    affine.matrix.forEachEntry(inRow: neuron) { j, w in lambda[r * n + j] = sign * w }
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
            if let share = shares[layer] {
                let box = bounds.layers[layer]
                let split = Self.splitStep(share, box: box, magnitudes: box.magnitudes, lambda: lambda, rows: count,
                                           sum: &sum, error: &error)
                lambda = split.kept
                if record { boxCoefficients[layer] = split.concretised }
            }
            if record { multipliers[layer] = lambda }
            let cache = self.cache(layer)
            switch network.layers[layer] {
            case let .affine(affine):
                lambda = Self.affineStep(affine, packed: packedWeights[layer], cache: cache, lambda: lambda, rows: count,
                                         sum: &sum, error: &error)
            case let .divide(divisors):
                lambda = Self.divideStep(divisors, cache: cache, lambda: lambda, rows: count, error: &error)
            case .relu:
                guard let relaxation = cache.relaxation else { preconditionFailure("ReLU layer \(layer) without relaxation") }
                lambda = Self.reluStep(relaxation, cache: cache, lambda: lambda, rows: count,
                                       slopes: slopes[layer], sum: &sum, error: &error)
                if let terms = splitTerms[layer] {
                    Self.addSplitTerms(terms, magnitudes: bounds.inputBounds(ofLayer: layer).magnitudes, lambda: &lambda,
                                       rows: count, error: &error)
                }
            case .smooth:
                guard let lines = cache.smoothRelaxations else { preconditionFailure("smooth layer \(layer) without relaxation") }
                lambda = Self.smoothStep(lines, cache: cache, lambda: lambda, rows: count, sum: &sum, error: &error)
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
            let (minimum, size) = Self.boxMinimum(lambda, row: r, lower: box.lower, upper: box.upper, magnitudes: magnitudes)
            let total = sum[r] + minimum
            let totalError = error[r] + gamma * size + tiny * (magnitudeSum + 1) + 2 * unit * abs(total)
            lower[r] = Self.finish(total, totalError)
        }
        return Result(lower: lower, inputCoefficients: lambda, inputConstants: inputConstants, multipliers: multipliers,
                      boxCoefficients: boxCoefficients)
    }

    /// Splits the coefficients `λ` arriving at a layer's output: `kept = fl((1 − β)·λ)` goes on
    /// back-substituting, and `c = fl(λ − kept)` is minimised over the layer's box.
    ///
    /// In the dual (Dvijotham et al. 2018, eq. 5) this is a choice of the multiplier `kept` of
    /// the layer's equation different from the coefficient `λ` on its output; the difference is
    /// the coefficient of the output variable, minimised over its box. Sound with the error
    /// `(γ + 2u)·Σ|c|·mag` for the rounded subtraction and the sum.
    static func splitStep(_ share: [Double], box: IntervalVector, magnitudes: [Double], lambda: [Double], rows: Int,
                          sum: inout [Double], error: inout [Double]) -> (kept: [Double], concretised: [Double]) {
        let n = box.count
        var kept = lambda, concretised = [Double](repeating: 0, count: lambda.count)
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(n), tiny = SoundRounding.underflow(n)
        for r in 0..<rows {
            var total = 0.0, size = 0.0
            for j in 0..<n {
                let i = r &* n &+ j
                let beta = share[i]
                if beta == 0 { continue }
                let keep = lambda[i] * (1 - beta)
                let c = lambda[i] - keep
                kept[i] = keep
                concretised[i] = c
                total += min(c * box.lower[j], c * box.upper[j])
                size += abs(c) * magnitudes[j]
            }
            guard size != 0 || total != 0 else { continue }
            let updated = sum[r] + total
            sum[r] = updated
            error[r] += (gamma + 2 * unit) * size + tiny + 2 * unit * abs(updated)
        }
        return (kept, concretised)
    }

    /// Adds split-constraint terms to the multipliers `μ` of a ReLU layer's input. On the node,
    /// `f ≥ f − Σβⱼsⱼzⱼ ≥ μ·z + c − Σβⱼsⱼzⱼ`, so continuing with `μ' = fl(μ − βs)` is sound up to
    /// the rounding of that sum, `u·Σ|μ'ⱼ|·magⱼ` (counted twice for the running sum).
    static func addSplitTerms(_ terms: [Double], magnitudes: [Double], lambda: inout [Double], rows: Int,
                              error: inout [Double]) {
        let n = magnitudes.count
        let unit = SoundRounding.unit
        for r in 0..<rows {
            var size = 0.0
            for j in 0..<n {
                let i = r &* n &+ j
                let t = terms[i]
                if t == 0 { continue }
                lambda[i] += t
                size += abs(lambda[i]) * magnitudes[j]
            }
            error[r] += 2 * unit * size
        }
    }

    /// `Σⱼ min(aⱼlⱼ, aⱼuⱼ)` and `Σⱼ |aⱼ|·magⱼ` for row `row` of `a`, with four partial sums.
    static func boxMinimum(_ a: [Double], row: Int, lower: [Double], upper: [Double], magnitudes: [Double]) -> (Double, Double) {
        let n = lower.count
        var m0 = 0.0, m1 = 0.0, s0 = 0.0, s1 = 0.0
        a.withUnsafeBufferPointer { a in
        lower.withUnsafeBufferPointer { l in
        upper.withUnsafeBufferPointer { u in
        magnitudes.withUnsafeBufferPointer { mag in
            let base = row &* n
            var j = 0
            while j &+ 2 <= n {
                let c = a[base &+ j], d = a[base &+ j &+ 1]
                m0 += min(c * l[j], c * u[j])
                s0 += abs(c) * mag[j]
                m1 += min(d * l[j &+ 1], d * u[j &+ 1])
                s1 += abs(d) * mag[j &+ 1]
                j &+= 2
            }
            if j < n {
                let c = a[base &+ j]
                m0 += min(c * l[j], c * u[j])
                s0 += abs(c) * mag[j]
            }
        }}}}
        let minimum = SIMD2(m0, m1), size = SIMD2(s0, s1)
        return (minimum.sum(), size.sum())
    }

    /// `value − error` rounded down, with the error inflated for its own summation; −∞ when
    /// anything is not finite.
    @inline(__always)
    static func finish(_ value: Double, _ error: Double) -> Double {
        guard value.isFinite, error.isFinite else { return -.infinity }
        return SoundRounding.lower(value, error: error * (1 + 0x1p-40))
    }

    /// `Λ ↦ Λ·W`, adding `Λ·b` to the sums and the rounding-error term to the errors.
    static func affineStep(_ affine: AffineLayer, packed: PackedMatrix?, cache: LayerCache, lambda: [Double], rows: Int,
                           sum: inout [Double], error: inout [Double]) -> [Double] {
        let m = affine.outputSize, n = affine.inputSize
        // Every entry is written by the kernel.
        var next = [Double](unsafeUninitializedCapacity: rows * n) { _, count in count = rows * n }
        lambda.withUnsafeBufferPointer { a in
            next.withUnsafeMutableBufferPointer { out in
                guard let ap = a.baseAddress, let op = out.baseAddress else { return }
                WeightKernels.multiply(ap, rows: rows, by: affine.matrix, packed: packed, into: op)
            }
        }
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(m + 1)
        let tiny = SoundRounding.underflow(m) * (cache.magnitudeSum + 1)
        lambda.withUnsafeBufferPointer { a in
            affine.bias.withUnsafeBufferPointer { b in
                cache.errorWeights.withUnsafeBufferPointer { ew in
                    for r in 0..<rows {
                        var c0 = 0.0, c1 = 0.0, s0 = 0.0, s1 = 0.0
                        let base = r &* m
                        var i = 0
                        while i &+ 2 <= m {
                            let x = a[base &+ i], y = a[base &+ i &+ 1]
                            c0 += x * b[i]
                            s0 += abs(x) * ew[i]
                            c1 += y * b[i &+ 1]
                            s1 += abs(y) * ew[i &+ 1]
                            i &+= 2
                        }
                        if i < m {
                            let x = a[base &+ i]
                            c0 += x * b[i]
                            s0 += abs(x) * ew[i]
                        }
                        let constant = c0 + c1, size = s0 + s1
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

    /// Replaces coefficients `λ` on sigmoid or tanh outputs by multipliers on the inputs: with
    /// the neuron's lines `aL·z + bL ≤ f(z) ≤ aU·z + bU` (`SmoothRelaxation`, valid for the exact
    /// `f`), `λ·f(z) ≥ μ·z + κ` for `μ = λ·aL, κ = λ·bL` when `λ ≥ 0` and `μ = λ·aU, κ = λ·bU`
    /// otherwise (CROWN, Zhang et al. 2018, §3.2). The products are rounded, which adds
    /// `u·(|μ|·mag + |κ|)` each (counted twice, with the sum's error).
    static func smoothStep(_ lines: [SmoothRelaxation], cache: LayerCache, lambda: [Double], rows: Int,
                           sum: inout [Double], error: inout [Double]) -> [Double] {
        let n = lines.count
        var next = [Double](repeating: 0, count: rows * n)
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(n)
        let tiny = SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
        for r in 0..<rows {
            var constant = 0.0, constantSize = 0.0, size = 0.0
            for j in 0..<n {
                let i = r &* n &+ j
                let c = lambda[i]
                if c == 0 { continue }
                let line = lines[j]
                let (mu, kappa) = c >= 0 ? (c * line.lowerSlope, c * line.lowerIntercept) : (c * line.upperSlope, c * line.upperIntercept)
                next[i] = mu
                constant += kappa
                constantSize += abs(kappa)
                if mu != 0 { size += abs(mu) * cache.magnitudes[j] }
            }
            let total = sum[r] + constant
            sum[r] = total
            error[r] += 4 * unit * (size + constantSize) + gamma * constantSize + tiny + 2 * unit * abs(total)
        }
        return next
    }

    /// Replaces coefficients on ReLU outputs by multipliers on the pre-activations and adds the
    /// exact per-neuron minima of `λ·max(0,z) − μ·z` over `[l, u]` (candidates `l`, `0`, `u`).
    /// Stable neurons contribute exactly 0 (`μ = λ` or `μ = 0`, computed without rounding).
    /// Four partial sums break the dependency chain; the error bound holds for any order.
    static func reluStep(_ relaxation: ReLURelaxation, cache: LayerCache, lambda: [Double], rows: Int,
                         slopes: [Double]?, sum: inout [Double], error: inout [Double]) -> [Double] {
        let n = relaxation.kinds.count
        var next = [Double](repeating: 0, count: rows * n)
        let unit = SoundRounding.unit, gamma = SoundRounding.gamma(n)
        let tiny = SoundRounding.underflow(2 * n) * (cache.magnitudeSum + 1)
        relaxation.lower.withUnsafeBufferPointer { lower in
        relaxation.upper.withUnsafeBufferPointer { upper in
        relaxation.positiveFactors.withUnsafeBufferPointer { positive in
        relaxation.negativeFactors.withUnsafeBufferPointer { negative in
        relaxation.unstableMask.withUnsafeBufferPointer { mask in
        relaxation.unstableMagnitudes.withUnsafeBufferPointer { mag in
        lambda.withUnsafeBufferPointer { a in
        next.withUnsafeMutableBufferPointer { out in
            // One neuron: its multiplier (stored), minimum, |minimum| and error weight.
            @inline(__always)
            func neuron(_ base: Int, _ k: Int) -> (Double, Double, Double) {
                let c = a[base &+ k]
                let up = slopes.map { mask[k] != 0 ? $0[base &+ k] : positive[k] } ?? positive[k]
                let mu = c * (c >= 0 ? up : negative[k])
                out[base &+ k] = mu
                // Only unstable neurons (mask 1) have 0 strictly inside [l, u].
                let m = min(0, min(-mu * lower[k], (c - mu) * upper[k])) * mask[k]
                return (m, abs(m), (abs(c) + abs(mu)) * mag[k])
            }
            for r in 0..<rows {
                let base = r &* n
                var c0 = 0.0, c1 = 0.0, s0 = 0.0, s1 = 0.0, z0 = 0.0, z1 = 0.0
                var j = 0
                while j &+ 2 <= n {
                    let (m0, a0, e0) = neuron(base, j)
                    let (m1, a1, e1) = neuron(base, j &+ 1)
                    c0 += m0; s0 += a0; z0 += e0
                    c1 += m1; s1 += a1; z1 += e1
                    j &+= 2
                }
                if j < n {
                    let (m0, a0, e0) = neuron(base, j)
                    c0 += m0; s0 += a0; z0 += e0
                }
                let constant = SIMD4(c0, c1, 0, 0), constantSize = SIMD4(s0, s1, 0, 0), size = SIMD4(z0, z1, 0, 0)
                let total = sum[r] + constant.sum()
                sum[r] = total
                error[r] += 4 * unit * size.sum() + gamma * constantSize.sum() + tiny + 2 * unit * abs(total)
            }
        }}}}}}}}
        return next
    }
}
