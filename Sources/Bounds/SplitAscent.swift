import NetworkIR

/// Projected Adam ascent on the bound of each objective row over the lower ReLU slopes α and
/// the multipliers β ≥ 0 of split constraints `sⱼ·zⱼ ≥ 0` (β-CROWN, Wang et al. 2021, eq. 4:
/// the bound of `f − Σⱼ βⱼ·sⱼ·zⱼ`, a lower bound of `f` on every point meeting the splits).
///
/// Supergradients (envelope theorem, as in `DualAscent`): for the slope of unstable neuron `j`
/// of ReLU layer `k`, `λₖⱼ·ẑₖⱼ`, the coefficient on the ReLU's output times the neuron's
/// pre-activation in a forward pass of the relaxed network from the minimising input corner;
/// for βⱼ, `−sⱼ·ẑⱼ` at the split neuron.
///
/// - Soundness: every bound is evaluated by `BackSubstitution` with its rounding errors; any
///   α ∈ [0, 1] and β ≥ 0 give a valid bound, and the best per row is kept.
struct SplitAscent {
    let engine: BackSubstitution
    /// `PackedMatrix.transposedWeights(of:)` of the network (for the forward passes).
    let transposed: [PackedMatrix?]
    let splits: [PhaseAssignment.SplitConstraint]
    let rows: [LinearObjective]
    /// Adam step size for α.
    var slopeStep = 0.1
    /// Adam step size for β.
    var splitStep = 0.05
    /// The layer whose output the rows multiply (nil: the output layer). An earlier layer
    /// bounds an intermediate neuron under the splits of the layers before it.
    var start: Int?

    /// A row's best bound with the multipliers that gave it.
    struct Best {
        var bound: ObjectiveBound
        /// By ReLU layer: this row's slopes.
        var slopes: [Int: [Double]]
        /// β per split, in the order of `splits`.
        var splitMultipliers: [Double]
    }

