import ExactArithmetic
import Testing
@testable import VNNLIB

@Suite struct LexerTests {
    /// All tokens of `text` with kind, text, line, column and numeral value.
    private func tokens(_ text: String) throws -> [(Token.Kind, String, Int, Int, Rational?)] {
        let bytes = Array(text.utf8)
        var lexer = Lexer(bytes: bytes, fileName: "t.vnnlib")
        var result: [(Token.Kind, String, Int, Int, Rational?)] = []
        while true {
            let (token, value) = try lexer.next()
            let number: Rational? = if case let .numeral(r) = value { r } else { nil }
            result.append((token.kind, String(decoding: bytes[token.start..<token.end], as: UTF8.self),
                           token.line, token.column, number))
            if token.kind == .endOfFile { return result }
        }
    }

    @Test func tokensCarryLineAndColumn() throws {
        let t = try tokens("; comment (not a token)\n(assert\n  (<= X_0 -0.5)) ; tail\n")
        #expect(t.map(\.0) == [.leftParenthesis, .symbol, .leftParenthesis, .symbol, .symbol, .numeral,
                               .rightParenthesis, .rightParenthesis, .endOfFile])
        #expect(t.map(\.1) == ["(", "assert", "(", "<=", "X_0", "-0.5", ")", ")", ""])
        #expect(t.map(\.2) == [2, 2, 3, 3, 3, 3, 3, 3, 4])
        #expect(t.map(\.3) == [1, 2, 3, 4, 7, 11, 15, 16, 1])
        #expect(t[5].4 == q(-1, 2))
    }

    @Test func commentsRunToEndOfLineAndMayHoldAnything() throws {
        let t = try tokens(";; ünïcödé ( ) \"|#\r\nX_1;x\n;last line without newline")
        #expect(t.map(\.1) == ["X_1", ""])
        #expect(t[0].2 == 2 && t[0].3 == 1)
        #expect(t[1].2 == 3)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try tokens("\u{FEFF}(a)")
        #expect(t.map(\.1) == ["(", "a", ")", ""])
        #expect(t[0].3 == 1)
    }

    @Test func numeralsOfEveryForm() throws {
        let cases: [(String, Rational)] = [
            ("12", q(12)), ("-0.303531156", q(-303_531_156, 1_000_000_000)), ("1e-3", q(1, 1000)),
            ("+2", q(2)), (".5", q(1, 2)), ("-.5", q(-1, 2)), ("3.", q(3)), ("6.02E2", q(602)),
            ("-0", q(0)), ("-0.0", q(0)), ("0.0", q(0)), ("1E+2", q(100)),
        ]
        for (text, value) in cases {
            let t = try tokens(text)
            #expect(t[0].0 == .numeral && t[0].4 == value, "\(text)")
        }
        let huge = try tokens("1e308")[0].4
        #expect(huge?.description == "1" + String(repeating: "0", count: 308))
        let tiny = try tokens("1e-320")[0].4
        #expect(tiny?.numerator == 1 && tiny?.denominator.description == "1" + String(repeating: "0", count: 320))
        // The same text twice (cached) gives the same value.
        #expect(try tokens("0.25 0.25").prefix(2).map(\.4) == [q(1, 4), q(1, 4)])
    }

    @Test func signsAndDotsAloneAreSymbols() throws {
        #expect(try tokens("- + . <= >= * X_0 -x").dropLast().allSatisfy { $0.0 == .symbol })
    }

    @Test func badNumeralsAndCharactersAreErrors() {
        #expect(errorMessage("(assert (<= X_0 1.2.3))") == "t.vnnlib:1:17: '1.2.3' is not a valid numeral")
        #expect(errorMessage("\n  1e") == "t.vnnlib:2:3: '1e' is not a valid numeral")
        #expect(errorMessage("(assert (<= X_0 1e999999))")
                == "t.vnnlib:1:17: numeral '1e999999' is out of range (at most 1000 digits and an exponent of at most 1000 in magnitude)")
        #expect(errorMessage("(assert #b101)") == "t.vnnlib:1:9: expected a symbol, numeral or parenthesis but found '#'")
        #expect(errorMessage("(assert |x y|)") == "t.vnnlib:1:9: expected a symbol, numeral or parenthesis but found '|'")
        #expect(errorMessage("(assert \"s\")") == "t.vnnlib:1:9: expected a symbol, numeral or parenthesis but found '\"'")
        #expect(errorMessage("(assert é)") == "t.vnnlib:1:9: expected a symbol, numeral or parenthesis but found 'é' (U+00E9)")
        #expect(errorMessage("(a\u{0}") == "t.vnnlib:1:3: expected a symbol, numeral or parenthesis but found the control character U+0000")
    }
}
