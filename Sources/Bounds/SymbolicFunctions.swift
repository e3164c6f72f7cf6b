import NetworkIR

/// A linear lower and a linear upper function of the network input for every neuron of one
/// layer: the state of `SymbolicPropagation`.
///
/// Invariant: for every input `x` of the region, in exact real arithmetic on the stored doubles,
/// `lowerCoefficients[j]·x + lowerConstants[j] ≤ yⱼ(x) ≤ upperCoefficients[j]·x + upperConstants[j]`.
/// Every operation keeps it by moving constants outward by a bound on its rounding error.
struct SymbolicFunctions: Sendable {
    /// The input box the functions are evaluated on, with its magnitudes.
    struct Domain: Sendable {
        let lower: [Double]
        let upper: [Double]
        /// `max(|lᵢ|, |uᵢ|)`.
        let magnitudes: [Double]
        /// The number of inputs.
        var dimension: Int { lower.count }

        init(box: IntervalVector) {
            lower = box.lower
            upper = box.upper
            magnitudes = box.magnitudes
        }
    }

    /// Neurons in the layer.
    let count: Int
    /// Inputs of the network.
    let dimension: Int
    /// Row-major `count × dimension`.
    var lowerCoefficients: [Double]
    var lowerConstants: [Double]
    var upperCoefficients: [Double]
    var upperConstants: [Double]

    /// `y = x`, exactly.
    static func identity(size: Int) -> SymbolicFunctions {
        var coefficients = [Double](repeating: 0, count: size * size)
        for i in 0..<size { coefficients[i * size + i] = 1 }
        let zeros = [Double](repeating: 0, count: size)
        return SymbolicFunctions(count: size, dimension: size, lowerCoefficients: coefficients, lowerConstants: zeros,
                                 upperCoefficients: coefficients, upperConstants: zeros)
    }

    /// `max(Σₖ|cⱼₖ|·magₖ + |dⱼ|)` over the lower and upper function of each neuron: a bound on
    /// the magnitude of every term their evaluation on the box involves (NaN stays NaN).
    func sizes(_ domain: Domain) -> [Double] {
        let d = dimension
        var result = [Double](repeating: 0, count: count)
        for j in 0..<count {
            var low = abs(lowerConstants[j]), high = abs(upperConstants[j])
            for k in 0..<d {
                low += abs(lowerCoefficients[j * d + k]) * domain.magnitudes[k]
                high += abs(upperCoefficients[j * d + k]) * domain.magnitudes[k]
            }
            result[j] = low.isNaN || high.isNaN ? .nan : max(low, high)
        }
        return result
    }

