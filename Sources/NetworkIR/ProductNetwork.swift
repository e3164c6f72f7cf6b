/// Builds one `Network` that computes several networks side by side, exactly, so that every
/// analysis of single networks (bounds, branch and bound, the exact Z3 encoding) applies to
/// queries over several networks unchanged.
///
/// Each component reads some of the product's inputs (`inputIndices`, repeats allowed, each
/// possibly plus a second one, `inputOffsets`) and its outputs are appended to the product's outputs, in component order. Layers run in lockstep:
/// the i-th ReLU of every component is the product's i-th ReLU; between ReLUs, affine layers
/// are block-diagonal (identity blocks for components with nothing to do) and divide layers
/// use divisor 1 for the others. A component with fewer ReLUs than the deepest runs its last
/// linear stretch at the end; until then its values are the output of a ReLU, hence
/// nonnegative, and pass the remaining ReLUs unchanged. A component with no ReLU at all is
/// first rewritten as `x = relu(x) − relu(−x)` followed by its layers.
///
/// Every padding step is exact in float64 and float32 alike (adding 0, multiplying by 1,
/// dividing by 1, ReLU of a nonnegative number), so the product's outputs equal the
/// components' outputs bit for bit.
public enum ProductNetwork {
    /// One network in the product and the product inputs it reads.
    public struct Component: Sendable {
        public var network: Network
        /// For each input of `network`, the index of the product input it reads.
        public var inputIndices: [Int]
        /// For each input of `network`, the index of a product input added to it, or nil.
        public var inputOffsets: [Int?]
        public init(network: Network, inputIndices: [Int], inputOffsets: [Int?]? = nil) {
            self.network = network
            self.inputIndices = inputIndices
            self.inputOffsets = inputOffsets ?? inputIndices.map { _ in nil }
        }
    }

