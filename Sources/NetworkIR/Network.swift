/// A feed-forward network as a chain of normalised layers, with validated sizes.
///
/// Input and output are flat vectors in row-major (C) order, matching VNN-LIB's `X_i`/`Y_j`.
public struct Network: Sendable, Equatable {
    /// The shape of the network's input tensor as declared by the model (e.g. `[1, 5]`).
    public let inputShape: [Int]
    /// The layers in order of application.
    public let layers: [Layer]
    /// The number of input values.
    public let inputSize: Int
    /// The size of the vector after each layer (`layerSizes[i]` is the output of layer `i`).
    public let layerSizes: [Int]

    /// Assembles a network and checks that every layer fits its predecessor and that every
    /// parameter is finite.
    /// - Throws: `NetworkError` naming the first offending layer.
    public init(inputShape: [Int], layers: [Layer]) throws {
        var size = 1
        for dim in inputShape {
            guard dim > 0 else { throw NetworkError.invalidInputShape(inputShape) }
            let (product, overflow) = size.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= 1 << 31 else { throw NetworkError.invalidInputShape(inputShape) }
            size = product
        }
        let inputSize = size
        var sizes: [Int] = []
        for (index, layer) in layers.enumerated() {
            switch layer {
            case let .affine(affine):
                guard affine.inputSize == size else {
                    throw NetworkError.sizeMismatch(layer: index, expected: affine.inputSize, actual: size)
                }
                guard affine.matrix.isFinite, affine.bias.allSatisfy(\.isFinite) else {
                    throw NetworkError.nonFiniteParameter(layer: index)
                }
                size = affine.outputSize
            case let .divide(divisors):
                guard divisors.count == size else {
                    throw NetworkError.sizeMismatch(layer: index, expected: divisors.count, actual: size)
                }
                guard divisors.allSatisfy(\.isFinite) else { throw NetworkError.nonFiniteParameter(layer: index) }
                guard !divisors.contains(0) else { throw NetworkError.zeroDivisor(layer: index) }
            case .relu:
                break
            case let .smooth(smooth):
                guard smooth.carried.isEmpty || smooth.carried.count == size else {
                    throw NetworkError.sizeMismatch(layer: index, expected: smooth.carried.count, actual: size)
                }
            }
            sizes.append(size)
        }
        self.inputShape = inputShape
        self.layers = layers
        self.inputSize = inputSize
        self.layerSizes = sizes
    }

    /// The number of output values.
    public var outputSize: Int { layerSizes.last ?? inputSize }

    /// The size of the vector entering layer `index`.
    public func inputSize(ofLayer index: Int) -> Int { index == 0 ? inputSize : layerSizes[index - 1] }

    /// The number of entries the affine layers store (every entry of a dense matrix, the
    /// nonzeros of a sparse one): what bounds, exact encodings and evaluations cost grows with it.
    public var storedWeightCount: Int {
        layers.reduce(0) { total, layer in
            if case let .affine(affine) = layer { total + affine.matrix.storedCount } else { total }
        }
    }

    /// Whether some affine layer stores its weights sparsely (a large convolution).
    public var hasSparseLayers: Bool {
        layers.contains { if case let .affine(affine) = $0, case .sparse = affine.matrix { true } else { false } }
    }

    /// Whether some layer is a sigmoid or tanh: such a network has no exact encoding, so only
    /// bounds can prove its properties (and no proof certificate describes it).
    public var hasSmoothActivations: Bool {
        layers.contains { $0.smoothActivation != nil }
    }

    /// The number of ReLU neurons in the network.
    public var reluCount: Int {
        layers.indices.reduce(0) { count, i in
            if case .relu = layers[i] { return count + layerSizes[i] }
            return count
        }
    }
}
