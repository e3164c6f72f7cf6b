import NetworkIR

/// Optimises the lower ReLU slopes `α ∈ [0, 1]` of back-substitution per objective row by
/// projected Adam ascent on the bound (α-CROWN: Xu et al. 2021, "Fast and Complete", §3.1, eq. 6).
///
/// The bound is the value of the relaxed linear network at its minimising input corner `x*`,
/// so (envelope theorem) its derivative in the slope of unstable neuron `j` of ReLU layer `k` is
/// `λₖⱼ·ẑₖⱼ`: the back-substituted coefficient on that ReLU's output times the neuron's
/// pre-activation in a forward pass of the relaxed network from `x*`. Slopes are only used
/// where `λ ≥ 0` (the lower relaxation); neurons with `λ < 0` use the chord.
///
/// - Soundness: every slope vector in [0, 1] gives a valid bound (each is evaluated by the sound
///   `BackSubstitution`), so the best bound seen is kept and no step can make it invalid.
struct SlopeOptimizer: Sendable {
    /// The number of bound evaluations with optimised slopes.
    let iterations: Int
    /// The initial Adam step size; it decays geometrically.
    let stepSize: Double
    /// Stop when this instant passes.
    let deadline: ContinuousClock.Instant?

    /// Improves `initial` (per-row results with CROWN's slopes) by optimising slopes per row.
    func improve(_ initial: [ObjectiveBound], engine: BackSubstitution, start: Int, rows: BackSubstitution.Rows,
                 inputRows: [Double], constants: [Double]) -> [ObjectiveBound] {
        let network = engine.network
        let count = rows.count
        let reluLayers = (0...max(start, 0)).filter { k in
            k <= start && engine.cache(k).relaxation.map { !$0.unstableNeurons.isEmpty } == true
        }
        guard !reluLayers.isEmpty, iterations > 0 else { return initial }
        var best = initial
        var slopes: [Int: [Double]] = [:]
        var firstMoment: [Int: [Double]] = [:]
        var secondMoment: [Int: [Double]] = [:]
        for k in reluLayers {
            guard let relaxation = engine.cache(k).relaxation else { continue }
            var s = [Double](repeating: 0, count: count * relaxation.kinds.count)
            for r in 0..<count {
                for j in relaxation.kinds.indices { s[r * relaxation.kinds.count + j] = relaxation.adaptiveSlopes[j] }
            }
            slopes[k] = s
            firstMoment[k] = [Double](repeating: 0, count: s.count)
            secondMoment[k] = [Double](repeating: 0, count: s.count)
        }
        // Transposed weights for the forward passes of the gradient.
        let transposed = network.layers.map { layer -> PackedMatrix? in
            guard case let .affine(affine) = layer else { return nil }
            return PackedMatrix(transposing: affine.weights.storage, rows: affine.outputSize, columns: affine.inputSize)
        }
        // The gradient at CROWN's slopes needs the multipliers of that run.
        var current = engine.run(start: start, rows: rows, inputRows: inputRows, constants: constants, slopes: slopes, record: true)
        let beta1 = 0.9, beta2 = 0.999
        var rate = stepSize, beta1Power = 1.0, beta2Power = 1.0
        let clock = ContinuousClock()
        for _ in 1...iterations {
            if let deadline, clock.now >= deadline { break }
            let gradients = Self.gradients(of: current, engine: engine, transposed: transposed, start: start, rows: count,
                                           slopes: slopes, layers: reluLayers)
            beta1Power *= beta1
            beta2Power *= beta2
            let correction1 = 1 - beta1Power, correction2 = 1 - beta2Power
            for k in reluLayers {
                guard var s = slopes[k], var m = firstMoment[k], var v = secondMoment[k], let g = gradients[k] else { continue }
                for i in s.indices where g[i] != 0 || m[i] != 0 {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    let update = rate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + 1e-12)
                    s[i] = min(1, max(0, s[i] + update))
                }
                slopes[k] = s
                firstMoment[k] = m
                secondMoment[k] = v
            }
            rate *= 0.95
            current = engine.run(start: start, rows: rows, inputRows: inputRows, constants: constants, slopes: slopes, record: true)
            let split = LinearRelaxation.split(current, rows: count, network: network)
            for r in 0..<count where split[r].lower > best[r].lower { best[r] = split[r] }
        }
        return best
    }

    /// `∂bound/∂α` for every row and unstable neuron of the given ReLU layers, by a forward pass
    /// of the relaxed network from each row's minimising input corner.
    static func gradients(of result: BackSubstitution.Result, engine: BackSubstitution, transposed: [PackedMatrix?],
                          start: Int, rows: Int, slopes: [Int: [Double]], layers: [Int]) -> [Int: [Double]] {
        let network = engine.network
        let box = engine.bounds.input
        let n0 = network.inputSize
        var z = [Double](repeating: 0, count: rows * n0)
        for r in 0..<rows {
            for j in 0..<n0 {
                let a = result.inputCoefficients[r * n0 + j]
                z[r * n0 + j] = a > 0 ? box.lower[j] : (a < 0 ? box.upper[j] : 0.5 * (box.lower[j] + box.upper[j]))
            }
        }
        var gradients: [Int: [Double]] = [:]
        var size = n0
        for k in 0...start {
            switch network.layers[k] {
            case let .affine(affine):
                var next = [Double](repeating: 0, count: rows * affine.outputSize)
                z.withUnsafeBufferPointer { x in
                    affine.weights.storage.withUnsafeBufferPointer { w in
                        next.withUnsafeMutableBufferPointer { out in
                            guard let xp = x.baseAddress, let wp = w.baseAddress, let op = out.baseAddress else { return }
                            if let packed = transposed[k] {
                                DenseKernels.multiply(xp, rows: rows, inner: affine.inputSize, by: packed, into: op)
                            } else {
                                DenseKernels.multiplyTransposed(xp, rows: rows, inner: affine.inputSize, by: wp,
                                                                outputs: affine.outputSize, into: op)
                            }
                        }
                    }
                }
                for r in 0..<rows { for i in 0..<affine.outputSize { next[r * affine.outputSize + i] += affine.bias[i] } }
                z = next
                size = affine.outputSize
            case let .divide(divisors):
                for r in 0..<rows { for j in 0..<size { z[r * size + j] /= divisors[j] } }
            case .relu:
                guard let relaxation = engine.cache(k).relaxation else { continue }
                let lambda = result.multipliers[k]
                let wanted = layers.contains(k)
                var gradient = wanted ? [Double](repeating: 0, count: rows * size) : []
                let alphas = slopes[k]
                for r in 0..<rows {
                    for j in 0..<size {
                        let i = r * size + j
                        switch relaxation.kinds[j] {
                        case ReLURelaxation.inactive: z[i] = 0
                        case ReLURelaxation.active: break
                        default:
                            if lambda[i] >= 0 {
                                if wanted { gradient[i] = lambda[i] * z[i] }
                                z[i] *= alphas?[i] ?? relaxation.adaptiveSlopes[j]
                            } else {
                                z[i] = relaxation.chordSlopes[j] * (z[i] - relaxation.lower[j])
                            }
                        }
                    }
                }
                if wanted { gradients[k] = gradient }
            }
        }
        return gradients
    }
}
