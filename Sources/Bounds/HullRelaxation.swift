import LinearPrograms
import NetworkIR

/// A sound lower bound of a linear objective over a ReLU-split node from a linear program whose
/// relaxation of each unstable ReLU is strengthened, by cutting planes, to the convex hull of the
/// ReLU over the box of its inputs.
///
/// Why: the triangle relaxation that bound propagation optimises (α- and β-CROWN reach its LP
/// value) relaxes `y = max(0, w·v + b)` only through the scalar `w·v + b`; over a box of `v` the
/// convex hull of the graph is much smaller when `v` has several coordinates. Anderson et al.
/// 2020 ("Strong mixed-integer programming formulations for trained neural networks", Math.
/// Program. 183) give it as the big-M constraints plus the exponential family
/// `y ≤ Σ_{i∈I} wᵢ(vᵢ − L̆ᵢ(1 − z)) + (b + Σ_{i∉I} wᵢŬᵢ)·z` (their eq. (10)), with `L̆ᵢ, Ŭᵢ` the
/// box end that minimises / maximises `wᵢvᵢ`, and separate it in linear time (their Prop. 13:
/// `i ∈ I` iff `wᵢ(vᵢ − L̆ᵢ(1 − z)) < wᵢŬᵢz`). On safenlp's one-hidden-layer networks the root
/// bound moves from −2.16 (triangle) to −0.018 in 13 rounds (medical, hyperrectangle_1325).
///
/// - Soundness: CLP's answer is only a guess of the multipliers. With every inequality row
///   written `g(v) ≤ 0` and `μ ≥ 0` its multiplier (CLP's row dual, negated), each true point
///   `v*` of the node satisfies `obj(v*) ≥ min_B [obj + Σ μᵣgᵣ] − Σ μᵣ·max gᵣ(v*)`, where `B` is
///   the columns' box (sound node bounds, `z ∈ [0, 1]`) and `max gᵣ` is bounded soundly over the
///   two phases of the row's ReLU: for a row in the pre-activation `p` exactly (`p` within the
///   node's bounds), for a cut over the box of the ReLU's inputs. Every sum is rounded outward
///   (`SoundRounding`), so the bound holds over the exact stored weights whatever CLP computed.
public struct HullRelaxation: Sendable {
    /// One ReLU layer of the chain and the affine layer feeding it.
    struct Stage: Sendable {
        /// Index of the ReLU layer in the network.
        var relu: Int
        /// Dense rows of the affine layer before it (row-major, `width × inputWidth`) and its bias.
        var weights: [Double]
        var bias: [Double]
        var width: Int
        var inputWidth: Int
    }

    let stages: [Stage]
    /// The last affine layer, when the network ends with one: dense rows and bias.
    let head: (weights: [Double], bias: [Double], inputWidth: Int)?
    let inputSize: Int

