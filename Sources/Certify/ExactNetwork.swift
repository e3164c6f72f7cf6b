import ExactArithmetic
import NetworkIR

/// A network's layers with every stored weight and bias as an exact dyadic rational: what the
/// checker reasons about. Stored float32/float64 values are dyadic, so nothing is rounded here.
struct ExactNetwork: Sendable {
    enum Layer: Sendable {
        /// `z = W·x + b`, `weights` row-major (`rows × columns`).
        case affine(weights: [Dyadic], bias: [Dyadic], rows: Int, columns: Int)
        case relu
    }

    /// An affine layer's weights as integers times one power of two: `W = integers·2^exponent`.
    /// Why: sums of products then accumulate exactly in 128-bit integers and are rounded once,
    /// which is both faster and tighter than rounding every product.
    struct ScaledWeights: Sendable {
        var integers: [Int64]
        var exponent: Int
        /// Magnitudes stay below 2⁵⁰ and layers below 2¹³ rows and columns, so that a sum of products
        /// with 64-bit factors stays below 2¹²⁶.
        static let magnitudeBits = 50
    }

    let layers: [Layer]
    /// Per layer, the scaled weights of an affine layer when they fit, else nil.
    let scaled: [ScaledWeights?]
    let inputSize: Int
    /// Output size of each layer.
    let sizes: [Int]

    /// - Throws: `CertifyError.unsupported` for layers the checker does not handle (division),
    ///   and for weights that are not finite.
    init(_ network: Network) throws(CertifyError) {
        func exact(_ value: Double, _ place: String) throws(CertifyError) -> Dyadic {
            guard let d = Dyadic(exactly: value) else {
                throw .unsupported("\(place) is not a finite stored number")
            }
            return d
        }
        var layers: [Layer] = []
        for (k, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(affine):
                guard let dense = affine.denseWeights else {
                    throw .unsupported("layer \(k) is a convolution stored sparse (\(affine.outputSize)×\(affine.inputSize)); the checker handles dense layers only")
                }
                var weights: [Dyadic] = []
                weights.reserveCapacity(dense.storage.count)
                for w in dense.storage { weights.append(try exact(w, "a weight of layer \(k)")) }
                var bias: [Dyadic] = []
                for b in affine.bias { bias.append(try exact(b, "a bias of layer \(k)")) }
                layers.append(.affine(weights: weights, bias: bias, rows: affine.outputSize, columns: affine.inputSize))
            case .relu:
                layers.append(.relu)
            case .divide:
                throw .unsupported("layer \(k) divides; the checker handles affine and ReLU layers only")
            case .smooth:
                throw .unsupported("layer \(k) is a \(layer.kindName); the checker handles affine and ReLU layers only")
            }
        }
        self.layers = layers
        scaled = layers.map { layer in
            guard case let .affine(weights, _, rows, columns) = layer, rows < 1 << 13, columns < 1 << 13 else { return nil }
            let exponent = min(0, weights.filter { !$0.isZero }.map(\.exponent).min() ?? 0)
            var integers: [Int64] = []
            integers.reserveCapacity(weights.count)
            for w in weights {
                let shift = w.exponent - exponent
                guard shift < 63 || w.isZero else { return nil }
                let value = w.isZero ? 0 : w.mantissa << shift
                guard value.magnitude < 1 << ScaledWeights.magnitudeBits, value >> shift == w.mantissa else { return nil }
                integers.append(value)
            }
            return ScaledWeights(integers: integers, exponent: exponent)
        }
        inputSize = network.inputSize
        sizes = network.layerSizes
    }

    /// Whether layer `k` is a ReLU.
    func isReLU(_ k: Int) -> Bool { if case .relu = layers[k] { true } else { false } }
}
