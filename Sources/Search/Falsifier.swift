import Foundation
import NetworkIR
import VNNLIB

/// Looks for a counterexample by random sampling and a projected gradient attack, cheaply,
/// before (or alongside) any proof attempt.
///
/// 1. Sampling: for each distinct input region, its centre, its corners (all of them when
///    there are at most `cornerSamples`, otherwise that many random ones) and `uniformSamples`
///    uniform points; every case over that region is measured on each sample. With a
///    deadline, sampling stops after `samplingShare` of the time to it.
/// 2. PGD (`ProjectedGradientAscent`: Madry et al. 2018, "Towards Deep Learning Models
///    Resistant to Adversarial Attacks", eq. 2, the L∞ sign-gradient step
///    `x ← Π(x + α·sign ∇)`, scaled per input by the box width) on the case margin
///    (`MarginObjective`), with `restarts` rounds over the cases (the best sample first, then
///    uniform points), cases in order of their best sampled margin, and a geometric step
///    schedule from `initialStep` to `finalStep` of the width. Sampling and PGD evaluate the
///    network through `AttackNetwork` (lowered convolutions kept sparse).
/// 3. Grid: when both fail and the default DLV grid over all inputs (corners, edge midpoints,
///    centre: `3ⁿ` points) fits `gridBudget`, a `ManipulationSearch` over it, with cell pruning.
/// Any point with a non-negative double margin is validated exactly by `CounterexampleCheck`
/// and polished (`CounterexamplePolisher`) before `ReportingPolicy` decides whether it is
/// returned. Deterministic for a given seed (when neither deadline nor cancellation cuts it).
public struct Falsifier: Sendable {
    /// Budgets of one run.
    public struct Options: Sendable, Hashable {
        /// Seed of the `SplitMix64` stream.
        public var seed: UInt64
        /// Uniform samples per distinct input region.
        public var uniformSamples: Int
        /// Corners per region: all of them when there are at most this many, else random ones.
        public var cornerSamples: Int
        /// PGD starts per case.
        public var restarts: Int
        /// After `restarts` (and the grid stage), keep making random PGD starts until the
        /// deadline (ignored without a deadline).
        public var restartsUntilDeadline: Bool
        /// PGD steps per start.
        public var steps: Int
        /// First PGD step, as a fraction of each input's width.
        public var initialStep: Double
        /// Last PGD step, as a fraction of each input's width.
        public var finalStep: Double
        /// Stop at this instant.
        public var deadline: ContinuousClock.Instant?
        /// When a valid counterexample is good enough to return.
        public var policy: ReportingPolicy
        /// Limits of each polishing run.
        public var polish: CounterexamplePolisher.Options
        /// At most this many hits are polished (hits at the same boundary repeat).
        public var maxPolishAttempts: Int
        /// The largest default manipulation grid (points over all regions) worth searching
        /// after the attack fails; 0 turns the grid stage off.
        public var gridBudget: Int
        /// With a deadline, the share of the time until it that sampling may take (the
        /// first 16 points of each region, the centre first, are always measured); the rest
        /// is PGD's.
        public var samplingShare: Double

        public init(seed: UInt64 = 0x5EED, uniformSamples: Int = 512, cornerSamples: Int = 64,
                    restarts: Int = 10, steps: Int = 100, initialStep: Double = 0.25, finalStep: Double = 1e-3,
                    deadline: ContinuousClock.Instant? = nil, policy: ReportingPolicy = .vnncomp,
                    polish: CounterexamplePolisher.Options = .init(), maxPolishAttempts: Int = 32,
                    gridBudget: Int = 100_000, restartsUntilDeadline: Bool = false, samplingShare: Double = 0.2) {
            self.seed = seed
            self.uniformSamples = uniformSamples
            self.cornerSamples = cornerSamples
            self.restarts = restarts
            self.steps = steps
            self.initialStep = initialStep
            self.finalStep = finalStep
            self.deadline = deadline
            self.policy = policy
            self.polish = polish
            self.maxPolishAttempts = maxPolishAttempts
            self.gridBudget = gridBudget
            self.restartsUntilDeadline = restartsUntilDeadline
            self.samplingShare = samplingShare
        }
    }

    /// Why a run ended.
    public enum Status: String, Sendable, Hashable, Codable {
        /// A counterexample accepted by the policy was found.
        case found
        /// Every budget was spent without one.
        case exhausted
        /// The deadline passed.
        case deadline
        /// The task was cancelled.
        case cancelled
    }

    /// The result of one run.
    public struct Outcome: Sendable {
        /// Why the run ended.
        public var status: Status
        /// A counterexample accepted by the policy (when `status == .found`).
        public var counterexample: Counterexample?
        /// The best point that is valid in float64 but rejected by the policy (float32 miss).
        public var rejected: Counterexample?
        /// Network evaluations spent (samples and PGD steps, not polishing).
        public var pointsEvaluated: Int
        /// The largest double-precision case margin seen (negative: never reached the unsafe set).
        public var bestMargin: Double
        /// The report of the grid stage, when it ran.
        public var grid: SearchReport?
    }

