import NetworkIR
import VNNLIB

/// An incomplete `HiddenPointRealizer`: projected subgradient descent on the distance
/// `max_p |N₀..ₖ(x)_p − target_p|` over the case's box, from the box centre and a few seeded
/// random starts.
///
/// It answers `.realized` with an input it has checked (distance within the tolerance, input
/// constraints satisfied exactly) or `.unknown`; it never answers `.spurious`, since failing
/// to find a preimage proves nothing. The exact answer needs the Z3 encoder.
public struct GradientRealizer: HiddenPointRealizer {
    /// The network.
    public let network: Network
    /// Starts (the centre, then random points).
    public var starts: Int
    /// Descent steps per start.
    public var steps: Int
    /// Seed of the random starts.
    public var seed: UInt64

    /// Creates a realizer for `network`.
    public init(network: Network, starts: Int = 4, steps: Int = 200, seed: UInt64 = 0x5EED) {
        self.network = network
        self.starts = starts
        self.steps = steps
        self.seed = seed
    }

    public func realize(layer: Int, target: [Double], tolerance: Double, region: SpecificationCase,
                        deadline: ContinuousClock.Instant?) -> Realization {
        guard layer >= 0, layer < network.layers.count, target.count == network.layerSizes[layer],
              region.box.count == network.inputSize else {
            return .unknown("the target does not fit layer \(layer)")
        }
        let box = CaseRegion(region, caseIndex: 0)
        guard !box.isEmpty else { return .unknown("the region is empty") }
        var rng = SplitMix64(seed: seed)
        let widths = box.widths
        var bestDistance = Double.infinity
        for start in 0..<max(1, starts) {
            var x = start == 0 ? box.project(box.centre)
                : box.project((0..<box.count).map { rng.nextDouble(in: box.sampleLower[$0], box.sampleUpper[$0]) })
            var step = 0.25
            for _ in 0..<max(1, steps) {
                if let deadline, ContinuousClock.now >= deadline { return .unknown("deadline") }
                if Task.isCancelled { return .unknown("cancelled") }
                let hidden = network.evaluate(layers: 0..<(layer + 1), on: x)
                var worst = 0
                var distance = -1.0
                for p in hidden.indices {
                    let d = abs(hidden[p] - target[p])
                    if d > distance { distance = d; worst = p }
                }
                bestDistance = min(bestDistance, distance)
                if distance <= tolerance,
                   region.inputConstraints.allSatisfy({ $0.holdsExactly(inputs: x, outputs: []) }) {
                    return .realized(x)
                }
                var cotangent = [Double](repeating: 0, count: hidden.count)
                cotangent[worst] = hidden[worst] > target[worst] ? 1 : -1
                let g = network.vectorJacobianProduct(cotangent, layers: 0..<(layer + 1), at: x)
                let largest = zip(g, widths).map { abs($0 * $1) }.max() ?? 0
                guard largest > 0 else { break }
                // Move against the gradient, far enough to close the gap if it were linear.
                let scale = min(step, distance / largest)
                x = box.project(zip(x, zip(g, widths)).map { $0 - scale * $1.0 * $1.1 * $1.1 / largest })
                step *= 0.97
            }
        }
        return .unknown("no preimage found by gradient descent (closest distance \(bestDistance))")
    }
}
