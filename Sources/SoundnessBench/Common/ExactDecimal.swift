import BigInt
import ExactArithmetic

/// Prints doubles as exact decimal numerals, so that a VNN-LIB reader that parses decimals
/// exactly (Certus) and one that rounds them to the nearest double (most tools) both obtain
/// exactly the double that was meant: every double is `m / 2^k = m·5^k / 10^k`, a finite
/// decimal.
public enum ExactDecimal {
    /// The exact decimal expansion of `value`, without exponent (`0.100000001490116119384765625`
    /// for `Double(Float(0.1))`, `-2`, `0`).
    /// - Precondition: `value` is finite.
    /// - Complexity: O(k²) for `k` fractional binary digits (at most 1074).
    public static func string(_ value: Double) -> String {
        precondition(value.isFinite, "cannot print a non-finite value as a decimal")
        guard let rational = Rational(exactly: value), !rational.isZero else { return "0" }
        let k = rational.denominator.trailingZeroBitCount  // denominator = 2^k
        let magnitude = rational.numerator.magnitude * BigUInt(5).power(k)
        var digits = String(magnitude)
        let sign = rational.numerator.sign == .minus ? "-" : ""
        guard k > 0 else { return sign + digits }
        if digits.count <= k { digits = String(repeating: "0", count: k - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -k)
        return sign + digits[..<point] + "." + digits[point...]
    }
}
