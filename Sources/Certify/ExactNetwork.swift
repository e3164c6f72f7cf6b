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

    let layers: [Layer]
    let inputSize: Int
    /// Output size of each layer.
    let sizes: [Int]

    /// - Throws: `CertifyError.unsupported` for layers the checker does not handle (division),
    ///   and for weights that are not finite.
    init(_ network: Network) throws(CertifyError) {
        func exact(_ value: Double, _ place: String) throws(CertifyError) -> Dyadic {
            guard let q = Rational(exactly: value), let d = Dyadic(q) else {
                throw .unsupported("\(place) is not a finite stored number")
            }
            return d
        }
        var layers: [Layer] = []
        for (k, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(affine):
                var weights: [Dyadic] = []
                weights.reserveCapacity(affine.weights.storage.count)
                for w in affine.weights.storage { weights.append(try exact(w, "a weight of layer \(k)")) }
                var bias: [Dyadic] = []
                for b in affine.bias { bias.append(try exact(b, "a bias of layer \(k)")) }
                layers.append(.affine(weights: weights, bias: bias, rows: affine.outputSize, columns: affine.inputSize))
            case .relu:
                layers.append(.relu)
            case .divide:
                throw .unsupported("layer \(k) divides; the checker handles affine and ReLU layers only")
            }
        }
        self.layers = layers
        inputSize = network.inputSize
        sizes = network.layerSizes
    }

    /// Whether layer `k` is a ReLU.
    func isReLU(_ k: Int) -> Bool { if case .relu = layers[k] { true } else { false } }
}
