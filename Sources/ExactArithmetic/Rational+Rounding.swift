import BigInt

/// Conversions from `Rational` to `Double` with a chosen rounding direction.
///
/// Bounds must enclose the exact set, so a property's `0.1` enters interval arithmetic as
/// `0.1.nextDown`-or-below for a lower bound and at-or-above for an upper bound.
extension Rational {
    /// The direction in which a conversion to `Double` rounds.
    public enum RoundingDirection: Sendable { case down, up, nearest }

    /// The double nearest to this rational in the given direction.
    /// Values beyond the double range round to ±infinity or ±greatestFiniteMagnitude as the
    /// direction demands, so the result still encloses the exact value.
    /// - Complexity: O(size of numerator and denominator).
    public func toDouble(rounding direction: RoundingDirection = .nearest) -> Double {
        if isZero { return 0 }
        let candidate = approximateDouble()
        switch direction {
        case .nearest:
            return candidate
        case .down:
            var d = candidate
            if d.isInfinite { d = d > 0 ? .greatestFiniteMagnitude : -.infinity }
            // Step down until d <= self (at most a couple of steps).
            while let exact = Rational(exactly: d), exact > self { d = d.nextDown }
            return d
        case .up:
            var d = candidate
            if d.isInfinite { d = d < 0 ? -.greatestFiniteMagnitude : .infinity }
            while let exact = Rational(exactly: d), exact < self { d = d.nextUp }
            return d
        }
    }

    /// A double within one or two ulps of the value (correct rounding is not needed by callers,
    /// which step to the directed neighbour).
    private func approximateDouble() -> Double {
        let negative = numerator < 0
        let n = numerator.magnitude
        let d = denominator.magnitude
        // Scale so that the integer quotient has about 64 significant bits.
        let shift = Int(d.bitWidth) - Int(n.bitWidth) + 64
        let q: BigUInt = shift >= 0 ? (n << shift) / d : (n >> (-shift)) / d
        // q has ~64 bits; convert its top 64 bits and apply the exponent.
        let qBits = q.bitWidth
        let drop = max(0, qBits - 64)
        let top = q >> drop
        let mantissa = Double(UInt64(top))
        let exponent = drop - shift
        let magnitude: Double
        if exponent > 2000 { magnitude = .infinity }
        else if exponent < -2200 { magnitude = 0 }
        else {
            // Split the scaling to avoid intermediate overflow/underflow.
            var m = mantissa
            var e = exponent
            while e > 1000 { m *= 0x1p1000; e -= 1000 }
            while e < -1000 { m *= 0x1p-1000; e += 1000 }
            magnitude = m * Double(sign: .plus, exponent: e, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }
}
