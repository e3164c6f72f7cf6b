import Foundation

/// Comma-separated values as VNN-COMP writes them (RFC 4180 quoting when a field needs it;
/// CRLF or LF line ends; blank lines skipped).
public enum CSV {
    /// One row of a file, with its 1-based line number.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// Splits `text` into rows.
    /// - Throws: `SoundnessBenchError.malformedCSV` for an unterminated quote or a quote in
    ///   the middle of an unquoted field.
    public static func parse(_ text: String, path: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var rowLine = 1
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty && !fieldWasQuoted) {
                rows.append(Row(line: rowLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while index < characters.count {
            let c = characters[index]
            if inQuotes {
                if c == "\"" {
                    if index + 1 < characters.count && characters[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case ",":
                    fields.append(field)
                    field = ""
                    fieldWasQuoted = false
                case "\"":
                    guard field.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw SoundnessBenchError.malformedCSV(path: path, line: line, reason: "a quote inside an unquoted field")
                    }
                    field = ""
                    inQuotes = true
                    fieldWasQuoted = true
                case "\r":
                    break
                case "\n":
                    endRow()
                    line += 1
                    rowLine = line
                default:
                    field.unicodeScalars.append(c)
                }
            }
            index += 1
        }
        guard !inQuotes else { throw SoundnessBenchError.malformedCSV(path: path, line: rowLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }

    /// One line (without line end), quoting fields that contain a comma, quote or line break.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
