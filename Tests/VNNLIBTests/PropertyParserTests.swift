import ExactArithmetic
import Testing
@testable import VNNLIB

/// Each construct of the grammar, checked through the normalised `Specification`.
@Suite struct PropertyParserTests {
    private let y0 = Variable.output(0), y1 = Variable.output(1), x0 = Variable.input(0), x1 = Variable.input(1)

    /// The single case of `text`.
    private func single(_ text: String) throws -> SpecificationCase {
        let spec = try parse(text)
        try #require(spec.cases.count == 1)
        return spec.cases[0]
    }

    @Test func countsDeclarationsInAnyOrder() throws {
        let text = "(declare-const Y_1 Real)(declare-const X_2 Real)(declare-const X_0 Real)\n"
            + "(declare-const Y_0 Real) (declare-const X_1 Real)"
        let spec = try PropertyParser.parse(text: text, fileName: "t.vnnlib")
        #expect(spec.inputCount == 3 && spec.outputCount == 2)
        // No assertion: one case, the whole unbounded input space.
        #expect(spec.cases == [SpecificationCase(box: InputBox(unboundedOver: 3), outputConstraints: [])])
    }

    @Test func everyRelationIsNormalised() throws {
        #expect(try single("(assert (<= Y_0 Y_1))").outputConstraints == [constraint([(y0, q(1)), (y1, q(-1))])])
        #expect(try single("(assert (>= Y_0 Y_1))").outputConstraints == [constraint([(y0, q(-1)), (y1, q(1))])])
        #expect(try single("(assert (< Y_0 Y_1))").outputConstraints == [constraint([(y0, q(1)), (y1, q(-1))], .zero, .less)])
        #expect(try single("(assert (> Y_0 Y_1))").outputConstraints == [constraint([(y0, q(-1)), (y1, q(1))], .zero, .less)])
        #expect(try single("(assert (= Y_0 Y_1))").outputConstraints == [constraint([(y0, q(1)), (y1, q(-1))], .zero, .equal)])
        #expect(try single("(assert (>= Y_0 3.5))").outputConstraints == [constraint([(y0, q(-1))], q(7, 2))])
    }