    /// The product of `components` over `inputCount` inputs (input shape `[inputCount]`).
    /// - Throws: `NetworkError` when a component's index list does not fit its network or the
    ///   product's inputs.
    /// - Complexity: O((Σ sizes)²) per product layer, the block-diagonal matrices being dense.
    public static func build(_ components: [Component], inputCount: Int) throws -> Network {
        for c in components {
            guard c.inputIndices.count == c.network.inputSize, c.inputOffsets.count == c.inputIndices.count,
                  (c.inputIndices + c.inputOffsets.compactMap { $0 }).allSatisfy({ $0 >= 0 && $0 < inputCount }) else {
                throw NetworkError.sizeMismatch(layer: 0, expected: c.network.inputSize, actual: c.inputIndices.count)
            }
        }
        let networks = components.map(\.network)
        for network in networks {
            if let k = network.layers.firstIndex(where: { $0.smoothActivation != nil }) {
                throw NetworkError.unsupportedLayer(layer: k, kind: network.layers[k].kindName)
            }
        }
        let deepest = networks.map(reluCount).max() ?? 0
        let prepared = networks.map { deepest > 0 && reluCount($0) == 0 ? splitThroughReLU($0) : $0.layers }
        let segments = prepared.map(linearSegments)
        var sizes = networks.map(\.inputSize)
        var layers: [Layer] = []
        for s in 0...deepest {
            // Each component's layers in this stretch: its own s-th segment, nothing while it
            // waits, and its last segment in the final stretch.
            var queues: [[Layer]] = segments.map { segs in
                let own = segs.count - 1
                if s < own { return segs[s] }
                return s == deepest ? segs[own] : []
            }
            while queues.contains(where: { !$0.isEmpty }) {
                let affineStep = queues.contains { if case .affine = $0.first { true } else { false } }
                if affineStep {
                    var blocks: [AffineLayer] = []
                    for c in queues.indices {
                        if case let .affine(a)? = queues[c].first {
                            blocks.append(a)
                            queues[c].removeFirst()
                            sizes[c] = a.outputSize
                        } else {
                            blocks.append(AffineLayer(weights: .identity(sizes[c]), bias: Array(repeating: 0, count: sizes[c])))
                        }
                    }
                    layers.append(.affine(blockDiagonal(blocks)))
                } else {
                    var divisors: [Double] = []
                    for c in queues.indices {
                        if case let .divide(d)? = queues[c].first {
                            divisors += d
                            queues[c].removeFirst()
                        } else {
                            divisors += Array(repeating: 1, count: sizes[c])
                        }
                    }
                    layers.append(.divide(divisors: divisors))
                }
            }
            if s < deepest { layers.append(.relu) }
        }
        // Route the product inputs to the components: folded into the first layer when that is
        // an affine layer of every component reading its inputs in increasing order (a column
        // scatter, exact);
        // otherwise (also when an input is a sum of two) a selection layer of ones in front.
        // Increasing indices keep each row's terms in their order, so sums round as before.
        let firstIsOwnAffine = networks.indices.allSatisfy {
            let indices = components[$0].inputIndices
            guard components[$0].inputOffsets.allSatisfy({ $0 == nil }) else { return false }
            if case .affine = prepared[$0].first { return zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 } }
            return false
        }
        let routing = components.flatMap(\.inputIndices)
        if firstIsOwnAffine, case let .affine(first)? = layers.first {
            var weights = Matrix.zeros(rows: first.outputSize, columns: inputCount)
            for i in 0..<first.outputSize {
                first.matrix.forEachEntry(inRow: i) { j, w in if w != 0 { weights[i, routing[j]] = w } }
            }
            layers[0] = .affine(AffineLayer(weights: weights, bias: first.bias))
        } else {
            var selection = Matrix.zeros(rows: routing.count, columns: inputCount)
            let offsets = components.flatMap(\.inputOffsets)
            for (row, target) in routing.enumerated() {
                selection[row, target] = 1
                if let offset = offsets[row] { selection[row, offset] = 1 }
            }
            layers.insert(.affine(AffineLayer(weights: selection, bias: Array(repeating: 0, count: routing.count))), at: 0)
        }
        return try Network(inputShape: [inputCount], layers: layers)
    }

    private static func reluCount(_ network: Network) -> Int {
        network.layers.reduce(0) { if case .relu = $1 { $0 + 1 } else { $0 } }
    }

    /// The linear stretches between ReLUs: one more than there are ReLUs.
    private static func linearSegments(_ layers: [Layer]) -> [[Layer]] {
        var segments: [[Layer]] = [[]]
        for layer in layers {
            if case .relu = layer { segments.append([]) } else { segments[segments.count - 1].append(layer) }
        }
        return segments
    }

    /// `[x; −x]`, ReLU, `[I, −I]`, then the network's layers: the same function with one ReLU.
    private static func splitThroughReLU(_ network: Network) -> [Layer] {
        let n = network.inputSize
        var split = Matrix.zeros(rows: 2 * n, columns: n)
        var join = Matrix.zeros(rows: n, columns: 2 * n)
        for i in 0..<n {
            split[i, i] = 1
            split[n + i, i] = -1
            join[i, i] = 1
            join[i, n + i] = -1
        }
        return [.affine(AffineLayer(weights: split, bias: Array(repeating: 0, count: 2 * n))), .relu,
                .affine(AffineLayer(weights: join, bias: Array(repeating: 0, count: n)))] + network.layers
    }

    private static func blockDiagonal(_ blocks: [AffineLayer]) -> AffineLayer {
        let rows = blocks.reduce(0) { $0 + $1.outputSize }, columns = blocks.reduce(0) { $0 + $1.inputSize }
        var weights = Matrix.zeros(rows: rows, columns: columns)
        var bias: [Double] = []
        var (r0, c0) = (0, 0)
        for b in blocks {
            for i in 0..<b.outputSize {
                b.matrix.forEachEntry(inRow: i) { j, w in weights[r0 + i, c0 + j] = w }
            }
            bias += b.bias
            r0 += b.outputSize
            c0 += b.inputSize
        }
        return AffineLayer(weights: weights, bias: bias)
    }
}
