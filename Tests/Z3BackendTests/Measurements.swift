import ExactArithmetic
import Foundation
import SMT
import Testing
@testable import Z3Backend

/// Timings behind the backend's defaults, run only with CERTUS_Z3_MEASURE=1 (in a release
/// build: `swift test -c release -Xswiftc -enable-testing --filter Measurements`). Each also
/// checks that the configurations never contradict each other.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CERTUS_Z3_MEASURE"] == "1"))
struct Measurements {
    /// QF_LRA vs Z3's automatic solver, and ReLU as `ite` vs as a disjunction of phases, on
    /// the same random networks.
    @Test func reluNetworkConfigurations() {
        let configurations: [(Z3Solver.Logic, Bool)] = [
            (.quantifierFreeLinearRealArithmetic, true), (.automatic, true), (.quantifierFreeLinearRealArithmetic, false),
        ]
        var verdicts: [[String]] = []
        for (logic, reluAsIte) in configurations {
            let clock = ContinuousClock()
            var total = Duration.zero
            var row: [String] = []
            var line = ""
            for seed in UInt64(1)...4 {
                for threshold in [Rational(1), Rational(2), Rational(4)] {
                    let solver = Z3Solver(logic: logic)
                    HardQueries.reluNetwork(inputs: 5, widths: [8, 8, 8, 1], threshold: threshold, seed: seed,
                                            reluAsIte: reluAsIte, in: solver)
                    let start = clock.now
                    let result = solver.check(timeout: .seconds(10))
                    let elapsed = clock.now - start
                    total += elapsed
                    let verdict = switch result {
                    case .sat: "sat"
                    case .unsat: "unsat"
                    case .unknown: "?"
                    }
                    row.append(verdict)
                    line += "\(verdict) \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))); "
                }
            }
            print("MEASURE relu logic=\(logic) ite=\(reluAsIte): total \(total): \(line)")
            verdicts.append(row)
        }
        for i in verdicts[0].indices {
            let decided = Set(verdicts.map { $0[i] }).subtracting(["?"])
            #expect(decided.count <= 1, "instance \(i): configurations disagree: \(verdicts.map { $0[i] })")
        }
    }

    @Test(.serialized, arguments: [Z3Solver.Logic.quantifierFreeLinearRealArithmetic, .automatic], [7, 8, 9, 10])
    func pigeonhole(logic: Z3Solver.Logic, holes: Int) {
        let solver = Z3Solver(logic: logic)
        HardQueries.pigeonhole(holes: holes, in: solver)
        let clock = ContinuousClock()
        let start = clock.now
        let result = solver.check(timeout: .seconds(20))
        print("MEASURE php \(holes) \(logic): \(clock.now - start) \(result)")
        #expect(result == .unsat || result == .unknown(reason: "timeout"))
    }

    @Test func loweringAndSmallChecks() {
        let clock = ContinuousClock()
        for n in [5000, 50000] {
            let solver = Z3Solver()
            let vars = (0..<n).map { solver.declareReal(named: "x\($0)") }
            let coefficients = (0..<n).map { Rational(exactly: Float($0) * 0.001 - 2.5) ?? .zero }
            let term = Term.affine(coefficients, vars, plus: Rational(1, 3))
            let start = clock.now
            solver.add(.lessOrEqual(term, .constant(Rational(7))))
            print("MEASURE lowering \(n) entries: \(clock.now - start)")
        }
        let solver = Z3Solver()
        let x = Term.variable(solver.declareReal(named: "x"))
        let y = Term.variable(solver.declareReal(named: "y"))
        solver.add(.equal(y, .relu(x)))
        let start = clock.now
        var satisfied = 0
        for i in 0..<1000 {
            solver.push()
            solver.add(.greaterOrEqual(y, .constant(Rational(i) / Rational(1000))))
            if case .sat = solver.check(timeout: .seconds(1)) { satisfied += 1 }
            solver.pop()
        }
        print("MEASURE 1000 push/add/check/pop cycles: \(clock.now - start)")
        #expect(satisfied == 1000)
    }
}
