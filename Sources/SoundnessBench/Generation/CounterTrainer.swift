import Foundation
import Search

/// Trains a small MLP so that every property box is robust except for a planted point, which
/// must be misclassified: SoundnessBench's two-objective training (Zhou et al. 2024,
/// "Testing Neural Network Verifiers: A Soundness Benchmark with Hidden Counterexamples",
/// arXiv 2412.03154, `adv_training.py`), kept small.
///
/// Per epoch, one full-batch Adam step (Kingma & Ba 2015, Algorithm 1) on
/// - the adversarial-training hinge `relu(κ − (z_y − max_{j≠y} z_j))` at the worst point a short
///   PGD (Madry et al. 2018, eq. 2) finds in each box, at the box centre, and at a replay window of
///   earlier adversarial points (SoundnessBench replays its last 300 deltas);
/// - the counter objective `λ·relu(μ − (z_t − z_y))` at each planted point (SoundnessBench:
///   `relu(logit_y + 0.01 − logit_target)`).
/// The attack keeps finding whatever misclassified region is reachable and training removes it,
/// while the counter term keeps the planted point misclassified: what remains is a pocket
/// around the planted point too small for the attack to reach. Unlike SoundnessBench, the hinge
/// skips points in a small L∞ zone around the planted point (`TrainingBox.zoneRadius`), which
/// gives the two objectives a common solution instead of a tug of war, and asks for a larger
/// margin on a wall around the zone, so that the margin rises towards the pocket and a gradient
/// attack is turned away from it rather than led into it; the generator halves the zone when the
/// hidden-ness attack still reaches it. Gradients are clipped to norm 10.
struct CounterTrainer {
    /// Budgets and weights of one training run.
    struct Options: Sendable, Hashable {
        var epochs = 1500
        var learningRate = 1e-2
        /// κ: the margin the label must keep on the boxes.
        var robustMargin = 0.05
        /// μ: the margin the target must have at a planted point.
        var counterMargin = 0.02
        /// λ: weight of the counter objective.
        var counterWeight = 10.0
        var attackSteps = 8
        var attackRestarts = 2
        /// Random points (uniform and corners) the first restart starts from the worst of.
        var attackSamples = 32
        /// The margin required on the wall around a free zone: higher than `robustMargin`, so
        /// that the label's margin rises towards the pocket and gradient attacks turn away.
        var wallMargin = 0.3
        /// The wall's thickness, in zone radii.
        var wallWidth = 2.0
        /// Wall points trained per planted box and epoch.
        var wallSamples = 8
        /// Adversarial points remembered per box.
        var replayWindow = 32
        /// How often the stopping test runs.
        var checkEvery = 50
        var checkRestarts = 20
        var checkSteps = 40
    }

    /// What a run achieved.
    struct Summary: Sendable {
        var epochs: Int
        /// Whether every planted point is misclassified (with half the margin) and the stopping
        /// attack found nothing.
        var converged: Bool
    }

    let options: Options

