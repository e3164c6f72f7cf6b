import BigInt
import ExactArithmetic

/// An exact number on the dyadic grid `2⁻⁴⁸·ℤ`, held as a 128-bit integer, with products rounded
/// down or up to the grid by integer shifts: the checker's only arithmetic.
///
/// Why a grid: exact rationals grow without bound through a network's layers (each affine step
/// multiplies denominators), while every quantity the checker derives is a *bound*, which stays
/// sound when it is rounded outward. Keeping every derived number on one grid keeps them 128-bit
/// integers, so a leaf is checked with integer arithmetic only, no floating point and no bignums.
/// The few numbers that must be exact and are not on the grid (weights, constraint coefficients)
/// are handled by the callers: weights as `Dyadic` values multiplied exactly before rounding,
/// constraint coefficients by rounding down and charging the residual to a lower bound.
struct Fixed: Sendable, Hashable, Comparable {
    /// The value times 2⁴⁸.
    var raw: Int128

    /// Fraction bits of the grid.
    static let bits = 48
    static let zero = Fixed(raw: 0)
    static let one = Fixed(raw: 1 << 48)
    /// The grid step 2⁻⁴⁸.
    static let ulp = Fixed(raw: 1)

    static func < (a: Fixed, b: Fixed) -> Bool { a.raw < b.raw }

    static func + (a: Fixed, b: Fixed) throws(ArithmeticOverflow) -> Fixed {
        let (r, o) = a.raw.addingReportingOverflow(b.raw)
        if o { throw ArithmeticOverflow() }
        return Fixed(raw: r)
    }

    static func - (a: Fixed, b: Fixed) throws(ArithmeticOverflow) -> Fixed {
        let (r, o) = a.raw.subtractingReportingOverflow(b.raw)
        if o { throw ArithmeticOverflow() }
        return Fixed(raw: r)
    }

    static prefix func - (a: Fixed) -> Fixed { Fixed(raw: 0 &- a.raw) }

    /// An integer times the grid step (`count·ulp`), for error terms.
    static func steps(_ count: Int) -> Fixed { Fixed(raw: Int128(count)) }

    /// `⌊a·b⌋` on the grid.
    static func mulDown(_ a: Fixed, _ b: Fixed) throws(ArithmeticOverflow) -> Fixed {
        // Fast path: two 64-bit raws multiply within 128 bits.
        if let x = Int64(exactly: a.raw), let y = Int64(exactly: b.raw) {
            let p = x.multipliedFullWidth(by: y)
            return Fixed(raw: (Int128(p.high) << 64 | Int128(p.low)) >> bits)
        }
        let p = a.raw.multipliedFullWidth(by: b.raw)
        return Fixed(raw: try shiftFloor(high: p.high, low: p.low, by: bits))
    }

    /// `⌈a·b⌉` on the grid.
    static func mulUp(_ a: Fixed, _ b: Fixed) throws(ArithmeticOverflow) -> Fixed { -(try mulDown(-a, b)) }

    /// `⌊a·w⌋` on the grid, for an exact dyadic `w`.
    static func mulDown(_ a: Fixed, _ w: Dyadic) throws(ArithmeticOverflow) -> Fixed {
        // Fast path: a 64-bit raw times the mantissa within 128 bits, shifted right (floor).
        if let x = Int64(exactly: a.raw), w.exponent <= 0, w.exponent > -128 {
            let p = x.multipliedFullWidth(by: w.mantissa)
            return Fixed(raw: (Int128(p.high) << 64 | Int128(p.low)) >> -w.exponent)
        }
        let p = a.raw.multipliedFullWidth(by: Int128(w.mantissa))
        return Fixed(raw: try shiftFloor(high: p.high, low: p.low, by: -w.exponent))
    }

    /// `⌈a·w⌉` on the grid.
    static func mulUp(_ a: Fixed, _ w: Dyadic) throws(ArithmeticOverflow) -> Fixed { -(try mulDown(-a, w)) }

    /// `⌊a/b⌋` on the grid, for `b > 0`.
    static func divDown(_ a: Fixed, _ b: Fixed) throws(ArithmeticOverflow) -> Fixed {
        guard b.raw > 0 else { throw ArithmeticOverflow() }
        let (shifted, o) = a.raw.multipliedReportingOverflow(by: 1 << bits)
        if o { throw ArithmeticOverflow() }
        var q = shifted / b.raw
        if shifted % b.raw != 0 && shifted < 0 { q -= 1 }
        return Fixed(raw: q)
    }

