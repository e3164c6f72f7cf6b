import BigInt
import ExactArithmetic

/// Reads the hexadecimal floating-point text of C's `%a` (`-0x1.8p-3`, `0x0p+0`) as the exact
/// rational it denotes, with integer arithmetic only.
enum HexFloat {
    static func parse(_ text: String) -> Rational? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" { negative = true; rest = rest.dropFirst() } else if rest.first == "+" { rest = rest.dropFirst() }
        guard rest.lowercased().hasPrefix("0x") else { return nil }
        rest = rest.dropFirst(2)
        guard let p = rest.firstIndex(where: { $0 == "p" || $0 == "P" }) else { return nil }
        let digits = rest[..<p]
        guard let exponent = Int(rest[rest.index(after: p)...]), abs(exponent) < 20_000 else { return nil }
        var mantissa = BigInt(0)
        var fractionDigits = 0
        var seenPoint = false
        var any = false
        for c in digits {
            if c == "." {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard let v = c.hexDigitValue else { return nil }
            mantissa = mantissa * 16 + BigInt(v)
            any = true
            if seenPoint { fractionDigits += 1 }
        }
        guard any else { return nil }
        if negative { mantissa = -mantissa }
        let shift = exponent - 4 * fractionDigits
        return shift >= 0 ? Rational(mantissa << shift) : Rational(mantissa, BigInt(1) << -shift)
    }
}
