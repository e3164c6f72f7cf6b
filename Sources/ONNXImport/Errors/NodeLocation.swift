/// Where a node sits in an ONNX graph, for error messages: its position in the node list, its
/// (often empty) name and its operator type.
public struct NodeLocation: Sendable, Equatable, CustomStringConvertible {
    /// The node's 0-based position in `GraphProto.node`.
    public var index: Int
    /// The node's name; exporters often leave it empty.
    public var name: String
    /// The operator type, prefixed by its domain when that is not the default one.
    public var opType: String

    /// Creates a location.
    public init(index: Int, name: String, opType: String) {
        self.index = index
        self.name = name
        self.opType = opType
    }

    /// `node 3 'Gemm_7' (Gemm)`, or `node 3 (Gemm)` for an unnamed node.
    public var description: String {
        name.isEmpty ? "node \(index) (\(opType))" : "node \(index) '\(name)' (\(opType))"
    }
}