    /// The concrete check.
    public let check: CounterexampleCheck
    let polisher: CounterexamplePolisher
    /// Prunes cells in the grid stage.
    public let pruner: any CellPruner
    /// The network as sampling and PGD evaluate it (convolutions sparse).
    public let attackNetwork: AttackNetwork

    /// Pairs a network with a specification.
    /// - Parameter pruner: proves grid cells safe in the grid stage (default: the Bounds
    ///   module's linear bounds, which pruned 98–100% of the cells of fine ACAS Xu grids where
    ///   interval bounds pruned none).
    /// - Throws: `SearchError` when they do not fit together.
    public init(network: Network, specification: Specification, pruner: (any CellPruner)? = nil) throws {
        check = try CounterexampleCheck(network: network, specification: specification)
        polisher = CounterexamplePolisher(check: check)
        self.pruner = pruner ?? BoundsCellPruner(network: network, specification: specification)
        attackNetwork = AttackNetwork(network)
    }

    /// Runs sampling, then PGD, then the grid, until a reportable counterexample is found or
    /// budgets end.
    /// - Complexity: about `regions × (corners + uniformSamples) + cases × restarts × steps`
    ///   network evaluations, plus polishing of at most `maxPolishAttempts` hits, plus at most
    ///   `gridBudget` grid points.
    public func run(_ options: Options = Options()) -> Outcome {
        var run = FalsifierRun(falsifier: self, options: options)
        return run.execute()
    }
}

/// The mutable state of one `Falsifier.run`.
struct FalsifierRun {
    let falsifier: Falsifier
    let options: Falsifier.Options
    var rng: SplitMix64
    var outcome = Falsifier.Outcome(status: .exhausted, counterexample: nil, rejected: nil,
                                    pointsEvaluated: 0, bestMargin: -.infinity, grid: nil)
    var polishAttempts = 0
    /// Best sampled point and its margin, per case.
    var bestSample: [Int: (point: [Double], margin: Double)] = [:]
    /// When sampling gives way to PGD (nil: sample everything).
    var samplingDeadline: ContinuousClock.Instant?

    init(falsifier: Falsifier, options: Falsifier.Options) {
        self.falsifier = falsifier
        self.options = options
        rng = SplitMix64(seed: options.seed)
    }

    /// Nil to continue, or the status that ends the run.
    func interruption() -> Falsifier.Status? {
        if Task.isCancelled { return .cancelled }
        if let deadline = options.deadline, ContinuousClock.now >= deadline { return .deadline }
        return nil
    }

    /// Whether the task was cancelled or `deadline` passed.
    static func interrupted(by deadline: ContinuousClock.Instant?) -> Bool {
        Task.isCancelled || deadline.map { ContinuousClock.now >= $0 } ?? false
    }

    mutating func execute() -> Falsifier.Outcome {
        let spec = falsifier.check.specification
        let regions = falsifier.polisher.regions
        // Cases over the same region share samples.
        let groups = spec.regionGroups().filter { !regions[$0[0]].isEmpty }
        samplingDeadline = options.deadline.map { deadline in
            let start = ContinuousClock.now
            return start + (deadline - start) * max(0, min(1, options.samplingShare))
        }
        for group in groups {
            if let status = sample(group: group, region: regions[group[0]]) { return finish(status) }
        }
        // Most promising case first: on a robustness property each case is one target class,
        // and the class closest to winning at the samples is the likeliest to be reachable.
        let cases = groups.flatMap { $0 }.enumerated().sorted { a, b in
            let ma = bestSample[a.element]?.margin ?? -.infinity, mb = bestSample[b.element]?.margin ?? -.infinity
            return ma != mb ? ma > mb : a.offset < b.offset
        }.map(\.element)
        for restart in 0..<max(0, options.restarts) {
            for caseIndex in cases {
                if let status = attack(caseIndex: caseIndex, restart: restart) { return finish(status) }
            }
        }
        if let status = searchGrid() { return finish(status) }
        if options.restartsUntilDeadline, options.deadline != nil, !cases.isEmpty {
            var restart = max(1, options.restarts)
            while true {
                for caseIndex in cases {
                    if let status = attack(caseIndex: caseIndex, restart: restart) { return finish(status) }
                }
                restart += 1
            }
        }
        return finish(.exhausted)
    }

