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
///
/// VNN-LIB 2.0 (`Syntax.version2`) adds three tokens: the version `<2.0>`, ONNX names in double
/// quotes, and bracketed lists of naturals, `[28,28]` or `[0,2]`, read as one token (blanks
/// allowed inside) so that the reader never sees a bare `,`. Its numerals follow the 2.0
/// grammar, `-`? digits (`.` digits)?, and may carry an exponent (`1e-05`) as in 1.0; both
/// versions share the limits on digits and exponent.
struct Lexer {
    /// Which version's tokens to read.
    enum Syntax { case version1, version2 }

    /// The most entries a bracket list may have, and the largest entry: shapes of rank 64 and
    /// dimensions of a billion are far beyond any network Certus can hold.
    static let maximumRank = 64
    static let maximumNatural = 999_999_999

    let bytes: [UInt8]
    let syntax: Syntax
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

    init(bytes: [UInt8], fileName: String, syntax: Syntax = .version1, maximumDigits: Int = 1_000,
         maximumExponent: Int = 1_000) {
        self.bytes = bytes
        self.syntax = syntax
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

    private var here: SourceLocation {
        SourceLocation(fileName: fileName, line: line, column: offset - lineStart + 1)
    }

    /// Skips whitespace and `;` comments.
    private mutating func skipBlanks() {
        let count = bytes.count
        while offset < count {
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
                return
            }
        }
    }

    /// Reads the next token and the value it carries (a numeral's exact value, a string's text,
    /// a bracket list's naturals, a version's numbers).
    /// - Throws: `VNNLIBError.unexpected` for a character that cannot start a token or a
    ///   malformed 2.0 token, `.invalidNumeral` for malformed numerals.
    /// - Complexity: O(length of the token and of the whitespace and comments before it).
    mutating func next() throws -> (Token, Token.Value) {
        skipBlanks()
        let count = bytes.count
        var token = Token(kind: .endOfFile, start: offset, end: offset, line: line, column: offset - lineStart + 1)
        guard offset < count else { return (token, .none) }
        let first = bytes[offset]
        func finish(_ kind: Token.Kind, _ value: Token.Value = .none) -> (Token, Token.Value) {
            token.kind = kind
            token.end = offset
            return (token, value)
        }
        if first == UInt8(ascii: "(") || first == UInt8(ascii: ")") {
            offset += 1
            return finish(first == UInt8(ascii: "(") ? .leftParenthesis : .rightParenthesis)
        }
        if syntax == .version2 {
            switch first {
            case UInt8(ascii: "\""):
                return finish(.string, .string(try readString(location(of: token))))
            case UInt8(ascii: "["):
                return finish(.naturals, .naturals(try readNaturals(location(of: token))))
            case UInt8(ascii: "<") where offset + 1 < count && Self.isDigit(bytes[offset + 1]):
                let (major, minor) = try readVersion(location(of: token))
                return finish(.version, .version(major: major, minor: minor))
            default:
                break
            }
        }
        guard Self.isSymbolByte(first) else {
            let expected = syntax == .version1 ? "a symbol, numeral or parenthesis"
                                               : "a name, numeral, parenthesis, bracket or string"
            throw VNNLIBError.unexpected(location(of: token), expected: expected, found: describeCharacter(at: offset))
        }
        while offset < count, Self.isSymbolByte(bytes[offset]) { offset += 1 }
        token.end = offset
        let slice = bytes[token.start..<token.end]
        guard looksNumeric(slice) else { return finish(.symbol) }
        token.kind = .numeral
        if let value = numerals[slice] { return (token, .numeral(value)) }
        guard isWithinLimits(numeral: slice) else {
            throw VNNLIBError.numeralOutOfRange(location(of: token), text: Self.excerpt(slice),
                                                maximumDigits: maximumDigits, maximumExponent: maximumExponent)
        }
        guard syntax == .version1 || slice.last.map(Self.isDigit) == true,
              let value = Rational(decimal: String(decoding: slice, as: UTF8.self)) else {
            throw VNNLIBError.invalidNumeral(location(of: token), text: Self.excerpt(slice))
        }
        numerals[slice] = value
        return (token, .numeral(value))
    }