    /// The functions of `W·y + b`: positive weights take the same-side function, negative
    /// weights the other side's (`L' = W⁺L + W⁻U`, `U' = W⁺U + W⁻L`, constants alike).
    func applying(_ affine: AffineLayer, context domain: Domain) -> SymbolicFunctions {
        let n = affine.inputSize, m = affine.outputSize, d = dimension
        precondition(n == count, "affine layer reads \(n) values, the symbolic state has \(count)")
        let sizes = sizes(domain)
        // Rows of d coefficients followed by the constant, so one loop handles both.
        let stride = d + 1
        var source = [Double](repeating: 0, count: 2 * n * stride)
        for j in 0..<n {
            for k in 0..<d {
                source[j * stride + k] = lowerCoefficients[j * d + k]
                source[(n + j) * stride + k] = upperCoefficients[j * d + k]
            }
            source[j * stride + d] = lowerConstants[j]
            source[(n + j) * stride + d] = upperConstants[j]
        }
        var low = [Double](repeating: 0, count: m * stride), high = low
        var errorSums = affine.bias.map(abs)
        source.withUnsafeBufferPointer { src in
        sizes.withUnsafeBufferPointer { size in
        low.withUnsafeMutableBufferPointer { ol in
        high.withUnsafeMutableBufferPointer { oh in
            let upperBase = n &* stride
            for i in 0..<m {
                let out = i &* stride
                var errorSum = errorSums[i]
                affine.matrix.forEachEntry(inRow: i) { j, weight in
                    if weight == 0 { return }
                    errorSum += abs(weight) * size[j]
                    let positive = max(weight, 0), negative = min(weight, 0)
                    let lowRow = j &* stride, highRow = upperBase &+ j &* stride
                    for k in 0..<stride {
                        let l = src[lowRow &+ k], h = src[highRow &+ k]
                        ol[out &+ k] += positive * l + negative * h
                        oh[out &+ k] += positive * h + negative * l
                    }
                }
                errorSums[i] = errorSum
            }
        }}}}
        let gamma = SoundRounding.gamma(2 * n + 1)
        let tiny = SoundRounding.underflow(2 * n * stride) * (domain.magnitudes.reduce(0, +) + 1)
        var result = SymbolicFunctions(count: m, dimension: d, lowerCoefficients: [Double](repeating: 0, count: m * d),
                                       lowerConstants: affine.bias, upperCoefficients: [Double](repeating: 0, count: m * d),
                                       upperConstants: affine.bias)
        for i in 0..<m {
            for k in 0..<d {
                result.lowerCoefficients[i * d + k] = low[i * stride + k]
                result.upperCoefficients[i * d + k] = high[i * stride + k]
            }
            let error = gamma * errorSums[i] + tiny
            result.lowerConstants[i] = SoundRounding.lower(low[i * stride + d] + affine.bias[i], error: error)
            result.upperConstants[i] = SoundRounding.upper(high[i * stride + d] + affine.bias[i], error: error)
        }
        return result
    }

    /// The functions of `yⱼ/dⱼ` (a negative divisor swaps the sides).
    func dividing(by divisors: [Double], context domain: Domain) -> SymbolicFunctions {
        precondition(divisors.count == count, "division by \(divisors.count) divisors of \(count) values")
        let d = dimension
        let sizes = sizes(domain)
        var result = self
        let tiny = SoundRounding.underflow(d + 1) * (domain.magnitudes.reduce(0, +) + 1)
        for j in 0..<count {
            let divisor = divisors[j]
            let positive = divisor > 0
            let error = 4 * SoundRounding.unit * sizes[j] / abs(divisor) + tiny
            for k in 0..<d {
                let low = lowerCoefficients[j * d + k] / divisor, high = upperCoefficients[j * d + k] / divisor
                result.lowerCoefficients[j * d + k] = positive ? low : high
                result.upperCoefficients[j * d + k] = positive ? high : low
            }
            let low = lowerConstants[j] / divisor, high = upperConstants[j] / divisor
            result.lowerConstants[j] = SoundRounding.lower(positive ? low : high, error: error)
            result.upperConstants[j] = SoundRounding.upper(positive ? high : low, error: error)
        }
        return result
    }

    /// The ranges of the lower and the upper function of neuron `j` over the box:
    /// `(min L, max L, min U, max U)`, each rounded outward (NaN becomes the safe infinity).
    func ranges(of j: Int, over domain: Domain) -> (lowMin: Double, lowMax: Double, highMin: Double, highMax: Double) {
        let d = dimension
        var lowMin = lowerConstants[j], lowMax = lowerConstants[j], highMin = upperConstants[j], highMax = upperConstants[j]
        var lowSize = abs(lowerConstants[j]), highSize = abs(upperConstants[j])
        for k in 0..<d {
            let l = domain.lower[k], u = domain.upper[k]
            let a = lowerCoefficients[j * d + k], b = upperCoefficients[j * d + k]
            let al = a * l, au = a * u, bl = b * l, bu = b * u
            lowMin += min(al, au); lowMax += max(al, au)
            highMin += min(bl, bu); highMax += max(bl, bu)
            lowSize += abs(a) * domain.magnitudes[k]
            highSize += abs(b) * domain.magnitudes[k]
        }
        let gamma = SoundRounding.gamma(d + 1), tiny = SoundRounding.underflow(d)
        let lowError = gamma * lowSize + tiny, highError = gamma * highSize + tiny
        return (SoundRounding.lower(lowMin, error: lowError), SoundRounding.upper(lowMax, error: lowError),
                SoundRounding.lower(highMin, error: highError), SoundRounding.upper(highMax, error: highError))
    }

