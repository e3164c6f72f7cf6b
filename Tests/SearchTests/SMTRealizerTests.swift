import ExactArithmetic
import NetworkIR
import SMT
import Synchronization
import Testing
import VNNLIB
import Z3Backend
@testable import Search

/// A solver stand-in that records what it is given and answers with a fixed result.
final class ScriptedSolver: SolverBackend {
    struct NoInterrupt: SolverInterruptHandle { func interrupt() {} }
    let log: FormulaLog
    let answer: CheckResult
    var declared = 0

    init(log: FormulaLog, answer: CheckResult) {
        self.log = log
        self.answer = answer
    }

    func declareReal(named name: String) -> RealVariable {
        defer { declared += 1 }
        return RealVariable(id: declared)
    }
    func add(_ formula: Formula) { log.append(formula) }
    func push() {}
    func pop() {}
    func check(timeout: Duration?) -> CheckResult { answer }
    var interruptHandle: any SolverInterruptHandle { NoInterrupt() }
}

/// The formulas a `ScriptedSolver` received, shared with the test.
final class FormulaLog: Sendable {
    private let formulas = Mutex<[Formula]>([])
    func append(_ formula: Formula) { formulas.withLock { $0.append(formula) } }
    var all: [Formula] { formulas.withLock { $0 } }
}

@Suite struct SMTRealizerTests {
    typealias F = SearchFixtures

    static let region = SpecificationCase(box: F.box([(-1, 1), (-1, 1)]), outputConstraints: [F.outputAtLeast(0, .zero)])

    @Test func assertsTheRegionAndTheTargetWithinTheTolerance() throws {
        let log = FormulaLog()
        let net = try F.rotated(outputWeights: [1, 0], bias: -1.5)
        let model: [Rational] = [.one, .one, Rational(2), .zero]
        let realizer = SMTRealizer(network: net) { ScriptedSolver(log: log, answer: .sat(model: model)) }
        let answer = realizer.realize(layer: 0, target: [2, 0], tolerance: 0.25, region: Self.region, deadline: nil)
        #expect(answer == .realized([1, 1]))
        let formulas = log.all
        // The target constraints on the layer-0 variables (ids 2 and 3), exact.
        let z0 = Term.variable(RealVariable(id: 2))
        #expect(formulas.contains(.compare(z0, .greaterOrEqual, .constant(Rational(7, 4)))))
        #expect(formulas.contains(.compare(z0, .lessOrEqual, .constant(Rational(9, 4)))))
        // The box, and no output constraint (Y_0 >= 0 must not be asserted).
        #expect(formulas.contains(.compare(.variable(RealVariable(id: 0)), .greaterOrEqual, .constant(Rational(-1)))))
        #expect(formulas.count == 2 + 4 + 4)
    }

    @Test func unsatMeansSpuriousAndUnknownStaysUnknown() throws {
        let net = try F.rotated(outputWeights: [1, 1], bias: -3.5)
        let log = FormulaLog()
        let unsat = SMTRealizer(network: net) { ScriptedSolver(log: log, answer: .unsat) }
        #expect(unsat.realize(layer: 0, target: [2, 2], tolerance: 1e-3, region: Self.region, deadline: nil) == .spurious)
        let unknown = SMTRealizer(network: net) { ScriptedSolver(log: log, answer: .unknown(reason: "timeout")) }
        #expect(unknown.realize(layer: 0, target: [2, 2], tolerance: 1e-3, region: Self.region, deadline: nil) == .unknown("timeout"))
        #expect(unsat.realize(layer: 0, target: [2, 2], tolerance: 1e-3, region: Self.region, deadline: .now - .seconds(1))
                    == .unknown("deadline"))
        // In the search, an unsat back-mapping makes the hidden hit spurious.
        let report = try ManipulationSearch(network: net, specification: Specification(
            inputCount: 2, outputCount: 1, cases: [Self.region]), realizer: unsat).run(.init(layer: 0))
        #expect(report.outcome == .noneOnGrid && report.details.spurious == 1)
    }

    @Test func boundsOverTheRegionEncloseSampledActivations() throws {
        let net = try F.random(sizes: [3, 6, 6, 2], seed: 3)
        let region = SpecificationCase(box: F.box([(-1, 0.5), (0, 1), (-0.25, 0.25)]), outputConstraints: [])
        let bounds = try #require(SMTRealizer(network: net) { ScriptedSolver(log: FormulaLog(), answer: .unsat) }
            .bounds(over: region))
        var rng = SplitMix64(seed: 9)
        for _ in 0..<200 {
            let x = [rng.nextDouble(in: -1, 0.5), rng.nextDouble(in: 0, 1), rng.nextDouble(in: -0.25, 0.25)]
            for (i, values) in net.evaluateTrace(x).enumerated() {
                for (j, v) in values.enumerated() {
                    #expect(bounds.layers[i].lower[j] <= v && v <= bounds.layers[i].upper[j])
                }
            }
        }
    }
}

/// The realizer with the real Z3 backend.
@Suite struct SMTRealizerZ3Tests {
    typealias F = SearchFixtures

    @Test func z3MapsBackRealisableHiddenPointsAndRefutesSpuriousOnes() throws {
        let realisable = try F.rotated(outputWeights: [1, 0], bias: -1.5)
        let spec = F.spec(inputs: 2, outputs: 1, box: F.box([(-1, 1), (-1, 1)]), [F.outputAtLeast(0, .zero)])
        let found = try ManipulationSearch(network: realisable, specification: spec,
                                           realizer: SMTRealizer(network: realisable) { Z3Solver() }).run(.init(layer: 0))
        #expect(found.outcome == .counterexample && found.details.spurious >= 1)
        let x = try #require(found.counterexample?.x)
        #expect(abs(x[0] - 1) < 1e-2 && abs(x[1] - 1) < 1e-2)

        let unrealisable = try F.rotated(outputWeights: [1, 1], bias: -3.5)
        let refuted = try ManipulationSearch(network: unrealisable, specification: spec,
                                             realizer: SMTRealizer(network: unrealisable) { Z3Solver() }).run(.init(layer: 0))
        #expect(refuted.outcome == .noneOnGrid && refuted.details.spurious == 1 && refuted.details.unresolved == 0)
    }
}
