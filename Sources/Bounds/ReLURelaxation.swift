/// The linear relaxation of `y = max(0, z)` on `z ∈ [l, u]` for one ReLU layer.
///
/// Stable neurons are exact (`u ≤ 0`: `y = 0`; `l ≥ 0`: `y = z`). An unstable neuron (`l < 0 < u`)
/// is bounded above by the chord `y ≤ s·(z − l)` with `s = u/(u − l)` and below by `y ≥ α·z` for
/// any `α ∈ [0, 1]` (Zhang et al. 2018, "Efficient Neural Network Robustness Certification with
/// General Activation Functions" (CROWN), §3.2 and Table 1; Singh et al. 2019, "An Abstract Domain
/// for Certifying Neural Networks" (DeepPoly), §4.3). The default `α` is CROWN's adaptive choice
/// `α = 1` if `u ≥ −l` else `0`, which minimises the area of the relaxation; α-CROWN (Xu et al.
/// 2021, "Fast and Complete", §3.1) optimises `α` per neuron instead.
///
/// - Soundness: the slopes are only *multipliers*. Back-substitution evaluates the exact
///   minimum of `λ·max(0, z) − μ·z` over `[l, u]` for the multiplier `μ` it actually used
///   (a piecewise-linear function with its minimum at `l`, `0` or `u`), so a rounded `s` or `α`
///   never makes a bound invalid; it can only make it slightly looser.
struct ReLURelaxation: Sendable {
    /// Pre-activation lower bounds.
    let lower: [Double]
    /// Pre-activation upper bounds.
    let upper: [Double]
    /// Per neuron: 0 stable inactive, 1 stable active, 2 unstable.
    let kinds: [UInt8]
    /// Chord slopes `u/(u − l)` (unstable neurons; 0 elsewhere).
    let chordSlopes: [Double]
    /// CROWN's adaptive lower slopes (unstable neurons; 0 elsewhere).
    let adaptiveSlopes: [Double]
    /// The multiplier factor for a coefficient `λ ≥ 0`: 0 inactive, 1 active, adaptive α unstable.
    let positiveFactors: [Double]
    /// The multiplier factor for `λ < 0`: 0 inactive, 1 active, the chord slope unstable.
    let negativeFactors: [Double]
    /// 1 for unstable neurons, 0 for stable ones.
    let unstableMask: [Double]
    /// `max(|l|, |u|)` for unstable neurons, 0 for stable ones (whose terms are exact).
    let unstableMagnitudes: [Double]

    static let inactive: UInt8 = 0
    static let active: UInt8 = 1
    static let unstable: UInt8 = 2

    init(preActivation pre: IntervalVector) {
        lower = pre.lower
        upper = pre.upper
        let n = pre.count
        var kinds = [UInt8](repeating: 0, count: n)
        var chord = [Double](repeating: 0, count: n)
        var adaptive = [Double](repeating: 0, count: n)
        var positive = [Double](repeating: 0, count: n)
        var negative = [Double](repeating: 0, count: n)
        var mask = [Double](repeating: 0, count: n)
        var magnitudes = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let l = pre.lower[j], u = pre.upper[j]
            if u <= 0 {
                kinds[j] = Self.inactive
            } else if l >= 0 {
                kinds[j] = Self.active
                positive[j] = 1
                negative[j] = 1
            } else {
                kinds[j] = Self.unstable
                chord[j] = u / (u - l)
                adaptive[j] = u >= -l ? 1 : 0
                positive[j] = adaptive[j]
                negative[j] = chord[j]
                mask[j] = 1
                magnitudes[j] = max(-l, u)
            }
        }
        self.kinds = kinds
        chordSlopes = chord
        adaptiveSlopes = adaptive
        positiveFactors = positive
        negativeFactors = negative
        unstableMask = mask
        unstableMagnitudes = magnitudes
    }

    /// The indices of the unstable neurons.
    var unstableNeurons: [Int] { kinds.indices.filter { kinds[$0] == Self.unstable } }
}
