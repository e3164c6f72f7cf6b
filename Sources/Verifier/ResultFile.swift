import Foundation

/// A VNN-COMP result file: a first line `sat`, `unsat`, `unknown`, `timeout` or `error`
/// (2021's `holds`/`violated` are read as `unsat`/`sat`), and for `sat` a witness
/// `((X_0 v) (X_1 v) … (Y_0 v) …)`, one pair a line.
public struct ResultFile: Sendable, Equatable {
    /// The verdict word, normalised.
    public enum Word: String, Sendable, CaseIterable {
        case sat, unsat, unknown, timeout, error
    }

    public var word: Word
    /// Witness inputs by index (`X_i`), for `sat`.
    public var inputs: [Int: Double]
    /// Witness outputs by index (`Y_j`), for `sat`; may be empty.
    public var outputs: [Int: Double]

    public init(word: Word, inputs: [Int: Double] = [:], outputs: [Int: Double] = [:]) {
        self.word = word
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The text of the file. Doubles are printed in Swift's shortest round-trip form, so
    /// reading the file back gives exactly the same numbers.
    public var text: String {
        var lines = [word.rawValue]
        guard word == .sat else { return lines.joined(separator: "\n") + "\n" }
        let pairs = inputs.sorted { $0.key < $1.key }.map { "(X_\($0.key) \(Self.format($0.value)))" }
            + outputs.sorted { $0.key < $1.key }.map { "(Y_\($0.key) \(Self.format($0.value)))" }
        for (k, pair) in pairs.enumerated() {
            let open = k == 0 ? "(" : " "
            let close = k == pairs.count - 1 ? ")" : ""
            lines.append(open + pair + close)
        }
        if pairs.isEmpty { lines.append("()") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Formats a double so that it reads back exactly (`0.1`, `-1.5e-07`).
    public static func format(_ value: Double) -> String {
        value == 0 ? "0.0" : "\(value)"
    }

    /// Reads a result file's text.
    /// - Throws: `ResultFileError` naming the line and the problem.
    public static func parse(_ text: String, fileName: String) throws -> ResultFile {
        let trimmedStart = text.drop { $0.isWhitespace }
        let firstLineEnd = trimmedStart.firstIndex(where: \.isNewline) ?? trimmedStart.endIndex
        let firstLine = trimmedStart[..<firstLineEnd].trimmingCharacters(in: .whitespaces)
        // The harness may write `sat (` with the witness starting on the same line.
        let firstToken = firstLine.prefix { !$0.isWhitespace && $0 != "(" }
        let word: Word
        switch firstToken.lowercased() {
        case "sat", "violated": word = .sat
        case "unsat", "holds": word = .unsat
        case "unknown": word = .unknown
        case "timeout": word = .timeout
        case "error": word = .error
        default:
            throw ResultFileError(fileName: fileName, line: 1, message: "expected sat, unsat, unknown, timeout or error but found '\(firstToken)'")
        }
        var result = ResultFile(word: word)
        guard word == .sat else { return result }
        let rest = trimmedStart[trimmedStart.index(firstLineEnd, offsetBy: 0)...]
        let witness = firstLine.dropFirst(firstToken.count) + rest
        try parseWitness(String(witness), fileName: fileName, into: &result)
        return result
    }

    private static func parseWitness(_ text: String, fileName: String, into result: inout ResultFile) throws {
        var line = 1
        var depth = 0
        var tokens: [(String, Int)] = []
        var current = ""
        func flush() {
            if !current.isEmpty { tokens.append((current, line)); current = "" }
        }
        for ch in text {
            switch ch {
            case "(":
                flush(); depth += 1; tokens.append(("(", line))
            case ")":
                flush(); depth -= 1; tokens.append((")", line))
                if depth < 0 { throw ResultFileError(fileName: fileName, line: line, message: "unbalanced ')'") }
            case _ where ch.isNewline:
                flush(); line += 1
            case _ where ch.isWhitespace:
                flush()
            default:
                current.append(ch)
            }
            if depth > 2 { throw ResultFileError(fileName: fileName, line: line, message: "witness nested deeper than ((name value) …)") }
        }
        flush()
        guard depth == 0 else { throw ResultFileError(fileName: fileName, line: line, message: "witness is missing ')'") }
        var index = 0
        func next() -> (String, Int)? { index < tokens.count ? tokens[index] : nil }
        guard next()?.0 == "(" else {
            throw ResultFileError(fileName: fileName, line: next()?.1 ?? line, message: "sat result has no witness '((X_0 value) …)'")
        }
        index += 1
        while let (token, tokenLine) = next(), token != ")" {
            guard token == "(", index + 3 < tokens.count else {
                throw ResultFileError(fileName: fileName, line: tokenLine, message: "expected '(NAME VALUE)'")
            }
            let name = tokens[index + 1].0, valueText = tokens[index + 2].0
            guard tokens[index + 3].0 == ")" else {
                throw ResultFileError(fileName: fileName, line: tokenLine, message: "expected ')' after value of \(name)")
            }
            guard let value = Double(valueText), value.isFinite else {
                throw ResultFileError(fileName: fileName, line: tokenLine, message: "value '\(valueText)' of \(name) is not a finite number")
            }
            let parts = name.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let i = Int(parts[1]), i >= 0, parts[0] == "X" || parts[0] == "Y" else {
                throw ResultFileError(fileName: fileName, line: tokenLine, message: "expected a variable X_i or Y_j but found '\(name)'")
            }
            if parts[0] == "X" {
                guard result.inputs.updateValue(value, forKey: i) == nil else {
                    throw ResultFileError(fileName: fileName, line: tokenLine, message: "X_\(i) is given twice")
                }
            } else {
                guard result.outputs.updateValue(value, forKey: i) == nil else {
                    throw ResultFileError(fileName: fileName, line: tokenLine, message: "Y_\(i) is given twice")
                }
            }
            index += 4
        }
        guard next()?.0 == ")" else { throw ResultFileError(fileName: fileName, line: line, message: "witness is missing ')'") }
    }

    /// The witness inputs as a dense vector of `count` values.
    /// - Throws: `ResultFileError` when an index is missing or out of range.
    public func inputVector(count: Int, fileName: String) throws -> [Double] {
        if let bad = inputs.keys.first(where: { $0 >= count }) {
            throw ResultFileError(fileName: fileName, line: 0, message: "X_\(bad) is beyond the network's \(count) inputs")
        }
        return try (0..<count).map { i in
            guard let v = inputs[i] else {
                throw ResultFileError(fileName: fileName, line: 0, message: "witness has no value for X_\(i)")
            }
            return v
        }
    }
}

/// A malformed result file.
public struct ResultFileError: Error, Equatable, CustomStringConvertible {
    public var fileName: String
    /// 1-based line, or 0 when the problem is not tied to a line.
    public var line: Int
    public var message: String

    public var description: String {
        line > 0 ? "\(fileName):\(line): \(message)" : "\(fileName): \(message)"
    }
}
