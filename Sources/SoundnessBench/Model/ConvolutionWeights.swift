/// The parameters of a 2-D convolution (ONNX `Conv`, group 1, square kernel, equal padding on
/// every side), applied to a `channels × height × width` tensor.
public struct ConvolutionWeights: Sendable, Equatable {
    /// Input channels.
    public var inputChannels: Int
    /// Output channels.
    public var outputChannels: Int
    /// Kernel height and width.
    public var kernel: Int
    /// Step between neighbouring output positions, in both directions.
    public var stride: Int
    /// Zero padding added on each of the four sides.
    public var padding: Int
    /// Kernel entries in ONNX order `[outputChannel][inputChannel][row][column]`.
    public var weights: [Double]
    /// One bias per output channel.
    public var bias: [Double]

    /// Creates the layer.
    /// - Precondition: sizes are positive and the arrays have `outputs·inputs·kernel²` and
    ///   `outputs` entries.
    public init(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int, padding: Int,
                weights: [Double], bias: [Double]) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernel > 0 && stride > 0 && padding >= 0,
                     "invalid convolution geometry")
        precondition(weights.count == outputChannels * inputChannels * kernel * kernel, "kernel has the wrong size")
        precondition(bias.count == outputChannels, "bias has the wrong size")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.weights = weights
        self.bias = bias
    }

    /// The spatial size of the output for an input of `size` rows (or columns).
    public func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernel) / stride + 1 }

    /// Index of kernel entry (o, i, r, c) in `weights`.
    public func weightIndex(output o: Int, input i: Int, row r: Int, column c: Int) -> Int {
        ((o * inputChannels + i) * kernel + r) * kernel + c
    }

    /// Applies the convolution to `x` of shape `[inputChannels, height, width]` (row-major),
    /// in double precision.
    /// - Complexity: O(outputs × inputs × kernel² × output positions).
    public func apply(_ x: [Double], height: Int, width: Int) -> [Double] {
        let outH = outputSize(height), outW = outputSize(width)
        var y = [Double](repeating: 0, count: outputChannels * outH * outW)
        for o in 0..<outputChannels {
            for r in 0..<outH {
                for c in 0..<outW {
                    var sum = bias[o]
                    for i in 0..<inputChannels {
                        for kr in 0..<kernel {
                            let row = r * stride - padding + kr
                            guard row >= 0 && row < height else { continue }
                            for kc in 0..<kernel {
                                let column = c * stride - padding + kc
                                guard column >= 0 && column < width else { continue }
                                sum += weights[weightIndex(output: o, input: i, row: kr, column: kc)]
                                    * x[(i * height + row) * width + column]
                            }
                        }
                    }
                    y[(o * outH + r) * outW + c] = sum
                }
            }
        }
        return y
    }

    /// The same layer with every parameter rounded to the nearest float32.
    public var roundedToFloat32: ConvolutionWeights {
        ConvolutionWeights(inputChannels: inputChannels, outputChannels: outputChannels, kernel: kernel,
                           stride: stride, padding: padding, weights: weights.map { Double(Float($0)) },
                           bias: bias.map { Double(Float($0)) })
    }
}
