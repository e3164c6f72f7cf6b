/// A position in a VNN-LIB file: 1-based line and column (columns count characters; a tab is
/// one column), reported with every parse error so that a user can jump to the culprit.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's name as the user gave it (or a label such as `<text>`).
    public var fileName: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int

    /// Creates a location; `line` and `column` are 1-based.
    public init(fileName: String, line: Int, column: Int) {
        self.fileName = fileName
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String { "\(fileName):\(line):\(column)" }
}
