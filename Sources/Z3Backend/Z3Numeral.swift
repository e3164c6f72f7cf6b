import ExactArithmetic

/// Exact conversion between `Rational` and the numeral text Z3 reads and writes.
///
/// Z3's `Z3_mk_numeral` reads `n`, `-n`, `n/d` and `-n/d` exactly, and `Z3_get_numeral_string`
/// writes rationals in the same form, so no value ever passes through a `Double` or is rounded.
enum Z3Numeral {
    /// The text `Z3_mk_numeral` reads as exactly `value`: `7`, `-3/4`.
    static func text(_ value: Rational) -> String {
        value.description  // `n` or `n/d` in lowest terms with a positive denominator
    }

    /// The rational that Z3's numeral text `text` denotes, or nil when the text is not an
    /// integer or a fraction with an unsigned, non-zero denominator (a decimal such as `1.5?` marks an approximated algebraic number).
    static func rational(_ text: String) -> Rational? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy(isInteger), parts.dropFirst().allSatisfy({ $0.first != "-" }) else { return nil }
        switch parts.count {
        case 1:
            return Rational(decimal: parts[0])
        case 2:
            guard let n = Rational(decimal: parts[0]), let d = Rational(decimal: parts[1]), !d.isZero
            else { return nil }
            return n / d
        default:
            return nil
        }
    }

    /// True for an optionally signed, non-empty run of decimal digits.
    private static func isInteger(_ text: Substring) -> Bool {
        let digits = text.first == "-" ? text.dropFirst() : text
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
