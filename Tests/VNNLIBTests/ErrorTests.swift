import Foundation
import Testing
@testable import VNNLIB

/// Every error kind, with the exact one-line message a user sees.
@Suite struct ErrorTests {
    private let x0 = "(declare-const X_0 Real)\n"

    @Test func syntaxErrors() {
        #expect(errorMessage(x0 + "(assert (<= X_0 1)") == "t.vnnlib:2:19: expected ')' but found end of file")
        #expect(errorMessage(x0 + "(assert (<= X_0 1)))") == "t.vnnlib:2:20: expected '(' but found ')'")
        #expect(errorMessage("X_0") == "t.vnnlib:1:1: expected '(' but found 'X_0'")
        #expect(errorMessage("()") == "t.vnnlib:1:1: expected a command name but found '()'")
        #expect(errorMessage("((assert) 1)") == "t.vnnlib:1:2: expected a command name but found '(assert)'")
    }

    @Test func commandErrors() {
        #expect(errorMessage("(declare-fun X_0 () Real)") == "t.vnnlib:1:2: unknown command 'declare-fun' (expected declare-const or assert)")
        #expect(errorMessage("(assert)") == "t.vnnlib:1:1: 'assert' takes 1 argument but has 0")
        #expect(errorMessage("(assert true true)") == "t.vnnlib:1:1: 'assert' takes 1 argument but has 2")
        #expect(errorMessage("(declare-const X_0)") == "t.vnnlib:1:1: 'declare-const' takes 2 arguments but has 1")
    }

