import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import VNNLIB

/// Decides a property of a network: falsify first (sampling and gradient attack), then per
/// case, sound bounds and, for what bounds leave open, the exact Z3 encoding.
///
/// Soundness: `holds` is returned only when every case was proved unreachable by sound bounds
/// (outward rounding) or by Z3 over exact rationals; `violated` only with a counterexample
/// that `CounterexampleCheck` confirmed by running the network.
public struct Verifier: Sendable {
    public let network: Network
    public let specification: Specification
    public let options: VerifierOptions
    public let makeSolver: SolverFactory

    public init(network: Network, specification: Specification, options: VerifierOptions, makeSolver: @escaping SolverFactory) {
        self.network = network
        self.specification = specification
        self.options = options
        self.makeSolver = makeSolver
    }

    /// Runs the verification.
    /// - Parameter start: when the user's clock started (so parsing time counts against the
    ///   timeout).
    public func verify(startedAt start: ContinuousClock.Instant = .now) async -> VerificationReport {
        let deadline = options.timeout.map { start + $0 }
        func elapsed() -> Double { Self.seconds(ContinuousClock.now - start) }

        if specification.cases.isEmpty {
            return VerificationReport(verdict: .holds, cases: [], seconds: elapsed())
        }
        if options.usesAttack {
            let budget = attackBudget(deadline: deadline)
            if let cex = await Falsification(network: network, specification: specification, seed: options.seed)
                .attack(until: ContinuousClock.now + budget) {
                let outcomes = specification.cases.indices.map {
                    CaseOutcome(caseIndex: $0, status: $0 == cex.caseIndex ? .falsified : .skipped, seconds: 0)
                }
                return VerificationReport(verdict: .violated(cex), cases: outcomes, seconds: elapsed())
            }
        }
        let outcomes = await solveCases(deadline: deadline)
        return VerificationReport(verdict: Self.combine(outcomes.map(\.0)), cases: outcomes.map(\.1), seconds: elapsed())
    }

    /// Time for the attack: a small share of the limit, at most two seconds.
    private func attackBudget(deadline: ContinuousClock.Instant?) -> Duration {
        guard let deadline else { return .seconds(2) }
        let remaining = deadline - .now
        return min(.seconds(2), remaining / 10)
    }

    /// Per-case result: the verdict contribution and the outcome record.
    private enum CaseResult: Sendable {
        case proved
        case falsified(ValidatedCounterexample)
        case unknown(String)
        case timeout
    }

    private func solveCases(deadline: ContinuousClock.Instant?) async -> [(CaseResult, CaseOutcome)] {
        let count = specification.cases.count
        var results = [(CaseResult, CaseOutcome)?](repeating: nil, count: count)
        await withTaskGroup(of: (Int, CaseResult, CaseOutcome).self) { group in
            var next = 0
            var running = 0
            func launch() {
                let index = next
                next += 1
                running += 1
                group.addTask { await self.solveCase(index, deadline: deadline) }
            }
            if let deadline {
                // Watchdog: whatever a solver does, the run ends promptly at the deadline.
                group.addTask {
                    try? await Task.sleep(until: deadline + .milliseconds(300), clock: .continuous)
                    return (-1, .timeout, CaseOutcome(caseIndex: -1, status: .timeout, seconds: 0))
                }
            }
            while next < count && running < options.jobs { launch() }
            while let (index, result, outcome) = await group.next() {
                if index < 0 {
                    if Task.isCancelled || results.allSatisfy({ $0 != nil }) { break }
                    group.cancelAll()  // deadline passed: interrupt every solver
                    continue
                }
                running -= 1
                results[index] = (result, outcome)
                if case .falsified = result {
                    group.cancelAll()
                    break
                }
                if next < count { launch() } else if running == 0 { group.cancelAll(); break }
            }
        }
        return (0..<count).map { i in
            results[i] ?? (.timeout, CaseOutcome(caseIndex: i, status: deadlinePassed(deadline) ? .timeout : .skipped, seconds: 0))
        }
    }

    private func deadlinePassed(_ deadline: ContinuousClock.Instant?) -> Bool {
        deadline.map { ContinuousClock.now >= $0 } ?? false
    }