    /// `⌈a/b⌉` on the grid, for `b > 0`.
    static func divUp(_ a: Fixed, _ b: Fixed) throws(ArithmeticOverflow) -> Fixed { -(try divDown(-a, b)) }

    /// `⌊(high·2¹²⁸ + low) / 2ˢ⌋` (a left shift for negative `s`), or an overflow.
    static func shiftFloor(high: Int128, low: UInt128, by s: Int) throws(ArithmeticOverflow) -> Int128 {
        if s >= 256 { return high < 0 ? -1 : 0 }
        if s >= 128 { return high >> (s - 128) }
        let resultLow: UInt128 = s == 0 ? low : (low >> s) | (UInt128(bitPattern: high) << (128 - s))
        let resultHigh = high >> s
        let value = Int128(bitPattern: resultLow)
        guard resultHigh == (value < 0 ? -1 : 0) else { throw ArithmeticOverflow() }
        if s >= 0 { return value }
        guard -s < 127 else { throw ArithmeticOverflow() }
        let (shifted, o) = value.multipliedReportingOverflow(by: Int128(1) << -s)
        if o { throw ArithmeticOverflow() }
        return shifted
    }

    /// The largest grid number `≤ q`.
    static func floor(_ q: Rational) throws(ArithmeticOverflow) -> Fixed {
        let scaled = q.numerator << bits
        var (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: q.denominator)
        if remainder != 0 && scaled.sign == .minus { quotient -= 1 }
        guard let raw = Int128(exactly: quotient) else { throw ArithmeticOverflow() }
        return Fixed(raw: raw)
    }

    /// The smallest grid number `≥ q`.
    static func ceil(_ q: Rational) throws(ArithmeticOverflow) -> Fixed { -(try floor(-q)) }

    /// The exact value.
    var rational: Rational { Rational(BigInt(raw), BigInt(1) << Fixed.bits) }

    /// A short decimal rendering for messages (rounded towards zero, 9 decimals).
    var decimal: String {
        let negative = raw < 0
        let magnitude = negative ? 0 &- raw : raw
        let whole = magnitude >> Fixed.bits
        let fraction = ((magnitude & ((1 << Fixed.bits) - 1)) * 1_000_000_000) >> Fixed.bits
        let digits = String(fraction)
        return (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 9 - digits.count) + digits
    }
}

/// An exact dyadic rational `mantissa·2^exponent`: how stored float32/float64 weights are held.
struct Dyadic: Sendable, Hashable {
    var mantissa: Int64
    var exponent: Int

    static let zero = Dyadic(mantissa: 0, exponent: 0)

    /// The dyadic equal to `q`, or nil when `q`'s denominator is not a power of two or its
    /// numerator needs more than 63 bits.
    init?(_ q: Rational) {
        let d = q.denominator
        guard d > 0, d & (d - 1) == 0, let m = Int64(exactly: q.numerator) else { return nil }
        var mantissa = m, exponent = -d.trailingZeroBitCount
        while mantissa != 0 && mantissa & 1 == 0 && exponent < 0 {
            mantissa >>= 1
            exponent += 1
        }
        self.init(mantissa: mantissa, exponent: exponent)
    }

    /// The dyadic equal to the finite double `value` (nil when it is not finite or its
    /// integer part needs more than 63 bits), from its bits alone: the same value and form as
    /// `init?(Rational(exactly: value))`, without big-integer arithmetic (a network has hundreds of
    /// thousands of weights).
    init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        if value == 0 { self.init(mantissa: 0, exponent: 0); return }
        var significand = Int64(value.significandBitPattern | (value.isNormal ? (1 << 52) : 0))
        var exponent = (value.isNormal ? Int(value.exponent) : -1022) - 52
        if exponent >= 0 {
            guard exponent < 63, significand.leadingZeroBitCount > exponent else { return nil }
            significand <<= exponent
            exponent = 0
        } else {
            let shift = min(significand.trailingZeroBitCount, -exponent)
            significand >>= shift
            exponent += shift
        }
        self.init(mantissa: value.sign == .minus ? -significand : significand, exponent: exponent)
    }

    init(mantissa: Int64, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    var isZero: Bool { mantissa == 0 }
    var isNegative: Bool { mantissa < 0 }
    var rational: Rational {
        exponent >= 0 ? Rational(BigInt(mantissa) << exponent) : Rational(BigInt(mantissa), BigInt(1) << -exponent)
    }
}

/// A number left the checker's range (about ±2⁷⁹): the leaf cannot be checked.
struct ArithmeticOverflow: Error {}
