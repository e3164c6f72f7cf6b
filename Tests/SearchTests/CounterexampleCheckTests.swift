import ExactArithmetic
import NetworkIR
import Testing
import VNNLIB
@testable import Search

@Suite struct CounterexampleCheckTests {
    typealias F = SearchFixtures

    @Test func boundaryPointIsAcceptedForNonStrictAndRejectedForStrict() throws {
        let net = try F.scale(1)
        let box = F.box([(0, 1)])
        let nonStrict = try CounterexampleCheck(network: net, specification: F.spec(inputs: 1, outputs: 1, box: box,
                                                                                     [F.outputAtLeast(0, F.q(0.5))]))
        let strict = try CounterexampleCheck(network: net, specification: F.spec(inputs: 1, outputs: 1, box: box,
                                                                                  [F.outputAtLeast(0, F.q(0.5), strict: true)]))
        let accepted = try #require(try nonStrict.check([0.5]))
        #expect(accepted.isValid && accepted.marginDouble == 0 && accepted.caseIndex == 0)
        #expect(ReportingPolicy.vnncomp.accepts(accepted) && ReportingPolicy.zeroTolerance.accepts(accepted))
        #expect(try strict.check([0.5]) == nil)
        let measured = try strict.assess([0.5], caseIndex: 0)
        #expect(!measured.isValid && measured.isInRegion && measured.marginDouble == 0)
        #expect(!ReportingPolicy.vnncomp.accepts(measured))
        // One ulp inside the strict unsafe set is valid.
        #expect(try strict.check([(0.5).nextUp])?.isValid == true)
    }

    @Test func pointOneUlpOutsideTheBoxIsRejected() throws {
        let net = try F.scale(1)
        let spec = F.spec(inputs: 1, outputs: 1, box: F.box([(0, 0.5)]), [F.outputAtLeast(0, .zero)])
        let check = try CounterexampleCheck(network: net, specification: spec)
        #expect(try check.check([0.5]) != nil)
        #expect(try check.check([(0.5).nextUp]) == nil)
        #expect(try check.check([(-0.0).nextDown]) == nil)
        #expect(try check.assess([(0.5).nextUp], caseIndex: 0).isInRegion == false)
        // A bound of exactly 1/10: the double 0.1 lies above it, its predecessor inside.
        let tenth = Specification(inputCount: 1, outputCount: 1, cases: [SpecificationCase(
            box: InputBox(lower: [.zero], upper: [Rational(1, 10)]), outputConstraints: [F.outputAtLeast(0, .zero)])])
        let tenthCheck = try CounterexampleCheck(network: net, specification: tenth)
        #expect(try tenthCheck.check([0.1]) == nil)
        #expect(try tenthCheck.check([(0.1).nextDown]) != nil)
    }

