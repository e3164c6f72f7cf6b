import BigInt

/// An exact rational number `numerator / denominator` in lowest terms, denominator positive.
///
/// Certus keeps every number that can decide an `unsat` claim exact: a float32 weight becomes
/// the rational it stores (mantissa times a power of two), and a VNN-LIB decimal such as `0.1`
/// becomes `1/10`, never the nearest double.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numerator; carries the sign.
    public let numerator: BigInt
    /// The denominator; always positive.
    public let denominator: BigInt

    /// Creates `numerator / denominator`, reduced to lowest terms.
    /// - Precondition: `denominator != 0` (a programmer error, never reached by input).
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(denominator != 0, "Rational with zero denominator")
        var n = numerator
        var d = denominator
        if d < 0 { n = -n; d = -d }
        // Integers need no reduction; skipping the binary gcd (quadratic in the length) keeps
        // products of large integers cheap.
        if d == 1 || n == 0 {
            self.numerator = n
            self.denominator = n == 0 ? 1 : d
            return
        }
        let g = Self.greatestCommonDivisor(n.magnitude, d.magnitude)
        if g > 1 {
            n /= BigInt(g)
            d /= BigInt(g)
        }
        self.numerator = n
        self.denominator = d
    }

    /// The greatest common divisor of two positive integers. Word-sized pairs (every decimal
    /// of up to 19 digits, and most doubles' exact values) take machine arithmetic: Euclid's
    /// algorithm on `UInt64`, where the big-integer binary gcd costs a thousand times more and
    /// dominated reading a 10 MB property of 360,000 decimals. A power-of-two denominator (the
    /// exact value of a small double) shares only the numerator's trailing zero bits.
    private static func greatestCommonDivisor(_ a: BigUInt, _ b: BigUInt) -> BigUInt {
        if b.trailingZeroBitCount == b.bitWidth - 1 {
            return BigUInt(1) << min(a.trailingZeroBitCount, b.trailingZeroBitCount)
        }
        guard a.bitWidth <= 64, b.bitWidth <= 64 else { return a.greatestCommonDivisor(with: b) }
        var (x, y) = (UInt64(a), UInt64(b))
        while y != 0 { (x, y) = (y, x % y) }
        return BigUInt(x)
    }

    /// Creates the integer `value`.
    public init(_ value: Int) { self.init(BigInt(value), 1) }

    /// The exact value of a finite double: its significand times a power of two.
    /// Returns nil for NaN and infinities.
    public init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        if value == 0 { self.init(0); return }
        let significand = BigInt(value.significandBitPattern | (value.isNormal ? (1 << 52) : 0))
        // value = significand * 2^(exponent - 52), with the subnormal exponent fixed at -1022.
        let exponent = (value.isNormal ? Int(value.exponent) : -1022) - 52
        let signed = value.sign == .minus ? -significand : significand
        if exponent >= 0 {
            self.init(signed << exponent, 1)
        } else {
            self.init(signed, BigInt(1) << (-exponent))
        }
    }

    /// The exact value of a finite float.
    public init?(exactly value: Float) { self.init(exactly: Double(value)) }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool { numerator == 0 }
    public var signum: Int { numerator < 0 ? -1 : (numerator == 0 ? 0 : 1) }

    public static func + (a: Rational, b: Rational) -> Rational {
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }
    public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }
    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// Exact division. - Precondition: `b` is not zero.
    public static func / (a: Rational, b: Rational) -> Rational {
        precondition(!b.isZero, "division by zero Rational")
        return Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// `numerator/denominator`, or just the numerator for integers: the SMT-LIB-friendly text.
    public var description: String {
        denominator == 1 ? numerator.description : "\(numerator)/\(denominator)"
    }
}