    @Test func declarationErrors() {
        for name in ["Z_0", "X_01", "X_", "x_0", "X_1234567890", "X_1a", "X0", "Y_-1"] {
            #expect(errorMessage("(declare-const \(name) Real)")
                    == "t.vnnlib:1:16: expected a variable name X_i or Y_j but found '\(name)'")
        }
        #expect(errorMessage("(declare-const 5 Real)") == "t.vnnlib:1:16: expected a variable name X_i or Y_j but found '5'")
        #expect(errorMessage("(declare-const (X_0) Real)") == "t.vnnlib:1:16: expected a variable name X_i or Y_j but found '(X_0)'")
        #expect(errorMessage("(declare-const X_0 Int)") == "t.vnnlib:1:20: expected the sort 'Real' but found 'Int'")
        #expect(errorMessage(x0 + "(declare-const X_0 Real)") == "t.vnnlib:2:16: 'X_0' is already declared at line 1, column 16")
        #expect(errorMessage(x0 + "(declare-const X_2 Real)\n(declare-const X_4 Real)")
                == "t.vnnlib:3:16: 'X_4' is declared but 'X_1' is not (indices must run from 0 without gaps)")
        #expect(errorMessage(x0 + "(declare-const Y_1 Real)")
                == "t.vnnlib:2:16: 'Y_1' is declared but 'Y_0' is not (indices must run from 0 without gaps)")
        #expect(errorMessage("(declare-const X_999999999 Real)")
                == "t.vnnlib:1:16: 'X_999999999' is declared but 'X_0' is not (indices must run from 0 without gaps)")
    }

    @Test func undeclaredVariables() {
        #expect(errorMessage(x0 + "(assert (<= X_1 0))") == "t.vnnlib:2:13: variable 'X_1' is used but not declared")
        #expect(errorMessage("(assert (<= Y_0 0))\n(declare-const Y_0 Real)") == "t.vnnlib:1:13: variable 'Y_0' is used but not declared")
        #expect(throws: VNNLIBError.undeclaredVariable(SourceLocation(fileName: "t.vnnlib", line: 2, column: 13), name: "X_1")) {
            try PropertyParser.parse(text: x0 + "(assert (<= X_1 0))", fileName: "t.vnnlib")
        }
    }

    @Test func formulaAndTermErrors() {
        let term = "a term (a declared variable, a numeral or a list)"
        #expect(errorMessage(x0 + "(assert (<= foo 0))") == "t.vnnlib:2:13: expected \(term) but found 'foo'")
        #expect(errorMessage(x0 + "(assert X_0)") == "t.vnnlib:2:9: expected a formula but found 'X_0'")
        #expect(errorMessage(x0 + "(assert 1)") == "t.vnnlib:2:9: expected a formula but found '1'")
        #expect(errorMessage(x0 + "(assert ())") == "t.vnnlib:2:9: expected a formula but found '()'")
        #expect(errorMessage(x0 + "(assert (+ X_0 1))") == "t.vnnlib:2:9: expected a formula but found '(+ X_0 1)'")
        #expect(errorMessage(x0 + "(assert (<= (<= X_0 1) 0))") == "t.vnnlib:2:13: expected a term but found '(<= X_0 1)'")
        #expect(errorMessage(x0 + "(assert (<= () 0))") == "t.vnnlib:2:13: expected a term but found '()'")
        #expect(errorMessage(x0 + "(assert (not (<= X_0 0)))")
                == "t.vnnlib:2:10: expected 'and', 'or', '<=', '>=', '<', '>' or '=' but found 'not'")
        #expect(errorMessage(x0 + "(assert (<= (/ X_0 2) 0))") == "t.vnnlib:2:14: expected '+', '-' or '*' but found '/'")
        #expect(errorMessage(x0 + "(assert ((and) X_0))")
                == "t.vnnlib:2:10: expected 'and', 'or', '<=', '>=', '<', '>' or '=' but found '(and)'")
        #expect(errorMessage(x0 + "(assert (<= X_0))") == "t.vnnlib:2:9: '<=' takes at least 2 arguments but has 1")
        #expect(errorMessage(x0 + "(assert (<= (-) 0))") == "t.vnnlib:2:13: '-' takes at least 1 argument but has 0")
        #expect(errorMessage(x0 + "(assert (<= (* X_0 X_0) 1))")
                == "t.vnnlib:2:13: non-linear product: at most one factor of '*' may mention a variable")
        #expect(errorMessage(x0 + "(assert (<= (* 2 X_0 3 (+ X_0 1)) 1))")
                == "t.vnnlib:2:13: non-linear product: at most one factor of '*' may mention a variable")
        #expect(errorMessage(x0 + "(assert (+ X_0 1111111111 2222222222 3333333333 4444444444))")
                == "t.vnnlib:2:9: expected a formula but found '(+ X_0 1111111111 2222222222 3333333333 …'")
    }

    @Test func errorsCarryTheirLocation() throws {
        let error = try #require(throws: VNNLIBError.self) {
            try PropertyParser.parse(text: "\n\n   (assert (<= X_0 0))", fileName: "p.vnnlib")
        }
        #expect(error.location == SourceLocation(fileName: "p.vnnlib", line: 3, column: 16))
        #expect(VNNLIBError.fileTooLarge(path: "a", size: 2, limit: 1).location == nil)
    }

    @Test func depthBombIsAnErrorNotAStackOverflow() {
        #expect(errorMessage(String(repeating: "(", count: 100_000))
                == "t.vnnlib:1:10001: parentheses are nested more than 10000 deep")
        #expect(errorMessage("(assert" + String(repeating: " (and", count: 20) + ")", limits: .init(maximumDepth: 8))
                == "t.vnnlib:1:44: parentheses are nested more than 8 deep")
    }

    @Test func deepButLegalNestingIsEvaluatedWithoutRecursion() throws {
        let depth = 9_000
        let formula = String(repeating: "(and (<= Y_0 1) ", count: depth) + "(<= X_0 1)" + String(repeating: ")", count: depth)
        #expect(try parse("(assert \(formula))").cases.count == 1)
        // Alternating or/and; each case holds one output constraint (the and-branch only repeats
        // a box bound), so the normal form stays linear in size.
        let alternating = String(repeating: "(or (<= Y_0 1) (and (<= X_0 1) ", count: depth / 2) + "(<= Y_1 1)"
            + String(repeating: "))", count: depth / 2)
        let cases = try parse("(assert \(alternating))").cases
        #expect(cases.count == depth / 2 + 1)
        #expect(cases.allSatisfy { $0.outputConstraints.count == 1 })
        let term = String(repeating: "(- ", count: depth) + "X_0" + String(repeating: ")", count: depth)
        let spec = try parse("(assert (<= \(term) 1))")
        #expect(spec.cases.first?.box.upper[0] == q(1))  // an even number of negations
    }

    @Test func sizeLimit() {
        let limits = PropertyParser.Limits(maximumFileSize: 10)
        #expect(errorMessage("(assert true)", limits: limits) == "t.vnnlib: the file has 13 bytes, more than the limit of 10")
        // Exactly at the limit: read, and wrong for another reason.
        #expect(errorMessage("(assert 1)", limits: limits) == "t.vnnlib:1:9: expected a formula but found '1'")
    }

    @Test func fileErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vnnlib-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let missing = folder.appendingPathComponent("missing.vnnlib")
        let error = try #require(throws: VNNLIBError.self) { try PropertyParser.parse(contentsOf: missing) }
        #expect(error.description == "\(missing.path): cannot read the file: no such file")

        #expect(throws: VNNLIBError.unreadableFile(path: folder.path, reason: "it is a directory")) {
            try PropertyParser.parse(contentsOf: folder)
        }

        let big = folder.appendingPathComponent("big.vnnlib")
        try Data(String(repeating: "; padding\n", count: 10).utf8).write(to: big)
        #expect(throws: VNNLIBError.fileTooLarge(path: big.path, size: 100, limit: 50)) {
            try PropertyParser.parse(contentsOf: big, limits: .init(maximumFileSize: 50))
        }

        let good = folder.appendingPathComponent("good.vnnlib")
        try Data("(declare-const X_0 Real)\n(assert (<= X_0 -0.5))\n(assert (>= X_0".utf8).write(to: good)
        let syntax = try #require(throws: VNNLIBError.self) { try PropertyParser.parse(contentsOf: good) }
        #expect(syntax.description == "\(good.path):3:16: expected ')' but found end of file")
    }
}