    /// 2.0: `"…"` with the escapes `\"`, `\\`, `\n`, `\t`, on one line.
    private mutating func readString(_ start: SourceLocation) throws -> String {
        offset += 1
        var scalars: [UInt8] = []
        while offset < bytes.count {
            let b = bytes[offset]
            switch b {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard offset + 1 < bytes.count else { break }
                switch bytes[offset + 1] {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "t"): scalars.append(0x09)
                default:
                    throw VNNLIBError.unexpected(here, expected: "one of the escapes \\\" \\\\ \\n \\t",
                                                 found: describeCharacter(at: offset + 1))
                }
                offset += 2
                continue
            case 0x0A:
                throw VNNLIBError.unexpected(start, expected: "a closing '\"' on the same line", found: "end of line")
            default:
                scalars.append(b)
            }
            offset += 1
        }
        throw VNNLIBError.unexpected(start, expected: "a closing '\"'", found: "end of file")
    }

    /// 2.0: `[` naturals separated by `,` `]`, possibly empty; blanks allowed between the parts.
    private mutating func readNaturals(_ start: SourceLocation) throws -> [Int] {
        offset += 1
        var values: [Int] = []
        skipBlanks()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return values
        }
        while true {
            skipBlanks()
            let numberStart = here
            var value = 0, digits = 0
            while offset < bytes.count, Self.isDigit(bytes[offset]) {
                value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                digits += 1
                offset += 1
                guard value <= Self.maximumNatural else {
                    throw VNNLIBError.invalidQuery(numberStart, message: "an index or dimension larger than \(Self.maximumNatural)")
                }
            }
            guard digits > 0 else {
                throw VNNLIBError.unexpected(numberStart, expected: "a natural number", found: describeCharacterOrEnd(at: offset))
            }
            values.append(value)
            guard values.count <= Self.maximumRank else {
                throw VNNLIBError.invalidQuery(start, message: "more than \(Self.maximumRank) entries between brackets")
            }
            skipBlanks()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return values
            }
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ",") else {
                throw VNNLIBError.unexpected(here, expected: "',' or ']'", found: describeCharacterOrEnd(at: offset))
            }
            offset += 1
        }
    }

    /// 2.0: `<major.minor>`.
    private mutating func readVersion(_ start: SourceLocation) throws -> (Int, Int) {
        offset += 1
        var parts: [Int] = []
        for terminator in [UInt8(ascii: "."), UInt8(ascii: ">")] {
            var value = 0, digits = 0
            while offset < bytes.count, Self.isDigit(bytes[offset]), digits < 6 {
                value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                digits += 1
                offset += 1
            }
            guard digits > 0, offset < bytes.count, bytes[offset] == terminator else {
                throw VNNLIBError.unexpected(start, expected: "a version such as <2.0>", found: "malformed version")
            }
            offset += 1
            parts.append(value)
        }
        return (parts[0], parts[1])
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

    /// Whether a token's text must be read as a numeral: in 2.0 when it starts with a digit or
    /// with `-` and a digit; in 1.0 also with `+` or `.` (see the type's comment).
    private func looksNumeric(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        if Self.isDigit(first) { return true }
        if syntax == .version2 {
            return first == UInt8(ascii: "-") && text.count > 1 && Self.isDigit(text[text.startIndex + 1])
        }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "."),
              text.count > 1 else { return false }
        let second = text[text.startIndex + 1]
        return Self.isDigit(second) || (first != UInt8(ascii: ".") && second == UInt8(ascii: "."))
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

    private func describeCharacterOrEnd(at index: Int) -> String {
        index < bytes.count ? describeCharacter(at: index) : "end of file"
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