    /// The interval of every neuron: `[min L, max U]` over the box.
    func range(over domain: Domain) -> IntervalVector {
        var lower = [Double](repeating: 0, count: count), upper = lower
        for j in 0..<count {
            let r = ranges(of: j, over: domain)
            lower[j] = r.lowMin
            upper[j] = r.highMax
        }
        return IntervalVector(lower: lower, upper: upper)
    }

    /// The functions of `max(0, z)` given sound pre-activation bounds `pre` of `z`.
    ///
    /// A neuron that `pre` proves inactive gets `0`, an active one keeps its upper function
    /// (and its lower one, or `0` by the rule below). For an unstable one, the lower function is `L` (valid as `max(0, z) ≥ z ≥ L(x)`) or `0`, whichever
    /// DeepPoly's area rule prefers on `L`'s range; the upper function is the chord of
    /// `max(0, ·)` over the range `[a, b]` of `U` (Neurify eq. 3), applied to `U`: since
    /// `max(0, z) ≤ max(0, U(x)) ≤ λ·U(x) + t` for a line with `λ ≥ 0` lying above `max(0, ·)` at
    /// `a` and `b`. Neurons with an infinite bound get the constant bounds `0` and `u`.
    func rectified(pre: IntervalVector, context domain: Domain) -> SymbolicFunctions {
        precondition(pre.count == count, "ReLU bounds of \(pre.count) neurons for \(count) functions")
        let d = dimension
        var result = self
        func setLower(_ j: Int, toZero: Bool) {
            guard toZero else { return }
            for k in 0..<d { result.lowerCoefficients[j * d + k] = 0 }
            result.lowerConstants[j] = 0
        }
        func setUpper(_ j: Int, constant: Double) {
            for k in 0..<d { result.upperCoefficients[j * d + k] = 0 }
            result.upperConstants[j] = constant
        }
        for j in 0..<count {
            let l = pre.lower[j], u = pre.upper[j]
            if u <= 0 {
                setLower(j, toZero: true)
                setUpper(j, constant: 0)
                continue
            }
            let r = ranges(of: j, over: domain)
            if l >= 0 {
                // Active: max(0, z) = z ≤ U(x); for the lower side both L and 0 are valid.
                setLower(j, toZero: !(r.lowMin >= 0 || (r.lowMax > 0 && r.lowMax > -r.lowMin)))
                continue
            }
            guard l.isFinite, u.isFinite, r.lowMin.isFinite, r.lowMax.isFinite, r.highMin.isFinite, r.highMax.isFinite else {
                setLower(j, toZero: true)
                setUpper(j, constant: u)
                continue
            }
            // Lower: L stays when it is nonnegative on the box or when DeepPoly's rule picks slope 1.
            setLower(j, toZero: !(r.lowMin >= 0 || (r.lowMax > 0 && r.lowMax > -r.lowMin)))
            // Upper.
            let a = r.highMin, b = r.highMax
            if b <= 0 { setUpper(j, constant: 0); continue }
            if a >= 0 { continue }
            let slope = min(1, max(0, b / (b - a)))
            let intercept = max(SoundRounding.productUp(slope, -a), (b - SoundRounding.productDown(slope, b)).nextUp)
            var size = abs(upperConstants[j])
            for k in 0..<d {
                let c = upperCoefficients[j * d + k]
                size += abs(c) * domain.magnitudes[k]
                result.upperCoefficients[j * d + k] = slope * c
            }
            let error = SoundRounding.gamma(2) * (slope * size + intercept) + SoundRounding.underflow(d + 2)
            result.upperConstants[j] = SoundRounding.upper(slope * upperConstants[j] + intercept, error: error)
            // Never above the plain bound u: keep the chord only if it can be below it.
            if !(result.upperConstants[j].isFinite) { setUpper(j, constant: u) }
        }
        return result
    }
}
