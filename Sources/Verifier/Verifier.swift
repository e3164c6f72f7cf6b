import Bounds
import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import VNNLIB

/// Decides a property of a network: cheap bounds first (interval and linear, per case), then
/// falsification (sampling and gradient attack) of the cases they leave open, then per open case
/// the full bounds and, for what those leave open, branch and bound with the exact Z3 encoding
/// at the leaves.
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
        let meter = options.progressMeter ?? VerificationProgress()
        meter.begin(caseCount: specification.cases.count)
        func finish(_ verdict: Verdict, _ cases: [CaseOutcome]) -> VerificationReport {
            meter.enter(.done)
            let counts = meter.snapshot()
            return VerificationReport(verdict: verdict, cases: cases, seconds: Self.seconds(ContinuousClock.now - start),
                                      nodes: counts.nodesDone, leaves: counts.leaves)
        }

        if network.hasSmoothActivations {
            options.proofRecorder?.fail("proof certificates cannot describe sigmoid or tanh layers")
        } else if network.hasSparseLayers {
            options.proofRecorder?.fail("the certificate checker reads dense layers only, and this network stores large convolutions sparse")
        }
        if specification.cases.isEmpty { return finish(.holds, []) }
        // Cheap proofs come before the attack: on MNIST fc the linear bounds settle every case
        // of most `unsat` instances in about 20 ms, where the attack would spend its whole
        // budget (up to 4 s) first. The attack then aims only at the cases still open. On networks
        // whose dense weights make even those bounds slow (a CIFAR-10 CNN: 4–5 s per case) the
        // attack goes first, over every case.
        let attackFirst = options.usesAttack && Self.boundsAreSlow(on: network)
        if attackFirst {
            meter.enter(.attack)
            if let (cex, outcomes) = await attack(cases: Array(specification.cases.indices), settled: [:], deadline: deadline) {
                return finish(.violated(cex), outcomes)
            }
        }
        // With a recorder, a cheap proof is recorded as a tree of one node; a proof it cannot
        // record leaves its case to branch and bound.
        let settled = options.usesBounds ? await cheapProofs(deadline: deadline) : [:]
        meter.close(cases: settled.count)
        let open = specification.cases.indices.filter { settled[$0] == nil }
        if options.usesAttack && !attackFirst && !open.isEmpty {
            meter.enter(.attack)
            if let (cex, outcomes) = await attack(cases: open, settled: settled, deadline: deadline) {
                return finish(.violated(cex), outcomes)
            }
        }
        let outcomes = await solveCases(deadline: deadline, settled: settled, meter: meter)
        return finish(Self.combine(outcomes.map(\.0)), outcomes.map(\.1))
    }

    /// Interval and plain linear bounds of every case (concurrently): the cases they prove, with
    /// their outcome records. Without slope optimisation they cost about 2 ms per MNIST fc case
    /// and still proved every case of 19 of the 20 `unsat` instances that bounds settle at the
    /// root (of 45 measured); the rest get the full analysis after the attack.
    private func cheapProofs(deadline: ContinuousClock.Instant?) async -> [Int: (CaseResult, CaseOutcome)] {
        // Cases with the same box share their network bounds (`CaseBounding.analyse(cases:)`);
        // boxes run concurrently.
        let boxGroups = Self.groupsSharingBox(Array(specification.cases.indices), of: specification)
        let grouped = await concurrently(count: boxGroups.count, jobs: options.jobs, deadline: deadline) { g in
            let start = ContinuousClock.now
            let members = boxGroups[g]
            let analyses = CaseBounding.analyse(cases: members.map { self.specification.cases[$0] }, of: self.network,
                                                methods: [.interval, .linear], quick: true, deadline: deadline)
            let seconds = Self.seconds(.now - start) / Double(members.count)
            let recorded = self.options.proofRecorder.map { recorder in
                Set(recorder.rootProofs(zip(members, analyses).compactMap { index, analysis in analysis.proof.map { (index, $0) } },
                                        specification: self.specification))
            }
            return CheapGroup(stages: zip(members, analyses).map { index, analysis in
                guard let method = analysis.provedBy, recorded?.contains(index) ?? true else {
                    return (index, FirstStage.open(analysis.unstableReLUs))
                }
                return (index, .decided(.proved, CaseOutcome(caseIndex: index, status: .proved(method: method),
                                                             seconds: seconds, unstableReLUs: analysis.unstableReLUs)))
            })
        }
        var stages = [FirstStage?](repeating: nil, count: specification.cases.count)
        for group in grouped { for (index, stage) in group?.stages ?? [] { stages[index] = stage } }
        var settled: [Int: (CaseResult, CaseOutcome)] = [:]
        for (index, stage) in stages.enumerated() {
            if case let .decided(result, outcome)? = stage { settled[index] = (result, outcome) }
        }
        return settled
    }

    /// Sampling and gradient attack on `cases` (the rest are `settled` or left open); the
    /// report when it found a counterexample.
    private func attack(cases: [Int], settled: [Int: (CaseResult, CaseOutcome)],
                        deadline: ContinuousClock.Instant?) async -> (ValidatedCounterexample, [CaseOutcome])? {
        guard !cases.isEmpty else { return nil }
        let budget = attackBudget(deadline: deadline)
        let target = Specification(inputCount: specification.inputCount, outputCount: specification.outputCount,
                                   cases: cases.map { specification.cases[$0] })
        guard var cex = await Falsification(network: network, specification: target, seed: options.seed)
            .attack(until: ContinuousClock.now + budget) else { return nil }
        cex.caseIndex = cases[cex.caseIndex]
        let outcomes = specification.cases.indices.map {
            settled[$0]?.1 ?? CaseOutcome(caseIndex: $0, status: $0 == cex.caseIndex ? .falsified : .skipped, seconds: 0)
        }
        return (cex, outcomes)
    }

    /// Whether the cheap linear bounds cost more than the attack budget: the bounds back-
    /// substitute through dense weight matrices, so their cost grows with the dense weight
    /// count, once per input box (`cheapProofs`). MNIST fc and the 7×250 MNIST networks (up to
    /// 0.6 million weights) take milliseconds. The OVAL CIFAR-10 CNNs (convolutions lowered to
    /// 8.5–21 million dense weights) took 4–5 s per case under load while every case was
    /// bounded on its own; bounded once per box, cifar_wide_kw img9062 (9 cases, unsat at the
    /// root) takes 1–2 s in all, less than the 4 s the attack would spend first, so those
    /// networks bound first too. Only far larger ones go to the attack first.
    static func boundsAreSlow(on network: Network) -> Bool {
        network.storedWeightCount > 40_000_000
    }

    /// Time for the attack: a tenth of the time left, at most four seconds. The attack ends
    /// sooner when its restarts run out: on MNIST fc its 10 restarts × 9 targets × 101 steps
    /// are about 9,000 forward and backward passes through 0.1–0.5 million weights, and under
    /// load a two-second cap cut them short
    /// (mnist-net_256x6 prop_9_0.05 went from sat in 3.7 s to timeout with the same binary).
    /// ACAS Xu's restarts (a 13,000-weight network) run out in well under a second either way.
    private func attackBudget(deadline: ContinuousClock.Instant?) -> Duration {
        guard let deadline else { return .seconds(4) }
        let remaining = deadline - .now
        return min(.seconds(4), remaining / 10)
    }

    /// Per-case result: the verdict contribution and the outcome record.
    fileprivate enum CaseResult: Sendable {
        case proved
        case falsified(ValidatedCounterexample)
        case unknown(String)
        case timeout
    }

    /// Stage one bounds every case on its own (or, without bounds or with the exact engine,
    /// solves it); stage two runs branch and bound once per group of still-open cases that share
    /// an input box. Both stages run on `jobs` workers and stop at the first counterexample.
    /// Cases in `settled` are already decided.
    private func solveCases(deadline: ContinuousClock.Instant?, settled: [Int: (CaseResult, CaseOutcome)],
                            meter: VerificationProgress) async -> [(CaseResult, CaseOutcome)] {
        let count = specification.cases.count
        var results = [(CaseResult, CaseOutcome)?](repeating: nil, count: count)
        for (index, result) in settled { results[index] = result }
        let pending = (0..<count).filter { settled[$0] == nil }
        var open: [Int] = []
        var unstable: [Int: [Int]] = [:]
        meter.enter(.cases)
        let first = await concurrently(count: pending.count, jobs: options.jobs, deadline: deadline) { k in
            await self.firstStage(pending[k], deadline: deadline)
        }
        for (index, stage) in zip(pending, first) {
            switch stage {
            case let .decided(result, outcome)?: results[index] = (result, outcome); meter.close(cases: 1)
            case let .open(counts)?: open.append(index); unstable[index] = counts
            case nil: break
            }
        }
        if !results.contains(where: { if case .falsified = $0?.0 { true } else { false } }), !open.isEmpty {
            let groups = Self.groupsSharingBox(open, of: specification)
            let groupJobs = max(1, options.jobs / max(1, min(options.jobs, groups.count)))
            let unstable = unstable
            // One Z3 leaf thread alive at a time across the run, abandoned ones included: on a
            // 784-input network each holds its rational encoding (hundreds of MB) and a core.
            let leafPermits = ThreadPermits(count: 1)
            meter.enter(.branchAndBound)
            let second = await concurrently(count: groups.count, jobs: options.jobs, deadline: deadline) { g in
                let result = await self.branchAndBound(groups[g], jobs: groupJobs, unstable: unstable, leafPermits: leafPermits,
                                                       meter: meter, treeID: g, deadline: deadline)
                meter.close(cases: groups[g].count)
                return result
            }
            for group in second {
                for (index, result, outcome) in group?.entries ?? [] { results[index] = (result, outcome) }
            }
        }
        return (0..<count).map { i in
            results[i] ?? (.timeout, CaseOutcome(caseIndex: i, status: deadlinePassed(deadline) ? .timeout : .skipped, seconds: 0))
        }
    }

    /// Runs `body` for `0..<count` on at most `jobs` tasks; stops launching (and cancels the
    /// rest) once a result holds a counterexample or the deadline passes. Missing results are nil.
    private func concurrently<T: Sendable & FalsificationAware>(count: Int, jobs: Int, deadline: ContinuousClock.Instant?,
                                                                 _ body: @escaping @Sendable (Int) async -> T) async -> [T?] {
        var results = [T?](repeating: nil, count: count)
        // Nothing to run: return at once rather than wait for the watchdog below.
        guard count > 0 else { return results }
        await withTaskGroup(of: (Int, T?).self) { group in
            var next = 0
            var running = 0
            func launch() {
                let index = next
                next += 1
                running += 1
                group.addTask { (index, await body(index)) }
            }
            if let deadline {
                // Watchdog: whatever a solver does, the run ends promptly at the deadline.
                group.addTask {
                    try? await Task.sleep(until: deadline + .milliseconds(300), clock: .continuous)
                    return (-1, nil)
                }
            }
            while next < count && running < max(1, jobs) { launch() }
            while let (index, result) = await group.next() {
                if index < 0 {
                    if Task.isCancelled || running == 0 { break }
                    group.cancelAll()  // deadline passed: interrupt every solver
                    continue
                }
                running -= 1
                results[index] = result
                if result?.hasCounterexample ?? false {
                    group.cancelAll()
                    break
                }
                if next < count { launch() } else if running == 0 { group.cancelAll(); break }
            }
        }
        return results
    }

    /// The open cases grouped by equal input boxes, each group in case order, groups in the
    /// order of their first case. Hashed, so 120,000 cases over 60,000 boxes (a learned-index
    /// property) group in linear time, not in 60,000² box comparisons.
    static func groupsSharingBox(_ cases: [Int], of specification: Specification) -> [[Int]] {
        var groups: [[Int]] = []
        var groupOfBox: [InputBox: Int] = [:]
        for index in cases {
            let box = specification.cases[index].box
            if let g = groupOfBox[box] { groups[g].append(index) } else {
                groupOfBox[box] = groups.count
                groups.append([index])
            }
        }
        return groups
    }

    private func deadlinePassed(_ deadline: ContinuousClock.Instant?) -> Bool {
        deadline.map { ContinuousClock.now >= $0 } ?? false
    }

    /// What the first stage made of a case.
    /// The cheap stage of the cases of one box.
    private struct CheapGroup: Sendable, FalsificationAware {
        var stages: [(Int, FirstStage)]
        var hasCounterexample: Bool { false }
    }

    private enum FirstStage: Sendable, FalsificationAware {
        case decided(CaseResult, CaseOutcome)
        /// Left to branch and bound, with the unstable ReLU counts of the root bounds.
        case open([Int])

        var hasCounterexample: Bool {
            if case .decided(.falsified, _) = self { true } else { false }
        }
    }

    /// Bounds first (interval, linear, Lagrangian); a case they leave open goes to branch and
    /// bound, or, with the `exact` engine or without bounds, to the plain exact encoding here.
    private func firstStage(_ index: Int, deadline: ContinuousClock.Instant?) async -> FirstStage {
        let start = ContinuousClock.now
        let specCase = specification.cases[index]
        func outcome(_ status: CaseOutcome.Status, _ unstable: [Int] = []) -> CaseOutcome {
            CaseOutcome(caseIndex: index, status: status, seconds: Self.seconds(.now - start), unstableReLUs: unstable)
        }
        if network.hasSmoothActivations {
            return await smoothFirstStage(index, specCase: specCase, deadline: deadline, outcome: outcome)
        }
        if options.proofRecorder != nil {
            if options.engine == .branchAndBound && options.usesBounds { return .open([]) }
            options.proofRecorder?.fail("certificates need branch and bound with bounds")
        }
        var neuronBounds: NetworkBounds?
        var unstable: [Int] = []
        if options.usesBounds {
            let analysis = CaseBounding(network: network, specCase: specCase).analyse(deadline: deadline)
            if let method = analysis.provedBy {
                return .decided(.proved, outcome(.proved(method: method), analysis.unstableReLUs))
            }
            neuronBounds = analysis.neuronBounds
            unstable = analysis.unstableReLUs
        }
        if options.engine == .branchAndBound && options.usesBounds { return .open(unstable) }
        let solver = ExactCaseSolver(network: network, specCase: specCase, bounds: neuronBounds,
                                     encoding: options.reluEncoding, makeSolver: makeSolver)
        let remaining = deadline.map { $0 - .now }
        if let remaining, remaining <= .zero { return .decided(.timeout, outcome(.timeout, unstable)) }
        switch await solver.solve(timeout: remaining) {
        case .unreachable:
            return .decided(.proved, outcome(.proved(method: "z3"), unstable))
        case .timeout:
            return .decided(.timeout, outcome(.timeout, unstable))
        case let .unknown(reason):
            if deadlinePassed(deadline) || Task.isCancelled { return .decided(.timeout, outcome(.timeout, unstable)) }
            return .decided(.unknown(reason), outcome(.unknown(reason: "z3: \(reason)"), unstable))
        case let .candidate(_, nearest):
            if let cex = await confirm(candidate: nearest, caseIndex: index, solver: solver, deadline: deadline) {
                return .decided(.falsified(cex), outcome(.falsified, unstable))
            }
            let reason = "Z3 found a counterexample over the reals for case \(index), but no point near it violates the property when the network is evaluated in floating point"
            return .decided(.unknown(reason), outcome(.unknown(reason: reason), unstable))
        }
    }

    /// A case of a network with sigmoid or tanh layers: Z3 cannot encode them exactly, so sound
    /// bounds are the only proof. What the root bounds leave open goes to branch and bound when
    /// the case's box lets few enough inputs vary to split them (its nodes are bounded, never
    /// sent to Z3); otherwise it is `unknown` (after the attack, which already ran), with the
    /// reason, not an error.
    private func smoothFirstStage(_ index: Int, specCase: SpecificationCase, deadline: ContinuousClock.Instant?,
                                  outcome: (CaseOutcome.Status, [Int]) -> CaseOutcome) async -> FirstStage {
        var unstable: [Int] = []
        if options.usesBounds {
            let analysis = CaseBounding(network: network, specCase: specCase).analyse(deadline: deadline)
            if let method = analysis.provedBy {
                return .decided(.proved, outcome(.proved(method: method), analysis.unstableReLUs))
            }
            unstable = analysis.unstableReLUs
        }
        if deadlinePassed(deadline) || Task.isCancelled { return .decided(.timeout, outcome(.timeout, unstable)) }
        // Splitting inputs needs bounds only; splitting ReLUs is not done across smooth layers.
        if options.engine == .branchAndBound && options.usesBounds
            && BranchAndBound.splitsInputs(network: network, box: specCase.box, limit: BranchAndBound.Options().inputSplitLimit) {
            return .open(unstable)
        }
        let reason = "the network has sigmoid or tanh layers, which Z3 cannot encode exactly; "
            + (options.usesBounds ? "sound bounds did not prove case \(index)" : "bounds are off for case \(index)")
            + (options.usesAttack ? " and the attack found no counterexample" : "")
        return .decided(.unknown(reason), outcome(.unknown(reason: reason), unstable))
    }

    /// One branch-and-bound tree for a group of open cases sharing a box.
    private func branchAndBound(_ group: [Int], jobs: Int, unstable: [Int: [Int]], leafPermits: ThreadPermits,
                                meter: VerificationProgress, treeID: Int, deadline: ContinuousClock.Instant?) async -> GroupResult {
        let start = ContinuousClock.now
        var babOptions = BranchAndBound.Options()
        babOptions.leafThreshold = options.leafThreshold
        babOptions.jobs = jobs
        var bab = BranchAndBound(network: network, specification: specification, caseIndices: group,
                                 options: babOptions, makeSolver: makeSolver, seed: options.seed,
                                 leafPermits: leafPermits)
        bab.progress = options.progress
        bab.meter = meter
        bab.treeID = treeID
        bab.recorder = options.proofRecorder
        let result = await bab.run(deadline: deadline)
        let seconds = Self.seconds(.now - start)
        return GroupResult(entries: group.map { index in
            let counts = unstable[index] ?? []
            func outcome(_ status: CaseOutcome.Status, bound: Double? = nil) -> CaseOutcome {
                CaseOutcome(caseIndex: index, status: status, seconds: seconds, unstableReLUs: counts, bound: bound)
            }
            switch result {
            case let .proved(nodes, leaves):
                let shared = group.count > 1 ? ", shared by cases \(group.map(String.init).joined(separator: ","))" : ""
                return (index, .proved, outcome(.proved(method: "branch and bound (\(nodes) nodes, \(leaves) Z3 leaves\(shared))")))
            case let .falsified(cex):
                return cex.caseIndex == index ? (index, .falsified(cex), outcome(.falsified)) : (index, .timeout, outcome(.skipped))
            case let .timeout(bound):
                return (index, .timeout, outcome(.timeout, bound: bound))
            case let .unknown(reason, bound):
                if deadlinePassed(deadline) { return (index, .timeout, outcome(.timeout, bound: bound)) }
                return (index, .unknown(reason), outcome(.unknown(reason: reason), bound: bound))
            }
        })
    }

    /// Per case of a group: its result and outcome record.
    private struct GroupResult: Sendable, FalsificationAware {
        var entries: [(Int, CaseResult, CaseOutcome)]
        var hasCounterexample: Bool {
            entries.contains { if case .falsified = $0.1 { true } else { false } }
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

/// A result that may end a concurrent stage early.
private protocol FalsificationAware {
    var hasCounterexample: Bool { get }
}
