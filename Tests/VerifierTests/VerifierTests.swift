import Foundation
import NetworkIR
import ONNXImport
import SMT
import Testing
import TestSupport
import VNNLIB
@testable import Verifier
import Z3Backend

@Suite struct VerifierTests {
    static func verify(_ network: Network, _ spec: Specification, engine: VerifierOptions.Engine = .branchAndBound,
                       attack: Bool = true, bounds: Bool = true, timeout: Double? = nil) async -> VerificationReport {
        // No time limit by default: these tests are about verdicts, and other suites running in
        // the same process can keep every core busy for minutes.
        var options = VerifierOptions(timeout: timeout.map { .seconds($0) })
        options.engine = engine
        options.usesAttack = attack
        options.usesBounds = bounds
        return await Verifier(network: network, specification: spec, options: options, makeSolver: { Z3Solver() }).verify()
    }

    @Test(arguments: [VerifierOptions.Engine.branchAndBound, .exact])
    func needleWithPocketIsFoundWithoutAttack(engine: VerifierOptions.Engine) async throws {
        let net = try NeedleNetworks.needle(inputs: 3, offset: 0.5)
        let report = await Self.verify(net, NeedleNetworks.unitBoxProperty(inputs: 3, outputs: 2), engine: engine, attack: false)
        guard case let .violated(cex) = report.verdict else {
            Issue.record("expected sat, got \(report.verdict)")
            return
        }
        // The pocket: Σx ≥ 2.9995.
        #expect(cex.input.reduce(0, +) >= 2.9995 - 1e-12)
        #expect(cex.marginDouble >= 0)
        #expect(net.evaluate(cex.input)[0] >= 0)
    }

    @Test(arguments: [VerifierOptions.Engine.branchAndBound, .exact])
    func needleWithoutPocketIsProved(engine: VerifierOptions.Engine) async throws {
        let net = try NeedleNetworks.needle(inputs: 3, offset: 1.5)
        let report = await Self.verify(net, NeedleNetworks.unitBoxProperty(inputs: 3, outputs: 2), engine: engine)
        #expect(report.verdict == .holds)
    }

    @Test func pocketExactlyAtTheBoundaryIsStillSat() async throws {
        // Maximum exactly 0 at the corner: y = 1000·relu(Σx − 2.5) − 500 reaches 0 only at (1, 1, 1).
        let net = try NeedleNetworks.needle(inputs: 3, threshold: 0.5, offset: 500)
        let report = await Self.verify(net, NeedleNetworks.unitBoxProperty(inputs: 3, outputs: 2), attack: false)
        guard case let .violated(cex) = report.verdict else {
            Issue.record("expected sat, got \(report.verdict)")
            return
        }
        #expect(cex.input == [1, 1, 1])
    }

    /// Three cases over one box share one branch-and-bound tree; only the middle one has the
    /// pocket. The counterexample must come from it, found without the attack.
    @Test func groupedCasesFindThePocketCase() async throws {
        let net = try NeedleNetworks.needle(inputs: 3, offset: 0.5)
        let report = await Self.verify(net, NeedleNetworks.groupedProperty(inputs: 3), attack: false)
        guard case let .violated(cex) = report.verdict else {
            Issue.record("expected sat, got \(report.verdict)")
            return
        }
        #expect(cex.caseIndex == 1)
        #expect(net.evaluate(cex.input)[0] >= 0)
    }

    /// Cheap bounds run before the attack: the cases they prove are reported proved, and the
    /// attack, aimed only at the case left open (1 of 0…2), reports its counterexample under the
    /// case's index in the whole property.
    @Test func attackAimsAtTheCasesCheapBoundsLeaveOpen() async throws {
        let net = try NeedleNetworks.needle(inputs: 3, threshold: 0.5, offset: 0.5)
        let report = await Self.verify(net, NeedleNetworks.groupedProperty(inputs: 3))
        guard case let .violated(cex) = report.verdict else {
            Issue.record("expected sat, got \(report.verdict)")
            return
        }
        #expect(cex.caseIndex == 1)
        #expect(cex.foundBy == "attack")
        #expect(net.evaluate(cex.input)[0] >= 0)
        for index in [0, 2] {
            guard case .proved = report.cases[index].status else {
                Issue.record("case \(index): \(report.cases[index].status)")
                continue
            }
        }
    }

    /// Without the pocket every case of the group is proved, each with an outcome of its own.
    @Test func groupedCasesWithoutPocketAreAllProved() async throws {
        let net = try NeedleNetworks.needle(inputs: 3, offset: 1.5)
        let report = await Self.verify(net, NeedleNetworks.groupedProperty(inputs: 3), attack: false)
        #expect(report.verdict == .holds)
        #expect(report.cases.count == 3)
        #expect(report.cases.allSatisfy { if case .proved = $0.status { true } else { false } })
    }

    /// Twenty inputs: branch and bound splits ReLUs instead of inputs. The pocket is a corner
    /// simplex of side 0.0005 in 20 dimensions, far too small for sampling.
    @Test(arguments: [0.5, 1.5]) func wideNeedleSplitsReLUs(offset: Double) async throws {
        let net = try NeedleNetworks.needle(inputs: 20, offset: offset)
        let report = await Self.verify(net, NeedleNetworks.unitBoxProperty(inputs: 20, outputs: 2), attack: false)
        if offset < 1 {
            guard case let .violated(cex) = report.verdict else {
                Issue.record("expected sat, got \(report.verdict)")
                return
            }
            #expect(net.evaluate(cex.input)[0] >= 0)
        } else {
            #expect(report.verdict == .holds)
        }
    }

    @Test func noBoundsBaselineStillDecides() async throws {
        let net = try NeedleNetworks.needle(inputs: 2, offset: 1.5)
        let report = await Self.verify(net, NeedleNetworks.unitBoxProperty(inputs: 2, outputs: 2), engine: .exact, attack: false, bounds: false)
        #expect(report.verdict == .holds)
        #expect(report.cases.first?.status == .proved(method: "z3"))
    }

    @Test func emptySpecificationHolds() async throws {
        let net = try NeedleNetworks.needle(inputs: 2, offset: 1.5)
        let report = await Self.verify(net, Specification(inputCount: 2, outputCount: 2, cases: []))
        #expect(report.verdict == .holds)
    }

    /// ACAS Xu 1_1 under property 3 with the plain exact encoding leaves about 220 unstable
    /// ReLUs; Z3 cannot finish in 2 s, and the answer must come within a second of the limit.
    /// Run as a separate process: inside the test runner, other suites keep every core busy.
    @Test(.requiresBenchmarks) func timeoutIsHonoured() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let run = try CertusExecutable.run([
            "verify", root.appendingPathComponent("acasxu/ACASXU_run2a_1_1_batch_2000.onnx").path,
            root.appendingPathComponent("acasxu/prop_3.vnnlib").path,
            "--timeout", "2", "--engine", "exact", "--no-bounds", "--no-attack",
        ])
        #expect(run.status == 0)
        #expect(run.standardOutput == "timeout\n")
        #expect(run.seconds < 3, "took \(run.seconds) s")
    }
}
