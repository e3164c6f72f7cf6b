import NetworkIR

extension RegionRefutation {
    /// Tries to prove a node whose ReLUs are all stable or fixed by splits (a branch-and-bound
    /// leaf), using the split constraints themselves.
    ///
    /// Why: at such a node the back-substituted bound is exact for the network but ignores the
    /// constraints `sⱼ·zⱼ ≥ 0` that define the node (z ≥ 0 for a neuron split active, z ≤ 0 for
    /// one split inactive), so the node stays open although its linear program may be
    /// infeasible for the case. Exact Z3 decides it, but on MNIST fc encoding the 784-input
    /// network in rationals alone takes about 4 s. The Lagrangian `f − Σβⱼsⱼzⱼ` with `β ≥ 0` is
    /// a lower bound of `f` on the node for every `β` (β-CROWN, Wang et al. 2021, eq. 4), and
    /// with no unstable ReLU left its maximum over `β` is the linear program's value (strong
    /// duality). `β` is found by projected supergradient ascent with Polyak's step towards a
    /// positive bound: at the box vertex `x*` that minimises the Lagrangian, `∂/∂βⱼ = −sⱼ·zⱼ(x*)`,
    /// with `zⱼ(x*)` evaluated with the node's phases forced.
    ///
    /// - Soundness: every bound tried is computed by `BackSubstitution` with the β terms and its
    ///   rounding errors, then corrected to the exact expression (`ExpressionObjective`); the
    ///   ascent only chooses β.
    /// - Returns: true when an atom of the case is proved unreachable on the node.
    public func refuteWithSplitMultipliers(over bounds: NetworkBounds, phases: PhaseAssignment, iterations: Int = 30) -> Bool {
        splitMultiplierRefutation(over: bounds, phases: phases, iterations: iterations) != nil
    }

    /// As `refuteWithSplitMultipliers`, with what proved the node: the atom and its bound, whose
    /// `splitTerms` carry the β (no atom for an empty node), for proof certificates; nil when
    /// not proved.
    public func splitMultiplierRefutation(over bounds: NetworkBounds, phases: PhaseAssignment, iterations: Int = 30) -> Outcome? {
        let network = problem.network
        let proved = Outcome(proved: true, atomBounds: [], guide: nil)
        guard !bounds.isInfeasible, !problem.inputIsEmpty else { return proved }
        guard bounds.input.isFinite, iterations > 0 else { return nil }
        let splits = phases.splitConstraints
        guard !splits.isEmpty else { return nil }
        var engine = BackSubstitution(network: network, bounds: bounds)
        engine.prepare(through: network.layers.count - 1)
        let start = network.layers.count - 1
        for (a, atom) in atoms.enumerated() {
            let exact = problem.objective(atom)
            let objective = exact.objective
            let strict = !atom.negated && problem.constraints[atom.index].relation == .less
            var beta = [Double](repeating: 0, count: splits.count)
            for _ in 0..<iterations {
                var terms: [Int: [Double]] = [:]
                for (s, split) in splits.enumerated() where beta[s] > 0 {
                    let size = split.layer == 0 ? network.inputSize : network.layerSizes[split.layer - 1]
                    terms[split.layer, default: [Double](repeating: 0, count: size)][split.neuron] -= beta[s] * split.sign
                }
                let result = engine.run(start: start, rows: .dense(count: 1, coefficients: objective.outputCoefficients),
                                        inputRows: objective.inputCoefficients, constants: [objective.constant],
                                        splitTerms: terms)
                let lower = result.lower[0]
                let sound = exact.soundLower(lower, bounds)
                if sound > 0 || (strict && sound >= 0) {
                    var bound = ObjectiveBound(lower: lower, inputCoefficients: [], inputConstant: -.infinity, multipliers: [])
                    for (s, split) in splits.enumerated() where beta[s] > 0 {
                        bound.splitTerms.append(.init(layer: split.layer, neuron: split.neuron, beta: beta[s]))
                    }
                    var atomBounds = atoms.map { _ in
                        ObjectiveBound(lower: -.infinity, inputCoefficients: [], inputConstant: -.infinity, multipliers: [])
                    }
                    atomBounds[a] = bound
                    return Outcome(proved: true, atomBounds: atomBounds, guide: a)
                }
                guard lower.isFinite else { break }
                let vertex = bounds.input.lower.indices.map { i in
                    result.inputCoefficients[i] > 0 ? bounds.input.lower[i] : bounds.input.upper[i]
                }
                let z = Self.forcedPreActivations(network, at: vertex, phases: phases, splits: splits)
                let gradient = zip(splits, z).map { split, value in -split.sign * value }
                // Polyak's step towards a bound just above zero, projected on β ≥ 0.
                let norm = gradient.reduce(0) { $0 + $1 * $1 }
                guard norm > 0, norm.isFinite else { break }
                let target = 1e-6 * max(1, abs(lower))
                let step = (target - lower) / norm
                var moved = false
                for s in beta.indices {
                    let next = max(0, beta[s] + step * gradient[s])
                    if next != beta[s] { moved = true }
                    beta[s] = next
                }
                if !moved { break }
            }
        }
        return nil
    }

    /// The pre-activations of the split neurons at `x`, with every split neuron's phase forced
    /// (active passes its pre-activation, inactive gives 0) and the other ReLUs as usual.
    static func forcedPreActivations(_ network: Network, at x: [Double], phases: PhaseAssignment,
                                     splits: [PhaseAssignment.SplitConstraint]) -> [Double] {
        var values = [Double](repeating: 0, count: splits.count)
        var vector = x
        for (k, layer) in network.layers.enumerated() {
            if case .relu = layer {
                let fixed = phases.phases(inLayer: k)
                for (s, split) in splits.enumerated() where split.layer == k { values[s] = vector[split.neuron] }
                for j in vector.indices {
                    switch fixed[j] {
                    case .active?: break
                    case .inactive?: vector[j] = 0
                    case nil: vector[j] = max(0, vector[j])
                    }
                }
            } else {
                vector = Network.apply(layer, to: vector)
            }
        }
        return values
    }
}
