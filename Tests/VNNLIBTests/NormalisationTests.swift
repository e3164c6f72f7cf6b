import ExactArithmetic
import Testing
@testable import VNNLIB

/// Disjunctive normal form: the shapes VNN-COMP files take, pruning and the case cap.
@Suite struct NormalisationTests {
    @Test func inputDisjunctionTimesOutputDisjunction() throws {
        // acasxu prop_6: two input boxes, four output clauses → 2 × 4 cases, box-major order.
        let spec = try parse("""
            (assert (or
                (and (<= X_0 0.7) (>= X_0 -0.1) (<= X_1 0.5) (>= X_1 0.1))
                (and (<= X_0 0.7) (>= X_0 -0.1) (<= X_1 -0.1) (>= X_1 -0.5))
            ))
            (assert (or (and (<= Y_1 Y_0)) (and (<= Y_2 Y_0)) (and (<= Y_3 Y_0)) (and (<= Y_4 Y_0))))
            """, outputs: 5)
        #expect(spec.cases.count == 8)
        #expect(spec.cases.map(\.box.lower[1]) == Array(repeating: q(1, 10), count: 4) + Array(repeating: q(-1, 2), count: 4))
        #expect(spec.cases.map(\.box.upper[0]) == Array(repeating: q(7, 10), count: 8))
        for (k, c) in spec.cases.enumerated() {
            #expect(c.outputConstraints == [constraint([(.output(0), q(-1)), (.output(k % 4 + 1), q(1))])])
            #expect(c.inputConstraints.isEmpty)
        }
    }

    @Test func outputConjunctionWithABox() throws {
        // acasxu prop_3: box asserts and a conjunction of output asserts → one case.
        let spec = try parse("""
            (assert (<= X_0 1)) (assert (>= X_0 0))
            (assert (<= Y_0 Y_1)) (assert (<= Y_0 Y_2))
            """, inputs: 1, outputs: 3)
        #expect(spec.cases.count == 1)
        #expect(spec.cases[0].outputConstraints.count == 2)
    }

    @Test func mnistStyleBoxAndNineClausesShareTheBox() throws {
        let inputs = 784
        var text = ""
        for i in 0..<inputs { text += "(assert (<= X_\(i) 0.03))\n(assert (>= X_\(i) 0.0))\n" }
        text += "(assert (or\n" + (0..<10).filter { $0 != 8 }.map { "    (and (>= Y_\($0) Y_8))\n" }.joined() + "))"
        let spec = try parse(text, inputs: inputs, outputs: 10)
        #expect(spec.inputCount == 784 && spec.outputCount == 10)
        #expect(spec.cases.count == 9)
        let box = InputBox(lower: Array(repeating: q(0), count: inputs), upper: Array(repeating: q(3, 100), count: inputs))
        #expect(spec.cases.allSatisfy { $0.box == box && $0.inputConstraints.isEmpty && $0.outputConstraints.count == 1 })
        #expect(spec.cases[8].outputConstraints == [constraint([(.output(8), q(1)), (.output(9), q(-1))])])
    }

    @Test func boxAssertsAfterTheDisjunctionAreStillAppliedOncePerCase() throws {
        let spec = try parse("(assert (or (<= Y_0 0) (<= Y_1 0))) (assert (<= X_0 1)) (assert (<= X_0 0.5))")
        #expect(spec.cases.count == 2)
        #expect(spec.cases.allSatisfy { $0.box.upper == [q(1, 2), nil] })
    }

    @Test func emptyBoxesAreDropped() throws {
        let spec = try parse("""
            (assert (>= X_0 0))
            (assert (or (and (<= X_0 -1) (<= Y_0 0)) (and (<= X_0 1) (<= Y_1 0)) (= X_0 -2)))
            """)
        #expect(spec.cases.count == 1)
        #expect(spec.cases[0].box.upper[0] == q(1) && spec.cases[0].box.lower[0] == q(0))
        // Every case empty: zero cases, the property is trivially unsat.
        let none = try parse("(assert (<= X_0 0)) (assert (or (>= X_0 1) (>= X_0 2)))")
        #expect(none.cases.isEmpty && none.inputCount == 2 && none.outputCount == 2)
        #expect(none.violatedCase(inputs: [0, 0], outputs: [0, 0]) == nil)
        // A point box is not empty.
        #expect(try parse("(assert (<= X_0 1)) (assert (>= X_0 1))").cases.count == 1)
    }

    /// Inputs a box lets vary: neither fixed (`lower = upper`) nor, counted as free, unbounded.
    @Test func freeInputsOfABox() throws {
        let fixedFirst = try parse("(assert (<= X_0 1)) (assert (>= X_0 1)) (assert (>= X_1 0)) (assert (<= X_1 1))")
        #expect(fixedFirst.cases[0].box.freeCount == 1)
        #expect(try parse("(assert (>= X_0 0))").cases[0].box.freeCount == 2)
    }

    @Test func nestedDisjunctionsMultiply() throws {
        let spec = try parse("""
            (assert (or (<= Y_0 0) (and (<= X_0 0) (or (<= Y_1 0) (<= Y_1 1)))))
            (assert (or (<= X_1 0) (<= X_1 1)))
            """)
        #expect(spec.cases.count == 6)
    }

    @Test func caseMemoryIsCapped() {
        let limits = PropertyParser.Limits(maximumCaseBytes: 1_000)
        let text = "(declare-const Y_0 Real)\n(assert (or (<= Y_0 1) (<= Y_0 2) (<= Y_0 3)))\n"
            + String(repeating: "(assert (or (<= Y_0 4) (<= Y_0 5)))\n", count: 10)
        let message = errorMessage(text, limits: limits) ?? ""
        #expect(message.hasPrefix("t.vnnlib:") && message.contains(
            ": the property's disjunctive normal form needs more than 1000 bytes of memory ("), "\(message)")
        // Crafted to explode: twelve binary disjunctions, each writing a bound of a 1,000-input
        // box, would be 4,096 copies of the box; the default cap (256 MiB) stops them cleanly,
        // at the disjunction that passes it.
        let inputs = 1_000
        let bomb = (0..<inputs).map { "(declare-const X_\($0) Real)\n" }.joined() + "(declare-const Y_0 Real)\n"
            + (0..<12).map { "(assert (or (<= X_\($0) 1) (<= X_\($0) 2)))\n" }.joined()
        let bombMessage = errorMessage(bomb) ?? ""
        #expect(bombMessage.contains(": the property's disjunctive normal form needs more than 256 MiB of memory ("),
                "\(bombMessage)")
        // Infeasible combinations are pruned before they count.
        let pruned = "(declare-const X_0 Real)\n"
            + String(repeating: "(assert (or (<= X_0 -1) (>= X_0 1)))\n(assert (or (<= X_0 -1) (>= X_0 1)))\n", count: 10)
        #expect(errorMessage(pruned) == nil)
    }

    /// A learned-index property: one disjunction of 120,000 cases, each with its own one-input
    /// interval (past the 100,000-case count that used to be the cap), is no attack and parses.
    @Test func manySmallCasesAreNotCapped() throws {
        let count = 120_000
        var text = "(assert (or\n"
        text.reserveCapacity(count * 48)
        for k in 0..<count {
            text += "(and (>= X_0 0.\(k)1) (<= X_0 0.\(k)2) (<= Y_0 \(k % 7)))\n"
        }
        text += "))\n"
        let spec = try parse(text, inputs: 1, outputs: 1)
        #expect(spec.cases.count == count)
        #expect(spec.cases[count - 1].box.lower[0] == Rational(decimal: "0.\(count - 1)1"))
    }
}
