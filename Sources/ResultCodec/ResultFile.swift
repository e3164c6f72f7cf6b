/// A VNN-COMP result file, read and written: the first word (`sat`, `unsat`, `unknown`,
/// `timeout`, `error`, or another word the competition uses, `ResultWord.parse`), then for
/// `sat` the witness `((X_0 v) (X_1 v) … (Y_0 v) …)`, on the same line (`sat (`) or the next
/// ones, one pair a line as written here.
///
/// Two ways to read: `init(reading:)` never fails (a verifier's output is scored, not
/// rejected: an unknown word becomes `.error`, a bad witness a `witnessProblem`), and
/// `parse(_:fileName:)` throws for a file a user hands over.
public struct ResultFile: Sendable, Equatable {
    /// The normalised word (`.error` when the first token is not a result word).
    public var word: ResultWord
    /// The first token exactly as written (empty for an empty file).
    public var token: String
    /// Whether `token` is one of the result words.
    public var isRecognised: Bool
    /// The witness, for `sat`.
    public var witness: Witness?
    /// Why the witness could not be read, for `sat`.
    public var witnessProblem: String?

    /// A result to write.
    public init(word: ResultWord, witness: Witness? = nil) {
        self.word = word
        token = word.rawValue
        isRecognised = true
        self.witness = witness
        witnessProblem = nil
    }

    /// Reads `text` without failing.
    public init(reading text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count && Self.isSpace(scalars[index]) { index += 1 }
        var first = ""
        while index < scalars.count && !Self.isSpace(scalars[index]) && scalars[index] != "(" {
            first.unicodeScalars.append(scalars[index])
            index += 1
        }
        token = first
        if let parsed = ResultWord.parse(word: first) {
            word = parsed
            isRecognised = true
        } else {
            word = .error
            isRecognised = false
        }
        witness = nil
        witnessProblem = nil
        guard word == .sat else { return }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[index...])
        switch Self.parseWitness(String(rest)) {
        case let .success(w): witness = w
        case let .failure(problem): witnessProblem = problem.description
        }
    }

    /// Reads a result file a user handed over.
    /// - Throws: `ResultFileError` for an unknown first word or a `sat` without a usable witness.
    public static func parse(_ text: String, fileName: String) throws -> ResultFile {
        let file = ResultFile(reading: text)
        guard file.isRecognised else {
            throw ResultFileError(fileName: fileName, message: "expected sat, unsat, unknown, timeout or error but found '\(file.token)'")
        }
        if let problem = file.witnessProblem { throw ResultFileError(fileName: fileName, message: problem) }
        return file
    }

    /// The text of the file. Doubles are printed in Swift's shortest round-trip form, so
    /// reading the file back gives exactly the same numbers.
    public var text: String {
        var lines = [word.rawValue]
        guard word == .sat else { return lines.joined(separator: "\n") + "\n" }
        let inputs = witness?.inputs ?? [:], outputs = witness?.outputs ?? [:]
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

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    /// Parses `((NAME VALUE) …)`; names are `X_i` or `Y_j`, values finite decimals.
    public static func parseWitness(_ text: String) -> Result<Witness, WitnessProblem> {
        var tokens: [(text: String, line: Int)] = []
        var current = ""
        var line = 1
        func flush() {
            if !current.isEmpty { tokens.append((current, line)); current = "" }
        }
        for c in text.unicodeScalars {
            switch c {
            case "(", ")":
                flush()
                tokens.append((String(c), line))
            case "\n":
                flush()
                line += 1
            case " ", "\t", "\r":
                flush()
            default:
                current.unicodeScalars.append(c)
            }
        }
        flush()
        var index = 0
        func fail(_ message: String) -> Result<Witness, WitnessProblem> {
            let at = index < tokens.count ? " (witness line \(tokens[index].line))" : ""
            return .failure(WitnessProblem(message + at))
        }
        guard !tokens.isEmpty else { return .failure(WitnessProblem("sat without a witness")) }
        guard tokens[0].text == "(" else { return fail("the witness does not start with '('") }
        index = 1
        var witness = Witness(inputs: [:])
        while index < tokens.count && tokens[index].text != ")" {
            guard tokens[index].text == "(", index + 3 < tokens.count, tokens[index + 3].text == ")" else {
                return fail("expected '(NAME VALUE)'")
            }
            let name = tokens[index + 1].text, valueText = tokens[index + 2].text
            guard let value = Double(valueText), value.isFinite else {
                return fail("value '\(valueText)' of \(name) is not a finite number")
            }
            let parts = name.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "X" || parts[0] == "Y",
                  parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let i = Int(parts[1]) else {
                return fail("expected a variable X_i or Y_j but found '\(name)'")
            }
            if parts[0] == "X" {
                guard witness.inputs.updateValue(value, forKey: i) == nil else { return fail("X_\(i) is given twice") }
            } else {
                guard witness.outputs.updateValue(value, forKey: i) == nil else { return fail("Y_\(i) is given twice") }
            }
            index += 4
        }
        guard index < tokens.count else { return fail("the witness is missing its closing ')'") }
        index += 1
        guard index == tokens.count else { return fail("text after the witness") }
        return .success(witness)
    }
}
