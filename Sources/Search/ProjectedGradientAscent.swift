import Foundation
import NetworkIR

/// The projected gradient step loop shared by every gradient attack (the falsifier's restarts
/// and branch and bound's node climbs): signed-gradient ascent of one case's violation margin
/// inside a box.
///
/// Each step is `x ← Π(x + α_t·w ⊙ sign ∇m(x))`, the ℓ∞ PGD step of Madry et al. 2018
/// ("Towards Deep Learning Models Resistant to Adversarial Attacks", eq. 2), with the step
/// scaled per input by the box width `w` (so flat and wide inputs move alike) and a geometric
/// schedule `α_t = α₀·(α_end/α₀)^(t/(T−1))`. `m` is the margin loss of `MarginObjective` (the
/// Carlini–Wagner objective for one target class on robustness properties) and `∇m` its exact
/// subgradient by reverse-mode differentiation. The climb stops at the first point inside the
/// unsafe set (`m ≥ 0`), when a step changes nothing, or after `steps` steps; the last iterate
/// is measured too.
///
/// It only proposes points: callers confirm every one with `CounterexampleCheck`.
public struct ProjectedGradientAscent: Sendable {
    /// Gradient steps per climb.
    public var steps: Int
    /// First step as a share of the width in each input.
    public var initialStep: Double
    /// Last step as a share of the width in each input.
    public var finalStep: Double

    public init(steps: Int, initialStep: Double, finalStep: Double) {
        self.steps = steps
        self.initialStep = initialStep
        self.finalStep = finalStep
    }

    /// What one climb found.
    public struct Climb: Sendable {
        /// The point of largest margin seen (the start when nothing was measured).
        public var point: [Double]
        /// Its margin (`−∞` when nothing was measured; non-negative: inside the unsafe set).
        public var margin: Double
        /// Network evaluations spent (each with its backward pass, but the last).
        public var evaluations: Int
        /// Whether `shouldStop` ended the climb.
        public var interrupted: Bool
    }

    /// Climbs from `start`, staying in `[lower, upper]`.
    /// - Parameters:
    ///   - widths: the step scale per input (for unbounded inputs, a finite sampling width).
    ///   - shouldStop: asked before each evaluation (deadline, cancellation).
    /// - Complexity: at most `steps + 1` forward and `steps` backward passes.
    public func climb(from start: [Double], lower: [Double], upper: [Double], widths: [Double],
                      objective: MarginObjective, network: AttackNetwork,
                      shouldStop: () -> Bool = { false }) -> Climb {
        var x = start
        var result = Climb(point: start, margin: -.infinity, evaluations: 0, interrupted: false)
        let steps = max(1, steps)
        let ratio = finalStep / initialStep
        for t in 0...steps {
            if shouldStop() {
                result.interrupted = true
                break
            }
            let trace = network.evaluateTrace(x)
            let y = trace.last ?? x
            result.evaluations += 1
            let (margin, active) = objective.margin(input: x, output: y)
            if margin > result.margin { (result.point, result.margin) = (x, margin) }
            guard t < steps, margin < 0, let active else { break }
            let g = objective.gradient(network: network, input: x, trace: trace, output: y, active: active)
            let alpha = initialStep * pow(ratio, Double(t) / Double(max(1, steps - 1)))
            var next = x
            for i in x.indices where g[i] != 0 && g[i].isFinite {
                let step = alpha * widths[i]
                guard step.isFinite else { continue }
                next[i] = min(upper[i], max(lower[i], x[i] + (g[i] > 0 ? step : -step)))
            }
            if next == x { break }
            x = next
        }
        return result
    }
}
