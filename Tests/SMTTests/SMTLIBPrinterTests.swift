import ExactArithmetic
import SMT
import Testing

@Suite struct SMTLIBPrinterTests {
    private func v(_ id: Int) -> Term { .variable(RealVariable(id: id)) }

    @Test func numeralsAreExact() {
        #expect(SMTLIBPrinter.numeral(Rational(3)) == "3")
        #expect(SMTLIBPrinter.numeral(Rational(-3)) == "(- 3)")
        #expect(SMTLIBPrinter.numeral(.zero) == "0")
        #expect(SMTLIBPrinter.numeral(Rational(1, 10)) == "(/ 1 10)")
        #expect(SMTLIBPrinter.numeral(Rational(-1, 2)) == "(- (/ 1 2))")
        let tenth = Rational(exactly: 0.1)!
        #expect(SMTLIBPrinter.numeral(tenth) == "(/ 3602879701896397 36028797018963968)")
    }

    @Test func smallQueryPrintsExactly() {
        let printer = SMTLIBPrinter(variableNames: ["x", "y"])
        let relu = Term.relu(v(0))
        let script = printer.script(asserting: [
            .lessOrEqual(v(0), .constant(Rational(decimal: "0.1")!)),
            .greater(v(0), .constant(Rational(-3))),
            .equal(v(1), relu),
            .or([.not(.less(v(1), .constant(.zero))), .constant(false)]),
            .greaterOrEqual(.linear(coefficients: [LinearTermEntry(RealVariable(id: 0), .one),
                                                   LinearTermEntry(RealVariable(id: 1), Rational(-5, 2))],
                                    constant: Rational(7)), .sum([v(0), .scaled(Rational(2), v(1))])),
        ])
        #expect(script == """
            (set-logic QF_LRA)
            (declare-const x Real)
            (declare-const y Real)
            (assert (<= x (/ 1 10)))
            (assert (> x (- 3)))
            (assert (= y (ite (>= x 0) x 0)))
            (assert (or (not (< y 0)) false))
            (assert (>= (+ x (* (- (/ 5 2)) y) 7) (+ x (* 2 y))))
            (check-sat)

            """)
    }

    @Test func degenerateTermsAndConnectives() {
        let printer = SMTLIBPrinter(variableNames: ["x"])
        #expect(printer.text(of: Term.linear(coefficients: [], constant: .zero)) == "0")
        #expect(printer.text(of: Term.linear(coefficients: [], constant: Rational(-2))) == "(- 2)")
        #expect(printer.text(of: Term.linear(coefficients: [LinearTermEntry(RealVariable(id: 0), Rational(3))],
                                             constant: .zero)) == "(* 3 x)")
        #expect(printer.text(of: Term.sum([])) == "0")
        #expect(printer.text(of: Formula.and([])) == "true")
        #expect(printer.text(of: Formula.or([])) == "false")
        #expect(printer.text(of: Formula.and([.constant(false)])) == "false")
        #expect(printer.script(asserting: [], logic: nil, getModel: true) == "(declare-const x Real)\n(check-sat)\n(get-model)\n")
    }

    @Test func symbolsAreUniqueAndLegal() {
        let printer = SMTLIBPrinter(variableNames: ["x", "x", "x_1", "", "two words", "a|b", "true", "assert", "3d", "+"])
        #expect(printer.symbols == ["x", "x_1", "x_1_2", "v", "|two words|", "a_b", "true_6", "assert_7", "|3d|", "+_9"])
        #expect(printer.symbol(for: RealVariable(id: 42)) == "|undeclared_42|")
    }
}

@Suite struct FormulaBuildingTests {
    private let a = Formula.less(.variable(RealVariable(id: 0)), .constant(.one))
    private let b = Formula.greater(.variable(RealVariable(id: 1)), .constant(.zero))
    private let c = Formula.equal(.variable(RealVariable(id: 2)), .constant(.zero))

    @Test func conjunctionFlattens() {
        #expect(Formula.conjunction([]) == .constant(true))
        #expect(Formula.conjunction([a]) == a)
        #expect(Formula.conjunction([.constant(true), .and([a, .and([b, .constant(true)])]), c]) == .and([a, b, c]))
        #expect(Formula.conjunction([a, .and([b, .constant(false)]), c]) == .constant(false))
        #expect(Formula.conjunction([.or([a, b]), c]) == .and([.or([a, b]), c]))
    }

    @Test func disjunctionFlattens() {
        #expect(Formula.disjunction([]) == .constant(false))
        #expect(Formula.disjunction([.constant(false), .or([a, .or([b])]), c]) == .or([a, b, c]))
        #expect(Formula.disjunction([a, .constant(true)]) == .constant(true))
    }

    @Test func affineSkipsZeroCoefficients() {
        let vars = (0..<3).map { RealVariable(id: $0) }
        let t = Term.affine([Rational(2), .zero, Rational(-1)], vars, plus: Rational(1, 2))
        #expect(t == .linear(coefficients: [LinearTermEntry(vars[0], Rational(2)), LinearTermEntry(vars[2], Rational(-1))],
                             constant: Rational(1, 2)))
    }

    @Test func exactEvaluation() {
        let x = Term.variable(RealVariable(id: 0))
        let relu = Term.relu(.difference(x, .constant(Rational(1, 10))))
        #expect(relu.value(in: [Rational(3, 10)]) == Rational(1, 5))
        #expect(relu.value(in: [Rational(-3)]) == .zero)
        #expect(relu.value(in: []) == nil)
        let f = Formula.and([.greaterOrEqual(x, .constant(.zero)), .not(.greater(x, .constant(.one)))])
        #expect(f.isSatisfied(by: [Rational(1)]) == true)
        #expect(f.isSatisfied(by: [Rational(11, 10)]) == false)
        #expect(Formula.or([.less(x, .constant(.zero)), .equal(x, .constant(Rational(7)))]).isSatisfied(by: [Rational(7)]) == true)
    }
}

@Suite struct RecordingSolverTests {
    @Test func recordsScopesAndPrints() {
        let recorder = RecordingSolver()
        let x = Term.variable(recorder.declareReal(named: "x"))
        recorder.add(.greater(x, .constant(.zero)))
        recorder.push()
        recorder.add(.less(x, .constant(Rational(-1))))
        #expect(recorder.assertions.count == 2)
        recorder.pop()
        #expect(recorder.assertions == [.greater(x, .constant(.zero))])
        #expect(recorder.script(logic: nil) == "(declare-const x Real)\n(assert (> x 0))\n(check-sat)\n")
        #expect(recorder.check(timeout: nil) == .unknown(reason: "no solver"))
    }
}
