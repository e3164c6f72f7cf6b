import NetworkIR
import Search
import VNNLIB

/// The verifier's use of the Search module: attack before proof, and confirmation of solver
/// models. Every counterexample it returns passed `CounterexampleCheck` (exact in float64)
/// and `ReportingPolicy.vnncomp` (float32 outputs within 1e-4 of the unsafe set); polishing
/// first tries to make it hold in float32 with no tolerance at all.
struct Falsification: Sendable {
    var network: Network
    var specification: Specification
    var seed: UInt64

    /// Sampling and projected gradient attack until `deadline`.
    func attack(until deadline: ContinuousClock.Instant) async -> ValidatedCounterexample? {
        guard let falsifier = try? Falsifier(network: network, specification: specification) else { return nil }
        var options = Falsifier.Options(seed: seed)
        options.deadline = deadline
        let outcome = falsifier.run(options)
        guard let cex = outcome.counterexample, ReportingPolicy.vnncomp.accepts(cex) else { return nil }
        return Self.validated(cex, foundBy: "attack")
    }

    /// Checks a candidate input (a solver model rounded to doubles) against case `caseIndex`,
    /// polishing it toward the interior of the unsafe set when it sits on the boundary.
    func confirm(_ input: [Double], caseIndex: Int, foundBy: String) -> ValidatedCounterexample? {
        guard let check = try? CounterexampleCheck(network: network, specification: specification),
              let first = try? check.assess(input, caseIndex: caseIndex) else { return nil }
        if first.isValid && first.holdsInFloat32 && first.marginFloat > 0 && first.marginDouble > 0 {
            return Self.validated(first, foundBy: foundBy)
        }
        let polisher = CounterexamplePolisher(check: check)
        let polished = (try? polisher.polish(input, caseIndex: caseIndex)) ?? first
        let best = CounterexamplePolisher.ranks(polished, above: first) ? polished : first
        guard ReportingPolicy.vnncomp.accepts(best) else { return nil }
        return Self.validated(best, foundBy: foundBy)
    }

    private static func validated(_ cex: Counterexample, foundBy: String) -> ValidatedCounterexample {
        ValidatedCounterexample(cex, foundBy: foundBy)
    }
}