    /// The grid stage; returns a status when the run must end.
    mutating func searchGrid() -> Falsifier.Status? {
        guard options.gridBudget > 0 else { return nil }
        if let status = interruption() { return status }
        let check = falsifier.check
        guard let search = try? ManipulationSearch(network: check.network, specification: check.specification,
                                                   pruner: falsifier.pruner) else { return nil }
        var gridOptions = ManipulationSearch.Options(dimensions: check.network.inputSize, maxPoints: options.gridBudget,
                                                     deadline: options.deadline, policy: options.policy,
                                                     polish: options.polish)
        gridOptions.progressInterval = .seconds(3600)
        guard let plans = try? search.plan(gridOptions) else { return nil }
        var total = 0
        for plan in plans {
            guard let count = plan.grid.pointCount, let sum = ManipulationGrid.sum(total, count) else { return nil }
            total = sum
        }
        guard total <= options.gridBudget, let report = try? search.run(gridOptions) else { return nil }
        outcome.grid = report
        outcome.pointsEvaluated += report.pointsChecked
        if let found = report.details.counterexample, options.policy.accepts(found) {
            outcome.counterexample = found
            return .found
        }
        return report.details.stopReason == "cancelled" ? .cancelled
            : report.details.stopReason == "deadline" ? .deadline : nil
    }

    func finish(_ status: Falsifier.Status) -> Falsifier.Outcome {
        var result = outcome
        result.status = status
        return result
    }

    /// Samples one region; returns a status when the run must end.
    mutating func sample(group: [Int], region: CaseRegion) -> Falsifier.Status? {
        let n = region.count
        var points: [[Double]] = [region.project(region.centre)]
        let cornerCount = n < 62 ? 1 << n : Int.max
        if cornerCount <= options.cornerSamples {
            for mask in 0..<cornerCount {
                points.append((0..<n).map { mask >> $0 & 1 == 1 ? region.sampleUpper[$0] : region.sampleLower[$0] })
            }
        } else {
            for _ in 0..<max(0, options.cornerSamples) {
                points.append((0..<n).map { rng.next() & 1 == 1 ? region.sampleUpper[$0] : region.sampleLower[$0] })
            }
        }
        for _ in 0..<max(0, options.uniformSamples) {
            points.append((0..<n).map { rng.nextDouble(in: region.sampleLower[$0], region.sampleUpper[$0]) })
        }
        for (i, raw) in points.enumerated() {
            if i % 16 == 0, let status = interruption() { return status }
            // Past the centre, sampling may not eat PGD's time (on a CIFAR-10 CNN the 577 samples
            // of the defaults took longer than the whole attack budget).
            if i > 0, i % 16 == 0, let samplingDeadline, ContinuousClock.now >= samplingDeadline { return nil }
            let x = region.project(raw)
            let y = falsifier.attackNetwork.evaluate(x)
            outcome.pointsEvaluated += 1
            for caseIndex in group {
                let margin = falsifier.polisher.objectives[caseIndex].margin(input: x, output: y).value
                outcome.bestMargin = max(outcome.bestMargin, margin)
                if bestSample[caseIndex].map({ margin > $0.margin }) ?? true { bestSample[caseIndex] = (x, margin) }
                if margin >= 0, tryHit(x, caseIndex: caseIndex) { return .found }
            }
        }
        return nil
    }

    /// One PGD run on one case (`ProjectedGradientAscent`); returns a status when the run must end.
    mutating func attack(caseIndex: Int, restart: Int) -> Falsifier.Status? {
        let region = falsifier.polisher.regions[caseIndex]
        let start: [Double]
        if restart == 0, let best = bestSample[caseIndex] {
            start = best.point
        } else {
            start = region.project((0..<region.count).map { rng.nextDouble(in: region.sampleLower[$0], region.sampleUpper[$0]) })
        }
        let deadline = options.deadline
        let ascent = ProjectedGradientAscent(steps: options.steps, initialStep: options.initialStep,
                                             finalStep: options.finalStep)
        let climb = ascent.climb(from: start, lower: region.lower, upper: region.upper, widths: region.widths,
                                 objective: falsifier.polisher.objectives[caseIndex], network: falsifier.attackNetwork,
                                 shouldStop: { Self.interrupted(by: deadline) })
        outcome.pointsEvaluated += climb.evaluations
        outcome.bestMargin = max(outcome.bestMargin, climb.margin)
        if climb.margin >= 0, tryHit(climb.point, caseIndex: caseIndex) { return .found }
        return climb.interrupted ? interruption() : nil
    }

    /// Validates and polishes a hit; true when it is reportable (stored in `outcome`).
    mutating func tryHit(_ x: [Double], caseIndex: Int) -> Bool {
        guard polishAttempts < options.maxPolishAttempts else { return false }
        polishAttempts += 1
        let polished: Counterexample
        do {
            polished = try falsifier.polisher.polish(x, caseIndex: caseIndex, options: options.polish,
                                                     deadline: options.deadline)
        } catch {
            return false  // sizes were checked at init; unreachable for points built here
        }
        if options.policy.accepts(polished) {
            outcome.counterexample = polished
            return true
        }
        if polished.isValid, outcome.rejected.map({ CounterexamplePolisher.ranks(polished, above: $0) }) ?? true {
            outcome.rejected = polished
        }
        return false
    }
}
