import NetworkIR

/// Forward symbolic bounds: every neuron carries a linear lower and a linear upper function of
/// the network input, pushed forward layer by layer, and its interval is the range of those
/// functions over the input box. This is the symbolic-interval analysis of ReluVal (Wang et al.
/// 2018, "Formal Security Analysis of Neural Networks using Symbolic Intervals", §4) with the
/// symbolic linear relaxation of Neurify (Wang et al. 2018, "Efficient Formal Safety Analysis of
/// Neural Networks", §3.2, eq. 3) for unstable ReLUs: the upper function becomes
/// `λ·(U(x) − l)` with `λ = u/(u − l)`, the lower one `L(x)` or `0` (DeepPoly's adaptive choice,
/// Singh et al. 2019, §4.2).
///
/// Why a second method next to `LinearRelaxation`: with few inputs (ACAS Xu has 5) a forward
/// pass costs O(weights × inputs), about thirty times less than back-substituting every
/// unstable neuron, and branch and bound over input splits evaluates many small boxes, where the
/// looser forward bounds tighten quickly. Its results are intersected with interval propagation
/// and with any sound bounds the caller already has for a larger region (a parent node's).
///
/// - Soundness: the stored coefficients and constants define, in exact real arithmetic, a lower
///   and an upper function of `x` that enclose the exact network's neuron on the region. Each
///   step computes new coefficients in round-to-nearest and moves the constant outward by a bound
///   on the rounding error of the whole function over the box: for an affine row `i`,
///   `γ·(Σⱼ|wᵢⱼ|·sⱼ + |bᵢ|)`, where `sⱼ = Σₖ|cⱼₖ|·magₖ + |dⱼ|` bounds the size of neuron `j`'s
///   functions (`SoundRounding`, Higham eq. 3.5); a division or a ReLU slope adds `2u·size`. The
///   ReLU's upper line `λz + t` is chosen so that it lies on or above `max(0, z)` at both ends of
///   `[l, u]` with `λ ≥ 0` and `t` rounded up, hence on the whole interval. Interval ends are
///   minima and maxima of the functions over the box with their own error terms, rounded outward.
public struct SymbolicPropagation: Sendable {
    /// Creates the method.
    public init() {}

    /// Bounds every layer of `network` over the box `input` (restricted by `phases`).
    /// - Parameters:
    ///   - input: the input box, already rounded outward by the caller; must be finite for the
    ///     symbolic pass (otherwise interval propagation is returned).
    ///   - phases: ReLU phases fixed by branch and bound.
    ///   - known: sound bounds of a region containing this one (for example a parent node's);
    ///     every layer's result is intersected with them.
    /// - Throws: `BoundsError` when the box, the phases or `known` do not fit the network.
    /// - Complexity: O(number of weights × input size).
    public func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment = PhaseAssignment(),
                       within known: NetworkBounds? = nil) throws -> NetworkBounds {
        try IntervalPropagation.validate(network: network, input: input, phases: phases)
        try Self.validate(known: known, for: network)
        guard input.isFinite else { return try IntervalPropagation().bounds(of: network, input: input, phases: phases) }
        return Self.propagate(network: network, input: input, phases: phases, known: known)
    }

    /// Checks that `known` has the network's shape.
    static func validate(known: NetworkBounds?, for network: Network) throws {
        guard let known else { return }
        guard known.input.count == network.inputSize, known.layers.count == network.layers.count,
              zip(known.layers, network.layerSizes).allSatisfy({ $0.count == $1 }) else {
            throw BoundsError.inputSizeMismatch(expected: network.inputSize, actual: known.input.count)
        }
    }

    /// The forward pass (inputs validated).
    static func propagate(network: Network, input: IntervalVector, phases: PhaseAssignment, known: NetworkBounds?) -> NetworkBounds {
        var bounds = NetworkBounds(input: known.map { input.intersection($0.input) } ?? input, layers: [],
                                   reluLayers: IntervalPropagation.reluLayers(of: network))
        let context = SymbolicFunctions.Domain(box: input)
        // Nil after a sigmoid or tanh layer: the symbolic functions stop there and the later
        // layers are bounded by intervals alone.
        var current: SymbolicFunctions? = SymbolicFunctions.identity(size: input.count)
        for (k, layer) in network.layers.enumerated() {
            var box: IntervalVector
            switch layer {
            case let .affine(affine):
                box = IntervalPropagation.image(of: affine, over: bounds.inputBounds(ofLayer: k))
                current = current?.applying(affine, context: context)
                if let current { box = box.intersection(current.range(over: context)) }
            case let .divide(divisors):
                box = IntervalPropagation.image(dividing: bounds.inputBounds(ofLayer: k), by: divisors)
                current = current?.dividing(by: divisors, context: context)
                if let current { box = box.intersection(current.range(over: context)) }
            case .relu:
                var pre = bounds.inputBounds(ofLayer: k)
                if IntervalPropagation.clip(&pre, phases: phases.phases(inLayer: k)) || pre.isEmpty {
                    bounds.isInfeasible = true
                    pre = IntervalVector(lower: pre.lower.map { min($0, 0) }, upper: pre.upper.map { max($0, 0) })
                }
                if k == 0 { bounds.input = pre } else { bounds.layers[k - 1] = pre }
                current = current?.rectified(pre: pre, context: context)
                box = IntervalVector(lower: pre.lower.map { max(0, $0) }, upper: pre.upper.map { max(0, $0) })
            case .smooth:
                box = IntervalPropagation.image(of: layer, over: bounds.inputBounds(ofLayer: k))
                current = nil
            }
            if let known { box = box.intersection(known.layers[k]) }
            if box.isEmpty {
                // Only possible on a sub-region that the phases (or the parent's bounds) make empty.
                bounds.isInfeasible = true
                for j in 0..<box.count where box.lower[j] > box.upper[j] { box.set(j, lower: box.lower[j], upper: box.lower[j]) }
            }
            bounds.layers.append(box)
        }
        return bounds
    }
}
