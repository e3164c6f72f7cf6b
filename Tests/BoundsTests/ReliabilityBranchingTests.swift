import LinearPrograms
import NetworkIR
import Testing
@testable import Bounds

/// Reliability branching on the hull program: pseudocosts fall back to the tree's means, a
/// split is named only among the ReLUs the solution exploits, naming it leaves the node's bound
/// and warm start alone, and with every candidate solved it is the one whose children gain most.
@Suite struct ReliabilityBranchingTests {
    /// Before anything is recorded every ReLU is estimated at 1 down and up; after, a ReLU with
    /// no record of its own gets the record's means, and its own count stays 0. A node's rule
    /// sees its own solves at once and hands them out in order.
    @Test func pseudocostsFallBackToTheRecordsMeans() {
        var pseudocosts = Pseudocosts()
        #expect(pseudocosts.estimate(3) == (1, 1, 0))
        pseudocosts.record(.init(neuron: 3, down: 2, up: 4))
        pseudocosts.record(.init(neuron: 3, down: 4, up: 8))
        pseudocosts.record(.init(neuron: 5, down: 6, up: 0))
        #expect(pseudocosts.estimate(3) == (3, 6, 2))
        #expect(pseudocosts.estimate(5) == (6, 0, 1))
        #expect(pseudocosts.estimate(7) == (4, 4, 0))
        pseudocosts.record(.init(neuron: 7, down: .nan, up: 1))
        #expect(pseudocosts.estimate(7) == (4, 4, 0), "a NaN gain was recorded")
        var branching = ReliabilityBranching(pseudocosts: pseudocosts)
        branching.record(7, down: 1, up: 2)
        branching.record(5, down: 0, up: 2)
        #expect(branching.pseudocosts.estimate(7) == (1, 2, 1))
        #expect(branching.observed == [.init(neuron: 7, down: 1, up: 2), .init(neuron: 5, down: 0, up: 2)])
        #expect(pseudocosts.estimate(7) == (4, 4, 0), "the tree's record changed under a node")
    }

    /// `LinearProgram.setColumnBounds`: fixing `x = 0` in `min −x − y`, `x + 2y ≤ 4`, `3x + y ≤ 6`
    /// moves the optimum from −2.8 to −2 at the next solve from the kept basis; restoring the
    /// bounds brings −2.8 back.
    @Test func columnBoundsChangeTheNextSolve() {
        let lp = LinearProgram(lower: [0, 0], upper: [10, 10], cost: [-1, -1])
        lp.addRows(columns: [[0, 1], [0, 1]], values: [[1, 2], [3, 1]], lower: [-.infinity, -.infinity], upper: [4, 6])
        #expect(lp.solve() == .optimal)
        let basis = lp.basis
        lp.setColumnBounds(0, lower: 0, upper: 0)
        #expect(lp.solve() == .optimal)
        #expect(abs(lp.objectiveValue + 2) < 1e-9)
        lp.setColumnBounds(0, lower: 0, upper: 10)
        lp.start(from: basis)
        #expect(lp.solve() == .optimal)
        #expect(abs(lp.objectiveValue + 2.8) < 1e-9)
        #expect(lp.iterations == 0)
    }

    /// Naming the split by reliability branching changes neither the node's bound nor its warm
    /// start, names a last-stage ReLU the solution exploits, and records what it solved.
    @Test(arguments: 0..<12) func choiceLeavesTheBoundAndLearns(seed: Int) throws {
        let (_, _, _, hull, root, layout, objective) = try HullRelaxationTests.laidOut(seed: seed)
        let plain = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0, layout: layout,
                                    stopAbove: .infinity)
        let steered = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0, layout: layout,
                                      stopAbove: .infinity, branching: ReliabilityBranching())
        #expect(plain.lower == steered.lower)
        #expect(plain.warmStart?.basis == steered.warmStart?.basis)
        #expect(plain.warmStart?.cuts.count == steered.warmStart?.cuts.count)
        #expect((plain.split == nil) == (steered.split == nil))
        guard let split = steered.split else { return }
        #expect(split.layer == hull.stages[hull.stages.count - 1].relu)
        #expect(root.unstableNeurons(inLayer: split.layer).contains(split.neuron))
        let program = hull.build(objective: objective, bounds: root, phases: PhaseAssignment(), layout: layout)
        let exploited = Set(hull.exploitedReLUs(program, at: try #require(Self.solution(of: program))).map(\.neuron))
        if exploited.count > 1 {
            #expect(!steered.observed.isEmpty, "seed \(seed): strong branching recorded nothing")
            #expect(steered.observed.allSatisfy { exploited.contains($0.neuron) })
        }
    }

    /// On one-hidden-layer networks, with every candidate solved, the named split has the best
    /// product of its children's gains, each child measured by its own program (the ReLU's phase
    /// fixed, no cuts), which there is the same linear program as the parent's with the indicator fixed.
    @Test func namedSplitHasTheChildrenThatGainMost() throws {
        var compared = 0
        for seed in 0..<60 {
            var (net, _, rng, hull, root) = try HullRelaxationTests.rooted(seed: seed)
            guard hull.stages.count == 1 else { continue }
            let objective = HullRelaxationTests.objective(net, using: &rng)
            let program = hull.build(objective: objective, bounds: root, phases: PhaseAssignment())
            guard let solution = Self.solution(of: program) else { continue }
            let exploited = hull.exploitedReLUs(program, at: solution).map(\.neuron)
            guard exploited.count > 1 else { continue }
            let value = try #require(hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0,
                                                     stopAbove: .infinity).lower)
            let threshold = value + 10
            let everyCandidate = ReliabilityBranching(reliableAfter: 1, lookahead: 1000, solvesPerNode: 1000)
            let named = try #require(hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0,
                                                     stopAbove: threshold, branching: everyCandidate).split)
            let layer = hull.stages[0].relu
            func score(_ neuron: Int) -> Double {
                [ReLUPhase.inactive, .active].map { phase -> Double in
                    let phases = PhaseAssignment().fixing(layer: layer, neuron: neuron, to: phase)
                    let bounds = ReLUSplitBounding.nodeBounds(of: net, phases: phases, known: root, from: 0)
                    let child = bounds.isInfeasible ? nil
                        : hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: 0, stopAbove: .infinity)
                    let lower = child.map { $0.regionIsEmpty ? threshold : $0.lower ?? value } ?? threshold
                    return max(min(lower, threshold) - value, 1e-6)
                }.reduce(1, *)
            }
            let best = exploited.map(score).max() ?? 0
            #expect(score(named.neuron) >= best * (1 - 1e-4) - 1e-9, "seed \(seed): named \(named.neuron) scores \(score(named.neuron)), best \(best)")
            compared += 1
        }
        #expect(compared >= 5, "only \(compared) networks had two candidates")
    }

    /// The primal solution of `program` without cuts, as CLP finds it.
    static func solution(of program: HullRelaxation.Program) -> [Double]? {
        let lp = LinearProgram(lower: program.lower, upper: program.upper, cost: program.cost)
        lp.addRows(columns: program.rows.map(\.columns), values: program.rows.map(\.values),
                   lower: program.rows.map { $0.isEquality ? $0.rhs : -.infinity }, upper: program.rows.map(\.rhs))
        return lp.solve() == .optimal ? lp.primal : nil
    }
}
