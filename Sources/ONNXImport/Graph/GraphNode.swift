import NetworkIR

/// One node of an imported network graph: an operation on the flat (row-major) values of
/// earlier nodes. Nodes are kept in topological order; node 0 is the network input.
struct GraphNode: Sendable, Equatable {
    /// What a node computes. A closed list: the lowering and the evaluator switch over it.
    enum Operation: Sendable, Equatable {
        /// The network input.
        case input
        /// A single-operand linear operator (Gemm, MatMul, Conv, BatchNormalization, arithmetic
        /// with a constant, a data move) as the steps the chain importer records for it.
        case linear([LinearOperation])
        /// `max(0, x)`.
        case relu
        /// A sigmoid or tanh, element-wise.
        case smooth(SmoothActivation)
        /// `a + b`, or `a − b` when `negateSecond`, element-wise over two values of one size.
        case sum(negateSecond: Bool)
        /// Element `i` is element `entries[i].index` of operand `entries[i].operand`
        /// (Concat, Slice, Split: data moved, never computed).
        case gather([GatherEntry])
    }

    /// One element picked by a `.gather` node.
    struct GatherEntry: Sendable, Equatable {
        /// Position in the node's operand list.
        var operand: Int
        /// Flat index in that operand.
        var index: Int
    }

    /// One step of a `.linear` node, in the order applied.
    enum LinearOperation: Sendable, Equatable {
        /// An affine step (exactly as stored, see `AffineStep`).
        case step(AffineStep)
        /// `y_i = x_i / divisors_i`.
        case divide([Double])
    }

    var operation: Operation
    /// The nodes read, by index.
    var operands: [Int]
    /// The number of values the node produces.
    var size: Int
    /// The ONNX node it comes from (nil for the input), for error messages.
    var origin: NodeLocation?

    /// Whether the node is an activation, which the lowering emits as a layer of its own.
    var isActivation: Bool {
        switch operation {
        case .relu, .smooth: true
        case .input, .linear, .sum, .gather: false
        }
    }
}