    /// Trains `mlp` in place.
    /// - Parameter extra: further points that must keep their label (counterexamples an
    ///   earlier hidden-ness check found).
    func train(_ mlp: inout DenseMLP, boxes: [TrainingBox], extra: [(point: [Double], label: Int)],
               rng: inout SplitMix64) -> Summary {
        var adam = AdamState(shapeOf: mlp)
        var replay = Array(repeating: [[Double]](), count: boxes.count)
        var replayNext = Array(repeating: 0, count: boxes.count)
        for epoch in 1...max(1, options.epochs) {
            let gradient = GradientAccumulator(shapeOf: mlp)
            for (b, box) in boxes.enumerated() {
                var points = [centre(box)]
                for restart in 0..<options.attackRestarts {
                    let (adversarial, _) = attack(mlp, box: box, steps: options.attackSteps,
                                                  samples: restart == 0 ? options.attackSamples : 0, rng: &rng)
                    points.append(adversarial)
                    if options.replayWindow > 0 {
                        if replay[b].count < options.replayWindow {
                            replay[b].append(adversarial)
                        } else {
                            replay[b][replayNext[b]] = adversarial
                            replayNext[b] = (replayNext[b] + 1) % options.replayWindow
                        }
                    }
                }
                for x in points + replay[b] where !box.isInZone(x) {
                    addHinge(mlp, x: x, label: box.label, margin: wallMargin(box, x), into: gradient)
                }
                if let planted = box.planted, let target = box.target {
                    addCounter(mlp, x: planted, label: box.label, target: target, weight: options.counterWeight * box.counterBoost,
                               into: gradient)
                    for _ in 0..<options.wallSamples {
                        let x = wallPoint(box, planted: planted, rng: &rng)
                        addHinge(mlp, x: x, label: box.label, margin: options.wallMargin, into: gradient)
                    }
                }
            }
            for (x, label) in extra { addHinge(mlp, x: x, label: label, margin: options.robustMargin, into: gradient) }
            let progress = Double(epoch - 1) / Double(max(1, options.epochs))
            let rate = options.learningRate * 0.5 * (1 + cos(Double.pi * progress))
            adam.step(&mlp, gradient: gradient, learningRate: rate, clip: 10)
            if epoch % options.checkEvery == 0 || epoch == options.epochs,
               isDone(mlp, boxes: boxes, extra: extra, rng: &rng) {
                return Summary(epochs: epoch, converged: true)
            }
        }
        return Summary(epochs: options.epochs, converged: false)
    }

    func centre(_ box: TrainingBox) -> [Double] { zip(box.lower, box.upper).map { ($0 + $1) / 2 } }

    /// `z_y − max_{j≠y} z_j` and the maximising `j`.
    static func margin(_ logits: [Double], label: Int) -> (value: Double, rival: Int) {
        var rival = label == 0 ? 1 : 0
        for j in logits.indices where j != label && logits[j] > logits[rival] { rival = j }
        return (logits[label] - logits[rival], rival)
    }

    /// The margin the label must keep at `x`: `wallMargin` on the wall around the free zone,
    /// `robustMargin` elsewhere.
    func wallMargin(_ box: TrainingBox, _ x: [Double]) -> Double {
        guard let planted = box.planted else { return options.robustMargin }
        let distance = zip(x, planted).map { abs($0 - $1) }.max() ?? 0
        return distance < box.zoneRadius * (1 + options.wallWidth) ? options.wallMargin : options.robustMargin
    }

    /// A random point of the wall (L∞ distance from the planted point between the zone radius
    /// and `1 + wallWidth` times it), clipped to the box.
    func wallPoint(_ box: TrainingBox, planted: [Double], rng: inout SplitMix64) -> [Double] {
        let r = box.zoneRadius
        let face = rng.nextInt(below: planted.count)
        return planted.indices.map { i in
            let offset = i == face ? rng.nextSign() * rng.nextDouble(in: r, r * (1 + options.wallWidth))
                                   : rng.nextDouble(in: -r * (1 + options.wallWidth), r * (1 + options.wallWidth))
            return min(max(planted[i] + offset, box.lower[i]), box.upper[i])
        }
    }

    func addHinge(_ mlp: DenseMLP, x: [Double], label: Int, margin: Double, into gradient: GradientAccumulator) {
        let (trace, output) = mlp.forward(x)
        let (m, rival) = Self.margin(output, label: label)
        guard m < margin else { return }
        var d = [Double](repeating: 0, count: output.count)
        d[label] = -1
        d[rival] = 1
        _ = mlp.backward(trace: trace, dOutput: d, into: gradient)
    }

    func addCounter(_ mlp: DenseMLP, x: [Double], label: Int, target: Int, weight: Double, into gradient: GradientAccumulator) {
        let (trace, output) = mlp.forward(x)
        guard output[target] - output[label] < options.counterMargin else { return }
        var d = [Double](repeating: 0, count: output.count)
        d[label] = weight
        d[target] = -weight
        _ = mlp.backward(trace: trace, dOutput: d, into: gradient)
    }

