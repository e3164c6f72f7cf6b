import Bounds
import ExactArithmetic
import NetworkIR
import VNNLIB

/// Bounds on the difference of two copies of one network whose inputs differ by the ordered
/// offsets of `ProductLayout` (`u = x + D`), propagated as a difference and not as two
/// separate values: ReluDiff's interval analysis (Paulsen, Wang and Wang 2020, "ReluDiff:
/// Differential Verification of Deep Neural Networks", §4.1), without its symbolic part.
///
/// Through an affine layer `Δ' = W·Δ` (the biases cancel); through a ReLU with the first copy's
/// pre-activation `z ∈ [l, u]`, `relu(z + Δ) − relu(z)` is `Δ` where both copies are active
/// (`l ≥ 0`, `l + Δ ≥ 0`), `0` where both are inactive, and otherwise lies between `min(0, Δ)`
/// and `max(0, Δ)` (ReLU is nondecreasing and 1-Lipschitz). Separate bounds on the two copies
/// lose the correlation at every unstable ReLU; this keeps it, and so proves monotonicity
/// (`f(x) ≤ f(x + D)` for `D ≥ 0`) over a whole box where input splitting would need millions
/// of nodes.
///
/// - Soundness: every interval is computed in float64 and widened by a bound on its rounding
///   error (`widened`); the final test of each constraint is exact, over rationals.
struct CopyDifferenceBounds {
    /// A closed interval of doubles.
    typealias Interval = (lower: Double, upper: Double)

    let network: Network
    /// The copy without offsets and the copy with them (indices into the query's networks).
    let first: Int, second: Int
    let layout: ProductLayout

    /// The two copies of an ordered query, when it has exactly two networks, the same model
    /// (the second `equal-to` the first), no hidden node, and the second copy's inputs are the
    /// first's, some plus an offset.
    init?(query: Query, layout: ProductLayout, networks: [Network]) {
        guard query.networks.count == 2, query.networks.allSatisfy({ $0.hidden.isEmpty }),
              case .equalTo(0)? = query.networks[1].equivalence,
              layout.inputOffsets[0].allSatisfy({ $0 == nil }), layout.inputOffsets[1].contains(where: { $0 != nil }),
              layout.inputIndices[0] == layout.inputIndices[1], networks.count == 2,
              networks[0].layers == networks[1].layers else { return nil }
        (network, first, second, self.layout) = (networks[0], 0, 1, layout)
    }

    /// Whether the bounds rule out every case of `specification`: each case has an output
    /// constraint over `first − second` output differences that no difference in the bounds
    /// meets.
    func refutes(_ specification: Specification) -> Bool {
        specification.cases.allSatisfy { specCase in
            guard let difference = outputDifference(over: specCase.box) else { return false }
            return specCase.outputConstraints.contains { isUnreachable($0, difference: difference) }
        }
    }

