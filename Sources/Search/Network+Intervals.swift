import NetworkIR

/// Interval bound propagation (Gowal et al. 2018, "On the Effectiveness of Interval Bound
/// Propagation for Training Verifiably Robust Models", eq. 6) with outward rounding, used by
/// the manipulation search to bound grid cells and hidden-layer regions.
///
/// - Soundness: every affine sum is computed in round-to-nearest and then widened by the
///   standard a-priori error bound `(n + 2)·u·Σ|wⱼ|·max(|lⱼ|, |uⱼ|)` (Higham, "Accuracy and
///   Stability of Numerical Algorithms", §3.1, γₙ), plus an absolute term for underflow; a
///   division is widened by one ulp each way. So the result encloses the exact image.
extension Network {
    /// Bounds on the output of layer `range.upperBound − 1` for inputs of layer
    /// `range.lowerBound` in `[lower, upper]`.
    /// - Complexity: about two passes over the weights of `range`.
    public func intervalImage(layers range: Range<Int>, lower: [Double], upper: [Double]) -> (lower: [Double], upper: [Double]) {
        var lo = lower
        var hi = upper
        for index in range {
            switch layers[index] {
            case let .affine(affine):
                let w = affine.matrix
                var newLo = [Double](repeating: 0, count: w.rows)
                var newHi = [Double](repeating: 0, count: w.rows)
                let gamma = Double(w.columns + 2) * Double.ulpOfOne
                for i in 0..<w.rows {
                    var sLo = affine.bias[i]
                    var sHi = affine.bias[i]
                    var magnitude = abs(affine.bias[i])
                    w.forEachEntry(inRow: i) { j, wij in
                        if wij == 0 { return }
                        let a = wij * lo[j]
                        let b = wij * hi[j]
                        sLo += min(a, b)
                        sHi += max(a, b)
                        magnitude += abs(wij) * max(abs(lo[j]), abs(hi[j]))
                    }
                    let error = gamma * magnitude + Double.leastNormalMagnitude * Double(w.columns + 2)
                    newLo[i] = sLo - error
                    newHi[i] = sHi + error
                }
                lo = newLo
                hi = newHi
            case let .divide(divisors):
                for i in lo.indices {
                    let a = lo[i] / divisors[i]
                    let b = hi[i] / divisors[i]
                    lo[i] = min(a, b).nextDown
                    hi[i] = max(a, b).nextUp
                }
            case .relu:
                for i in lo.indices {
                    lo[i] = max(0, lo[i])
                    hi[i] = max(0, hi[i])
                }
            case let .smooth(smooth):
                // Increasing: the ends' values, widened for libm's error (`SmoothActivation.image`).
                for i in lo.indices where !smooth.carries(i) {
                    (lo[i], hi[i]) = smooth.function.image(lower: lo[i], upper: hi[i])
                }
            }
        }
        return (lo, hi)
    }
}
