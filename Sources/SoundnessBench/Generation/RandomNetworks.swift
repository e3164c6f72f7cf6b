import NetworkIR
import Search

/// Random classifiers of a given architecture, with He initialisation (He et al. 2015,
/// "Delving Deep into Rectifiers", eq. 10: weights ~ N(0, 2/fan_in)) so that activations keep
/// their scale through the ReLU layers, and small random biases.
public enum RandomNetworks {
    /// A random network of the architecture `spec` describes.
    /// - Parameter usesMatMul: write dense layers as MatMul + Add.
    public static func make(_ spec: ModelSpec, usesMatMul: Bool, rng: inout SplitMix64) -> LayeredNetwork {
        var convolutions: [ConvolutionWeights] = []
        var shape = spec.inputShape
        if spec.kind == .cnn {
            for c in spec.convolutions {
                let fanIn = shape[0] * c.kernel * c.kernel
                let std = (2.0 / Double(fanIn)).squareRoot()
                let conv = ConvolutionWeights(
                    inputChannels: shape[0], outputChannels: c.channels, kernel: c.kernel, stride: c.stride,
                    padding: c.kernel / 2,
                    weights: (0..<(c.channels * fanIn)).map { _ in std * rng.nextGaussian() },
                    bias: (0..<c.channels).map { _ in 0.05 * rng.nextGaussian() })
                convolutions.append(conv)
                shape = [c.channels, conv.outputSize(shape[1]), conv.outputSize(shape[2])]
            }
        }
        var width = shape.reduce(1, *)
        var dense: [DenseWeights] = []
        for size in spec.hidden + [spec.classes] {
            dense.append(denseLayer(inputs: width, outputs: size, rng: &rng))
            width = size
        }
        return LayeredNetwork(inputShape: spec.inputShape, convolutions: convolutions, dense: dense, usesMatMul: usesMatMul)
    }

    /// A dense layer with He-initialised weights and biases ~ N(0, 0.05²).
    public static func denseLayer(inputs: Int, outputs: Int, rng: inout SplitMix64) -> DenseWeights {
        let std = (2.0 / Double(inputs)).squareRoot()
        return DenseWeights(weights: Matrix(rows: outputs, columns: inputs,
                                            storage: (0..<(inputs * outputs)).map { _ in std * rng.nextGaussian() }),
                            bias: (0..<outputs).map { _ in 0.05 * rng.nextGaussian() })
    }
}
