import Dispatch

/// Sound bounds of every layer of an `ExactNetwork` over an input box, and lower bounds of
/// linear objectives over it, computed on the `Fixed` grid with every rounding directed or
/// charged to the bound: the checker's own re-derivation of a leaf.
///
/// Intermediate bounds: interval propagation intersected with forward symbolic bounds (each
/// neuron between two affine functions of the input, as in Wang et al. 2018, "Formal Security
/// Analysis of Neural Networks using Symbolic Intervals", §3), and for neurons still unstable
/// before a ReLU, back-substitution (CROWN, Zhang et al. 2018, Theorem 3.2, with its adaptive
/// lower slopes).
///
/// Objective bounds are Lagrangian evaluations (Dvijotham et al. 2018, "A Dual Approach to
/// Scalable Verification of Deep Networks", eq. 5): for multipliers `Λₖ` on each layer's output
/// chosen by back-substitution, the bound adds, per affine layer, `Λₖ·b` and the residual of
/// rounding `Λₖ·W` to the grid over the previous layer's box, per ReLU neuron the exact minimum
/// of `λ·relu(z) − μ·z` over `z ∈ [l, u]` (attained at `l`, `u` or 0), and at the input the box
/// minimum. The bound holds for *any* multipliers, so the certificate's slopes (which only
/// choose `μ = α·λ`) need no validity check, and rounding a multiplier never costs soundness.
struct LeafBounds: Sendable {
    let network: ExactNetwork
    /// Threads for the back-substitution of one layer's neurons (`tightenByBackSubstitution`).
    var parallelism = 1
    /// The input box (grid numbers enclosing the node's box).
    let inputLower: [Fixed]
    let inputUpper: [Fixed]
    /// Bounds of each layer's output (set by the initialisers here and in `LeafBounds+ReLUSplits`).
    var lower: [[Fixed]] = []
    var upper: [[Fixed]] = []
    /// True when the bounds prove the region empty (a ReLU-split node whose phases contradict
    /// them); the layer bounds are then meaningless.
    var isInfeasible = false

    /// Bounds given layer by layer (`lower`, `upper` may start empty and be filled in order).
    init(network: ExactNetwork, inputLower: [Fixed], inputUpper: [Fixed], lower: [[Fixed]], upper: [[Fixed]]) {
        self.network = network
        self.inputLower = inputLower
        self.inputUpper = inputUpper
        self.lower = lower
        self.upper = upper
    }

    /// Bounds every layer over the box, each intersected with `known` (bounds of every layer
    /// over a region containing the box: the parent node's, as the verifier does) when given.
    init(network: ExactNetwork, inputLower: [Fixed], inputUpper: [Fixed], known: LeafBounds? = nil,
         parallelism: Int = 1) throws(ArithmeticOverflow) {
        self.network = network
        self.inputLower = inputLower
        self.inputUpper = inputUpper
        self.parallelism = parallelism
        try propagate(known: known)
    }

    /// Bounds of the output of layer `k` (`k = -1`: the input).
    func bounds(of k: Int) -> (lower: [Fixed], upper: [Fixed]) {
        k < 0 ? (inputLower, inputUpper) : (lower[k], upper[k])
    }

    /// An affine function `a·x + c` of the input.
    private struct Form {
        var coefficients: [Fixed]
        var constant: Fixed
    }

    /// `Σ cnt·ulp·min(0, xₖ)`: what a coefficient residual in `[0, cnt·ulp)` can subtract.
    private func residualCharge(count: Int, lower box: [Fixed]) throws(ArithmeticOverflow) -> Fixed {
        var charge = Fixed.zero
        for l in box where l < .zero { charge = try charge + Fixed.mulDown(Fixed.steps(count), l) }
        return charge
    }

    /// `min over the box of form` (rounded down), or with `upperEnd` the maximum (rounded up).
    private func range(_ form: Form, upperEnd: Bool) throws(ArithmeticOverflow) -> Fixed {
        var total = form.constant
        for (k, a) in form.coefficients.enumerated() where a != .zero {
            if upperEnd {
                total = try total + Fixed.mulUp(a, a > .zero ? inputUpper[k] : inputLower[k])
            } else {
                total = try total + Fixed.mulDown(a, a > .zero ? inputLower[k] : inputUpper[k])
            }
        }
        return total
    }

