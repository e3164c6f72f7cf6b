import NetworkIR
import Testing
import VNNLIB
@testable import Search

@Suite struct FalsifierTests {
    typealias F = SearchFixtures

    static func peakSpec(threshold: Double, box: InputBox = F.box([(-1, 1), (-1, 1)])) -> Specification {
        F.spec(inputs: 2, outputs: 1, box: box, [F.outputAtLeast(0, F.q(threshold))])
    }

    @Test func gradientAttackAloneFindsTheUnsafePocket() throws {
        // Unsafe: 0.3 − |x0 − 0.5| − |x1 − 0.5| >= 0.29, a diamond of radius 0.01.
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.29))
        let outcome = falsifier.run(.init(uniformSamples: 0, cornerSamples: 0, restarts: 3))
        #expect(outcome.status == .found)
        let cex = try #require(outcome.counterexample)
        #expect(cex.isValid && cex.holdsInFloat32 && cex.marginDouble > 0)
        #expect(try falsifier.check.check(cex.input) != nil)
        #expect(abs(cex.input[0] - 0.5) + abs(cex.input[1] - 0.5) <= 0.01)
    }

    @Test func isDeterministicPerSeed() throws {
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.25))
        let options = Falsifier.Options(seed: 42, uniformSamples: 8, cornerSamples: 2, restarts: 4)
        let a = falsifier.run(options)
        let b = falsifier.run(options)
        #expect(a.status == .found)
        #expect(a.counterexample == b.counterexample && a.pointsEvaluated == b.pointsEvaluated)
        var other = options
        other.seed = 43
        #expect(falsifier.run(other).status == .found)
    }

    @Test func reportsExhaustionOnASafeProperty() throws {
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.31))
        let outcome = falsifier.run(.init(uniformSamples: 64, restarts: 4, steps: 50))
        #expect(outcome.status == .exhausted && outcome.counterexample == nil && outcome.rejected == nil)
        #expect(outcome.bestMargin < 0 && outcome.bestMargin > -0.02)
        #expect(outcome.pointsEvaluated > 64)
    }

    @Test func keepsRestartingUntilTheDeadlineWhenAsked() throws {
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.31))
        let budgeted = falsifier.run(.init(uniformSamples: 8, restarts: 2, steps: 20, gridBudget: 0))
        #expect(budgeted.status == .exhausted)
        let timed = falsifier.run(.init(uniformSamples: 8, restarts: 2, steps: 20, deadline: .now + .milliseconds(200),
                                        gridBudget: 0, restartsUntilDeadline: true))
        #expect(timed.status == .deadline && timed.pointsEvaluated > budgeted.pointsEvaluated)
    }

    @Test func handlesUnboundedInputs() throws {
        let spec = Self.peakSpec(threshold: 0.25, box: InputBox(lower: [nil, F.q(0)], upper: [nil, nil]))
        let outcome = try Falsifier(network: F.peak(), specification: spec).run(.init(uniformSamples: 32, restarts: 2))
        #expect(outcome.status == .found)
        #expect(outcome.counterexample?.isValid == true)
    }

    @Test func honoursAPassedDeadline() throws {
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.31))
        let outcome = falsifier.run(.init(deadline: .now - .seconds(1)))
        #expect(outcome.status == .deadline && outcome.pointsEvaluated == 0)
    }

    @Test func honoursCancellation() async throws {
        let falsifier = try Falsifier(network: F.peak(), specification: Self.peakSpec(threshold: 0.31))
        let task = Task { () -> Falsifier.Status in
            while !Task.isCancelled { await Task.yield() }
            return falsifier.run(.init()).status
        }
        task.cancel()
        #expect(await task.value == .cancelled)
    }
}
