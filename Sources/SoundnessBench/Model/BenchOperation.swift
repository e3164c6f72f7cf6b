/// One ONNX operator of a generated network, in the order the graph applies them.
public enum BenchOperation: Sendable, Equatable {
    /// ONNX `Gemm` with `transB = 1`: `y = x·Wᵀ + b` on a `[1, n]` tensor.
    case gemm(DenseWeights)
    /// ONNX `MatMul` by the stored `[inputs, outputs]` matrix `Wᵀ`, then `Add` of the bias.
    case matMul(DenseWeights)
    /// ONNX `Conv` on a `[1, C, H, W]` tensor.
    case convolution(ConvolutionWeights)
    /// ONNX `Relu`.
    case relu
    /// ONNX `Flatten` with `axis = 1`: `[1, C, H, W]` becomes `[1, C·H·W]`.
    case flatten
}
