import ExactArithmetic

/// Splits VNN-LIB 2.0 text into tokens.
///
/// 2.0 adds four kinds of token to 1.0's parentheses, symbols and numerals: the version
/// `<2.0>`, ONNX names in double quotes, and bracketed lists of naturals, `[28,28]` (a shape)
/// or `[0,2]` (the indices after a variable). A bracket list is one token, whitespace allowed
/// inside, so the tree reader never sees a bare `,`. Numerals follow the 2.0 grammar
/// (`-`? digits (`.` digits)?) and, as in 1.0, may carry an exponent (`1e-05`, what many
/// generators print); they are read exactly and with 1.0's limits on digits and exponent.
struct QueryLexer {
    enum Kind: Equatable {
        case leftParenthesis, rightParenthesis, symbol, numeral, string, version, naturals, endOfFile
    }

    struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        var line: Int
        var column: Int
    }

    /// The value a token carries besides its text.
    enum Value {
        case none
        case numeral(Rational)
        case naturals([Int])
        case version(major: Int, minor: Int)
        case string(String)
    }

    /// The most entries a bracket list may have, and the largest entry: shapes of rank 64 and
    /// dimensions of a billion are far beyond any network Certus can hold.
    static let maximumRank = 64
    static let maximumNatural = 999_999_999

    let bytes: [UInt8]
    let fileName: String
    private(set) var offset: Int
    private var line = 1
    private var lineStart: Int
    private let maximumDigits: Int
    private let maximumExponent: Int

    init(bytes: [UInt8], fileName: String, maximumDigits: Int, maximumExponent: Int) {
        self.bytes = bytes
        self.fileName = fileName
        self.maximumDigits = maximumDigits
        self.maximumExponent = maximumExponent
        offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        lineStart = offset
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(fileName: fileName, line: line, column: column)
    }

    private var here: SourceLocation { location(line: line, column: offset - lineStart + 1) }

    /// Skips whitespace and `;` comments.
    private mutating func skipBlanks() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D, 0x0C, 0x0B: offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            case UInt8(ascii: ";"):
                while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
            default: return
            }
        }
    }

    /// Reads the next token and its value.
    /// - Throws: `VNNLIBError` for a character that cannot start a token or a malformed token.
    /// - Complexity: O(length of the token and of the blanks before it).
    mutating func next() throws -> (Token, Value) {
        skipBlanks()
        var token = Token(kind: .endOfFile, start: offset, end: offset, line: line, column: offset - lineStart + 1)
        let start = location(line: token.line, column: token.column)
        guard offset < bytes.count else { return (token, .none) }
        let first = bytes[offset]
        func finish(_ kind: Kind, _ value: Value = .none) -> (Token, Value) {
            token.kind = kind
            token.end = offset
            return (token, value)
        }
        switch first {
        case UInt8(ascii: "("):
            offset += 1
            return finish(.leftParenthesis)
        case UInt8(ascii: ")"):
            offset += 1
            return finish(.rightParenthesis)
        case UInt8(ascii: "\""):
            return finish(.string, .string(try readString(start)))
        case UInt8(ascii: "["):
            return finish(.naturals, .naturals(try readNaturals(start)))
        case UInt8(ascii: "<") where offset + 1 < bytes.count && Lexer.isDigit(bytes[offset + 1]):
            let (major, minor) = try readVersion(start)
            return finish(.version, .version(major: major, minor: minor))
        default:
            break
        }
        guard Lexer.isSymbolByte(first) else {
            throw VNNLIBError.unexpected(start, expected: "a name, numeral, parenthesis, bracket or string",
                                         found: describeByte(first))
        }
        while offset < bytes.count, Lexer.isSymbolByte(bytes[offset]) { offset += 1 }
        let text = bytes[token.start..<offset]
        let numeric = Lexer.isDigit(first)
            || (first == UInt8(ascii: "-") && text.count > 1 && Lexer.isDigit(text[text.startIndex + 1]))
        guard numeric else { return finish(.symbol) }
        guard isWithinLimits(text) else {
            throw VNNLIBError.numeralOutOfRange(start, text: Lexer.excerpt(text), maximumDigits: maximumDigits,
                                                maximumExponent: maximumExponent)
        }
        guard text.last.map(Lexer.isDigit) == true,
              let value = Rational(decimal: String(decoding: text, as: UTF8.self)) else {
            throw VNNLIBError.invalidNumeral(start, text: Lexer.excerpt(text))
        }
        return finish(.numeral, .numeral(value))
    }

    /// `"…"` with the escapes `\"`, `\\`, `\n`, `\t`; on one line.
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
                                                 found: describeByte(bytes[offset + 1]))
                }
                offset += 2
            case 0x0A:
                throw VNNLIBError.unexpected(start, expected: "a closing '\"' on the same line", found: "end of line")
            default:
                scalars.append(b)
                offset += 1
            }
        }
        throw VNNLIBError.unexpected(start, expected: "a closing '\"'", found: "end of file")
    }

    /// `[` naturals separated by `,` `]`, possibly empty; blanks allowed between the parts.
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
            while offset < bytes.count, Lexer.isDigit(bytes[offset]) {
                value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                digits += 1
                offset += 1
                guard value <= Self.maximumNatural else {
                    throw VNNLIBError.invalidQuery(numberStart, message: "an index or dimension larger than \(Self.maximumNatural)")
                }
            }
            guard digits > 0 else {
                throw VNNLIBError.unexpected(numberStart, expected: "a natural number",
                                             found: offset < bytes.count ? describeByte(bytes[offset]) : "end of file")
            }
            values.append(value)
            guard values.count <= Self.maximumRank else {
                throw VNNLIBError.invalidQuery(start, message: "more than \(Self.maximumRank) entries between brackets")
            }
            skipBlanks()
            guard offset < bytes.count else {
                throw VNNLIBError.unexpected(here, expected: "',' or ']'", found: "end of file")
            }
            if bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return values
            }
            guard bytes[offset] == UInt8(ascii: ",") else {
                throw VNNLIBError.unexpected(here, expected: "',' or ']'", found: describeByte(bytes[offset]))
            }
            offset += 1
        }
    }

    /// `<major.minor>`.
    private mutating func readVersion(_ start: SourceLocation) throws -> (Int, Int) {
        offset += 1
        var parts: [Int] = []
        for terminator in [UInt8(ascii: "."), UInt8(ascii: ">")] {
            var value = 0, digits = 0
            while offset < bytes.count, Lexer.isDigit(bytes[offset]), digits < 6 {
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

    private func isWithinLimits(_ text: ArraySlice<UInt8>) -> Bool {
        var digits = 0, index = text.startIndex
        while index < text.endIndex, text[index] != UInt8(ascii: "e"), text[index] != UInt8(ascii: "E") {
            if Lexer.isDigit(text[index]) { digits += 1 }
            index += 1
        }
        guard digits <= maximumDigits else { return false }
        var exponent = 0
        for byte in text[index...] where Lexer.isDigit(byte) {
            exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
            if exponent > maximumExponent { return false }
        }
        return true
    }

    private func describeByte(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "the byte 0x\(String(b, radix: 16, uppercase: true))"
    }
}
