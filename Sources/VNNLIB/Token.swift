import ExactArithmetic

/// One lexical token of a VNN-LIB file: a byte range of the UTF-8 text and its position.
struct Token {
    enum Kind: Sendable, Equatable {
        case leftParenthesis, rightParenthesis, symbol, numeral, endOfFile
        /// VNN-LIB 2.0 only: an ONNX name in double quotes, the version `<2.0>`, and a bracketed
        /// list of naturals (`[28,28]`, a shape; `[0,2]`, the indices after a variable).
        case string, version, naturals
    }

    /// What a token carries besides its text.
    enum Value {
        case none
        case numeral(Rational)
        case naturals([Int])
        case version(major: Int, minor: Int)
        case string(String)
    }

    var kind: Kind
    /// Byte offset of the first byte.
    var start: Int
    /// Byte offset one past the last byte.
    var end: Int
    /// 1-based line.
    var line: Int
    /// 1-based column.
    var column: Int
}
