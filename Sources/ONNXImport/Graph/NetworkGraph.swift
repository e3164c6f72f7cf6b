import NetworkIR

/// An imported ONNX network before it is lowered to a `Network` chain: either a chain already
/// (the common case, imported exactly as before) or a directed acyclic graph of nodes with
/// skip connections, sums of two computed tensors, concatenations and slices.
///
/// Every pass of Certus reads a `Network`, a chain of affine, divide, ReLU, sigmoid and tanh
/// layers. A graph is lowered to one (`chain(lower:upper:)`): a tensor that must cross a ReLU
/// layer unchanged is carried through it exactly, with a sound lower bound of it over the input
/// box; nothing crosses a sigmoid or tanh layer (see `GraphLowering`). The lowered chain
/// computes the graph's function exactly, in real arithmetic, on every point of the box.
///
/// ```swift
/// let graph = try ONNXLoader.loadGraph(contentsOf: url)
/// let network = try graph.chain(lower: box.lowerDoubles, upper: box.upperDoubles)
/// ```
public struct NetworkGraph: Sendable {
    enum Form: Sendable {
        case chain(Network)
        case graph(nodes: [GraphNode], output: Int)
    }

    let form: Form
    /// The file name used in error messages.
    let file: String
    /// The shape of the network's input tensor as declared by the model.
    public let inputShape: [Int]
    /// The number of input values.
    public let inputSize: Int
    /// The number of output values.
    public let outputSize: Int

    init(chain network: Network, file: String) {
        form = .chain(network)
        self.file = file
        inputShape = network.inputShape
        inputSize = network.inputSize
        outputSize = network.outputSize
    }

    init(nodes: [GraphNode], output: Int, inputShape: [Int], file: String) {
        form = .graph(nodes: nodes, output: output)
        self.file = file
        self.inputShape = inputShape
        inputSize = nodes[0].size
        outputSize = nodes[output].size
    }

    /// True when the model is a single chain, whose `Network` does not depend on any box.
    public var isChain: Bool {
        if case .chain = form { true } else { false }
    }

    /// The chain that computes this graph exactly on every input in `lower...upper`
    /// (element-wise; infinite bounds allowed). A chain model is returned as imported.
    /// - Throws: `ONNXError` when the lowering would need a matrix larger than Certus stores.
    public func chain(lower: [Double], upper: [Double]) throws -> Network {
        precondition(lower.count == inputSize && upper.count == inputSize, "box size differs from the input size")
        switch form {
        case let .chain(network):
            return network
        case let .graph(nodes, output):
            var lowering = GraphLowering(nodes: nodes, output: output, file: file, inputLower: lower, inputUpper: upper)
            let layers = try lowering.lower()
            do {
                return try Network(inputShape: inputShape, layers: layers)
            } catch let error as NetworkError {
                throw ONNXError.invalidModel(file: file, problem: "the lowered network is inconsistent: \(error)")
            }
        }
    }

    /// The chain that computes this graph exactly on every input (no box known): tensors that
    /// cross a ReLU layer and may be negative are carried as `relu(x) − relu(−x)`.
    public func chain() throws -> Network {
        try chain(lower: Array(repeating: -.infinity, count: inputSize), upper: Array(repeating: .infinity, count: inputSize))
    }

    /// Runs the graph node by node in double precision, as the ONNX model computes it (no
    /// lowering involved); the reference the lowered chains are tested against.
    public func evaluate(_ input: [Double]) -> [Double] {
        precondition(input.count == inputSize, "input has \(input.count) values, the network takes \(inputSize)")
        switch form {
        case let .chain(network): return network.evaluate(input)
        case let .graph(nodes, output): return GraphEvaluator<Double>(nodes: nodes).run(input)[output]
        }
    }

    /// Runs the graph node by node in single precision, dot products accumulated in float32 in
    /// index order (as `Network.evaluateFloat` does).
    public func evaluateFloat(_ input: [Float]) -> [Float] {
        precondition(input.count == inputSize, "input has \(input.count) values, the network takes \(inputSize)")
        switch form {
        case let .chain(network): return network.evaluateFloat(input)
        case let .graph(nodes, output): return GraphEvaluator<Float>(nodes: nodes).run(input)[output]
        }
    }
}
