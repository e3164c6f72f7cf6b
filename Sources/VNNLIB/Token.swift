/// One lexical token of a VNN-LIB file: a byte range of the UTF-8 text and its position.
struct Token {
    enum Kind: Sendable, Equatable {
        case leftParenthesis, rightParenthesis, symbol, numeral, endOfFile
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