    /// Runs `iterations` Adam steps after the first evaluation; stops early when `done` is true
    /// of the best lower bounds so far.
    /// - Parameters:
    ///   - initialSlopes: per row, slopes by ReLU layer to start from (missing: CROWN's adaptive ones).
    ///   - initialSplits: per row, β per split to start from (nil: zeros).
    func run(iterations: Int, initialSlopes: [[Int: [Double]]]?, initialSplits: [[Double]]?,
             done: ([Double]) -> Bool) -> [Best] {
        let network = engine.network
        let start = self.start ?? network.layers.count - 1
        let count = rows.count
        guard count > 0, start >= 0 else { return [] }
        let sizes = network.layerSizes
        func inputSize(of layer: Int) -> Int { layer == 0 ? network.inputSize : sizes[layer - 1] }

        var slopes: [Int: [Double]] = [:]
        var reluLayers: [Int] = []
        for k in 0...start {
            guard let relaxation = engine.cache(k).relaxation, relaxation.kinds.contains(ReLURelaxation.unstable) else { continue }
            reluLayers.append(k)
            let n = relaxation.kinds.count
            var values = [Double](repeating: 0, count: count * n)
            for r in 0..<count {
                let given = initialSlopes.flatMap { r < $0.count ? $0[r][k] : nil }
                let source = given.flatMap { $0.count == n ? $0 : nil } ?? relaxation.adaptiveSlopes
                for j in 0..<n { values[r * n + j] = source[j] }
            }
            slopes[k] = values
        }
        let splitCount = splits.count
        var beta = [Double](repeating: 0, count: count * splitCount)
        if let initialSplits {
            for r in 0..<min(count, initialSplits.count) where initialSplits[r].count == splitCount {
                for s in 0..<splitCount { beta[r * splitCount + s] = max(0, initialSplits[r][s]) }
            }
        }
        let splitLayers = Set(splits.map(\.layer))

        let outputRows = rows.flatMap(\.outputCoefficients)
        let inputRows = rows.flatMap(\.inputCoefficients)
        let constants = rows.map(\.constant)
        func evaluate() -> BackSubstitution.Result {
            var terms: [Int: [Double]] = [:]
            for layer in splitLayers { terms[layer] = [Double](repeating: 0, count: count * inputSize(of: layer)) }
            for r in 0..<count {
                for (s, split) in splits.enumerated() {
                    let b = beta[r * splitCount + s]
                    if b != 0 { terms[split.layer]![r * inputSize(of: split.layer) + split.neuron] -= b * split.sign }
                }
            }
            return engine.run(start: start, rows: .dense(count: count, coefficients: outputRows), inputRows: inputRows,
                              constants: constants, slopes: slopes, record: true, splitTerms: terms)
        }

        var best: [Best] = []
        var current = evaluate()
        func keep(_ result: BackSubstitution.Result, first: Bool) {
            // Only rows that improved are copied out of the batch (this runs after every step).
            for r in 0..<count where first || result.lower[r] > best[r].bound.lower {
                var rowSlopes: [Int: [Double]] = [:]
                for (k, s) in slopes {
                    let n = s.count / count
                    rowSlopes[k] = Array(s[(r * n)..<((r + 1) * n)])
                }
                var bound = LinearRelaxation.row(r, of: result, network: network)
                bound.slopes = rowSlopes
                for (s, split) in splits.enumerated() where beta[r * splitCount + s] != 0 {
                    bound.splitTerms.append(.init(layer: split.layer, neuron: split.neuron, beta: beta[r * splitCount + s]))
                }
                let entry = Best(bound: bound, slopes: rowSlopes,
                                 splitMultipliers: Array(beta[(r * splitCount)..<((r + 1) * splitCount)]))
                if first { best.append(entry) } else { best[r] = entry }
            }
        }
        keep(current, first: true)
        guard iterations > 0, !(reluLayers.isEmpty && splitCount == 0) else { return best }
        var slopeMoments = ProjectedAdam.Moments(), splitMoments = ProjectedAdam.Moments()
        var adam = ProjectedAdam()
        for _ in 0..<iterations {
            if done(best.map(\.bound.lower)) { break }
            let forward = DualAscent.forward(current, engine: engine, transposed: transposed, start: start, rows: count,
                                             slopes: slopes)
            adam.advance()
            DualAscent.stepSlopes(&slopes, layers: reluLayers, engine: engine, result: current, forward: forward, adam: adam,
                                  moments: &slopeMoments, rate: slopeStep)
            if splitCount > 0 {
                var gradient = [Double](repeating: 0, count: beta.count)
                for r in 0..<count {
                    for (s, split) in splits.enumerated() {
                        gradient[r * splitCount + s] = -split.sign * forward[split.layer][r * inputSize(of: split.layer) + split.neuron]
                    }
                }
                adam.step(&beta, gradient: gradient, moments: &splitMoments[0], rate: splitStep, range: 0...Double.greatestFiniteMagnitude)
            }
            current = evaluate()
            keep(current, first: false)
        }
        return best
    }
}

/// Adam (Kingma and Ba 2015) for maximisation, with each step projected onto an interval, and
/// the step size decaying by 2 % per step as in α-CROWN.
struct ProjectedAdam {
    /// First and second moment estimates, per parameter block.
    struct Moments {
        private var blocks: [Int: (first: [Double], second: [Double])] = [:]

        subscript(key: Int) -> (first: [Double], second: [Double]) {
            get { blocks[key] ?? ([], []) }
            set { blocks[key] = newValue }
        }
    }

    let beta1 = 0.9, beta2 = 0.999
    private var beta1Power = 1.0, beta2Power = 1.0
    /// The factor on the step size in the current step.
    private(set) var decay = 1.0 / 0.98

    /// Starts a new step (bias corrections and decay).
    mutating func advance() {
        beta1Power *= beta1
        beta2Power *= beta2
        decay *= 0.98
    }

    /// One ascent step of `values` along `gradient`, projected onto `range`.
    func step(_ values: inout [Double], gradient: [Double], moments m: inout (first: [Double], second: [Double]),
              rate: Double, range: ClosedRange<Double>) {
        if m.first.count != values.count {
            m.first = [Double](repeating: 0, count: values.count)
            m.second = [Double](repeating: 0, count: values.count)
        }
        let size = rate * decay
        for i in values.indices where gradient[i] != 0 || m.first[i] != 0 {
            m.first[i] = beta1 * m.first[i] + (1 - beta1) * gradient[i]
            m.second[i] = beta2 * m.second[i] + (1 - beta2) * gradient[i] * gradient[i]
            let move = size * (m.first[i] / (1 - beta1Power)) / ((m.second[i] / (1 - beta2Power)).squareRoot() + 1e-12)
            values[i] = min(range.upperBound, max(range.lowerBound, values[i] + move))
        }
    }
}
