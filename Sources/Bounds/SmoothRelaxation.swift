import NetworkIR

/// Sound bounds of a sigmoid or tanh neuron whose input lies in `[l, u]`: the interval image,
/// and two lines `lowerSlope·z + lowerIntercept ≤ f(z) ≤ upperSlope·z + upperIntercept` on
/// `[l, u]`, for back-substitution.
///
/// The slopes follow CROWN (Zhang et al. 2018, "Efficient Neural Network Robustness
/// Certification with General Activation Functions", §3.2): where `f` is convex on `[l, u]`
/// (`u ≤ 0`) the lower line is the tangent at the midpoint and the upper line the chord; where
/// it is concave (`l ≥ 0`) the other way round; across the inflection point both take the
/// chord's slope. Any slope gives a valid line once its intercept is the exact extremum of
/// `f(z) − a·z` on `[l, u]`, so the intercepts are not taken from the tangent or chord
/// formulas: `minimum(of:)` computes a sound lower bound of that minimum, widened by
/// `SmoothActivation.valueError` and `derivativeError` and by the rounding of every operation,
/// so the lines hold for the exact `f` although libm is not correctly rounded.
public struct SmoothRelaxation: Sendable, Equatable {
    public var lowerSlope: Double
    public var lowerIntercept: Double
    public var upperSlope: Double
    public var upperIntercept: Double

    /// The relaxation of `f` over `[l, u]` (`l ≤ u`; infinite ends give horizontal lines).
    public init(_ f: SmoothActivation, lower l: Double, upper u: Double) {
        let (low, high) = f.image(lower: l, upper: u)
        guard l.isFinite, u.isFinite, l < u else {
            self.init(lowerSlope: 0, lowerIntercept: low, upperSlope: 0, upperIntercept: high)
            return
        }
        let chord = (f.value(u) - f.value(l)) / (u - l)
        let tangent = f.derivative(l / 2 + u / 2)
        let lowerSlope = u <= 0 ? tangent : chord
        let upperSlope = l >= 0 ? tangent : chord
        let lowerIntercept = Self.minimum(f, slope: lowerSlope, lower: l, upper: u)
        // max over [l, u] of f(z) − a·z = reflection − min over [−u, −l] of f(w) − a·w.
        let upperIntercept = (f.reflection - Self.minimum(f, slope: upperSlope, lower: -u, upper: -l)).nextUp
        guard lowerSlope.isFinite, upperSlope.isFinite, lowerIntercept.isFinite, upperIntercept.isFinite else {
            self.init(lowerSlope: 0, lowerIntercept: low, upperSlope: 0, upperIntercept: high)
            return
        }
        self.init(lowerSlope: lowerSlope, lowerIntercept: lowerIntercept, upperSlope: upperSlope, upperIntercept: upperIntercept)
    }

    /// `y = x`, exactly: the lines of an entry a smooth layer carries unchanged.
    public static let identity = SmoothRelaxation(lowerSlope: 1, lowerIntercept: 0, upperSlope: 1, upperIntercept: 0)

    public init(lowerSlope: Double, lowerIntercept: Double, upperSlope: Double, upperIntercept: Double) {
        self.lowerSlope = lowerSlope
        self.lowerIntercept = lowerIntercept
        self.upperSlope = upperSlope
        self.upperIntercept = upperIntercept
    }

    /// A sound lower bound of `min_{z∈[l,u]} f(z) − a·z` (finite `l ≤ u`).
    ///
    /// On the concave part `[max(l, 0), u]` the minimum of the concave `g(z) = f(z) − a·z` is at
    /// an end. On the convex part `[l, min(u, 0)]`, `g` lies above its tangent at any point `d`,
    /// so `g(z) ≥ g(d) + g′(d)·(z − d)`; `d` is the point where `f′(d) = a` (clamped), where
    /// `g′(d)` is nearly 0 and the bound nearly exact. Each evaluation is widened by the errors of
    /// `f`, `f′` and the roundings (a relative `8u` on each magnitude involved, generous).
    static func minimum(_ f: SmoothActivation, slope a: Double, lower l: Double, upper u: Double) -> Double {
        let unit = 0x1p-53, tiny = 0x1p-1000
        /// A lower bound of `g(z)` at one point.
        func atPoint(_ z: Double) -> Double {
            let y = f.value(z), az = a * z
            return (y - az) - (SmoothActivation.valueError + 8 * unit * (abs(y) + abs(az)) + tiny)
        }
        var best = Double.infinity
        let concaveStart = max(l, 0)
        if concaveStart <= u {
            best = min(best, atPoint(concaveStart), atPoint(u))
        }
        let convexEnd = min(u, 0)
        if l <= convexEnd {
            let d: Double
            if a <= 0 { d = l }  // g′ = f′ − a > 0: g increases
            else if a >= f.maximumSlope { d = convexEnd }  // g′ ≤ 0 on the convex part
            else { d = min(max(f.convexPoint(withSlope: a), l), convexEnd) }
            let point = d.isNaN ? l : d
            let gradient = f.derivative(point) - a
            let gradientError = SmoothActivation.derivativeError + 8 * unit * (abs(gradient) + abs(a))
            let left = l - point, right = convexEnd - point  // left ≤ 0 ≤ right
            let span = max(-left, right)
            let linear = min(gradient * left, gradient * right)
            let value = atPoint(point) + linear - (gradientError * span + 8 * unit * abs(gradient) * span + tiny)
            best = min(best, value)
        }
        guard best.isFinite else { return -.infinity }
        return best.nextDown
    }
}
