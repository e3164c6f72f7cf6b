@testable import Bounds
import NetworkIR
import Search
import Testing
import VNNLIB
@testable import Verifier
import Z3Backend

/// The node-level attack and the best-first order of branch and bound.
@Suite struct NodeSearchTests {
    /// Only the needle's corner pocket (side 0.0005) is unsafe; signed steps of a quarter of
    /// the node's width and less climb into it from a point that misses it.
    /// The three-input needle with `offset`, its unit-box property, and the climb for it.
    static func needleClimb(offset: Double) throws -> (Network, Specification, NodeAttack) {
        let net = try NeedleNetworks.needle(inputs: 3, offset: offset)
        let spec = NeedleNetworks.unitBoxProperty(inputs: 3, outputs: 2)
        return (net, spec, NodeAttack(network: net, objectives: [MarginObjective(spec.cases[0], caseIndex: 0, outputCount: 2)]))
    }

    @Test func climbReachesTheNeedlesCornerPocket() throws {
        let (net, spec, attack) = try Self.needleClimb(offset: 0.5)
        // A node deep in the tree near the corner; its centre misses the pocket.
        let box = IntervalVector(lower: [0.999, 0.999, 0.999], upper: [1, 1, 1])
        let centre = [0.9995, 0.9995, 0.9995]
        #expect(spec.cases[0].outputMargin(inputs: centre, outputs: net.evaluate(centre)) < 0)
        // Start where the ReLU is active (margin −0.2), as the best candidate of such a node.
        let start = [0.9998, 0.9998, 0.9998]
        #expect(spec.cases[0].outputMargin(inputs: start, outputs: net.evaluate(start)) < 0)
        let climbed = attack.climb(from: start, in: box, position: 0)
        #expect(climbed.margin >= 0)
        #expect(climbed.point.allSatisfy { $0 >= 0.999 && $0 <= 1 })
        #expect(spec.cases[0].outputMargin(inputs: climbed.point, outputs: net.evaluate(climbed.point)) >= 0)
    }

