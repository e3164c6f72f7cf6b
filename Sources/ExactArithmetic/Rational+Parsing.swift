import BigInt

extension Rational {
    /// Parses a decimal numeral exactly: `12`, `-0.5`, `+3.`, `.25`, `1e-320`, `6.02E23`.
    ///
    /// Returns nil when the text is not such a numeral. The exponent is limited to ±100,000 so
    /// that a hostile `1e999999999` cannot make a number of a billion digits.
    public init?(decimal text: Substring) {
        var chars = text.utf8[...]
        var negative = false
        if let first = chars.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            chars = chars.dropFirst()
        }
        var digits = BigInt(0)
        var digitCount = 0
        var fractionDigits = 0
        var seenPoint = false
        var chunk: UInt64 = 0
        var chunkLength = 0
        func flush() {
            if chunkLength > 0 {
                digits = digits * BigInt(10).power(chunkLength) + BigInt(chunk)
                chunk = 0
                chunkLength = 0
            }
        }
        while let c = chars.first {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                chunk = chunk * 10 + UInt64(c - UInt8(ascii: "0"))
                chunkLength += 1
                if chunkLength == 18 { flush() }
                digitCount += 1
                if seenPoint { fractionDigits += 1 }
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            chars = chars.dropFirst()
        }
        flush()
        guard digitCount > 0 else { return nil }
        var exponent = 0
        if let c = chars.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            var expNegative = false
            if let s = chars.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") {
                expNegative = s == UInt8(ascii: "-")
                chars = chars.dropFirst()
            }
            var expDigits = 0
            while let d = chars.first, d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
                exponent = exponent * 10 + Int(d - UInt8(ascii: "0"))
                if exponent > 100_000 { return nil }
                expDigits += 1
                chars = chars.dropFirst()
            }
            guard expDigits > 0 else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard chars.isEmpty else { return nil }
        let scale = exponent - fractionDigits
        let signed = negative ? -digits : digits
        if scale >= 0 {
            self.init(signed * BigInt(10).power(scale), 1)
        } else {
            self.init(signed, BigInt(10).power(-scale))
        }
    }

    /// Parses `text` as a decimal numeral (see `init?(decimal:)` taking a `Substring`).
    public init?(decimal text: String) { self.init(decimal: text[...]) }
}
