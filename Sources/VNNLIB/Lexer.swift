import ExactArithmetic

/// Splits VNN-LIB text (SMT-LIB 2 concrete syntax, the subset VNN-COMP uses) into tokens.
///
/// Works on the UTF-8 bytes directly and allocates nothing per token except for numerals,
/// which it parses exactly with `Rational(decimal:)`. `;` starts a comment that runs to the end
/// of the line. A maximal run of symbol characters is a numeral when it starts with a digit, or
/// with `+`, `-` or `.` followed by a digit or `.` (VNN-COMP writes `-0.3` and `1e-3`, which
/// SMT-LIB proper would spell `(- 0.3)` and `0.001`); otherwise it is a symbol.
/// Only ASCII may appear outside comments, so the column of a token is its byte distance from
/// the start of its line, plus one.
struct Lexer {
    let bytes: [UInt8]
    let fileName: String
    private(set) var offset: Int
    private var line = 1
    private var lineStart: Int
    /// Numerals already parsed, by their text: box files repeat a few values hundreds of times,
    /// and exact parsing (a gcd of big integers) is the lexer's main cost.
    private var numerals: [ArraySlice<UInt8>: Rational] = [:]
    /// The most digits and the largest exponent magnitude a numeral may have.
    private let maximumDigits: Int
    private let maximumExponent: Int

    init(bytes: [UInt8], fileName: String, maximumDigits: Int = 1_000, maximumExponent: Int = 1_000) {
        self.bytes = bytes
        self.fileName = fileName
        self.maximumDigits = maximumDigits
        self.maximumExponent = maximumExponent
        // Skip a UTF-8 byte-order mark.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        offset = bytes.starts(with: bom) ? 3 : 0
        lineStart = offset
    }

    /// The location of a token.
    func location(of token: Token) -> SourceLocation {
        SourceLocation(fileName: fileName, line: token.line, column: token.column)
    }

    /// Reads the next token; a numeral's exact value is returned alongside it.
    /// - Throws: `VNNLIBError.unexpected` for a character that cannot start a token,
    ///   `.invalidNumeral` for malformed numerals.
    /// - Complexity: O(length of the token and of the whitespace and comments before it).
    mutating func next() throws -> (Token, Rational?) {
        let count = bytes.count
        skipping: while offset < count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D, 0x0C, 0x0B:  // space, tab, CR, form feed, vertical tab
                offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            case UInt8(ascii: ";"):
                while offset < count, bytes[offset] != 0x0A { offset += 1 }
            default:
                break skipping
            }
        }
        var token = Token(kind: .endOfFile, start: offset, end: offset, line: line, column: offset - lineStart + 1)
        guard offset < count else { return (token, nil) }
        let first = bytes[offset]
        if first == UInt8(ascii: "(") || first == UInt8(ascii: ")") {
            offset += 1
            token.kind = first == UInt8(ascii: "(") ? .leftParenthesis : .rightParenthesis
            token.end = offset
            return (token, nil)
        }
        guard Self.isSymbolByte(first) else {
            throw VNNLIBError.unexpected(location(of: token), expected: "a symbol, numeral or parenthesis",
                                         found: describeCharacter(at: offset))
        }
        while offset < count, Self.isSymbolByte(bytes[offset]) { offset += 1 }
        token.end = offset
        guard Self.looksNumeric(bytes[token.start..<token.end]) else {
            token.kind = .symbol
            return (token, nil)
        }
        token.kind = .numeral
        let slice = bytes[token.start..<token.end]
        if let value = numerals[slice] { return (token, value) }
        guard isWithinLimits(numeral: slice) else {
            throw VNNLIBError.numeralOutOfRange(location(of: token), text: Self.excerpt(slice),
                                                maximumDigits: maximumDigits, maximumExponent: maximumExponent)
        }
        guard let value = Rational(decimal: String(decoding: slice, as: UTF8.self)) else {
            throw VNNLIBError.invalidNumeral(location(of: token), text: Self.excerpt(slice))
        }
        numerals[slice] = value
        return (token, value)
    }

    /// Whether a numeral has at most `maximumDigits` digits and an exponent of at most
    /// `maximumExponent` in magnitude. Checked on the text before the exact value is built: the
    /// cost of building (and reducing) `d·10^e` grows with the square of its length, so an
    /// unchecked `1e99999` would take a minute and a nested product of such numbers far longer.
    /// - Complexity: O(length of the numeral).
    private func isWithinLimits(numeral text: ArraySlice<UInt8>) -> Bool {
        var digits = 0
        var index = text.startIndex
        while index < text.endIndex, text[index] != UInt8(ascii: "e"), text[index] != UInt8(ascii: "E") {
            if Self.isDigit(text[index]) { digits += 1 }
            index += 1
        }
        guard digits <= maximumDigits else { return false }
        var exponent = 0
        for byte in text[index...] where Self.isDigit(byte) {
            exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
            if exponent > maximumExponent { return false }
        }
        return true
    }

    /// A token's text for an error message: at most 40 characters, then `…`.
    static func excerpt(_ text: ArraySlice<UInt8>) -> String {
        text.count <= 40 ? String(decoding: text, as: UTF8.self) : String(decoding: text.prefix(40), as: UTF8.self) + "…"
    }

    /// Whether a token's text must be read as a numeral.
    private static func looksNumeric(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        if isDigit(first) { return true }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "."),
              text.count > 1 else { return false }
        let second = text[text.startIndex + 1]
        return isDigit(second) || (first != UInt8(ascii: ".") && second == UInt8(ascii: "."))
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The characters of an SMT-LIB simple symbol (letters, digits and `~!@$%^&*_-+=<>.?/`),
    /// plus `:` so that keywords such as `:status` in `set-info` read as symbols.
    static func isSymbolByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "-"),
             UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "."),
             UInt8(ascii: "?"), UInt8(ascii: "/"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    /// A readable name for the (possibly multi-byte) character at `index`, for error messages.
    private func describeCharacter(at index: Int) -> String {
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b < 0x80 { return "the control character U+\(hex(UInt32(b)))" }
        // Decode one scalar of UTF-8; fall back to the raw byte when it is not valid UTF-8.
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        let slice = bytes[index..<min(index + length, bytes.count)]
        var decoder = UTF8()
        var iterator = slice.makeIterator()
        if case let .scalarValue(scalar) = decoder.decode(&iterator) {
            return "'\(Character(scalar))' (U+\(hex(scalar.value)))"
        }
        return "the byte 0x\(hex(UInt32(b)).suffix(2)), which is not UTF-8"
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