    private mutating func propagate(known: LeafBounds?) throws(ArithmeticOverflow) {
        let n = network.inputSize
        // Forward symbolic state: lower and upper forms per neuron of the current layer output.
        var lowerForms: [Form] = (0..<n).map { i in
            var a = [Fixed](repeating: .zero, count: n); a[i] = .one
            return Form(coefficients: a, constant: .zero)
        }
        var upperForms = lowerForms
        var previousLower = inputLower, previousUpper = inputUpper
        let lowCharge = try residualCharge(count: 1, lower: inputLower)
        // For upper forms the residual (≤ 0 after rounding up) times x is at most cnt·ulp·max(0, −x).
        for (k, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(weights, bias, rows, columns):
                var lo = [Fixed](repeating: .zero, count: rows), hi = lo
                var newLower: [Form] = [], newUpper: [Form] = []
                newLower.reserveCapacity(rows); newUpper.reserveCapacity(rows)
                let fast = try Self.fastAffine(scaled: network.scaled[k], bias: bias, rows: rows, columns: columns, n: n,
                                               previous: (previousLower, previousUpper), forms: (lowerForms, upperForms),
                                               lowCharge: lowCharge)
                for i in 0..<rows {
                    if let fast {
                        lo[i] = max(fast.lower[i], try range(fast.lowerForms[i], upperEnd: false))
                        hi[i] = min(fast.upper[i], try range(fast.upperForms[i], upperEnd: true))
                        if let known {
                            lo[i] = max(lo[i], known.lower[k][i])
                            hi[i] = min(hi[i], known.upper[k][i])
                        }
                        newLower.append(fast.lowerForms[i])
                        newUpper.append(fast.upperForms[i])
                        continue
                    }
                    let b = bias[i]
                    var l = try Fixed.mulDown(.one, b), u = try Fixed.mulUp(.one, b)
                    var lf = Form(coefficients: [Fixed](repeating: .zero, count: n), constant: l)
                    var uf = Form(coefficients: [Fixed](repeating: .zero, count: n), constant: u)
                    var terms = 0
                    for j in 0..<columns {
                        let w = weights[i * columns + j]
                        if w.isZero { continue }
                        terms += 1
                        let positive = !w.isNegative
                        l = try l + Fixed.mulDown(positive ? previousLower[j] : previousUpper[j], w)
                        u = try u + Fixed.mulUp(positive ? previousUpper[j] : previousLower[j], w)
                        let fl = positive ? lowerForms[j] : upperForms[j]
                        let fu = positive ? upperForms[j] : lowerForms[j]
                        lf.constant = try lf.constant + Fixed.mulDown(fl.constant, w)
                        uf.constant = try uf.constant + Fixed.mulUp(fu.constant, w)
                        for c in 0..<n {
                            if fl.coefficients[c] != .zero { lf.coefficients[c] = try lf.coefficients[c] + Fixed.mulDown(fl.coefficients[c], w) }
                            if fu.coefficients[c] != .zero { uf.coefficients[c] = try uf.coefficients[c] + Fixed.mulUp(fu.coefficients[c], w) }
                        }
                    }
                    // Each coefficient was rounded `terms` times: down for the lower form (the
                    // exact one is larger by < terms·ulp), up for the upper one.
                    let charge = try Fixed.mulDown(Fixed.steps(terms).scaledToGrid, lowCharge)
                    lf.constant = try lf.constant + charge
                    uf.constant = try uf.constant - charge
                    lo[i] = max(l, try range(lf, upperEnd: false))
                    hi[i] = min(u, try range(uf, upperEnd: true))
                    if let known {
                        lo[i] = max(lo[i], known.lower[k][i])
                        hi[i] = min(hi[i], known.upper[k][i])
                    }
                    newLower.append(lf)
                    newUpper.append(uf)
                }
                lower.append(lo)
                upper.append(hi)
                // As the verifier does: neurons feeding a ReLU are back-substituted while they are
                // unstable (the upper end only while the lower one stays negative), and the output
                // layer in full, both ends (its bounds feed the objectives' box bounds and, through
                // `known`, the children's).
                let isLast = k + 1 == network.layers.count
                if isLast || network.isReLU(k + 1) {
                    try tightenByBackSubstitution(layer: k, rows: rows, bothEnds: isLast)
                }
                lowerForms = newLower
                upperForms = newUpper
            case .relu:
                let preLower = previousLower, preUpper = previousUpper
                var lo = preLower, hi = preUpper
                let zero = Form(coefficients: [Fixed](repeating: .zero, count: n), constant: .zero)
                for j in lo.indices {
                    lo[j] = max(.zero, preLower[j])
                    hi[j] = max(.zero, preUpper[j])
                    if let known {
                        lo[j] = max(lo[j], known.lower[k][j])
                        hi[j] = min(hi[j], known.upper[k][j])
                    }
                    let l = preLower[j], u = preUpper[j]
                    if u <= .zero {
                        lowerForms[j] = zero
                        upperForms[j] = zero
                        continue
                    }
                    // Lower: relu(z) ≥ z ≥ L(x) is kept when L ≥ 0 on the box or when L's range
                    // leans positive (DeepPoly's rule, Singh et al. 2019, §4.2); else relu(z) ≥ 0.
                    let lowMin = try range(lowerForms[j], upperEnd: false), lowMax = try range(lowerForms[j], upperEnd: true)
                    if !(lowMin >= .zero || (lowMax > .zero && lowMax > -lowMin)) { lowerForms[j] = zero }
                    if l >= .zero { continue }
                    // Upper: relu(z) ≤ relu(U(x)) ≤ s·(U(x) − a) for U's range [a, b] on the box
                    // and s ≥ b/(b − a) (the chord of relu over [a, b]).
                    let a = try range(upperForms[j], upperEnd: false), b = try range(upperForms[j], upperEnd: true)
                    if b <= .zero { upperForms[j] = zero; continue }
                    if a >= .zero { continue }
                    let s = try Fixed.divUp(b, try b - a)
                    var uf = upperForms[j]
                    for c in 0..<n where uf.coefficients[c] != .zero { uf.coefficients[c] = try Fixed.mulUp(uf.coefficients[c], s) }
                    uf.constant = try Fixed.mulUp(uf.constant, s) + Fixed.mulUp(-a, s) - lowCharge
                    upperForms[j] = uf
                }
                lower.append(lo)
                upper.append(hi)
            }
            previousLower = lower[k]
            previousUpper = upper[k]
        }
    }

    /// Back-substitutes neurons of affine layer `k` (CROWN): every neuron, both ends, for the
    /// output layer (`bothEnds`); else each neuron still unstable, its upper end only while its
    /// lower end stays negative, or both ends with the slopes of its hint when `hints` has one.
    /// Each neuron's bound reads only earlier layers, so they are computed side by side on
    /// `parallelism` threads and written back in neuron order: the result does not depend on
    /// the thread count.
    mutating func tightenByBackSubstitution(layer k: Int, rows: Int, bothEnds: Bool,
                                            hints: [Int: NeuronHint] = [:]) throws(ArithmeticOverflow) {
        let neurons = (0..<rows).filter { bothEnds || (lower[k][$0] < .zero && upper[k][$0] > .zero) }
        guard !neurons.isEmpty else { return }
        let current = (lower: lower[k], upper: upper[k])
        let snapshot = self
        let compute: @Sendable (Int) throws(ArithmeticOverflow) -> (lower: Fixed, upper: Fixed) = { i throws(ArithmeticOverflow) in
            var unit = [Fixed](repeating: .zero, count: rows)
            unit[i] = .one
            let hint = hints[i]
            let low = max(current.lower[i], try snapshot.lowerBound(start: k, rows: unit, constant: .zero, slopes: hint?.lower ?? [:]))
            guard bothEnds || hint != nil || low < .zero else { return (low, current.upper[i]) }
            unit[i] = -.one
            let high = -(try snapshot.lowerBound(start: k, rows: unit, constant: .zero, slopes: hint?.upper ?? [:]))
            return (low, min(current.upper[i], high))
        }
        var results = [Result<(lower: Fixed, upper: Fixed), ArithmeticOverflow>?](repeating: nil, count: neurons.count)
        let threads = min(parallelism, neurons.count)
        if threads <= 1 {
            for (slot, i) in neurons.enumerated() { results[slot] = Result { () throws(ArithmeticOverflow) in try compute(i) } }
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                let out = UncheckedBuffer(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    var slot = thread
                    while slot < neurons.count {
                        out.base[slot] = Result { () throws(ArithmeticOverflow) in try compute(neurons[slot]) }
                        slot += threads
                    }
                }
            }
        }
        for (slot, i) in neurons.enumerated() {
            let bound = try results[slot]!.get()
            lower[k][i] = bound.lower
            upper[k][i] = bound.upper
        }
    }

    /// A lower bound of `rows·z_start + inputRows·x + constant` over the box, where `z_start` is
    /// the output of layer `start`; `slopes[layer][neuron]` are lower ReLU slopes to use where a
    /// neuron is unstable (else CROWN's adaptive choice). `splitTerms[layer][neuron]` is added to
    /// the multiplier of that ReLU layer's input after the ReLU step: `−β·s` for a split
    /// constraint `s·z ≥ 0` with `β ≥ 0` (β-CROWN, Wang et al. 2021, eq. 4), which makes the
    /// result a lower bound only on the points meeting that constraint.
    func lowerBound(start: Int, rows: [Fixed], inputRows: [Fixed]? = nil, constant: Fixed,
                    slopes: [Int: [Int: Fixed]] = [:], splitTerms: [Int: [Int: Fixed]] = [:]) throws(ArithmeticOverflow) -> Fixed {
        var lambda = rows
        var total = constant
        var k = start
        while k >= 0 {
            let (preLower, preUpper) = bounds(of: k - 1)
            switch network.layers[k] {
            case let .affine(weights, bias, rowCount, columns):
                if let scaled = network.scaled[k], let multipliers = Self.int64s(lambda) {
                    var sums = [Int128](repeating: 0, count: columns)
                    for i in 0..<rowCount where multipliers[i] != 0 {
                        total = try total + Fixed.mulDown(lambda[i], bias[i])
                    }
                    // Full-width 64×64-bit products summed in 128 bits, exactly: weights stay below
                    // 2⁵⁰ and layers below 2¹³ rows (`ExactNetwork.ScaledWeights`), so |Σ| < 2¹²⁶.
                    scaled.integers.withUnsafeBufferPointer { weights in
                        sums.withUnsafeMutableBufferPointer { accumulator in
                            for i in 0..<rowCount where multipliers[i] != 0 {
                                let m = multipliers[i], base = i * columns
                                for j in 0..<columns {
                                    let p = m.multipliedFullWidth(by: weights[base + j])
                                    accumulator[j] &+= Int128(p.high) << 64 | Int128(p.low)
                                }
                            }
                        }
                    }
                    // One rounding per entry: the exact Λ·W exceeds it by less than one ulp.
                    lambda = sums.map { Fixed(raw: $0 >> -scaled.exponent) }
                    total = try total + residualCharge(count: 1, lower: preLower)
                    break
                }
                var next = [Fixed](repeating: .zero, count: columns)
                var terms = 0
                for i in 0..<rowCount where lambda[i] != .zero {
                    terms += 1
                    total = try total + Fixed.mulDown(lambda[i], bias[i])
                    let base = i * columns
                    for j in 0..<columns where !weights[base + j].isZero {
                        next[j] = try next[j] + Fixed.mulDown(lambda[i], weights[base + j])
                    }
                }
                // The exact Λ·W exceeds `next` by less than terms·ulp per entry.
                total = try total + residualCharge(count: terms, lower: preLower)
                lambda = next
            case .relu:
                let layerSlopes = slopes[k]
                for j in lambda.indices where lambda[j] != .zero {
                    let λ = lambda[j], l = preLower[j], u = preUpper[j]
                    let μ: Fixed
                    if l >= .zero { μ = λ }
                    else if u <= .zero { μ = .zero }
                    else if λ > .zero {
                        let α = layerSlopes?[j] ?? (u >= -l ? Fixed.one : Fixed.zero)
                        μ = try Fixed.mulDown(λ, α)
                    } else {
                        μ = try Fixed.mulDown(λ, try Fixed.divDown(u, try u - l))
                    }
                    // min over z ∈ [l, u] of λ·relu(z) − μ·z, at l, u or 0.
                    func value(_ z: Fixed) throws(ArithmeticOverflow) -> Fixed {
                        try Fixed.mulDown(λ, max(.zero, z)) - Fixed.mulUp(μ, z)
                    }
                    var least = min(try value(l), try value(u))
                    if l < .zero && u > .zero { least = min(least, .zero) }
                    total = try total + least
                    lambda[j] = μ
                }
                for (j, term) in splitTerms[k] ?? [:] where lambda.indices.contains(j) {
                    lambda[j] = try lambda[j] + term
                }
            }
            k -= 1
        }
        if let inputRows {
            for j in lambda.indices { lambda[j] = try lambda[j] + inputRows[j] }
        }
        for (j, c) in lambda.enumerated() where c != .zero {
            total = try total + Fixed.mulDown(c, c > .zero ? inputLower[j] : inputUpper[j])
        }
        return total
    }

    /// The raws of `values` as 64-bit integers, or nil when one does not fit.
    static func int64s(_ values: [Fixed]) -> [Int64]? {
        var result = [Int64](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            guard let x = Int64(exactly: v.raw) else { return nil }
            result[i] = x
        }
        return result
    }

    /// `⌊s·2^e⌋` and `⌈s·2^e⌉` for `e ≤ 0`.
    private static func down(_ s: Int128, _ e: Int) -> Fixed { Fixed(raw: s >> -e) }
    private static func up(_ s: Int128, _ e: Int) -> Fixed { Fixed(raw: 0 &- ((0 &- s) >> -e)) }

    /// One affine layer of interval and symbolic propagation with scaled weights: every sum
    /// accumulated exactly, then rounded once (down for lower ends, up for upper ends), so
    /// each coefficient's residual is below one ulp (charged by `lowCharge`). nil when the
    /// layer's weights or the incoming numbers do not fit the 64-bit form.
    private static func fastAffine(scaled: ExactNetwork.ScaledWeights?, bias: [Dyadic], rows: Int, columns: Int, n: Int,
                                   previous: (lower: [Fixed], upper: [Fixed]), forms: (lower: [Form], upper: [Form]),
                                   lowCharge: Fixed) throws(ArithmeticOverflow)
        -> (lower: [Fixed], upper: [Fixed], lowerForms: [Form], upperForms: [Form])? {
        guard let scaled, let pl = int64s(previous.lower), let ph = int64s(previous.upper),
              let lc = int64s(forms.lower.flatMap(\.coefficients)), let uc = int64s(forms.upper.flatMap(\.coefficients)),
              let lk = int64s(forms.lower.map(\.constant)), let uk = int64s(forms.upper.map(\.constant)) else { return nil }
        let e = scaled.exponent
        var lower = [Fixed](), upper = [Fixed](), lowerForms = [Form](), upperForms = [Form]()
        var lowSum = [Int128](repeating: 0, count: n), highSum = lowSum
        for i in 0..<rows {
            var l: Int128 = 0, u: Int128 = 0, lConst: Int128 = 0, uConst: Int128 = 0
            for c in 0..<n { lowSum[c] = 0; highSum[c] = 0 }
            let base = i * columns
            for j in 0..<columns {
                let w = scaled.integers[base + j]
                if w == 0 { continue }
                let m = Int128(w)
                // For w ≥ 0 the lower end takes the lower function, for w < 0 the upper one.
                if w > 0 {
                    l &+= m &* Int128(pl[j]); u &+= m &* Int128(ph[j])
                    lConst &+= m &* Int128(lk[j]); uConst &+= m &* Int128(uk[j])
                    for c in 0..<n {
                        lowSum[c] &+= m &* Int128(lc[j * n + c])
                        highSum[c] &+= m &* Int128(uc[j * n + c])
                    }
                } else {
                    l &+= m &* Int128(ph[j]); u &+= m &* Int128(pl[j])
                    lConst &+= m &* Int128(uk[j]); uConst &+= m &* Int128(lk[j])
                    for c in 0..<n {
                        lowSum[c] &+= m &* Int128(uc[j * n + c])
                        highSum[c] &+= m &* Int128(lc[j * n + c])
                    }
                }
            }
            let bDown = try Fixed.mulDown(.one, bias[i]), bUp = try Fixed.mulUp(.one, bias[i])
            lower.append(try bDown + down(l, e))
            upper.append(try bUp + up(u, e))
            lowerForms.append(Form(coefficients: lowSum.map { down($0, e) }, constant: try bDown + down(lConst, e) + lowCharge))
            upperForms.append(Form(coefficients: highSum.map { up($0, e) }, constant: try bUp + up(uConst, e) - lowCharge))
        }
        return (lower, upper, lowerForms, upperForms)
    }

    /// A lower bound of `rows·z_last + inputRows·x + constant` from the output box alone.
    func boxLowerBound(rows: [Fixed], inputRows: [Fixed], constant: Fixed) throws(ArithmeticOverflow) -> Fixed {
        let (outLower, outUpper) = bounds(of: network.layers.count - 1)
        var total = constant
        for (j, c) in rows.enumerated() where c != .zero {
            total = try total + Fixed.mulDown(c, c > .zero ? outLower[j] : outUpper[j])
        }
        for (j, c) in inputRows.enumerated() where c != .zero {
            total = try total + Fixed.mulDown(c, c > .zero ? inputLower[j] : inputUpper[j])
        }
        return total
    }
}

extension Fixed {
    /// The integer `raw` read as a grid number's raw count (`steps(n)` is `n·ulp`; this is `n`).
    var scaledToGrid: Fixed { Fixed(raw: raw << Fixed.bits) }
}

/// A pointer that distinct threads write at distinct indices (each slot once, joined before it is
/// read), which the compiler cannot see is race-free.
struct UncheckedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
