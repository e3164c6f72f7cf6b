import LinearPrograms
import NetworkIR
import Search
import Testing
@testable import Bounds

/// `HullRelaxation`: the linear program with convex-hull cuts bounds below every sampled point of
/// a node, tightens the triangle relaxation, and stays sound whatever multipliers or rows the
/// solver is handed (the a-posteriori check pays for every violation).
@Suite struct HullRelaxationTests {
    /// A random chain `(affine, relu)+ affine` with dense rows, and a box.
    static func chain(seed: Int) throws -> (Network, IntervalVector, SplitMix64) {
        var rng = SplitMix64(seed: UInt64(seed) &* 2_654_435_761 &+ 17)
        var layers: [Layer] = []
        var size = Int.random(in: 2...8, using: &rng)
        let inputs = size
        func affine(to next: Int) -> Layer {
            let w = (0..<(next * size)).map { _ in Double.random(in: -1...1, using: &rng) }
            let b = (0..<next).map { _ in Double.random(in: -0.5...0.5, using: &rng) }
            defer { size = next }
            return .affine(AffineLayer(weights: Matrix(rows: next, columns: size, storage: w), bias: b))
        }
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            layers.append(affine(to: Int.random(in: 3...10, using: &rng)))
            layers.append(.relu)
        }
        layers.append(affine(to: 2))
        let box = TestNetworks.randomBox(inputs, using: &rng)
        return (try Network(inputShape: [1, inputs], layers: layers), box, rng)
    }

    /// `chain(seed:)` with its program builder and its root's bounds.
    static func rooted(seed: Int) throws -> (Network, IntervalVector, SplitMix64, HullRelaxation, NetworkBounds) {
        let (net, box, rng) = try chain(seed: seed)
        let hull = try #require(HullRelaxation(network: net, maxEntries: 10_000))
        return (net, box, rng, hull, LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment()).bounds)
    }

    /// `rooted(seed:)` with the root's layout and a random objective: a tree's first program.
    static func laidOut(seed: Int) throws
        -> (Network, IntervalVector, SplitMix64, HullRelaxation, NetworkBounds, HullRelaxation.Layout, LinearObjective) {
        var (net, box, rng, hull, root) = try rooted(seed: seed)
        let objective = objective(net, using: &rng)
        return (net, box, rng, hull, root, hull.layout(for: root), objective)
    }

    /// A random objective over the outputs and the inputs.
    static func objective(_ net: Network, using rng: inout SplitMix64) -> LinearObjective {
        LinearObjective(outputCoefficients: (0..<net.outputSize).map { _ in Double.random(in: -1...1, using: &rng) },
                        inputCoefficients: (0..<net.inputSize).map { _ in Double.random(in: -0.2...0.2, using: &rng) },
                        constant: Double.random(in: -1...1, using: &rng))
    }

    static func value(_ objective: LinearObjective, _ net: Network, at point: [Double]) -> Double {
        let output = net.evaluateTrace(point).last ?? []
        return zip(objective.outputCoefficients, output).reduce(objective.constant) { $0 + $1.0 * $1.1 }
            + zip(objective.inputCoefficients, point).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The first unstable ReLUs, fixed to random phases (a branch-and-bound node).
    static func phases(of net: Network, bounds: NetworkBounds, count: Int, using rng: inout SplitMix64) -> PhaseAssignment {
        var phases = PhaseAssignment()
        var fixed = 0
        for layer in bounds.reluLayers {
            for j in bounds.unstableNeurons(inLayer: layer) where fixed < count {
                phases.fix(layer: layer, neuron: j, to: Bool.random(using: &rng) ? .active : .inactive)
                fixed += 1
            }
        }
        return phases
    }

    /// The first `perLayer` ReLUs of each layer unstable at the root, fixed to their phases at
    /// `x0` (a node holding `x0`).
    static func phases(holding x0: [Double], _ net: Network, root: NetworkBounds, perLayer: Int = .max) -> PhaseAssignment {
        let trace = net.evaluateTrace(x0)
        var phases = PhaseAssignment()
        for layer in root.reluLayers {
            let pre = layer == 0 ? x0 : trace[layer - 1]
            for j in root.unstableNeurons(inLayer: layer).prefix(perLayer) {
                phases.fix(layer: layer, neuron: j, to: pre[j] >= 0 ? .active : .inactive)
            }
        }
        return phases
    }

    /// Whether the point's pre-activations agree with `phases`.
    static func satisfies(_ point: [Double], _ net: Network, _ phases: PhaseAssignment) -> Bool {
        let trace = net.evaluateTrace(point)
        for (k, layer) in net.layers.enumerated() where layer == .relu {
            let pre = k == 0 ? point : trace[k - 1]
            for (j, phase) in phases.phases(inLayer: k) where (phase == .active) != (pre[j] >= 0) && pre[j] != 0 { return false }
        }
        return true
    }

    /// At the root and at a node with up to three split ReLUs, the bound lies below the objective at
    /// 4000 sampled points of the node.
    @Test(arguments: 0..<16) func boundIsBelowEverySampledPoint(seed: Int) throws {
        var (net, box, rng, hull, root) = try Self.rooted(seed: seed)
        let phases = Self.phases(of: net, bounds: root, count: Int.random(in: 0...3, using: &rng), using: &rng)
        let bounds = LinearRelaxation.bounds(of: net, input: box, phases: phases).bounds
        guard !bounds.isInfeasible else { return }
        let objective = Self.objective(net, using: &rng)
        // The node's program starts from the root's cuts, as in branch and bound.
        let rootCuts = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 20, stopAbove: .infinity).cuts
        let lower = hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: 20, seed: rootCuts, stopAbove: .infinity).lower
        var smallest = Double.infinity
        for point in TestNetworks.samples(of: box, count: 4000, using: &rng) where Self.satisfies(point, net, phases) {
            smallest = min(smallest, Self.value(objective, net, at: point))
        }
        if let lower {
            #expect(lower <= smallest + 1e-9 * (1 + abs(smallest)), "bound \(lower) above a sampled value \(smallest)")
        } else {
            // No bound only when the program has no solution: then the node holds no true point.
            #expect(smallest == .infinity, "no bound, though the node holds a point with value \(smallest)")
        }
    }

    /// With every ReLU of the node fixed the program is exact there, so the input point of its
    /// solution (a candidate counterexample for branch and bound) lies in the box and the network
    /// attains the bound at it, to the solver's tolerance.
    @Test func inputPointAttainsAnExactProgramsBound() throws {
        for seed in 0..<24 {
            var (net, box, rng, hull, root) = try Self.rooted(seed: seed)
            // Every ReLU unstable at the root fixed to its phase at a point of the box, so the
            // node holds that point.
            let x0 = TestNetworks.samples(of: box, count: 1, using: &rng)[0]
            let phases = Self.phases(holding: x0, net, root: root)
            let bounds = LinearRelaxation.bounds(of: net, input: box, phases: phases).bounds
            let objective = Self.objective(net, using: &rng)
            let outcome = hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: 0, stopAbove: .infinity)
            let lower = try #require(outcome.lower, "seed \(seed): no bound for a node holding a point")
            let point = try #require(outcome.inputPoint)
            #expect(point.count == net.inputSize)
            #expect(zip(point, zip(box.lower, box.upper)).allSatisfy { $0 >= $1.0 && $0 <= $1.1 })
            let value = Self.value(objective, net, at: point)
            #expect(abs(value - lower) <= 1e-6 * (1 + abs(lower)), "seed \(seed): value \(value) at the program's point, bound \(lower)")
        }
    }

    /// The cuts never lose against the big-M (triangle) program alone, and gain on some networks.
    @Test func cutsTightenTheTriangleRelaxation() throws {
        var gains: [Double] = []
        for seed in 0..<16 {
            var (net, _, rng, hull, bounds) = try Self.rooted(seed: seed)
            let objective = Self.objective(net, using: &rng)
            let triangle = try #require(hull.lowerBound(of: objective, bounds: bounds, phases: PhaseAssignment(), rounds: 0).lower)
            let cut = try #require(hull.lowerBound(of: objective, bounds: bounds, phases: PhaseAssignment(), rounds: 20,
                                                   stopAbove: .infinity).lower)
            #expect(cut >= triangle - 1e-9 * (1 + abs(triangle)))
            gains.append(cut - triangle)
        }
        #expect(gains.contains { $0 > 1e-3 }, "no network gained from the cuts: \(gains)")
    }

    /// Multipliers that CLP did not produce (random, of either sign, huge), and forged rows that
    /// cut off true points (`y ≤ 0` for an unstable ReLU, and `0 ≤ −1`) with large multipliers: the checked
    /// bound still lies below every sampled point, because every row's worst violation is paid.
    @Test(arguments: 0..<8) func forgedMultipliersAndRowsAreRejected(seed: Int) throws {
        var (net, box, rng, hull, bounds) = try Self.rooted(seed: seed)
        let objective = Self.objective(net, using: &rng)
        var program = hull.build(objective: objective, bounds: bounds, phases: PhaseAssignment())
        var forged = false
        for (s, stage) in hull.stages.enumerated() {
            for j in 0..<stage.width where program.zColumn[s][j] != nil && !forged {
                program.rows.append(HullRelaxation.Row(stage: s, neuron: j, kind: .structural(theta: 0, y: 1, z: 0),
                                                       columns: [Int32(program.yStart[s] + j)], values: [1], rhs: 0,
                                                       isEquality: false))
                // `0 ≤ −1`: false everywhere, so without the check its multiplier adds straight to the bound.
                program.rows.append(HullRelaxation.Row(stage: s, neuron: j, kind: .structural(theta: 0, y: 0, z: 0),
                                                       columns: [], values: [], rhs: -1, isEquality: false))
                forged = true
            }
        }
        var smallest = Double.infinity
        for point in TestNetworks.samples(of: box, count: 4000, using: &rng) {
            smallest = min(smallest, Self.value(objective, net, at: point))
        }
        for trial in 0..<20 {
            let scale = [1e-3, 1, 1e3][trial % 3]
            var duals = program.rows.map { _ in Double.random(in: -1...1, using: &rng) * scale }
            if forged {  // μ = −dual: large multipliers on the forged rows
                duals[duals.count - 2] = -1e3
                duals[duals.count - 1] = -1e3
            }
            let lower = hull.soundBound(program, duals: duals)
            #expect(lower <= smallest + 1e-9 * (1 + abs(smallest)), "forged multipliers gave \(lower) above \(smallest)")
        }
    }

    /// CLP through `LinearProgram`: `min −x − y` with `x + 2y ≤ 4`, `3x + y ≤ 6`, `x, y ∈ [0, 10]`
    /// has its optimum −2.8 at (1.6, 1.2); the row duals are the negated multipliers (0.4, 0.2).
    @Test func linearProgramSolvesAndReportsDuals() {
        let lp = LinearProgram(lower: [0, 0], upper: [10, 10], cost: [-1, -1])
        lp.addRows(columns: [[0, 1], [0, 1]], values: [[1, 2], [3, 1]], lower: [-.infinity, -.infinity], upper: [4, 6])
        #expect(lp.solve() == .optimal)
        #expect(abs(lp.objectiveValue + 2.8) < 1e-9)
        #expect(zip(lp.primal, [1.6, 1.2]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(zip(lp.rowDuals, [-0.4, -0.2]).allSatisfy { abs($0 - $1) < 1e-9 })
        lp.addRows(columns: [[0, 1]], values: [[1, 1]], lower: [3], upper: [.infinity])
        #expect(lp.solve() == .infeasible)
    }
}

