import LinearPrograms

/// The split a node's hull program names when it proves nothing.
extension HullRelaxation {
    /// The unfixed unstable ReLUs of the last stage whose relaxation the solution `v` exploits,
    /// each with how much: `max(0, −c)·(y − max(0, p))`, with `c` the objective's coefficient of
    /// `y` (the output a split makes exact is worth what the objective pays for it).
    func exploitedReLUs(_ p: Program, at v: [Double]) -> [(neuron: Int, gain: Double)] {
        let s = stages.count - 1
        let stage = stages[s]
        let previousStart = s == 0 ? 0 : p.yStart[s - 1]
        var exploited: [(neuron: Int, gain: Double)] = []
        for j in 0..<stage.width where p.isFree(p.zColumn[s][j]) {
            let y = p.yStart[s] + j
            var pre = stage.bias[j]
            for i in 0..<stage.inputWidth { pre += stage.weights[j * stage.inputWidth + i] * v[previousStart + i] }
            let gain = max(0, -p.cost[y]) * (v[y] - max(0, pre))
            if gain > 1e-9 { exploited.append((j, gain)) }
        }
        return exploited
    }

    /// The ReLU of `exploitedReLUs` exploited most. Nil when none is, or the objective does not
    /// read the last stage directly.
    func branchingChoice(_ p: Program, at v: [Double]) -> (layer: Int, neuron: Int)? {
        exploitedReLUs(p, at: v).max { $0.gain < $1.gain }.map { (stages[stages.count - 1].relu, $0.neuron) }
    }

    /// Reliability branching (Achterberg, Koch and Martin 2005, §3) over `exploitedReLUs`.
    ///
    /// A candidate's score is the product of its two children's gains over the node's value,
    /// `max(Δ⁻, ε)·max(Δ⁺, ε)` (their product score). Candidates are taken in the order of their
    /// estimated score (pseudocosts times the indicator's move: `f` down, `1 − f` up). One whose
    /// pseudocosts rest on fewer than `reliableAfter` solves is solved instead, at most
    /// `solvesPerNode` a node: each child's program (the indicator fixed to 0 or 1, which the
    /// big-M rows make the exact split) by the dual simplex method from the node's final `basis`,
    /// its value capped at `threshold` (a child past it would be proved). Its gains are recorded.
    /// The search stops after `lookahead` candidates in a row that beat nothing.
    ///
    /// CLP's values here are guesses, never bounds: they only order the candidates. `lp` is left
    /// with the node's column bounds and some basis; the node's warm start was taken before.
    func reliabilityChoice(_ p: Program, lp: LinearProgram, at v: [Double], basis: [UInt8], value: Double,
                           threshold: Double, branching: inout ReliabilityBranching) -> (layer: Int, neuron: Int)? {
        let stage = stages[stages.count - 1]
        let epsilon = 1e-6
        var candidates: [(neuron: Int, z: Int, f: Double, score: Double, reliable: Bool)] = []
        for (j, _) in exploitedReLUs(p, at: v) {
            guard let z = p.zColumn[stages.count - 1][j] else { continue }
            let f = min(max(v[z], 0), 1)
            let estimate = branching.pseudocosts.estimate(j)
            candidates.append((j, z, f, max(estimate.down * f, epsilon) * max(estimate.up * (1 - f), epsilon),
                               estimate.count >= branching.reliableAfter))
        }
        guard candidates.count > 1 else { return candidates.first.map { (stage.relu, $0.neuron) } }
        candidates.sort { $0.score > $1.score }
        let cap = threshold.isFinite ? threshold : value + 1
        lp.objectiveLimit = objectiveLimit(above: cap, p)
        var best: (neuron: Int, score: Double)?
        var sinceBest = 0, solves = 0
        for candidate in candidates {
            var score = candidate.score
            if !candidate.reliable && solves < branching.solvesPerNode {
                solves += 1
                let gains = [0.0, 1.0].map { fixed -> Double in
                    lp.start(from: basis)
                    lp.setColumnBounds(candidate.z, lower: fixed, upper: fixed)
                    defer { lp.setColumnBounds(candidate.z, lower: p.lower[candidate.z], upper: p.upper[candidate.z]) }
                    switch lp.solve() {
                    case .infeasible, .objectiveLimitReached: return cap - value
                    case .optimal: return max(min(lp.objectiveValue + p.objectiveConstant, cap) - value, 0)
                    case .unbounded, .stopped: return 0
                    }
                }
                if candidate.f > epsilon && candidate.f < 1 - epsilon {
                    branching.record(candidate.neuron, down: gains[0] / candidate.f, up: gains[1] / (1 - candidate.f))
                }
                score = max(gains[0], epsilon) * max(gains[1], epsilon)
            }
            if score > best?.score ?? -1 {
                best = (candidate.neuron, score)
                sinceBest = 0
            } else {
                sinceBest += 1
                if sinceBest >= branching.lookahead { break }
            }
        }
        return best.map { (stage.relu, $0.neuron) }
    }
}