    /// Prepares the network, or nil when it is not a chain `(affine, relu)* [affine]` or holds
    /// more than `maxEntries` weights.
    public init?(network: Network, maxEntries: Int) {
        var stages: [Stage] = []
        var pending: AffineLayer?
        var entries = 0
        var width = network.inputSize
        for (k, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(affine):
                guard pending == nil, affine.inputSize == width else { return nil }
                entries += affine.inputSize * affine.outputSize
                guard entries <= maxEntries else { return nil }
                pending = affine
                width = affine.outputSize
            case .relu:
                guard let affine = pending else { return nil }
                stages.append(Stage(relu: k, weights: affine.weights.storage, bias: affine.bias, width: affine.outputSize,
                                    inputWidth: affine.inputSize))
                pending = nil
            default:
                return nil
            }
        }
        guard !stages.isEmpty else { return nil }
        self.stages = stages
        head = pending.map { ($0.weights.storage, $0.bias, $0.inputSize) }
        inputSize = network.inputSize
    }

    /// What a row of the program says, for the sound check of its violation.
    enum RowKind {
        /// `g = θ·p + yCoefficient·y + zCoefficient·z − rhs + θ·(−b)`, i.e. the LP row
        /// `θ·w·v + yCoefficient·y + zCoefficient·z ≤ rhs` (or `=`) in terms of the exact `p = w·v + b`.
        case structural(theta: Double, y: Double, z: Double)
        /// A hull cut on the inputs `subset` (its LP row: `y − Σ_{i∈I} wᵢvᵢ + zCoefficient·z ≤ rhs`).
        case cut(subset: [Int32], z: Double)
    }

    struct Row {
        var stage: Int
        var neuron: Int
        var kind: RowKind
        var columns: [Int32]
        var values: [Double]
        var rhs: Double
        var isEquality: Bool

        /// The layout-independent cut this row was made from, when it is a cut.
        var cut: Cut? {
            guard case let .cut(subset, z) = kind else { return nil }
            return Cut(stage: stage, neuron: neuron, subset: subset, z: z, rhs: rhs)
        }
    }

    /// The program of one node, its column layout and rows.
    struct Program {
        var lower: [Double] = []
        var upper: [Double] = []
        var cost: [Double] = []
        /// First column of each stage's post-activations (stage −1: the inputs, at 0).
        var yStart: [Int] = []
        /// Per stage, per neuron: its phase-indicator column, when it has one (see `Layout`);
        /// fixed (equal column bounds) when the ReLU is stable or split in the node.
        var zColumn: [[Int?]] = []
        /// Whether every ReLU unstable and unfixed in the node has an indicator column of the
        /// layout asked for (else the program was built on the node's own layout).
        var followsLayout = true
        var rows: [Row] = []
        /// Per stage: pre-activation bounds and the box of its inputs.
        var pre: [IntervalVector] = []
        var inputBox: [IntervalVector] = []
        var objectiveConstant = 0.0
        /// Σ|terms| of the objective's coefficient per column and of its constant (rounding).
        var costMass: [Double] = []
        var constantMass = 0.0

        /// Whether `column` is an indicator the node leaves free.
        func isFree(_ column: Int?) -> Bool { column.map { lower[$0] < upper[$0] } ?? false }
    }

    /// A hull cut of one ReLU, independent of a program's column layout: kept from the root's
    /// program and offered to every node's. Valid wherever the ReLU's inputs lie in the box it
    /// was made for, so in every node below (whose boxes are smaller); each node checks it anew.
    public struct Cut: Sendable {
        var stage: Int
        var neuron: Int
        var subset: [Int32]
        /// The coefficient of the phase indicator `z` and the right-hand side.
        var z: Double
        var rhs: Double
    }

    /// Which ReLUs get a phase-indicator column: those unstable at the root of a tree. Every
    /// program of the tree keeps the same columns and structural rows (a ReLU stable or split
    /// in a node has its indicator fixed by its bounds), so that a child's program can start
    /// from its parent's final basis (`WarmStart`).
    public struct Layout: Sendable {
        /// Per stage, per neuron.
        var indicator: [[Bool]]
    }

    /// The ReLUs unstable and unfixed under `bounds` and `phases`; with `objective`, less those of
    /// the last stage whose output the objective pays for (a cost of at least 0). Why: minimising
    /// pushes such an output down to `max(0, p)`, which `y ≥ 0, y ≥ p` already give, so its
    /// indicator, its upper rows and its cuts cannot change the program's value; on safenlp's
    /// one-layer networks they are more than half the program.
    public func layout(for bounds: NetworkBounds, phases: PhaseAssignment = PhaseAssignment(),
                       objective: LinearObjective? = nil) -> Layout {
        layout(for: bounds, phases: phases, lastStageCost: objective.map { lastStageCost(of: $0).cost })
    }

    /// `layout(for:phases:objective:)` given the objective's cost of each last-stage output.
    func layout(for bounds: NetworkBounds, phases: PhaseAssignment, lastStageCost paid: [Double]?) -> Layout {
        let last = stages.count - 1
        return Layout(indicator: stages.enumerated().map { s, stage in
            let pre = bounds.inputBounds(ofLayer: stage.relu)
            return (0..<stage.width).map { j in
                pre.lower[j] < 0 && pre.upper[j] > 0 && phases[layer: stage.relu, neuron: j] == nil
                    && !(s == last && paid.map { $0[j] >= 0 } ?? false)
            }
        })
    }

    /// The objective's part on the last stage's outputs (through the head, when there is one):
    /// a cost per output and its constant, each with the sum of its terms' magnitudes (rounding).
    func lastStageCost(of objective: LinearObjective) -> (cost: [Double], mass: [Double], constant: Double, constantMass: Double) {
        let width = stages[stages.count - 1].width
        var cost = [Double](repeating: 0, count: width), mass = cost
        var constant = 0.0, constantMass = 0.0
        for (o, c) in objective.outputCoefficients.enumerated() where c != 0 {
            guard let head else {
                cost[o] += c
                mass[o] += abs(c)
                continue
            }
            for i in 0..<head.inputWidth {
                let term = c * head.weights[o * head.inputWidth + i]
                cost[i] += term
                mass[i] += abs(term)
            }
            constant += c * head.bias[o]
            constantMass += abs(c * head.bias[o])
        }
        return (cost, mass, constant, constantMass)
    }

    /// Where a parent's program ended, for its children's: the cuts after the structural rows
    /// and CLP's basis (columns, structural rows, those cuts). Cuts whose slack was basic are
    /// dropped with their status, which leaves a basis of the smaller program.
    public struct WarmStart: Sendable {
        var cuts: [Cut]
        var basis: [UInt8]

        /// Heap bytes held, for the tree's memory budget.
        public var byteCount: Int { 64 + basis.count + cuts.reduce(0) { $0 + 48 + 4 * $1.subset.count } }
    }

    /// What the program gave: a sound lower bound (nil when it could not be solved) and the cuts
    /// binding at its last solution.
    public struct Outcome: Sendable {
        public var lower: Double?
        public var cuts: [Cut]
        /// The ReLU (layer, neuron) whose relaxation the program's last solution exploits most,
        /// weighed by the objective (see `branchingChoice`), when one does.
        public var split: (layer: Int, neuron: Int)?
        /// Where the program ended, for the node's children (nil when it did not solve, proved
        /// the bound, or was built without a tree's `Layout`).
        public var warmStart: WarmStart?
        /// The input part of the program's last solution, when it did not prove the bound: the
        /// point of the node where the relaxation comes closest to violating, a candidate
        /// counterexample for the caller to evaluate (never one by itself).
        public var inputPoint: [Double]?
        /// Whether the node holds no point at all: the program was infeasible and its Farkas ray
        /// passed the sound check (`certifiesEmpty`). `lower` is then +∞.
        public var regionIsEmpty = false
        /// The strong-branching solves of `branching`, for the tree's pseudocosts.
        public var observed: [Pseudocosts.Observation] = []
    }

    /// A sound lower bound of `objective` over the node with `bounds` and `phases`, starting from
    /// the parent's program (`warm`, when it fits) or else the cuts `seed` (those of ReLUs still
    /// unstable here), and adding at most `rounds` rounds of new cuts; it stops early once the
    /// bound passes `threshold` or a round gains less than 1 %. With the tree's `layout`, the
    /// outcome carries a warm start for the node's children. The split it names is chosen by
    /// `branching` when given (`reliabilityChoice`), else by `branchingChoice`.
    public func lowerBound(of objective: LinearObjective, bounds: NetworkBounds, phases: PhaseAssignment,
                           rounds: Int, seed: [Cut] = [], layout: Layout? = nil, warm: WarmStart? = nil,
                           stopAbove threshold: Double = 0, branching: ReliabilityBranching? = nil) -> Outcome {
        guard !bounds.isInfeasible else { return Outcome(lower: nil, cuts: []) }
        var program = build(objective: objective, bounds: bounds, phases: phases, layout: layout)
        let structuralRows = program.rows.count
        // The parent's basis fits when the layout held (same columns and structural rows) and each of its cuts has a row here.
        let inherited = warm.flatMap { warm -> [Row]? in
            guard program.followsLayout, warm.basis.count == program.lower.count + structuralRows + warm.cuts.count else { return nil }
            let rows = warm.cuts.compactMap { row(of: $0, in: program) }
            return rows.count == warm.cuts.count ? rows : nil
        }
        program.rows += inherited ?? seed.compactMap { row(of: $0, in: program) }
        let lp = LinearProgram(lower: program.lower, upper: program.upper, cost: program.cost)
        lp.addRows(columns: program.rows.map(\.columns), values: program.rows.map(\.values),
                   lower: program.rows.map { $0.isEquality ? $0.rhs : -.infinity }, upper: program.rows.map(\.rhs))
        if inherited != nil, let warm { lp.start(from: warm.basis) }
        var best: Double?
        var previous = -Double.infinity
        var duals: [Double] = []
        var solution: [Double] = []
        var basis: [UInt8] = []
        // Nodes that are proved are about half of a tree: their last solve may stop as soon as
        // CLP's (unchecked) objective passes the threshold, a little above it for the check's loss.
        if threshold.isFinite { lp.objectiveLimit = objectiveLimit(above: threshold, program) }
        for round in 0...rounds {
            var status = lp.solve()
            if status == .objectiveLimitReached {
                let limitDuals = lp.rowDuals
                let sound = soundBound(program, duals: limitDuals)
                if sound > threshold {
                    best = sound
                    duals = limitDuals
                    break
                }
                // The check lost more than the margin: solve to the end.
                lp.objectiveLimit = .infinity
                status = lp.solve()
            }
            // Split constraints that contradict each other leave the node empty; bound
            // propagation seldom sees it (its β would have to grow without limit), so without
            // this check the node's whole subtree would be split and bounded in vain.
            if status == .infeasible, let ray = lp.infeasibilityRay(), certifiesEmpty(program, ray: ray) {
                return Outcome(lower: .infinity, cuts: [], regionIsEmpty: true)
            }
            guard status == .optimal else { break }
            duals = lp.rowDuals
            solution = lp.primal
            basis = lp.basis
            let value = lp.objectiveValue + program.objectiveConstant
            let gap = threshold.isFinite ? max(threshold - value, 0) : abs(value) + 1
            let stalled = round > 0 && value - previous < 0.01 * gap
            previous = value
            var cuts: [Row] = []
            if round < rounds && !stalled { cuts = separate(program, at: solution) }
            if cuts.isEmpty || value > threshold {
                let sound = soundBound(program, duals: duals)
                best = max(best ?? -.infinity, sound)
                if sound > threshold || cuts.isEmpty { break }
            }
            program.rows += cuts
            lp.addRows(columns: cuts.map(\.columns), values: cuts.map(\.values),
                       lower: cuts.map { _ in -.infinity }, upper: cuts.map(\.rhs))
        }
        // The cuts binding at the last solution (nonzero dual): the others only slow the next program.
        let cuts = program.rows.enumerated().compactMap { r, row in r < duals.count && duals[r] != 0 ? row.cut : nil }
        let proved = (best ?? -.infinity) > threshold
        guard !proved, !solution.isEmpty else { return Outcome(lower: best, cuts: cuts) }
        // Clamped into the box: CLP's point may overstep a column bound by its tolerance.
        let inputPoint = (0..<inputSize).map { min(max(solution[$0], program.lower[$0]), program.upper[$0]) }
        // Both rules choose among the same exploited ReLUs, so they name a split or not alike.
        let split: (layer: Int, neuron: Int)?
        var observed: [Pseudocosts.Observation] = []
        if var branching, basis.count == lp.columnCount + lp.rowCount {
            split = reliabilityChoice(program, lp: lp, at: solution, basis: basis, value: previous, threshold: threshold,
                                      branching: &branching)
            observed = branching.observed
        } else {
            split = branchingChoice(program, at: solution)
        }
        return Outcome(lower: best, cuts: cuts, split: split,
                       warmStart: layout == nil || !program.followsLayout ? nil
                           : warmStart(program, basis: basis, structuralRows: structuralRows, solvedRows: duals.count),
                       inputPoint: inputPoint, observed: observed)
    }

    /// The dual objective limit at which CLP may stop a solve of `p` meant to pass `threshold`:
    /// the threshold less the objective's constant, and a little above it for the sound check's loss.
    func objectiveLimit(above threshold: Double, _ p: Program) -> Double {
        let limit = threshold - p.objectiveConstant
        return limit + 1e-6 * (1 + abs(limit))
    }

    /// The warm start for a node's children from its program's final `basis` (taken with the
    /// first `solvedRows` rows): the structural rows, and the cuts whose slack is not basic.
    func warmStart(_ program: Program, basis: [UInt8], structuralRows: Int, solvedRows: Int) -> WarmStart? {
        let columns = program.lower.count
        guard basis.count == columns + solvedRows, solvedRows >= structuralRows else { return nil }
        let basic: UInt8 = 1
        var kept = Array(basis[..<(columns + structuralRows)])
        var cuts: [Cut] = []
        for r in structuralRows..<solvedRows where basis[columns + r] != basic {
            guard let cut = program.rows[r].cut else { continue }
            cuts.append(cut)
            kept.append(basis[columns + r])
        }
        return WarmStart(cuts: cuts, basis: kept)
    }

    /// The program row of `cut`, when its ReLU is unstable and unfixed in `program`.
    func row(of cut: Cut, in program: Program) -> Row? {
        guard let z = program.zColumn[cut.stage][cut.neuron] else { return nil }
        let stage = stages[cut.stage]
        let previousStart = cut.stage == 0 ? 0 : program.yStart[cut.stage - 1]
        var columns = cut.subset.map { Int32(previousStart) + $0 }
        var values = cut.subset.map { -stage.weights[cut.neuron * stage.inputWidth + Int($0)] }
        columns.append(Int32(program.yStart[cut.stage] + cut.neuron)); values.append(1)
        columns.append(Int32(z)); values.append(cut.z)
        return Row(stage: cut.stage, neuron: cut.neuron, kind: .cut(subset: cut.subset, z: cut.z), columns: columns,
                   values: values, rhs: cut.rhs, isEquality: false)
    }

    /// The program of the node: columns, structural rows and objective, on `layout` (the node's
    /// own when nil, or when `layout` lacks an indicator for a ReLU unstable here).
    func build(objective: LinearObjective, bounds: NetworkBounds, phases: PhaseAssignment, layout: Layout? = nil) -> Program {
        let paid = lastStageCost(of: objective)
        let own = self.layout(for: bounds, phases: phases, lastStageCost: paid.cost)
        let asked = layout.flatMap { layout in
            zip(own.indicator, layout.indicator).allSatisfy { zip($0, $1).allSatisfy { !$0 || $1 } } ? layout : nil
        }
        let layout = asked ?? own
        var p = Program()
        p.followsLayout = asked != nil
        p.lower = bounds.input.lower
        p.upper = bounds.input.upper
        p.cost = [Double](repeating: 0, count: inputSize)
        for (s, stage) in stages.enumerated() {
            let post = bounds.layers[stage.relu]
            p.yStart.append(p.lower.count)
            p.lower += post.lower.map { max($0, 0) }
            p.upper += post.upper
            p.cost += [Double](repeating: 0, count: stage.width)
            p.pre.append(bounds.inputBounds(ofLayer: stage.relu))
            p.inputBox.append(bounds.inputBounds(ofLayer: stage.relu - 1))
            p.zColumn.append([Int?](repeating: nil, count: stage.width))
            let previousStart = s == 0 ? 0 : p.yStart[s - 1]
            let pre = p.pre[s]
            for j in 0..<stage.width {
                let l = pre.lower[j], u = pre.upper[j]
                let phase = phases[layer: stage.relu, neuron: j]
                let weightColumns = (0..<stage.inputWidth).compactMap { i in
                    stage.weights[j * stage.inputWidth + i] == 0 ? nil : Int32(previousStart + i)
                }
                let weights = weightColumns.map { stage.weights[j * stage.inputWidth + Int($0) - previousStart] }
                let y = Int32(p.yStart[s] + j)
                func structural(theta: Double, yCoefficient: Double, zColumn: Int32?, z: Double, constant: Double, equality: Bool) {
                    // θ·(w·v) + y·yCoefficient + z·zCoefficient ≤ constant − θ·b.
                    var columns = theta == 0 ? [] : weightColumns
                    var values = theta == 0 ? [] : weights.map { theta * $0 }
                    if yCoefficient != 0 { columns.append(y); values.append(yCoefficient) }
                    if let zColumn, z != 0 { columns.append(zColumn); values.append(z) }
                    p.rows.append(Row(stage: s, neuron: j, kind: .structural(theta: theta, y: yCoefficient, z: z),
                                      columns: columns, values: values, rhs: constant - theta * stage.bias[j], isEquality: equality))
                }
                let inactive = u <= 0 || phase == .inactive
                let active = !inactive && (l >= 0 || phase == .active)
                if inactive {
                    p.lower[Int(y)] = 0
                    p.upper[Int(y)] = 0
                }
                if !layout.indicator[s][j] && inactive {
                    if phase == .inactive { structural(theta: 1, yCoefficient: 0, zColumn: nil, z: 0, constant: 0, equality: false) }
                } else if !layout.indicator[s][j] && active {
                    // y = p (and so p ≥ 0 through y ≥ 0).
                    structural(theta: -1, yCoefficient: 1, zColumn: nil, z: 0, constant: 0, equality: true)
                } else if !layout.indicator[s][j] && !inactive && !active {
                    // Unstable, and the objective pays for y (see `layout`): p − y ≤ 0, with y ≥ 0 as its column's bound.
                    structural(theta: 1, yCoefficient: -1, zColumn: nil, z: 0, constant: 0, equality: false)
                } else {
                    // An indicator, fixed when the ReLU is stable or split here: the big-M rows
                    // below are then exact (y = 0 and p ≤ 0, or y = p).
                    let z = Int32(p.lower.count)
                    p.zColumn[s][j] = Int(z)
                    p.lower.append(active ? 1 : 0); p.upper.append(inactive ? 0 : 1); p.cost.append(0)
                    // p − y ≤ 0;  y − u·z ≤ 0;  y − p − l·z ≤ −l  (big-M, Anderson et al. eq. (5)).
                    structural(theta: 1, yCoefficient: -1, zColumn: nil, z: 0, constant: 0, equality: false)
                    structural(theta: 0, yCoefficient: 1, zColumn: z, z: -u, constant: 0, equality: false)
                    structural(theta: -1, yCoefficient: 1, zColumn: z, z: -l, constant: -l, equality: false)
                }
            }
        }
        // The objective over the last block (through the head, when there is one) and the inputs.
        p.costMass = [Double](repeating: 0, count: p.lower.count)
        let lastStart = p.yStart[stages.count - 1]
        for i in 0..<paid.cost.count {
            p.cost[lastStart + i] += paid.cost[i]
            p.costMass[lastStart + i] += paid.mass[i]
        }
        p.objectiveConstant += paid.constant
        p.constantMass += paid.constantMass
        for (i, c) in objective.inputCoefficients.enumerated() where c != 0 {
            p.cost[i] += c
            p.costMass[i] += abs(c)
        }
        p.objectiveConstant += objective.constant
        p.constantMass += abs(objective.constant)
        return p
    }

    /// The most violated hull cut of every unstable, unfixed ReLU at the LP point `v`, when it
    /// cuts `v` off (Anderson et al. 2020, Prop. 13).
    func separate(_ p: Program, at v: [Double]) -> [Row] {
        var cuts: [Row] = []
        for (s, stage) in stages.enumerated() {
            let previousStart = s == 0 ? 0 : p.yStart[s - 1]
            let box = p.inputBox[s]
            for j in 0..<stage.width {
                guard let zc = p.zColumn[s][j], p.isFree(zc) else { continue }
                let z = min(max(v[zc], 0), 1), y = v[p.yStart[s] + j]
                var rhsValue = stage.bias[j] * z
                var subset: [Int32] = []
                var boundsTerm = 0.0, zTerm = stage.bias[j]
                for i in 0..<stage.inputWidth {
                    let w = stage.weights[j * stage.inputWidth + i]
                    guard w != 0 else { continue }
                    let low = w > 0 ? box.lower[i] : box.upper[i], high = w > 0 ? box.upper[i] : box.lower[i]
                    let inside = w * (v[previousStart + i] - low * (1 - z))
                    if inside < w * high * z {
                        subset.append(Int32(i))
                        rhsValue += inside
                        boundsTerm += w * low
                    } else {
                        rhsValue += w * high * z
                        zTerm += w * high
                    }
                }
                guard y > rhsValue + 1e-6 * (1 + abs(y)) else { continue }
                // y − Σ_I wᵢvᵢ − (Σ_I wᵢL̆ᵢ + b + Σ_{∉I} wᵢŬᵢ)·z ≤ −Σ_I wᵢL̆ᵢ.
                zTerm += boundsTerm
                if let row = row(of: Cut(stage: s, neuron: j, subset: subset, z: -zTerm, rhs: -boundsTerm), in: p) { cuts.append(row) }
            }
        }
        return cuts
    }

    /// Whether the Farkas ray `ray` (a multiplier per row, in either sign convention) proves that
    /// no true point of the node exists: `min_B Σ μᵣgᵣ − Σ μᵣ·max gᵣ > 0` in outward-rounded
    /// arithmetic. Every true point `v*` lies in `B` and has `gᵣ(v*) ≤ max gᵣ`, so it would make
    /// `Σ μᵣgᵣ(v*)` both above and below `Σ μᵣ·max gᵣ` (the type's soundness note, without
    /// the objective).
    func certifiesEmpty(_ p: Program, ray: [Double]) -> Bool {
        guard ray.count == p.rows.count, ray.allSatisfy(\.isFinite) else { return false }
        return [1.0, -1.0].contains { sign in soundBound(p, duals: ray.map { sign * $0 }, objective: false) > 0 }
    }

    /// `min_B [obj + Σ μᵣgᵣ] − Σ μᵣ·max gᵣ`, rounded down (see the type's soundness note); without
    /// `objective`, the same with `obj = 0`.
    func soundBound(_ p: Program, duals: [Double], objective: Bool = true) -> Double {
        var coefficient = objective ? p.cost : [Double](repeating: 0, count: p.cost.count)
        var mass = objective ? p.costMass : [Double](repeating: 0, count: p.costMass.count)
        var constant = objective ? p.objectiveConstant : 0
        var constantMass = objective ? p.constantMass : 0
        var correction = 0.0, correctionMass = 0.0
        for (r, row) in p.rows.enumerated() {
            var mu = r < duals.count ? -duals[r] : 0
            if !row.isEquality { mu = max(mu, 0) }
            guard mu != 0, mu.isFinite else { continue }
            for (column, value) in zip(row.columns, row.values) {
                coefficient[Int(column)] += mu * value
                mass[Int(column)] += abs(mu * value)
            }
            constant -= mu * row.rhs
            constantMass += abs(mu * row.rhs)
            let violation = mu > 0 ? maxViolation(p, row: row, sign: 1) : maxViolation(p, row: row, sign: -1)
            let term = abs(mu) * violation
            correction += term
            correctionMass += abs(term)
        }
        var total = constant - correction
        var totalMass = constantMass + correctionMass
        var error = 0.0
        for c in coefficient.indices {
            let low = p.lower[c], high = p.upper[c]
            let term = coefficient[c] >= 0 ? coefficient[c] * low : coefficient[c] * high
            let magnitude = max(abs(low), abs(high))
            total += term
            totalMass += abs(term)
            error += mass[c] * magnitude
        }
        let n = p.rows.count + p.lower.count + 8
        return SoundRounding.lower(total, error: SoundRounding.gamma(n) * (totalMass + error) + SoundRounding.underflow(n))
    }

    /// A sound upper bound of `sign·g(v)` over the node's true points, for the row's ReLU in either
    /// phase it can take (`g(v) = a·v − rhs`).
    func maxViolation(_ p: Program, row: Row, sign: Double) -> Double {
        let stage = stages[row.stage]
        let j = row.neuron
        let l = p.pre[row.stage].lower[j], u = p.pre[row.stage].upper[j]
        let yFixedZero = p.upper[p.yStart[row.stage] + j] == 0
        // The phases a true point of the node can have: inactive needs p ≤ 0, active p ≥ 0.
        let canBeInactive = l <= 0
        let canBeActive = u >= 0 && !yFixedZero
        var worst = -Double.infinity
        switch row.kind {
        case let .structural(theta, yc, zc):
            // g = (θ + yc·[active])·p + zc·[active] − θ·b − rhs, with p in the phase's interval.
            let shift = -theta * stage.bias[j] - row.rhs
            let shiftMass = abs(theta * stage.bias[j]) + abs(row.rhs)
            for active in [false, true] {
                if active ? !canBeActive : !canBeInactive { continue }
                let slope = sign * (theta + (active ? yc : 0))
                let low = active ? max(l, 0) : l, high = active ? u : min(u, 0)
                let pTerm = slope >= 0 ? slope * high : slope * low
                let zTerm = active ? sign * zc : 0
                let value = pTerm + zTerm + sign * shift
                let mass = abs(pTerm) + abs(zTerm) + shiftMass
                worst = max(worst, SoundRounding.upper(value, error: SoundRounding.gamma(6) * mass))
            }
        case let .cut(subset, zc):
            // Inactive: y = z = 0, g = −Σ_I wᵢvᵢ − rhs. Active: y = w·v + b, z = 1,
            // g = Σ_{∉I} wᵢvᵢ + b + zc − rhs. Each over the box of the ReLU's inputs.
            let box = p.inputBox[row.stage]
            var inSubset = [Bool](repeating: false, count: stage.inputWidth)
            for i in subset { inSubset[Int(i)] = true }
            for active in [false, true] {
                if active ? !canBeActive : !canBeInactive { continue }
                var value = sign * ((active ? stage.bias[j] + zc : 0) - row.rhs)
                var mass = abs(value) + abs(stage.bias[j]) + abs(zc) + abs(row.rhs)
                for i in 0..<stage.inputWidth where inSubset[i] != active {
                    let w = sign * (active ? 1 : -1) * stage.weights[j * stage.inputWidth + i]
                    let term = w >= 0 ? w * box.upper[i] : w * box.lower[i]
                    value += term
                    mass += abs(term)
                }
                let n = stage.inputWidth + 8
                worst = max(worst, SoundRounding.upper(value, error: SoundRounding.gamma(n) * mass + SoundRounding.underflow(n)))
            }
        }
        return worst == -.infinity ? 0 : worst
    }
}
