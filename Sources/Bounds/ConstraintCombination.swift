/// Chooses weights `ν ≥ 0`, `Σν = 1`, for a nonnegative combination of constraint expressions
/// `eᵢ` whose affine minorants `eᵢ ≥ aᵢ·x + cᵢ` over the input box are known, maximising
/// `φ(ν) = min_{x∈box} Σᵢ νᵢ·(aᵢ·x + cᵢ)`.
///
/// If every unsafe point satisfies all `eᵢ ≤ 0`, it satisfies `Σνᵢeᵢ ≤ 0` for every such ν, so
/// a combination with positive minimum proves the conjunction unreachable even when no single
/// constraint is (this is the Lagrangian relaxation of the conjunction, as in Dvijotham et al.
/// 2018 §3 for specifications, and the objective of α-CROWN's "multiple specifications"). `φ`
/// is concave; it is maximised by exponentiated-gradient (mirror) ascent on the simplex, whose
/// supergradient is `(aᵢ·x* + cᵢ)ᵢ` at the minimising corner `x*`.
///
/// The weights are only a choice: callers re-bound the exact combined expression soundly, so
/// the floating-point value returned here never decides a proof by itself.
enum ConstraintCombination {
    /// The best weights found (rounded to multiples of 2⁻²⁰ so that they are short exact
    /// rationals; weights that round to 0 are dropped) and their estimated value.
    static func weights(minorants: [(coefficients: [Double], constant: Double)], box: IntervalVector,
                        iterations: Int = 200) -> (weights: [Double], value: Double)? {
        let usable = minorants.indices.filter { minorants[$0].constant.isFinite && minorants[$0].coefficients.count == box.count }
        guard usable.count >= 2 else { return nil }
        let n = box.count
        var nu = [Double](repeating: 0, count: minorants.count)
        for i in usable { nu[i] = 1 / Double(usable.count) }
        var best: (weights: [Double], value: Double)?
        var scale = 0.0
        for t in 1...max(iterations, 1) {
            var combined = [Double](repeating: 0, count: n)
            for i in usable where nu[i] > 0 {
                for j in 0..<n { combined[j] += nu[i] * minorants[i].coefficients[j] }
            }
            var corner = [Double](repeating: 0, count: n)
            for j in 0..<n { corner[j] = combined[j] >= 0 ? box.lower[j] : box.upper[j] }
            var values = [Double](repeating: 0, count: minorants.count)
            var phi = 0.0
            for i in usable {
                var v = minorants[i].constant
                for j in 0..<n { v += minorants[i].coefficients[j] * corner[j] }
                values[i] = v
                phi += nu[i] * v
            }
            if best.map({ phi > $0.value }) ?? true { best = (nu, phi) }
            if t == 1 { scale = usable.map { abs(values[$0]) }.max() ?? 1 }
            let step = 2 / (max(scale, 1e-12) * Double(t).squareRoot())
            let top = usable.map { step * values[$0] }.max() ?? 0
            var total = 0.0
            for i in usable {
                nu[i] *= expApprox(step * values[i] - top)
                total += nu[i]
            }
            guard total > 0, total.isFinite else { break }
            for i in usable { nu[i] /= total }
        }
        guard let found = best else { return nil }
        let rounded = found.weights.map { ($0 * 0x1p20).rounded() * 0x1p-20 }
        guard rounded.contains(where: { $0 > 0 }) else { return nil }
        return (rounded, found.value)
    }

    /// `eˣ` for `x ≤ 0` by range reduction and a Taylor polynomial (no Foundation needed; the
    /// weights are heuristic, so accuracy to a few ulps is plenty).
    static func expApprox(_ x: Double) -> Double {
        guard x > -700 else { return 0 }
        // x = k·ln2 + r with |r| ≤ ln2/2.
        let ln2 = 0.693_147_180_559_945_3
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0, sum = 1.0
        for i in 1...20 {
            term *= r / Double(i)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
