import NetworkIR
import Testing
import VNNLIB
@testable import Search

@Suite struct CounterexamplePolisherTests {
    typealias F = SearchFixtures

    @Test func movesAStrictBoundaryPointToAPositiveMargin() throws {
        // y(0.5, 1) = 0.5 exactly: on the boundary of Y_0 > 0.5, so not yet valid.
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]), [F.outputAtLeast(0, F.q(0.5), strict: true)])
        let check = try CounterexampleCheck(network: F.small(), specification: spec)
        let start = try check.assess([0.5, 1], caseIndex: 0)
        #expect(!start.isValid && start.marginDouble == 0)
        let polished = try CounterexamplePolisher(check: check).polish([0.5, 1], caseIndex: 0)
        #expect(polished.isValid && polished.holdsInFloat32)
        #expect(polished.marginDouble > 0 && polished.marginFloat > 0)
        #expect(try check.check(polished.input) != nil)
    }

    @Test func respectsLinearInputConstraintsExactly() throws {
        // Region: the box and x1 − x0 − 0.5 <= 0; the start sits on both boundaries.
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]),
                          inputConstraints: [F.inputs([-1, 1], constant: -0.5)],
                          [F.outputAtLeast(0, F.q(0.5))])
        let check = try CounterexampleCheck(network: F.small(), specification: spec)
        let polished = try CounterexamplePolisher(check: check).polish([0.5, 1], caseIndex: 0)
        #expect(polished.isInRegion && polished.isValid && polished.marginDouble > 0)
        #expect(spec.cases[0].inputConstraints[0].holdsExactly(inputs: polished.input, outputs: []))
    }

    @Test func repairsAFloat32Miss() throws {
        let w = 1.0 / 3.0
        let spec = F.spec(inputs: 1, outputs: 1, box: F.box([(0, 1)]), [F.outputAtMost(0, F.q(w))])
        let check = try CounterexampleCheck(network: F.scale(w), specification: spec)
        let before = try check.assess([1], caseIndex: 0)
        #expect(before.isValid && before.marginFloat < 0)
        let after = try CounterexamplePolisher(check: check).polish([1], caseIndex: 0)
        #expect(after.isValid && after.holdsInFloat32 && after.marginFloat > 0)
        #expect(ReportingPolicy.zeroTolerance.accepts(after))
    }

    @Test func neverReturnsAWorsePoint() throws {
        // Y_0 >= 2 is unreachable (max y = 1): the result stays invalid and no worse.
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]), [F.outputAtLeast(0, F.q(2))])
        let check = try CounterexampleCheck(network: F.small(), specification: spec)
        let start = try check.assess([0.25, 0.25], caseIndex: 0)
        let polished = try CounterexamplePolisher(check: check).polish([0.25, 0.25], caseIndex: 0)
        #expect(!polished.isValid && polished.isInRegion && polished.worstMargin >= start.worstMargin)
        #expect(polished.marginDouble == -1)
    }

    @Test func projectsAPointOutsideTheBoxBackIn() throws {
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(0, 1), (0, 1)]), [F.outputAtLeast(0, F.q(0.5))])
        let check = try CounterexampleCheck(network: F.small(), specification: spec)
        let polished = try CounterexamplePolisher(check: check).polish([3, -2], caseIndex: 0)
        #expect(polished.isInRegion && polished.isValid)
    }
}