extension HullRelaxationTests {
    /// Where the program fails, the split it names is an unstable, unfixed ReLU of the last layer
    /// whose output the program's solution lifts above `max(0, p)`.
    @Test func namedSplitIsAnUnstableReLUTheSolutionExploits() throws {
        var named = 0
        for seed in 0..<16 {
            var (net, _, rng, hull, bounds) = try Self.rooted(seed: seed)
            let objective = Self.objective(net, using: &rng)
            let outcome = hull.lowerBound(of: objective, bounds: bounds, phases: PhaseAssignment(), rounds: 3,
                                          stopAbove: .infinity)
            guard let split = outcome.split else { continue }
            named += 1
            #expect(split.layer == hull.stages[hull.stages.count - 1].relu)
            #expect(bounds.unstableNeurons(inLayer: split.layer).contains(split.neuron))
        }
        #expect(named > 0, "no program named a split")
    }
}

extension HullRelaxationTests {
    /// A child's program started from its parent's basis (root layout, indicators of split and
    /// stable ReLUs fixed) solves the same linear program as one started afresh on the same rows
    /// (or finds the same child empty), and its bound lies below every sampled point of the child.
    @Test(arguments: 0..<12) func warmStartedChildMatchesColdChild(seed: Int) throws {
        var (net, box, rng, hull, root, layout, objective) = try Self.laidOut(seed: seed)
        let parent = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 10, layout: layout,
                                     stopAbove: .infinity)
        guard let warm = parent.warmStart else { return }
        let phases = Self.phases(of: net, bounds: root, count: Int.random(in: 1...3, using: &rng), using: &rng)
        // As in branch and bound, the child's bounds are the root's clipped by its phases.
        let bounds = ReLUSplitBounding.nodeBounds(of: net, phases: phases, known: root, from: 0)
        guard !bounds.isInfeasible else { return }
        let warmChild = hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: 0, layout: layout, warm: warm,
                                        stopAbove: .infinity)
        let coldChild = hull.lowerBound(of: objective, bounds: bounds, phases: phases, rounds: 0, seed: warm.cuts,
                                        layout: layout, stopAbove: .infinity)
        // Random phases can contradict each other: both programs must then find the child empty.
        #expect(warmChild.regionIsEmpty == coldChild.regionIsEmpty)
        if !coldChild.regionIsEmpty, let warmLower = warmChild.lower, let coldLower = coldChild.lower {
            #expect(abs(warmLower - coldLower) <= 1e-6 * (1 + abs(coldLower)), "warm \(warmLower), cold \(coldLower)")
        }
        #expect((warmChild.lower == nil) == (coldChild.lower == nil))
        var smallest = Double.infinity
        for point in TestNetworks.samples(of: box, count: 4000, using: &rng) where Self.satisfies(point, net, phases) {
            smallest = min(smallest, Self.value(objective, net, at: point))
        }
        if let lower = warmChild.lower {
            #expect(lower <= smallest + 1e-9 * (1 + abs(smallest)), "bound \(lower) above a sampled value \(smallest)")
        }
    }

    /// `LinearProgram.start(from:)`: an optimal basis handed to a copy of the program needs no
    /// simplex iteration, and a basis of another shape is refused by the program's size check.
    @Test func optimalBasisRestartsWithoutIterations() {
        func program() -> LinearProgram {
            let lp = LinearProgram(lower: [0, 0, 0], upper: [10, 10, 1], cost: [-1, -1, 0.5])
            lp.addRows(columns: [[0, 1, 2], [0, 1]], values: [[1, 2, -1], [3, 1]], lower: [-.infinity, -.infinity], upper: [4, 6])
            return lp
        }
        let first = program()
        #expect(first.solve() == .optimal)
        #expect(first.iterations > 0)
        let second = program()
        second.start(from: first.basis)
        #expect(second.solve() == .optimal)
        #expect(second.iterations == 0)
        #expect(abs(second.objectiveValue - first.objectiveValue) < 1e-9)
    }
}