    @Test func climbStaysInTheBoxAndNeverReportsAWorsePoint() throws {
        let (net, spec, attack) = try Self.needleClimb(offset: 1.5)
        let box = IntervalVector(lower: [0.2, 0.2, 0.2], upper: [0.4, 0.9, 1])
        let start = [0.3, 0.5, 0.6]
        let startMargin = spec.cases[0].outputMargin(inputs: start, outputs: net.evaluate(start))
        let climbed = attack.climb(from: start, in: box, position: 0)
        #expect(climbed.margin >= startMargin)
        #expect(climbed.margin < 0, "offset 1.5 leaves no pocket")
        for i in 0..<3 { #expect(climbed.point[i] >= box.lower[i] && climbed.point[i] <= box.upper[i]) }
    }

    @Test func queueTakesTheNearestMissThenTheDeepestThenTheLastQueued() {
        func node(_ promise: Double, depth: Int, tag: Double) -> Subproblem {
            var n = Subproblem(box: IntervalVector(lower: [tag], upper: [tag]), phases: PhaseAssignment(), depth: depth, openCases: [0])
            n.promise = promise
            return n
        }
        var queue = NodeQueue()
        queue.insert(contentsOf: [node(-1, depth: 5, tag: 1), node(-0.1, depth: 1, tag: 2), node(-.infinity, depth: 9, tag: 3),
                                  node(-0.1, depth: 1, tag: 4), node(-0.1, depth: 3, tag: 5), node(.nan, depth: 9, tag: 6)])
        var order: [Double] = []
        while let next = queue.popBest() { order.append(next.box.lower[0]) }
        // NaN counts as −∞; among equals the node queued last comes first (depth-first order).
        #expect(order == [5, 4, 2, 1, 6, 3])
    }

    /// Split multipliers and the parents' linear-program bases are warm starts the open set may
    /// hold only up to its budget: past it a queued node keeps its phases and order but starts
    /// its ascent from β = 0 and its program afresh, and what popped nodes held is freed for later ones.
    @Test func queueDropsWarmStartsBeyondItsBudgetAndFreesThemOnPop() {
        func node(_ tag: Double) -> Subproblem {
            var n = Subproblem(box: IntervalVector(lower: [tag], upper: [tag]), phases: PhaseAssignment(), depth: 1, openCases: [0])
            n.warmStarts = [0: [AtomWarmStart(splitMultipliers: SplitMultipliers(values: (0..<100).map { (1, $0, 0.5) }),
                                              hull: HullRelaxation.WarmStart(cuts: [], basis: [UInt8](repeating: 3, count: 400)))]]
            n.promise = -tag
            return n
        }
        let bytes = node(0).warmStartBytes
        #expect(bytes >= 800 + 400)
        var queue = NodeQueue(warmStartBudget: 2 * bytes)
        queue.insert(contentsOf: [node(1), node(2), node(3)])
        #expect(queue.warmStartBytes == 2 * bytes)
        let first = queue.popBest(), second = queue.popBest(), third = queue.popBest()
        for kept in [first, second] {
            #expect(kept?.warmStarts[0]?[0].splitMultipliers.count == 100 && kept?.warmStarts[0]?[0].hull?.basis.count == 400)
        }
        #expect(third?.warmStarts.isEmpty == true && third?.phases == PhaseAssignment())
        #expect(queue.warmStartBytes == 0)
        queue.insert(node(4))
        #expect(queue.popBest()?.warmStarts[0]?[0].splitMultipliers.count == 100)
    }

    /// Past its memory budget the queue takes new nodes depth first (last in, first out) before
    /// the best of the heap, keeps its byte count exact through pops, and returns to best-first
    /// order once the stack is empty and there is room.
    @Test func queueGoesDepthFirstPastItsMemoryBudget() {
        func node(_ tag: Double, promise: Double) -> Subproblem {
            var n = Subproblem(box: IntervalVector(lower: [tag], upper: [tag]), phases: PhaseAssignment(), depth: 1, openCases: [0])
            n.promise = promise
            return n
        }
        let size = node(0, promise: 0).queuedBytes(sharedBox: true)
        var queue = NodeQueue(memoryBudget: 2 * size, sharedBoxes: true)
        queue.insert(contentsOf: [node(1, promise: -1), node(2, promise: -2)])
        #expect(!queue.isDepthFirst && queue.bytes == 2 * size)
        // Over budget: these two go on the stack, whatever their promise.
        queue.insert(contentsOf: [node(3, promise: 5), node(4, promise: -9)])
        #expect(queue.isDepthFirst && queue.count == 4)
        #expect(queue.popBest()?.box.lower[0] == 4)
        // While the stack is not empty, children join it.
        queue.insert(node(5, promise: 9))
        #expect(queue.popBest()?.box.lower[0] == 5)
        #expect(queue.popBest()?.box.lower[0] == 3)
        #expect(!queue.isDepthFirst)
        #expect(queue.popBest()?.box.lower[0] == 1)
        // Room again: best first.
        queue.insert(node(6, promise: 0))
        #expect(queue.popBest()?.box.lower[0] == 6)
        #expect(queue.popBest()?.box.lower[0] == 2)
        #expect(queue.isEmpty && queue.bytes == 0)
    }

    /// A far miss in a box whose bounds still allow a large violation outranks a near miss in a
    /// box that is almost proved; without a bound (or with weight 0) only the miss counts.
    @Test func childPromiseWeighsTheRoomTheBoundsLeave() {
        let nearlyProved = BranchAndBound.childPromise(bestMargin: -0.001, hardestLower: -0.002, weight: 0.5)
        let loose = BranchAndBound.childPromise(bestMargin: -0.01, hardestLower: -0.5, weight: 0.5)
        #expect(loose > nearlyProved)
        #expect(BranchAndBound.childPromise(bestMargin: -0.01, hardestLower: -0.5, weight: 0) == -0.01)
        #expect(BranchAndBound.childPromise(bestMargin: -0.01, hardestLower: -.infinity, weight: 0.5) == -0.01)
        #expect(BranchAndBound.childPromise(bestMargin: -0.01, hardestLower: 0.25, weight: 0.5) == -0.01)
        #expect(BranchAndBound.childPromise(bestMargin: -.infinity, hardestLower: -0.5, weight: 0.5) == -.infinity)
        var queue = NodeQueue()
        for (promise, tag) in [(nearlyProved, 1.0), (loose, 2.0)] {
            var node = Subproblem(box: IntervalVector(lower: [tag], upper: [tag]), phases: PhaseAssignment(), depth: 3, openCases: [0])
            node.promise = promise
            queue.insert(node)
        }
        #expect(queue.popBest()?.box.lower[0] == 2)
    }

    /// Two pockets, at the corners (0,…,0) and (1,…,1) of the unit box; with two jobs, which
    /// one branch and bound reaches first depends only on the node order. Outcomes are applied
    /// in the order nodes were taken, so every run reports the same point.
    @Test func twoJobsReportTheSameCounterexampleEveryRun() async throws {
        let n = 5
        let net = try Network(inputShape: [1, n], layers: [
            .affine(AffineLayer(weights: Matrix([[Double](repeating: 1, count: n), [Double](repeating: -1, count: n)]),
                                bias: [-(Double(n - 1) + 0.999), 0.001])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1000, 1000]]), bias: [-0.5])),
        ])
        let spec = NeedleNetworks.unitBoxProperty(inputs: n, outputs: 1)
        var options = VerifierOptions()
        options.usesAttack = false
        options.jobs = 2
        var points: [[Double]] = []
        for _ in 0..<4 {
            let report = await Verifier(network: net, specification: spec, options: options, makeSolver: { Z3Solver() }).verify()
            guard case let .violated(cex) = report.verdict else {
                Issue.record("expected sat, got \(report.verdict)")
                return
            }
            points.append(cex.input)
        }
        #expect(points.allSatisfy { $0 == points[0] })
    }

    /// A one-hidden-layer network of 30 inputs and 48 ReLUs (as safenlp's, in small): its tree
    /// splits ReLUs and names them by reliability branching, whose pseudocosts each node reads
    /// as the outcomes applied before it left them, so two jobs build the same tree every run.
    @Test func reliabilityBranchingBuildsTheSameTreeEveryRun() async throws {
        let inputs = 30, width = 48
        var rng = SplitMix64(seed: 7)
        let w1 = (0..<width).map { _ in (0..<inputs).map { _ in Double.random(in: -1...1, using: &rng) } }
        let b1 = (0..<width).map { _ in Double.random(in: -3...3, using: &rng) }
        let w2 = [(0..<width).map { _ in Double.random(in: -1...1, using: &rng) }]
        let hidden = try Network(inputShape: [1, inputs], layers: [.affine(AffineLayer(weights: Matrix(w1), bias: b1)), .relu,
                                                                   .affine(AffineLayer(weights: Matrix(w2), bias: [0]))])
        // Halfway between the largest output sampled on the unit box and a sound upper bound
        // (linear relaxation): the tree needs splits to decide that.
        let sampled = (0..<2000).map { _ in hidden.evaluate((0..<inputs).map { _ in Double.random(in: 0...1, using: &rng) })[0] }.max()!
        let box = IntervalVector(lower: [Double](repeating: 0, count: inputs), upper: [Double](repeating: 1, count: inputs))
        let upper = LinearRelaxation.bounds(of: hidden, input: box, phases: PhaseAssignment()).bounds.output.upper[0]
        let net = try Network(inputShape: [1, inputs], layers: [.affine(AffineLayer(weights: Matrix(w1), bias: b1)), .relu,
                                                                .affine(AffineLayer(weights: Matrix(w2), bias: [-(sampled + 0.3 * (upper - sampled))]))])
        var options = VerifierOptions()
        options.usesAttack = false
        options.jobs = 2
        var runs: [(verdict: String, nodes: Int)] = []
        for _ in 0..<3 {
            let report = await Verifier(network: net, specification: NeedleNetworks.unitBoxProperty(inputs: inputs, outputs: 1),
                                        options: options, makeSolver: { Z3Solver() }).verify()
            runs.append(("\(report.verdict.word)", report.nodes))
        }
        #expect(runs[0].nodes > 20, "the tree is too small to show anything: \(runs[0].nodes) nodes")
        #expect(runs.allSatisfy { $0.verdict == runs[0].verdict && $0.nodes == runs[0].nodes }, "\(runs)")
    }
}
