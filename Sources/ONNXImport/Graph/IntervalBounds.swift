import NetworkIR

/// Interval propagation with outward rounding, for the lower bounds the graph lowering needs
/// (Gowal et al. 2018, interval bound propagation). Each operation is done in round-to-nearest
/// and then moved one ulp outward, which encloses the exact real result.
enum IntervalBounds {
    /// Bounds of `W·x + b` for `x` in `[lower, upper]` (infinite bounds allowed).
    static func affine(_ weights: Matrix, _ bias: [Double], lower: [Double], upper: [Double]) -> ([Double], [Double]) {
        var low = bias, high = bias
        for i in 0..<weights.rows {
            var l = bias[i], h = bias[i]
            let base = i * weights.columns
            for j in 0..<weights.columns {
                let w = weights.storage[base + j]
                if w == 0 { continue }
                let (a, b) = w > 0 ? (lower[j], upper[j]) : (upper[j], lower[j])
                l = down(l + down(w * a))
                h = up(h + up(w * b))
            }
            low[i] = l
            high[i] = h
        }
        return (low, high)
    }

    /// Bounds of `x_i / d_i`.
    static func divide(_ divisors: [Double], lower: [Double], upper: [Double]) -> ([Double], [Double]) {
        var low = lower, high = upper
        for i in divisors.indices where divisors[i] != 1 {
            let (a, b) = divisors[i] > 0 ? (lower[i], upper[i]) : (upper[i], lower[i])
            low[i] = down(a / divisors[i])
            high[i] = up(b / divisors[i])
        }
        return (low, high)
    }

    /// Bounds of a smooth layer's outputs (`SmoothActivation.image`); a carried entry keeps its
    /// bounds.
    static func smooth(_ layer: SmoothLayer, lower: [Double], upper: [Double]) -> ([Double], [Double]) {
        var low = lower, high = upper
        for i in low.indices where !layer.carries(i) { (low[i], high[i]) = layer.function.image(lower: lower[i], upper: upper[i]) }
        return (low, high)
    }

    /// One step down (`+∞` becomes the largest double, as an overflowed sum of finite terms
    /// is finite); NaN, which the terms never produce, would become `−∞`.
    private static func down(_ x: Double) -> Double { x.isNaN ? -.infinity : x.nextDown }
    private static func up(_ x: Double) -> Double { x.isNaN ? .infinity : x.nextUp }
}
