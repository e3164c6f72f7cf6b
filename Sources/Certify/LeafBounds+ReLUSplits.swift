/// Bounds for ReLU-split trees (format version 2): the root's bounds recomputed from the
/// certificate's slope hints, and a node's bounds as the root's restricted to its phases, both
/// mirroring what the verifier computes (`Bounds.ReLUSplitBounding`), so that a leaf the verifier
/// proved by a small margin still passes here.
extension LeafBounds {
    /// The slopes of one hinted intermediate bound: for the lower bound of `z` and for the upper
    /// bound (the lower bound of `−z`), by ReLU layer and neuron.
    struct NeuronHint: Sendable {
        var lower: [Int: [Int: Fixed]]
        var upper: [Int: [Int: Fixed]]
    }

    /// The root of a ReLU-split tree over the box: per affine layer, interval propagation; for
    /// a neuron feeding a ReLU (past the first layer) that intervals leave unstable, both ends by
    /// back-substitution with the hinted slopes when the certificate gives them (α-CROWN's
    /// optimised intermediate bounds, Xu et al. 2021, §3.1), else with CROWN's adaptive slopes
    /// (Zhang et al. 2018), the upper end only while the lower one stays negative; the output
    /// layer in full. Each bound is a Lagrangian evaluation, valid whatever the slopes.
    static func reluSplitRoot(network: ExactNetwork, inputLower: [Fixed], inputUpper: [Fixed],
                              hints: [Int: [Int: NeuronHint]], parallelism: Int = 1) throws(ArithmeticOverflow) -> LeafBounds {
        var bounds = LeafBounds(network: network, inputLower: inputLower, inputUpper: inputUpper, lower: [], upper: [])
        bounds.parallelism = parallelism
        for (k, layer) in network.layers.enumerated() {
            let (previousLower, previousUpper) = bounds.bounds(of: k - 1)
            switch layer {
            case .affine:
                let (lo, hi) = try intervalImage(network: network, layer: k, lower: previousLower, upper: previousUpper)
                bounds.lower.append(lo)
                bounds.upper.append(hi)
                let isLast = k + 1 == network.layers.count
                if isLast || (k > 0 && network.isReLU(k + 1)) {
                    try bounds.tightenByBackSubstitution(layer: k, rows: lo.count, bothEnds: isLast, hints: hints[k] ?? [:])
                }
            case .relu:
                bounds.lower.append(previousLower.map { max(.zero, $0) })
                bounds.upper.append(previousUpper.map { max(.zero, $0) })
            }
            if zip(bounds.lower[k], bounds.upper[k]).contains(where: { $0 > $1 }) { bounds.isInfeasible = true }
        }
        return bounds
    }

    /// These bounds restricted to the points whose ReLU pre-activations meet `phases` (layer →
    /// neuron → active: `z ≥ 0`, inactive: `z ≤ 0`): interval propagation from the input box with
    /// each fixed neuron's pre-activation clipped to its half-line, intersected layer by layer
    /// with these bounds (which hold on a superset). A contradiction marks the result infeasible:
    /// no point of the box meets the phases.
    func restricted(to phases: [Int: [Int: Bool]]) throws(ArithmeticOverflow) -> LeafBounds {
        var result = LeafBounds(network: network, inputLower: inputLower, inputUpper: inputUpper, lower: [], upper: [])
        result.isInfeasible = isInfeasible
        for (k, layer) in network.layers.enumerated() {
            var (previousLower, previousUpper) = result.bounds(of: k - 1)
            switch layer {
            case .affine:
                var (lo, hi) = try Self.intervalImage(network: network, layer: k, lower: previousLower, upper: previousUpper)
                for i in lo.indices {
                    lo[i] = max(lo[i], lower[k][i])
                    hi[i] = min(hi[i], upper[k][i])
                }
                result.lower.append(lo)
                result.upper.append(hi)
            case .relu:
                for (j, active) in phases[k] ?? [:] where previousLower.indices.contains(j) {
                    if active { previousLower[j] = max(previousLower[j], .zero) } else { previousUpper[j] = min(previousUpper[j], .zero) }
                    if previousLower[j] > previousUpper[j] { result.isInfeasible = true }
                }
                if k == 0 {
                    result = LeafBounds(network: network, inputLower: previousLower, inputUpper: previousUpper, lower: [], upper: [])
                    result.isInfeasible = isInfeasible || zip(previousLower, previousUpper).contains { $0 > $1 }
                } else {
                    result.lower[k - 1] = previousLower
                    result.upper[k - 1] = previousUpper
                }
                var lo = previousLower.map { max(.zero, $0) }, hi = previousUpper.map { max(.zero, $0) }
                for j in lo.indices {
                    lo[j] = max(lo[j], lower[k][j])
                    hi[j] = min(hi[j], upper[k][j])
                }
                for (j, active) in phases[k] ?? [:] where !active && lo.indices.contains(j) {
                    lo[j] = .zero
                    hi[j] = .zero
                }
                result.lower.append(lo)
                result.upper.append(hi)
            }
            if zip(result.lower[k], result.upper[k]).contains(where: { $0 > $1 }) { result.isInfeasible = true }
            if result.isInfeasible { break }
        }
        return result
    }

    /// The interval image of affine layer `layer` over the box `[lower, upper]`, rounded
    /// outward: with the layer's scaled integer weights, each end is one exact 128-bit sum
    /// rounded once; otherwise term by term, each product rounded outward.
    static func intervalImage(network: ExactNetwork, layer k: Int, lower: [Fixed], upper: [Fixed])
        throws(ArithmeticOverflow) -> (lower: [Fixed], upper: [Fixed]) {
        guard case let .affine(weights, bias, rows, columns) = network.layers[k] else { return (lower, upper) }
        var lo = [Fixed](repeating: .zero, count: rows), hi = lo
        if let scaled = network.scaled[k], let pl = int64s(lower), let ph = int64s(upper) {
            let e = scaled.exponent
            for i in 0..<rows {
                var l: Int128 = 0, u: Int128 = 0
                let base = i * columns
                for j in 0..<columns {
                    let w = scaled.integers[base + j]
                    if w > 0 {
                        l &+= Int128(w) &* Int128(pl[j]); u &+= Int128(w) &* Int128(ph[j])
                    } else if w < 0 {
                        l &+= Int128(w) &* Int128(ph[j]); u &+= Int128(w) &* Int128(pl[j])
                    }
                }
                lo[i] = try Fixed.mulDown(.one, bias[i]) + Fixed(raw: l >> -e)
                hi[i] = try Fixed.mulUp(.one, bias[i]) + Fixed(raw: 0 &- ((0 &- u) >> -e))
            }
            return (lo, hi)
        }
        for i in 0..<rows {
            var l = try Fixed.mulDown(.one, bias[i]), u = try Fixed.mulUp(.one, bias[i])
            for j in 0..<columns {
                let w = weights[i * columns + j]
                if w.isZero { continue }
                let positive = !w.isNegative
                l = try l + Fixed.mulDown(positive ? lower[j] : upper[j], w)
                u = try u + Fixed.mulUp(positive ? upper[j] : lower[j], w)
            }
            lo[i] = l
            hi[i] = u
        }
        return (lo, hi)
    }
}
