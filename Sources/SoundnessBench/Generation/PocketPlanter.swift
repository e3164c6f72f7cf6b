import NetworkIR

/// Builds pockets (`Pocket`) into a `LayeredNetwork` without changing what it computes outside
/// them.
///
/// The base network keeps its layers; extra neurons ride alongside, with zero weights between
/// the two parts except the pocket's single connection into the output layer:
/// - CNN: every convolution gets one *copy channel* per input channel, a kernel with a 1 at the
///   centre, so the copy carries input pixel `(k, r·S, c·S)` (`S` the product of the strides; the
///   padding is `kernel/2`). The first copy adds `inputShift`, which keeps the copy positive on
///   the input domain so that its ReLU is the identity.
/// - First hidden dense layer: for each pocket dimension `i`, the pair `relu(±(x_i − c_i))`.
/// - Second hidden dense layer (an identity layer over the base's neurons is inserted when the
///   base has only one): the bump `relu(1 − Σ (relu(x_i − c_i) + relu(c_i − x_i)) / w_i)`.
/// - Later hidden layers: the bump passes through (`relu` of a non-negative value).
/// - Output layer: `amplitude·bump` is added to the target's score.
public enum PocketPlanter {
    /// The input indices a pocket may use: all of them for an MLP; for a CNN the pixels the copy
    /// channels carry to the dense part (rows and columns that are multiples of the strides'
    /// product, in every input channel).
    public static func usableInputs(of base: LayeredNetwork) -> [Int] {
        guard base.inputShape.count == 3, !base.convolutions.isEmpty else {
            return Array(0..<base.inputShape.reduce(1, *))
        }
        let (channels, height, width) = (base.inputShape[0], base.inputShape[1], base.inputShape[2])
        let step = base.convolutions.reduce(1) { $0 * $1.stride }
        let out = base.convolutionOutputShape
        var usable: [Int] = []
        for k in 0..<channels {
            for r in 0..<out[1] where r * step < height {
                for c in 0..<out[2] where c * step < width {
                    usable.append((k * height + r * step) * width + c * step)
                }
            }
        }
        return usable
    }

    /// The network with `pockets` built in.
    /// - Parameters:
    ///   - inputShift: added to copied pixels (CNN only) so that `x + inputShift > 0` on the
    ///     input domain; choose `1 − (smallest input)`.
    /// - Throws: `SoundnessBenchError.invalidModel` when a pocket uses an input the copy
    ///   channels cannot carry, or the base has no hidden dense layer.
    public static func plant(_ pockets: [Pocket], in base: LayeredNetwork, inputShift: Double) throws -> LayeredNetwork {
        guard base.dense.count >= 2 else {
            throw SoundnessBenchError.invalidModel("planting a pocket needs at least one hidden dense layer")
        }
        guard !pockets.isEmpty else { return base }
        let usable = Set(usableInputs(of: base))
        for pocket in pockets {
            guard pocket.dimensions.allSatisfy(usable.contains) else {
                throw SoundnessBenchError.invalidModel("a pocket uses an input that the copy channels do not carry")
            }
            guard pocket.target < base.classCount, pocket.centre.count == base.inputShape.reduce(1, *) else {
                throw SoundnessBenchError.invalidModel("a pocket does not fit the network's inputs or classes")
            }
        }
        var result = base
        // Where each input value sits in the vector entering the first dense layer.
        var feature: [Int: Int] = [:]
        var shift = 0.0
        if base.convolutions.isEmpty {
            for i in usable { feature[i] = i }
        } else {
            result.convolutions = withCopyChannels(base.convolutions, inputChannels: base.inputShape[0], shift: inputShift)
            shift = inputShift
            let (height, width) = (base.inputShape[1], base.inputShape[2])
            let step = base.convolutions.reduce(1) { $0 * $1.stride }
            let out = base.convolutionOutputShape  // base channels, final height, final width
            for i in usable {
                let k = i / (height * width), r = (i / width) % height, c = i % width
                feature[i] = ((out[0] + k) * out[1] + r / step) * out[2] + c / step
            }
        }
        let featureCount = result.convolutions.isEmpty ? base.inputShape.reduce(1, *)
            : { let s = result.convolutionOutputShape; return s[0] * s[1] * s[2] }()

        var hidden = Array(base.dense.dropLast())
        let output = base.dense[base.dense.count - 1]
        if hidden.count == 1 {
            let n = hidden[0].outputCount
            hidden.append(DenseWeights(weights: .identity(n), bias: Array(repeating: 0, count: n)))
        }
        let absCounts = pockets.map { 2 * $0.dimensions.count }
        let absTotal = absCounts.reduce(0, +)

        // First hidden layer: base rows (zero on copy features) + |x_i − c_i| halves.
        var first = padded(hidden[0], columns: featureCount, extraRows: absTotal)
        var row = hidden[0].outputCount
        for pocket in pockets {
            for i in pocket.dimensions {
                guard let column = feature[i] else { continue }  // checked above
                let centre = pocket.centre[i] + shift
                first.weights[row, column] = 1
                first.bias[row] = -centre
                first.weights[row + 1, column] = -1
                first.bias[row + 1] = centre
                row += 2
            }
        }
        // Second hidden layer: base rows (zero on the |·| units) + one bump per pocket.
        let h1 = hidden[0].outputCount
        var second = padded(hidden[1], columns: h1 + absTotal, extraRows: pockets.count)
        var absStart = h1
        for (p, pocket) in pockets.enumerated() {
            let bumpRow = hidden[1].outputCount + p
            for (k, _) in pocket.dimensions.enumerated() {
                second.weights[bumpRow, absStart + 2 * k] = -1 / pocket.widths[k]
                second.weights[bumpRow, absStart + 2 * k + 1] = -1 / pocket.widths[k]
            }
            second.bias[bumpRow] = 1
            absStart += absCounts[p]
        }
        var newHidden = [first, second]
        // Later hidden layers: bumps pass through.
        for layer in hidden.dropFirst(2) {
            let previous = newHidden[newHidden.count - 1].outputCount
            var next = padded(layer, columns: previous, extraRows: pockets.count)
            for p in pockets.indices { next.weights[layer.outputCount + p, previous - pockets.count + p] = 1 }
            newHidden.append(next)
        }
        let last = newHidden[newHidden.count - 1].outputCount
        var out = padded(output, columns: last, extraRows: 0)
        for (p, pocket) in pockets.enumerated() { out.weights[pocket.target, last - pockets.count + p] = pocket.amplitude }
        result.dense = newHidden + [out]
        return result
    }

