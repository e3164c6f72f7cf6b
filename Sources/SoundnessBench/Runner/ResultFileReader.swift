/// Reads what a verifier wrote as its VNN-COMP result: the first word, then for `sat` the
/// witness `((X_0 v) (X_1 v) … (Y_0 v) …)`, on the same line (`sat (`) or the next ones.
///
/// A result file is the verifier's output, not the user's input, so nothing here throws: a
/// missing file, an unknown word or a malformed witness become part of the reading, and the
/// runner scores them (an unknown word is an error; a `sat` without a usable witness is an
/// invalid counterexample).
public struct ResultFileReader: Sendable, Equatable {
    /// The normalised verdict (`.error` when the word is not a result word).
    public var verdict: Verdict
    /// The first token exactly as written (empty for an empty file).
    public var word: String
    /// Whether `word` is one of the result words.
    public var isRecognised: Bool
    /// The witness, for `sat`.
    public var witness: Witness?
    /// Why the witness could not be read, for `sat`.
    public var witnessProblem: String?

    /// Reads `text`.
    public init(text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count && Self.isSpace(scalars[index]) { index += 1 }
        var token = ""
        while index < scalars.count && !Self.isSpace(scalars[index]) && scalars[index] != "(" {
            token.unicodeScalars.append(scalars[index])
            index += 1
        }
        word = token
        if let parsed = Verdict.parse(word: token) {
            verdict = parsed
            isRecognised = true
        } else {
            verdict = .error
            isRecognised = false
        }
        witness = nil
        witnessProblem = nil
        guard verdict == .sat else { return }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[index...])
        switch Self.parseWitness(String(rest)) {
        case let .success(w): witness = w
        case let .failure(problem): witnessProblem = problem.description
        }
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