    @Test func relationChainsMeanPairwiseConjunctions() throws {
        let c = try single("(assert (<= Y_0 Y_1 2))")
        #expect(c.outputConstraints == [constraint([(y0, q(1)), (y1, q(-1))]), constraint([(y1, q(1))], q(-2))])
        let box = try single("(assert (< -1 X_0 X_1 1))")
        #expect(box.box.lower == [q(-1), nil] && box.box.upper == [nil, q(1)])
        #expect(box.inputConstraints == [constraint([(x0, q(-1))], q(-1), .less),
                                         constraint([(x0, q(1)), (x1, q(-1))], .zero, .less),
                                         constraint([(x1, q(1))], q(-1), .less)])
    }

    @Test func singleVariableBoundsGoIntoTheBox() throws {
        let c = try single("""
            (assert (<= X_0 0.5))
            (assert (>= 2 X_1))
            (assert (>= (* 2 X_1) -1))
            (assert (<= (* -4 X_0) 1))
            """)
        #expect(c.box.lower == [q(-1, 4), q(-1, 2)] && c.box.upper == [q(1, 2), q(2)])
        #expect(c.inputConstraints.isEmpty && c.outputConstraints.isEmpty)
        let eq = try single("(assert (= (+ X_0 1) 3))")
        #expect(eq.box.lower == [q(2), nil] && eq.box.upper == [q(2), nil] && eq.inputConstraints.isEmpty)
    }

    @Test func strictBoundsStayStrictAndEncloseInTheBox() throws {
        let c = try single("(assert (< X_0 0.5)) (assert (> X_1 -1))")
        #expect(c.box.lower == [nil, q(-1)] && c.box.upper == [q(1, 2), nil])
        #expect(c.inputConstraints == [constraint([(x0, q(1))], q(-1, 2), .less), constraint([(x1, q(-1))], q(-1), .less)])
        #expect(c.isSatisfied(inputs: [0.25, 0], outputs: [0, 0]))
        #expect(!c.isSatisfied(inputs: [0.5, 0], outputs: [0, 0]))  // in the closed box, not in the set
    }

    @Test func boxTighteningKeepsTheTightestBound() throws {
        let c = try single("""
            (assert (<= X_0 1)) (assert (<= X_0 0.5)) (assert (<= X_0 0.75))
            (assert (>= X_0 -1)) (assert (>= X_0 -2)) (assert (and (>= X_0 -0.5) (>= X_0 -3)))
            """)
        #expect(c.box.lower[0] == q(-1, 2) && c.box.upper[0] == q(1, 2))
    }

    @Test func multiVariableInputConstraintsAndMixedOutputConstraints() throws {
        let c = try single("(assert (<= (+ X_0 X_1) 1)) (assert (<= X_0 Y_0))")
        #expect(c.inputConstraints == [constraint([(x0, q(1)), (x1, q(1))], q(-1))])
        #expect(c.outputConstraints == [constraint([(x0, q(1)), (y0, q(-1))])])
        #expect(c.box == InputBox(unboundedOver: 2))
    }

    @Test func everyTermForm() throws {
        func expression(_ term: String) throws -> LinearExpression {
            let c = try single("(assert (<= \(term) 0))")
            try #require(c.outputConstraints.count == 1)
            return c.outputConstraints[0].expression
        }
        #expect(try expression("(+ Y_0 Y_1 1 Y_0)") == LinearExpression(terms: [(y0, q(2)), (y1, q(1))], constant: q(1)))
        #expect(try expression("(+ Y_0)") == LinearExpression(y0))
        #expect(try expression("(- Y_0)") == LinearExpression(terms: [(y0, q(-1))]))
        #expect(try expression("(- Y_0 Y_1 2)") == LinearExpression(terms: [(y0, q(1)), (y1, q(-1))], constant: q(-2)))
        #expect(try expression("(* 0.5 Y_0)") == LinearExpression(terms: [(y0, q(1, 2))]))
        #expect(try expression("(* Y_0 -3)") == LinearExpression(terms: [(y0, q(-3))]))
        #expect(try expression("(* 2 (+ Y_0 1) 3)") == LinearExpression(terms: [(y0, q(6))], constant: q(6)))
        #expect(try expression("(* 2 (- Y_0 (* 0.5 Y_1)))") == LinearExpression(terms: [(y0, q(2)), (y1, q(-1))]))
        #expect(try expression("(+ (* 0.5 Y_0) (* -0.25 Y_1) X_0)")
                == LinearExpression(terms: [(x0, q(1)), (y0, q(1, 2)), (y1, q(-1, 4))]))
        // Y_0 - Y_0 cancels, so the product is linear.
        #expect(try expression("(+ Y_1 (* (- Y_0 Y_0) Y_0))") == LinearExpression(y1))
    }

    @Test func constantAtomsFoldAway() throws {
        #expect(try parse("(assert (<= 1 2))").cases.count == 1)
        #expect(try parse("(assert (<= 2 1))").cases.isEmpty)
        #expect(try parse("(assert (< 1 1))").cases.isEmpty)
        #expect(try parse("(assert (= (+ 1 1) 2))").cases.count == 1)
        #expect(try parse("(assert (<= (- X_0 X_0) 0))").cases.count == 1)  // X_0 - X_0 is the constant 0
        #expect(try parse("(assert (or (<= 2 1) (<= Y_0 0)))").cases.count == 1)
        #expect(try parse("(assert (or (<= 1 2) (<= Y_0 0)))").cases == [SpecificationCase(box: InputBox(unboundedOver: 2), outputConstraints: [])])
        #expect(try parse("(assert (and (<= Y_0 0) (<= 2 1)))").cases.isEmpty)
        #expect(try parse("(assert true) (assert (or false (<= Y_0 0)))").cases.count == 1)
        #expect(try parse("(assert (and)) (assert (<= Y_0 1))").cases.count == 1)
        #expect(try parse("(assert (or))").cases.isEmpty)
        // A false conjunct removes every case, whatever else is asserted.
        #expect(try parse("(assert (or (<= Y_0 0) (<= Y_1 0))) (assert false)").cases.isEmpty)
    }

    @Test func andOrNestToAnyDepth() throws {
        let spec = try parse("""
            (assert (or (and (or (<= Y_0 0) (and (<= Y_1 0))) (<= X_0 1)) (and (and (or (and (>= X_0 5))))) ))
            """)
        #expect(spec.cases.count == 3)
        #expect(spec.cases.map(\.box.upper[0]) == [q(1), q(1), nil])
        #expect(spec.cases.map(\.box.lower[0]) == [nil, nil, q(5)])
        #expect(spec.cases.map(\.outputConstraints) == [[constraint([(y0, q(1))])], [constraint([(y1, q(1))])], []])
    }

    @Test func ignoresSMTLIBHousekeeping() throws {
        let spec = try parse("(set-logic QF_LRA) (set-info :status sat) (assert (<= Y_0 0)) (check-sat) (get-model)")
        #expect(spec.cases.count == 1)
    }
}