    /// `layer` with zero columns appended up to `columns` and `extraRows` zero rows below.
    static func padded(_ layer: DenseWeights, columns: Int, extraRows: Int) -> DenseWeights {
        var weights = Matrix.zeros(rows: layer.outputCount + extraRows, columns: columns)
        for r in 0..<layer.outputCount {
            for c in 0..<layer.inputCount { weights[r, c] = layer.weights[r, c] }
        }
        return DenseWeights(weights: weights, bias: layer.bias + Array(repeating: 0, count: extraRows))
    }

    /// The convolutions with one copy channel per input channel appended to every layer.
    static func withCopyChannels(_ convolutions: [ConvolutionWeights], inputChannels: Int, shift: Double) -> [ConvolutionWeights] {
        var result: [ConvolutionWeights] = []
        var previousBase = inputChannels  // base channels entering the layer
        for (index, conv) in convolutions.enumerated() {
            let copiesIn = index == 0 ? 0 : inputChannels
            let inChannels = conv.inputChannels + copiesIn
            let outChannels = conv.outputChannels + inputChannels
            var augmented = ConvolutionWeights(
                inputChannels: inChannels, outputChannels: outChannels, kernel: conv.kernel, stride: conv.stride,
                padding: conv.padding, weights: Array(repeating: 0, count: outChannels * inChannels * conv.kernel * conv.kernel),
                bias: conv.bias + Array(repeating: index == 0 ? shift : 0, count: inputChannels))
            for o in 0..<conv.outputChannels {
                for i in 0..<conv.inputChannels {
                    for r in 0..<conv.kernel {
                        for c in 0..<conv.kernel {
                            augmented.weights[augmented.weightIndex(output: o, input: i, row: r, column: c)] =
                                conv.weights[conv.weightIndex(output: o, input: i, row: r, column: c)]
                        }
                    }
                }
            }
            let centre = conv.kernel / 2
            for k in 0..<inputChannels {
                let source = index == 0 ? k : previousBase + k
                augmented.weights[augmented.weightIndex(output: conv.outputChannels + k, input: source,
                                                        row: centre, column: centre)] = 1
            }
            result.append(augmented)
            previousBase = conv.outputChannels
        }
        return result
    }
}
