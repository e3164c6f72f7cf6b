import CBoundsKernels
import NetworkIR

/// Interval bound propagation: pushes a box through the network one layer at a time.
///
/// Each affine row is bounded by `bᵢ + Σⱼ max(wᵢⱼ,0)·lⱼ + min(wᵢⱼ,0)·uⱼ` (and symmetrically above),
/// the exact range of the row over the box (Gowal et al. 2018, "On the Effectiveness of Interval
/// Bound Propagation", eq. 6, in lower/upper form). Division by a constant and ReLU are monotone
/// coordinate-wise, so their images are exact; sigmoid and tanh are monotone too, and their
/// images are widened for libm's error (`SmoothActivation.image`).
///
/// - Soundness: every dot product is evaluated in round-to-nearest and then widened by the
///   a-priori error bound `γₙ₊₁·(|b| + Σ|w|·max(|l|,|u|)) + underflow` (see `SoundRounding`),
///   followed by `nextDown`/`nextUp`; quotients are rounded outward with `nextDown`/`nextUp`.
///   Boxes with infinite ends take a slower path that rounds every product and partial sum
///   outward and skips zero weights (so `0·∞` never arises). The result therefore encloses the
///   exact interval image of the exact weights over the given box.
public struct IntervalPropagation: Sendable {
    /// Creates the method (it has no options).
    public init() {}

    /// Bounds every layer of `network` over the box `input`.
    /// - Parameters:
    ///   - input: the input box, already rounded outward by the caller (`InputBox.lowerDoubles`).
    ///   - phases: ReLU phases fixed by branch and bound; the bounds then hold on the sub-region.
    /// - Throws: `BoundsError` when the box or the phases do not fit the network.
    /// - Complexity: O(total number of weights).
    public func bounds(of network: Network, input: IntervalVector, phases: PhaseAssignment = PhaseAssignment()) throws -> NetworkBounds {
        try Self.validate(network: network, input: input, phases: phases)
        var bounds = NetworkBounds(input: input, layers: [], reluLayers: Self.reluLayers(of: network))
        bounds.layers.reserveCapacity(network.layers.count)
        for (index, layer) in network.layers.enumerated() {
            Self.appendImage(of: layer, at: index, to: &bounds, phases: phases)
        }
        return bounds
    }

    /// Checks the box size and the phases against the network.
    static func validate(network: Network, input: IntervalVector, phases: PhaseAssignment) throws {
        guard input.count == network.inputSize else {
            throw BoundsError.inputSizeMismatch(expected: network.inputSize, actual: input.count)
        }
        try phases.validate(for: network)
    }

    /// The indices of the ReLU layers of `network`.
    public static func reluLayers(of network: Network) -> [Int] {
        network.layers.indices.filter { if case .relu = network.layers[$0] { true } else { false } }
    }

    /// Appends the interval image of layer `index` to `bounds`; for a ReLU layer it first clips
    /// the pre-activation bounds by the fixed phases (and flags an empty sub-region).
    static func appendImage(of layer: Layer, at index: Int, to bounds: inout NetworkBounds, phases: PhaseAssignment) {
        switch layer {
        case let .affine(affine):
            bounds.layers.append(image(of: affine, over: bounds.inputBounds(ofLayer: index)))
        case let .divide(divisors):
            bounds.layers.append(image(dividing: bounds.inputBounds(ofLayer: index), by: divisors))
        case .relu:
            var pre = bounds.inputBounds(ofLayer: index)
            if clip(&pre, phases: phases.phases(inLayer: index)) { bounds.isInfeasible = true }
            if index == 0 { bounds.input = pre } else { bounds.layers[index - 1] = pre }
            bounds.layers.append(IntervalVector(lower: pre.lower.map { max(0, $0) }, upper: pre.upper.map { max(0, $0) }))
        case .smooth:
            bounds.layers.append(image(of: layer, over: bounds.inputBounds(ofLayer: index)))
        }
    }

    /// The sound image of a sigmoid or tanh layer (`SmoothActivation.image`: the function
    /// increases, so each coordinate maps to its end values, widened for libm's error; a
    /// carried coordinate keeps its bounds).
    /// - Precondition: `layer` is a smooth layer.
    static func image(of layer: Layer, over x: IntervalVector) -> IntervalVector {
        guard let smooth = layer.smoothLayer else { preconditionFailure("\(layer.kindName) is not a smooth activation") }
        var lower = x.lower
        var upper = x.upper
        for j in 0..<x.count where !smooth.carries(j) {
            (lower[j], upper[j]) = smooth.function.image(lower: x.lower[j], upper: x.upper[j])
        }
        return IntervalVector(lower: lower, upper: upper)
    }

    /// Clips pre-activation bounds to the half-lines of the fixed phases.
    /// - Returns: true when a phase contradicts the bounds (the sub-region is empty); that
    ///   neuron's interval is then set to `[0, 0]` to keep the box well-formed.
    static func clip(_ pre: inout IntervalVector, phases: [Int: ReLUPhase]) -> Bool {
        var infeasible = false
        for (neuron, phase) in phases {
            switch phase {
            case .inactive:
                if pre.lower[neuron] > 0 { infeasible = true; pre.set(neuron, lower: 0, upper: 0) }
                else { pre.tighten(neuron, lower: -.infinity, upper: 0) }
            case .active:
                if pre.upper[neuron] < 0 { infeasible = true; pre.set(neuron, lower: 0, upper: 0) }
                else { pre.tighten(neuron, lower: 0, upper: .infinity) }
            }
        }
        return infeasible
    }

