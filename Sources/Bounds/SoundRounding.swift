/// Error bounds for double-precision arithmetic, used to turn round-to-nearest results into
/// sound bounds without switching the rounding mode (Swift has no directed-rounding control).
///
/// The model is the standard one (Higham, *Accuracy and Stability of Numerical Algorithms*,
/// 2nd ed., §2.2 and §3.1): with unit roundoff `u = 2⁻⁵³`, a product is `fl(ab) = ab(1 + δ) + η`
/// with `|δ| ≤ u` and `|η| ≤ 2⁻¹⁰⁷⁵` (underflow), a sum `fl(a + b) = (a + b)(1 + δ)`, and a dot
/// product of `n` terms accumulated in any fixed order has error at most
/// `γₙ·Σ|aᵢbᵢ| + n·2⁻¹⁰⁷⁵` with `γₙ = nu/(1 − nu)` (Higham eq. 3.5). Compilers may not reassociate
/// floating-point sums; a fused multiply-add only makes a step more accurate.
///
/// `gamma(n)` returns `4(n + 2)u`, at least twice `γₙ₊₂` for any `n < 2⁵⁰`. The headroom covers
/// the rounding error made while computing the error bounds themselves (those are sums of
/// non-negative terms, whose relative error is below `γ` of their length), so a bound computed in
/// floating point as `value − gamma(n)·S` with `S` evaluated in floating point is still sound.
/// The final subtraction is then rounded outward with `nextDown` / `nextUp`.
enum SoundRounding {
    /// The unit roundoff `u = 2⁻⁵³` of double precision.
    static let unit: Double = 0x1p-53

    /// A generous bound on `γ` for a dot product of `n` terms plus a few further operations.
    @inline(__always)
    static func gamma(_ n: Int) -> Double { Double(n + 2) * 0x1p-51 }

    /// A bound on the absolute underflow error of `n` products (each at most 2⁻¹⁰⁷⁵, here
    /// over-approximated by the smallest normal number, which is still negligible).
    @inline(__always)
    static func underflow(_ n: Int) -> Double { Double(n + 1) * Double.leastNormalMagnitude }

    /// `value − error`, rounded down: a sound lower bound when `value` is a round-to-nearest
    /// result whose error is at most `error`. NaN becomes −∞.
    @inline(__always)
    static func lower(_ value: Double, error: Double) -> Double {
        let r = (value - error).nextDown
        return r.isNaN ? -.infinity : r
    }

    /// `value + error`, rounded up: a sound upper bound. NaN becomes +∞.
    @inline(__always)
    static func upper(_ value: Double, error: Double) -> Double {
        let r = (value + error).nextUp
        return r.isNaN ? .infinity : r
    }

    /// A double ≤ the exact product `a·b` (NaN when an operand is NaN or for 0·∞).
    @inline(__always)
    static func productDown(_ a: Double, _ b: Double) -> Double { (a * b).nextDown }

    /// A double ≥ the exact product `a·b`.
    @inline(__always)
    static func productUp(_ a: Double, _ b: Double) -> Double { (a * b).nextUp }
}