    /// Bounds on `second − first` for every output, over the product box `box`; nil when the
    /// box is unbounded or a bound is not finite.
    func outputDifference(over box: InputBox) -> [Interval]? {
        guard box.isBounded else { return nil }
        let lower = box.lowerDoubles, upper = box.upperDoubles
        var value: [Interval] = layout.inputIndices[first].map { (lower[$0], upper[$0]) }
        var difference: [Interval] = layout.inputOffsets[second].map { offset in offset.map { (lower[$0], upper[$0]) } ?? (0, 0) }
        for layer in network.layers {
            switch layer {
            case let .affine(a):
                value = Self.affine(a.matrix, a.bias, value)
                difference = Self.affine(a.matrix, nil, difference)
            case let .divide(divisors):
                value = zip(value, divisors).map(Self.divide)
                difference = zip(difference, divisors).map(Self.divide)
            case .relu:
                for k in value.indices {
                    let (l, u) = value[k], (a, b) = difference[k]
                    if l >= 0 && l + a >= 0 {
                        // Both copies active: the difference passes unchanged.
                    } else if u <= 0 && u + b <= 0 {
                        difference[k] = (0, 0)
                    } else {
                        difference[k] = (min(0, a), max(0, b))
                    }
                    value[k] = (max(0, l), max(0, u))
                }
            case let .smooth(smooth):
                // Increasing with slope at most L (1/4 or 1): f(z + Δ) − f(z) lies between
                // min(0, L·Δ) and max(0, L·Δ) (each rounded outward). A carried entry keeps both.
                let f = smooth.function
                for k in value.indices where !smooth.carries(k) {
                    let (a, b) = difference[k]
                    difference[k] = (min(0, (f.maximumSlope * a).nextDown), max(0, (f.maximumSlope * b).nextUp))
                    value[k] = f.image(lower: value[k].lower, upper: value[k].upper)
                }
            }
            // An overflow can make ∞ − ∞; `min` and `max` would then hide the NaN.
            guard (value + difference).allSatisfy({ !$0.lower.isNaN && !$0.upper.isNaN }) else { return nil }
        }
        guard difference.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite }) else { return nil }
        return difference
    }

    /// Whether `constraint` is `Σ c_j·(Y_j − V_j) + k ⋈ 0` over the first copy's outputs `Y` and
    /// the second's `V` only, and false for every `V − Y` in `difference` (decided exactly).
    private func isUnreachable(_ constraint: LinearConstraint, difference: [Interval]) -> Bool {
        let n = network.outputSize
        let (start1, start2) = (layout.outputStart[first], layout.outputStart[second])
        var coefficients = [Rational](repeating: .zero, count: n), seen = [Rational?](repeating: nil, count: n)
        for (variable, c) in constraint.expression.terms {
            guard case let .output(j) = variable else { return false }
            if (start1..<start1 + n).contains(j) {
                coefficients[j - start1] += c
            } else if (start2..<start2 + n).contains(j) {
                seen[j - start2] = (seen[j - start2] ?? .zero) + c
            } else {
                return false
            }
        }
        // The second copy's coefficients must be the negated first's: then the expression is
        // k − Σ c_j·Δ_j with Δ = V − Y.
        for j in 0..<n where (seen[j] ?? .zero) != -coefficients[j] { return false }
        var least = constraint.expression.constant, most = constraint.expression.constant
        for j in 0..<n where !coefficients[j].isZero {
            guard let a = Rational(exactly: difference[j].lower), let b = Rational(exactly: difference[j].upper) else { return false }
            let (p, q) = (-coefficients[j] * a, -coefficients[j] * b)
            least += min(p, q)
            most += max(p, q)
        }
        switch constraint.relation {
        case .lessOrEqual: return least > .zero
        case .less: return least >= .zero
        case .equal: return least > .zero || most < .zero
        }
    }

    /// `W·x + b` over intervals, widened for rounding. Where the sign of every term is known
    /// (`w > 0` and `x ≥ 0`, say), the sum keeps it exactly: a difference that starts at
    /// `D ≥ 0` and meets only nonnegative weights stays `≥ 0`, not `≥ −rounding`, which is
    /// what proves `f(x) ≤ f(x + D)` where both sides are equal at `D = 0`.
    private static func affine(_ weights: WeightMatrix, _ bias: [Double]?, _ x: [Interval]) -> [Interval] {
        (0..<weights.rows).map { i in
            let b = bias?[i] ?? 0
            var lower = b, upper = b, magnitude = abs(b)
            var nonnegative = b >= 0, nonpositive = b <= 0
            weights.forEachEntry(inRow: i) { j, w in
                guard w != 0 else { return }
                let (p, q) = (w * x[j].lower, w * x[j].upper)
                lower += min(p, q)
                upper += max(p, q)
                magnitude += abs(w) * max(abs(x[j].lower), abs(x[j].upper))
                nonnegative = nonnegative && (w > 0 ? x[j].lower >= 0 : x[j].upper <= 0)
                nonpositive = nonpositive && (w > 0 ? x[j].upper <= 0 : x[j].lower >= 0)
            }
            var result = widened((lower, upper), magnitude: magnitude, terms: weights.columns + 1)
            if nonnegative { result.lower = max(result.lower, 0) }
            if nonpositive { result.upper = min(result.upper, 0) }
            return result
        }
    }

    private static func divide(_ x: Interval, _ divisor: Double) -> Interval {
        let (p, q) = (x.lower / divisor, x.upper / divisor)
        var result = widened((min(p, q), max(p, q)), magnitude: max(abs(p), abs(q)), terms: 1)
        // The sign of a quotient is exact.
        let positive = divisor > 0
        if positive ? x.lower >= 0 : x.upper <= 0 { result.lower = max(result.lower, 0) }
        if positive ? x.upper <= 0 : x.lower >= 0 { result.upper = min(result.upper, 0) }
        return result
    }

    /// `x` widened by the rounding error of a float64 sum of `terms` products whose magnitudes
    /// add up to `magnitude`: at most `γ_{terms+1}·magnitude` with `γ_n = n·u/(1 − n·u)`,
    /// `u = 2⁻⁵³` (Higham 2002, "Accuracy and Stability of Numerical Algorithms", §3.1), taken
    /// twice, plus the smallest subnormal for underflow, each end then moved one ulp outward.
    private static func widened(_ x: Interval, magnitude: Double, terms: Int) -> Interval {
        let n = Double(terms + 1), u = 0x1p-53
        let error = 2 * (n * u / (1 - n * u)) * magnitude + Double.leastNonzeroMagnitude
        return ((x.lower - error).nextDown, (x.upper + error).nextUp)
    }
}