    /// The sound interval image of an affine layer.
    /// - Parameter vectorised: whether the AVX2 kernel may be used for dense weights (tests turn
    ///   it off to check the portable path; both sum in a fixed order, with the same error bound).
    /// - Complexity: O(rows × columns).
    static func image(of affine: AffineLayer, over x: IntervalVector, vectorised: Bool = true) -> IntervalVector {
        guard x.isFinite else { return imageWithInfiniteEnds(of: affine, over: x) }
        let n = affine.inputSize, m = affine.outputSize
        var lower = [Double](repeating: 0, count: m)
        var upper = [Double](repeating: 0, count: m)
        let magnitudes = x.magnitudes
        let gamma = SoundRounding.gamma(n + 1), tiny = SoundRounding.underflow(n)
        guard let dense = affine.denseWeights else {
            // Sparse weights: the same sums over the stored entries (the others add exact zeros).
            for i in 0..<m {
                let b = affine.bias[i]
                var low = b, high = b, size = abs(b)
                affine.matrix.forEachEntry(inRow: i) { j, w0 in
                    low += max(w0, 0) * x.lower[j] + min(w0, 0) * x.upper[j]
                    high += max(w0, 0) * x.upper[j] + min(w0, 0) * x.lower[j]
                    size += abs(w0) * magnitudes[j]
                }
                let error = gamma * size + tiny
                lower[i] = SoundRounding.lower(low, error: error)
                upper[i] = SoundRounding.upper(high, error: error)
            }
            return IntervalVector(lower: lower, upper: upper)
        }
        if vectorised && DenseKernels.hasAVX2 {
            var size = [Double](repeating: 0, count: m)
            dense.storage.withUnsafeBufferPointer { w in
                certus_interval_image_avx2(w.baseAddress, m, n, affine.bias, x.lower, x.upper, magnitudes,
                                           &lower, &upper, &size)
            }
            for i in 0..<m {
                let error = gamma * size[i] + tiny
                lower[i] = SoundRounding.lower(lower[i], error: error)
                upper[i] = SoundRounding.upper(upper[i], error: error)
            }
            return IntervalVector(lower: lower, upper: upper)
        }
        dense.storage.withUnsafeBufferPointer { w in
            x.lower.withUnsafeBufferPointer { l in
                x.upper.withUnsafeBufferPointer { u in
                    magnitudes.withUnsafeBufferPointer { mag in
                        for i in 0..<m {
                            let b = affine.bias[i]
                            // Two partial sums per quantity (any summation order has the same error bound).
                            var low = b, high = b, size = abs(b), low2 = 0.0, high2 = 0.0, size2 = 0.0
                            let row = i &* n
                            var j = 0
                            while j &+ 2 <= n {
                                let w0 = w[row &+ j], w1 = w[row &+ j &+ 1]
                                // One of the two products is an exact zero, so each step rounds once.
                                low += max(w0, 0) * l[j] + min(w0, 0) * u[j]
                                high += max(w0, 0) * u[j] + min(w0, 0) * l[j]
                                size += abs(w0) * mag[j]
                                low2 += max(w1, 0) * l[j &+ 1] + min(w1, 0) * u[j &+ 1]
                                high2 += max(w1, 0) * u[j &+ 1] + min(w1, 0) * l[j &+ 1]
                                size2 += abs(w1) * mag[j &+ 1]
                                j &+= 2
                            }
                            if j < n {
                                let w0 = w[row &+ j]
                                low += max(w0, 0) * l[j] + min(w0, 0) * u[j]
                                high += max(w0, 0) * u[j] + min(w0, 0) * l[j]
                                size += abs(w0) * mag[j]
                            }
                            low += low2
                            high += high2
                            size += size2
                            let error = gamma * size + tiny
                            lower[i] = SoundRounding.lower(low, error: error)
                            upper[i] = SoundRounding.upper(high, error: error)
                        }
                    }
                }
            }
        }
        return IntervalVector(lower: lower, upper: upper)
    }

    /// The affine image when some end is infinite: every product and partial sum is rounded
    /// outward and zero weights are skipped, so no `0·∞` or `∞ − ∞` arises on the relevant side.
    private static func imageWithInfiniteEnds(of affine: AffineLayer, over x: IntervalVector) -> IntervalVector {
        let m = affine.outputSize
        var lower = [Double](repeating: 0, count: m)
        var upper = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var low = affine.bias[i], high = affine.bias[i]
            affine.matrix.forEachEntry(inRow: i) { j, wij in
                if wij == 0 { return }
                let (forLow, forHigh) = wij > 0 ? (x.lower[j], x.upper[j]) : (x.upper[j], x.lower[j])
                low = (low + SoundRounding.productDown(wij, forLow)).nextDown
                high = (high + SoundRounding.productUp(wij, forHigh)).nextUp
            }
            lower[i] = low
            upper[i] = high
        }
        return IntervalVector(lower: lower, upper: upper)
    }

    /// The sound image of `x ↦ x / d` coordinate-wise (quotients rounded outward).
    static func image(dividing x: IntervalVector, by divisors: [Double]) -> IntervalVector {
        var lower = [Double](repeating: 0, count: x.count)
        var upper = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let d = divisors[i]
            let (a, b) = d > 0 ? (x.lower[i], x.upper[i]) : (x.upper[i], x.lower[i])
            lower[i] = (a / d).nextDown
            upper[i] = (b / d).nextUp
        }
        return IntervalVector(lower: lower, upper: upper)
    }
}