    /// Bounds first (interval, linear, Lagrangian); then branch and bound with Z3 at the
    /// leaves, or, with the `exact` engine, the plain exact encoding of the whole case.
    private func solveCase(_ index: Int, deadline: ContinuousClock.Instant?) async -> (Int, CaseResult, CaseOutcome) {
        let start = ContinuousClock.now
        let specCase = specification.cases[index]
        func outcome(_ status: CaseOutcome.Status, _ unstable: [Int] = []) -> CaseOutcome {
            CaseOutcome(caseIndex: index, status: status, seconds: Self.seconds(.now - start), unstableReLUs: unstable)
        }
        var neuronBounds: NeuronBounds?
        var unstable: [Int] = []
        if options.usesBounds {
            let analysis = CaseBounding(network: network, specCase: specCase).analyse(deadline: deadline)
            if let method = analysis.provedBy {
                return (index, .proved, outcome(.proved(method: method), analysis.unstableReLUs))
            }
            neuronBounds = analysis.neuronBounds
            unstable = analysis.unstableReLUs
        }
        if options.engine == .branchAndBound && options.usesBounds {
            var babOptions = BranchAndBound.Options()
            babOptions.leafThreshold = options.leafThreshold
            babOptions.jobs = max(1, options.jobs / max(1, min(options.jobs, specification.cases.count)))
            var bab = BranchAndBound(network: network, specification: specification, caseIndex: index,
                                     options: babOptions, makeSolver: makeSolver, seed: options.seed)
            bab.progress = options.progress
            switch await bab.run(deadline: deadline) {
            case let .proved(nodes, leaves):
                return (index, .proved, outcome(.proved(method: "branch and bound (\(nodes) nodes, \(leaves) Z3 leaves)"), unstable))
            case let .falsified(cex):
                return (index, .falsified(cex), outcome(.falsified, unstable))
            case .timeout:
                return (index, .timeout, outcome(.timeout, unstable))
            case let .unknown(reason):
                if deadlinePassed(deadline) { return (index, .timeout, outcome(.timeout, unstable)) }
                return (index, .unknown(reason), outcome(.unknown(reason: reason), unstable))
            }
        }
        let solver = ExactCaseSolver(network: network, specCase: specCase, bounds: neuronBounds,
                                     encoding: options.reluEncoding, makeSolver: makeSolver)
        let remaining = deadline.map { $0 - .now }
        if let remaining, remaining <= .zero { return (index, .timeout, outcome(.timeout, unstable)) }
        switch await solver.solve(timeout: remaining) {
        case .unreachable:
            return (index, .proved, outcome(.proved(method: "z3"), unstable))
        case .timeout:
            return (index, .timeout, outcome(.timeout, unstable))
        case let .unknown(reason):
            if deadlinePassed(deadline) || Task.isCancelled { return (index, .timeout, outcome(.timeout, unstable)) }
            return (index, .unknown(reason), outcome(.unknown(reason: "z3: \(reason)"), unstable))
        case let .candidate(_, nearest):
            if let cex = await confirm(candidate: nearest, caseIndex: index, solver: solver, deadline: deadline) {
                return (index, .falsified(cex), outcome(.falsified, unstable))
            }
            let reason = "Z3 found a counterexample over the reals for case \(index), but no point near it violates the property when the network is evaluated in floating point"
            return (index, .unknown(reason), outcome(.unknown(reason: reason), unstable))
        }
    }

    /// Turns a solver model into a validated counterexample: check it, polish it into the
    /// interior of the unsafe set, and if it still fails, ask the solver for a point with a
    /// margin (1e-9, then 1e-6, then 1e-4) inside the unsafe set.
    private func confirm(candidate: [Double], caseIndex: Int, solver: ExactCaseSolver,
                         deadline: ContinuousClock.Instant?) async -> ValidatedCounterexample? {
        let falsification = Falsification(network: network, specification: specification, seed: options.seed)
        if let cex = falsification.confirm(candidate, caseIndex: caseIndex, foundBy: "z3") { return cex }
        for margin in ["1e-9", "1e-6", "1e-4"] {
            guard let r = Rational(decimal: margin) else { continue }
            let remaining = deadline.map { $0 - .now }
            if let remaining, remaining <= .zero { return nil }
            guard case let .candidate(_, nearest) = await solver.solve(timeout: remaining, outputMargin: r) else { return nil }
            if let cex = falsification.confirm(nearest, caseIndex: caseIndex, foundBy: "z3") { return cex }
        }
        return nil
    }

    /// Run verdict from case results: any counterexample wins; all proved gives `holds`;
    /// otherwise a timeout if any case timed out, else unknown.
    private static func combine(_ results: [CaseResult]) -> Verdict {
        for case let .falsified(cex) in results { return .violated(cex) }
        if results.allSatisfy({ if case .proved = $0 { true } else { false } }) { return .holds }
        if results.contains(where: { if case .timeout = $0 { true } else { false } }) { return .timeout }
        for case let .unknown(reason) in results { return .unknown(reason: reason) }
        return .unknown(reason: "undecided")
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