extension HullRelaxationTests {
    /// `x ↦ W₂·relu(W₁x + b₁) + b₂` with neurons 0 and 1 of the hidden layer on the same row, 1
    /// offset by `offset` (`p₁ = p₀ + offset`), and two random ones; inputs in `[−1, 1]³`.
    static func twinNetwork(offset: Double, using rng: inout SplitMix64) throws -> (Network, IntervalVector) {
        let row = [1.0, 0.5, -0.7]
        var w1 = row + row
        for _ in 0..<6 { w1.append(Double.random(in: -1...1, using: &rng)) }
        let b1 = [0, offset, Double.random(in: -0.3...0.3, using: &rng), Double.random(in: -0.3...0.3, using: &rng)]
        let w2 = (0..<8).map { _ in Double.random(in: -1...1, using: &rng) }
        let net = try Network(inputShape: [1, 3], layers: [
            .affine(AffineLayer(weights: Matrix(rows: 4, columns: 3, storage: w1), bias: b1)), .relu,
            .affine(AffineLayer(weights: Matrix(rows: 2, columns: 4, storage: w2), bias: [0.1, -0.1])),
        ])
        return (net, IntervalVector(lower: [-1, -1, -1], upper: [1, 1, 1]))
    }

    /// A node whose splits contradict each other (`p₀ ≥ 0` and `p₀ + 0.5 ≤ 0`), which interval
    /// bounds do not see, is found empty by its program's Farkas ray, with and without the tree's
    /// layout; the same ray, handed to the program of the node with both ReLUs active (which
    /// holds points), is rejected by the sound check.
    @Test(arguments: 0..<6) func contradictorySplitsLeaveAnEmptyNode(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 101)
        let (net, box) = try Self.twinNetwork(offset: 0.5, using: &rng)
        let hull = try #require(HullRelaxation(network: net, maxEntries: 10_000))
        let root = LinearRelaxation.bounds(of: net, input: box, phases: PhaseAssignment()).bounds
        #expect(root.unstableNeurons(inLayer: 1).contains(0) && root.unstableNeurons(inLayer: 1).contains(1))
        var empty = PhaseAssignment()
        empty.fix(layer: 1, neuron: 0, to: .active)
        empty.fix(layer: 1, neuron: 1, to: .inactive)
        let bounds = LinearRelaxation.bounds(of: net, input: box, phases: empty).bounds
        #expect(!bounds.isInfeasible, "interval bounds already see the contradiction; the test needs a node they miss")
        let objective = Self.objective(net, using: &rng)
        for layout in [nil, hull.layout(for: root)] {
            let outcome = hull.lowerBound(of: objective, bounds: bounds, phases: empty, rounds: 2, layout: layout,
                                          stopAbove: .infinity)
            #expect(outcome.regionIsEmpty)
            #expect(outcome.lower == .infinity)
            // With a finite threshold the solve may stop at the objective limit first (an
            // infeasible program's dual objective grows without bound): proved either way.
            let proving = hull.lowerBound(of: objective, bounds: bounds, phases: empty, rounds: 2, layout: layout)
            #expect(proving.regionIsEmpty || (proving.lower ?? -.infinity) > 0)
        }
        // The ray, and a tampered copy, against a node that holds points.
        let program = hull.build(objective: objective, bounds: bounds, phases: empty)
        let lp = LinearProgram(lower: program.lower, upper: program.upper, cost: program.cost)
        lp.addRows(columns: program.rows.map(\.columns), values: program.rows.map(\.values),
                   lower: program.rows.map { $0.isEquality ? $0.rhs : -.infinity }, upper: program.rows.map(\.rhs))
        #expect(lp.solve() == .infeasible)
        let ray = try #require(lp.infeasibilityRay())
        #expect(hull.certifiesEmpty(program, ray: ray))
        var feasible = PhaseAssignment()
        feasible.fix(layer: 1, neuron: 0, to: .active)
        feasible.fix(layer: 1, neuron: 1, to: .active)
        let holding = hull.build(objective: objective, bounds: LinearRelaxation.bounds(of: net, input: box, phases: feasible).bounds,
                                 phases: feasible)
        #expect(holding.rows.count == program.rows.count)
        #expect(!hull.certifiesEmpty(holding, ray: ray))
        #expect(!hull.certifiesEmpty(holding, ray: ray.map { $0 * 1e6 }))
        #expect(!hull.certifiesEmpty(program, ray: ray.map { _ in .nan }))
    }

    /// No ray, however scaled, certifies a node that holds points: random rays on the root and on
    /// split nodes of random networks (each node holds a sampled point) are all rejected.
    @Test(arguments: 0..<8) func randomRaysNeverEmptyANodeWithPoints(seed: Int) throws {
        var (net, box, rng, hull, root) = try Self.rooted(seed: seed)
        let x0 = TestNetworks.samples(of: box, count: 1, using: &rng)[0]
        let phases = Self.phases(holding: x0, net, root: root, perLayer: 3)
        let objective = Self.objective(net, using: &rng)
        for node in [PhaseAssignment(), phases] {
            let program = hull.build(objective: objective, bounds: LinearRelaxation.bounds(of: net, input: box, phases: node).bounds,
                                     phases: node)
            for trial in 0..<100 {
                let scale = [1e-3, 1, 1e3, 1e8][trial % 4]
                let ray = program.rows.map { _ in Double.random(in: -1...1, using: &rng) * scale }
                #expect(!hull.certifiesEmpty(program, ray: ray), "seed \(seed): a random ray emptied a node holding \(x0)")
            }
        }
    }

    /// `LinearProgram.infeasibilityRay()`: one value per row for an infeasible program, whether
    /// presolve or the dual simplex method found it; none for a feasible one.
    @Test func infeasibleProgramsGiveARay() {
        func program() -> LinearProgram {
            // x + 2y ≤ 4, 3x + y ≤ 6 (so x + y ≤ 2.8) and x + y ≥ 3.
            let lp = LinearProgram(lower: [0, 0], upper: [10, 10], cost: [-1, -1])
            lp.addRows(columns: [[0, 1], [0, 1], [0, 1]], values: [[1, 2], [3, 1], [1, 1]],
                       lower: [-.infinity, -.infinity, 3], upper: [4, 6, .infinity])
            return lp
        }
        let cold = program()
        #expect(cold.solve() == .infeasible)
        #expect(cold.infeasibilityRay()?.count == 3)
        let feasible = LinearProgram(lower: [0, 0], upper: [10, 10], cost: [-1, -1])
        feasible.addRows(columns: [[0, 1]], values: [[1, 2]], lower: [-.infinity], upper: [4])
        #expect(feasible.solve() == .optimal)
        #expect(feasible.infeasibilityRay() == nil)
        // After an optimal solve, rows that make it infeasible: the dual simplex method finds it.
        let warm = LinearProgram(lower: [0, 0], upper: [10, 10], cost: [-1, -1])
        warm.addRows(columns: [[0, 1], [0, 1]], values: [[1, 2], [3, 1]], lower: [-.infinity, -.infinity], upper: [4, 6])
        #expect(warm.solve() == .optimal)
        warm.addRows(columns: [[0, 1]], values: [[1, 1]], lower: [3], upper: [.infinity])
        #expect(warm.solve() == .infeasible)
        #expect(warm.infeasibilityRay()?.count == 3)
    }

    /// Outputs of the last stage that the objective pays for get no indicator, upper rows or
    /// cuts (`layout(for:objective:)`): the program is smaller and its value the same, since such
    /// an output sits at `max(0, p)` at an optimum either way.
    @Test func paidOutputsNeedNoIndicator() throws {
        var smaller = 0
        for seed in 0..<16 {
            var (net, _, rng, hull, root) = try Self.rooted(seed: seed)
            let objective = Self.objective(net, using: &rng)
            let full = hull.layout(for: root)
            let paid = hull.layout(for: root, objective: objective)
            #expect(zip(full.indicator, paid.indicator).allSatisfy { zip($0, $1).allSatisfy { !$1 || $0 } })
            if paid.indicator.joined().filter({ $0 }).count < full.indicator.joined().filter({ $0 }).count { smaller += 1 }
            let withAll = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0, layout: full,
                                          stopAbove: .infinity)
            let withPaid = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0, layout: paid,
                                           stopAbove: .infinity)
            let a = try #require(withAll.lower), b = try #require(withPaid.lower)
            #expect(abs(a - b) <= 1e-6 * (1 + abs(a)), "seed \(seed): \(a) with every indicator, \(b) without the paid ones")
        }
        #expect(smaller >= 8, "only \(smaller) of 16 programs lost an indicator")
    }

    /// With a threshold below the program's value, the solve may stop at CLP's objective limit:
    /// the checked bound still passes the threshold and stays at most the full value.
    @Test func objectiveLimitStillProves() throws {
        var proved = 0
        for seed in 0..<16 {
            var (net, _, rng, hull, root) = try Self.rooted(seed: seed)
            let objective = Self.objective(net, using: &rng)
            let full = try #require(hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0,
                                                    stopAbove: .infinity).lower)
            let threshold = full - 0.2 * abs(full) - 0.05
            let early = hull.lowerBound(of: objective, bounds: root, phases: PhaseAssignment(), rounds: 0, stopAbove: threshold)
            let lower = try #require(early.lower)
            #expect(lower > threshold && lower <= full + 1e-9 * (1 + abs(full)), "seed \(seed): \(lower), threshold \(threshold), full \(full)")
            if lower > threshold { proved += 1 }
        }
        #expect(proved == 16)
    }

    /// `LinearProgram.objectiveLimit`: a limit below the optimum stops the solve there
    /// (`objectiveLimitReached`); lifted, the same program solves to its optimum, 7.
    @Test func objectiveLimitStopsTheDualSimplex() {
        let lp = LinearProgram(lower: [0, 0, 0, 0], upper: [10, 10, 10, 10], cost: [1, 1, 1, 1])
        lp.addRows(columns: [[0, 1], [1, 2], [2, 3], [0, 3]], values: [[1, 2], [3, 1], [1, 1], [1, 1]],
                   lower: [4, 6, 3, 5], upper: [.infinity, .infinity, .infinity, .infinity])
        lp.objectiveLimit = 1
        #expect(lp.solve() == .objectiveLimitReached)
        #expect(lp.infeasibilityRay() == nil)
        lp.objectiveLimit = .infinity
        #expect(lp.solve() == .optimal)
        #expect(abs(lp.objectiveValue - 7) < 1e-9)
    }
}