    /// PGD on `−margin` from the worst of `samples` random points (uniform and corners, as the
    /// falsifier starts) or from a uniform point when `samples` is 0; returns the worst iterate
    /// outside the free zone and its margin.
    func attack(_ mlp: DenseMLP, box: TrainingBox, steps: Int, samples: Int = 0,
                rng: inout SplitMix64) -> ([Double], Double) {
        var x = box.lower.indices.map { rng.nextDouble(in: box.lower[$0], box.upper[$0]) }
        var startMargin = Double.infinity
        for k in 0..<samples {
            let candidate = box.lower.indices.map { i in
                k % 2 == 0 ? rng.nextDouble(in: box.lower[i], box.upper[i]) : (rng.nextSign() > 0 ? box.upper[i] : box.lower[i])
            }
            let m = Self.margin(mlp.logits(candidate), label: box.label).value
            if m < startMargin && !box.isInZone(candidate) { startMargin = m; x = candidate }
        }
        var best = x
        var bestMargin = Double.infinity
        for t in 0...steps {
            let (trace, output) = mlp.forward(x)
            let (m, rival) = Self.margin(output, label: box.label)
            // The worst iterate outside the free zone: the approach to the pocket gets trained too.
            if m < bestMargin && !box.isInZone(x) { bestMargin = m; best = x }
            guard t < steps else { break }
            var d = [Double](repeating: 0, count: output.count)
            d[box.label] = -1
            d[rival] = 1
            let g = mlp.backward(trace: trace, dOutput: d, into: nil)
            let alpha = 0.25 * pow(0.1, Double(t) / Double(max(1, steps - 1)))
            for i in x.indices where g[i] != 0 {
                x[i] += alpha * (box.upper[i] - box.lower[i]) * (g[i] > 0 ? 1 : -1)
                x[i] = min(max(x[i], box.lower[i]), box.upper[i])
            }
        }
        return (best, bestMargin)
    }

    /// True when every planted point keeps half its margin with float32-rounded weights, every
    /// box centre and extra point keeps its label, and a stronger attack finds no
    /// misclassified point in any box.
    func isDone(_ mlp: DenseMLP, boxes: [TrainingBox], extra: [(point: [Double], label: Int)],
                rng: inout SplitMix64) -> Bool {
        var rounded = mlp
        rounded.weights = mlp.weights.map { $0.map { Double(Float($0)) } }
        rounded.biases = mlp.biases.map { $0.map { Double(Float($0)) } }
        for box in boxes {
            if let planted = box.planted, let target = box.target {
                let z = rounded.logits(planted)
                guard z[target] - z[box.label] >= options.counterMargin / 2 else { return false }
            }
            guard Self.margin(rounded.logits(centre(box)), label: box.label).value > 0 else { return false }
            for _ in 0..<options.checkRestarts {
                guard attack(rounded, box: box, steps: options.checkSteps, rng: &rng).1 > 0 else { return false }
            }
        }
        return extra.allSatisfy { Self.margin(rounded.logits($0.point), label: $0.label).value > 0 }
    }
}

/// Adam's moment estimates for a `DenseMLP` (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
struct AdamState {
    var m: GradientAccumulator
    var v: GradientAccumulator
    var t = 0

    init(shapeOf mlp: DenseMLP) {
        m = GradientAccumulator(shapeOf: mlp)
        v = GradientAccumulator(shapeOf: mlp)
    }

    /// One update with the gradient scaled down to norm `clip` when larger.
    mutating func step(_ mlp: inout DenseMLP, gradient: GradientAccumulator, learningRate: Double, clip: Double) {
        t += 1
        let norm = gradient.norm
        let scale = norm > clip ? clip / norm : 1
        let (b1, b2) = (0.9, 0.999)
        let c1 = 1 - pow(b1, Double(t)), c2 = 1 - pow(b2, Double(t))
        func update(_ p: inout Double, _ g: Double, _ mi: inout Double, _ vi: inout Double) {
            let gs = g * scale
            mi = b1 * mi + (1 - b1) * gs
            vi = b2 * vi + (1 - b2) * gs * gs
            p -= learningRate * (mi / c1) / ((vi / c2).squareRoot() + 1e-8)
        }
        for l in mlp.weights.indices {
            for k in mlp.weights[l].indices {
                update(&mlp.weights[l][k], gradient.weights[l][k], &m.weights[l][k], &v.weights[l][k])
            }
            for k in mlp.biases[l].indices {
                update(&mlp.biases[l][k], gradient.biases[l][k], &m.biases[l][k], &v.biases[l][k])
            }
        }
    }
}