    @Test func inputFixedAtADecimalIsAcceptedOnlyWhenTheWholeGapViolates() throws {
        // X_0 fixed at exactly 1/10 (no double equals it), X_1 free; y = x0 + x1.
        let net = try Network(inputShape: [2], layers: [.affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0]))])
        let box = InputBox(lower: [Rational(1, 10), .zero], upper: [Rational(1, 10), .one])
        #expect(box.gapDoubles[0] == 0.1 && box.gapDoubles[1] == nil)
        #expect(InputBox(lower: [Rational(1, 2)], upper: [Rational(1, 2)]).gapDoubles == [nil])
        #expect(InputBox(lower: [Rational(1, 10)], upper: [Rational(2, 10)]).gapDoubles == [nil])
        #expect(!box.containsExactly([0.1, 0.5]) && box.containsUpToGaps([0.1, 0.5]))
        #expect(box.containsUpToGaps([(0.1).nextDown, 0.5]))
        #expect(!box.containsUpToGaps([(0.1).nextUp.nextUp, 0.5]))
        #expect(!box.containsUpToGaps([0.1, 1.5]))

        // Unsafe: y >= 0.5. At (0.1, 0.5) y = 0.6 in every real point of the gap: valid.
        let wide = try CounterexampleCheck(network: net, specification: F.spec(inputs: 2, outputs: 1, box: box,
                                                                                [F.outputAtLeast(0, Rational(1, 2))]))
        let found = try #require(try wide.check([0.1, 0.5]))
        #expect(found.isValid && found.isInRegion)
        // The search regions fix such a side at its nearest double instead of being empty.
        let region = CaseRegion(wide.specification.cases[0], caseIndex: 0)
        #expect(!region.isEmpty && region.lower[0] == 0.1 && region.upper[0] == 0.1)

        // Unsafe: y > 0.1 at x1 = 0. The double 0.1 lies above 1/10, so float64 says y > 0.1,
        // but at the exact input y = 1/10 exactly: not a counterexample of the exact property.
        let tight = try CounterexampleCheck(network: net, specification: F.spec(inputs: 2, outputs: 1, box: box,
                                                                                 [F.outputAtLeast(0, Rational(1, 10), strict: true)]))
        #expect(Rational(exactly: 0.1)! > Rational(1, 10))
        #expect(try tight.check([0.1, 0]) == nil)
        let measured = try tight.assess([0.1, 0], caseIndex: 0)
        #expect(measured.isInRegion && !measured.isValid && !measured.holdsInFloat32)
        // One step further inside, the whole gap violates.
        #expect(try tight.check([0.1, 1e-9])?.isValid == true)
    }

    @Test func float32MarginIsReported() throws {
        // y = x/3 with the weight 1/3 rounded to a double; in float32 the weight is larger.
        let w = 1.0 / 3.0
        let net = try F.scale(w)
        let spec = F.spec(inputs: 1, outputs: 1, box: F.box([(0, 1)]), [F.outputAtMost(0, F.q(w))])
        let check = try CounterexampleCheck(network: net, specification: spec)
        let cex = try #require(try check.check([1]))
        #expect(cex.isValid && cex.marginDouble == 0)
        #expect(cex.outputFloat == [Float(w)])
        #expect(cex.marginFloat == w - Double(Float(w)))
        #expect(cex.marginFloat < 0 && cex.marginFloat > -1e-7)
        #expect(!cex.holdsInFloat32)
        #expect(ReportingPolicy.vnncomp.accepts(cex))
        #expect(!ReportingPolicy.zeroTolerance.accepts(cex))
        #expect(!ReportingPolicy(float32Tolerance: 1e-9).accepts(cex))
    }

    @Test func picksTheCaseWithTheLargestMargin() throws {
        let net = try F.scale(1)
        let box = F.box([(0, 1)])
        let spec = Specification(inputCount: 1, outputCount: 1, cases: [
            SpecificationCase(box: box, outputConstraints: [F.outputAtLeast(0, F.q(2))]),
            SpecificationCase(box: box, outputConstraints: [F.outputAtLeast(0, F.q(0.5))]),
            SpecificationCase(box: box, outputConstraints: [F.outputAtLeast(0, F.q(0.25))]),
        ])
        let cex = try #require(try CounterexampleCheck(network: net, specification: spec).check([0.75]))
        #expect(cex.caseIndex == 2 && cex.marginDouble == 0.5)
    }

    @Test func inputConstraintsAreCheckedExactly() throws {
        let net = try F.small()
        // x0 + x1 − 1 <= 0.
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]),
                          inputConstraints: [F.inputs([1, 1], constant: -1)], [F.outputAtLeast(0, .zero)])
        let check = try CounterexampleCheck(network: net, specification: spec)
        #expect(try check.check([0.5, 0.5]) != nil)
        #expect(try check.check([0.5, (0.5).nextUp]) == nil)
    }

    @Test func mismatchedSizesThrowDescriptiveErrors() throws {
        let net = try F.small()
        let wrongInputs = F.spec(inputs: 3, outputs: 1, box: F.box([(0, 1), (0, 1), (0, 1)]), [F.outputAtLeast(0, .zero)])
        #expect(throws: SearchError.inputCountMismatch(declared: 3, network: 2)) {
            try CounterexampleCheck(network: net, specification: wrongInputs)
        }
        let badVariable = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]), [F.outputAtLeast(4, .zero)])
        #expect(throws: SearchError.variableOutOfRange(caseIndex: 0, variable: "Y_4")) {
            try CounterexampleCheck(network: net, specification: badVariable)
        }
        let check = try CounterexampleCheck(network: net, specification: F.spec(inputs: 2, outputs: 1,
                                                                                 box: F.box([(0, 1), (0, 1)]), []))
        #expect(throws: SearchError.candidateSizeMismatch(count: 1, expected: 2)) { try check.check([0]) }
        #expect(SearchError.candidateSizeMismatch(count: 1, expected: 2).description
                    == "the candidate input has 1 values but the network takes 2")
    }

    @Test func nonFiniteInputsAreNeverCounterexamples() throws {
        let net = try F.scale(1)
        let spec = F.spec(inputs: 1, outputs: 1, box: InputBox(unboundedOver: 1), [F.outputAtLeast(0, .zero)])
        let check = try CounterexampleCheck(network: net, specification: spec)
        #expect(try check.check([.infinity]) == nil)
        #expect(try check.check([.nan]) == nil)
        #expect(try check.check([3]) != nil)
    }
}
