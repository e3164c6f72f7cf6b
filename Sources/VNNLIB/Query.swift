/// A VNN-LIB 2.0 query as read: its version, its network declarations in order, and its
/// assertions (kept as a formula over the declared tensor elements until `translate` maps
/// them onto one product network).
///
/// The query states the set whose non-emptiness is asked: `sat` means some assignment of the
/// inputs satisfies every assertion, as in 1.0's unsafe set.
public struct Query: Sendable {
    /// The `(vnnlib-version <major.minor>)` header.
    public var version: (major: Int, minor: Int)
    /// The network declarations, in file order.
    public var networks: [NetworkDeclaration]
    /// The file name used in messages.
    public var fileName: String
    /// The conjunction of all assertions, over global element numbers (`Variable.input(k)`
    /// stands for element `k` of the query, see `TensorDeclaration.firstElement`).
    var formula: QueryFormula
    var assertions: [QueryFormula.Reference]

    /// The declaration named `name`, with its network's index.
    public func tensor(named name: String) -> (network: Int, tensor: TensorDeclaration)? {
        for (index, network) in networks.enumerated() {
            if let t = (network.inputs + network.hidden + network.outputs).first(where: { $0.name == name }) {
                return (index, t)
            }
        }
        return nil
    }
}

/// One `(declare-network …)`: an interface (inputs, hidden nodes, outputs) that the user maps
/// to an ONNX model on the command line.
public struct NetworkDeclaration: Sendable {
    /// `(equal-to N)`: the same model as N; `(isomorphic-to N)`: the same graph with other weights.
    public enum Equivalence: Sendable, Equatable {
        case equalTo(Int)
        case isomorphicTo(Int)
    }

    public var name: String
    public var location: SourceLocation
    /// The declaration this one is equal or isomorphic to, by index in `Query.networks`.
    public var equivalence: Equivalence?
    public var inputs: [TensorDeclaration]
    public var hidden: [TensorDeclaration]
    public var outputs: [TensorDeclaration]
}

/// One `declare-input`, `declare-hidden` or `declare-output`.
public struct TensorDeclaration: Sendable {
    public enum Role: Sendable { case input, hidden, output }

    public var role: Role
    public var name: String
    /// The element type as written (`Real`, `float32`, …).
    public var elementType: String
    /// The shape; `[]` for a scalar.
    public var shape: [Int]
    /// For a hidden node: the ONNX name of the node output it reads.
    public var onnxName: String?
    /// For an input: whether it is marked `initialized` (2.1).
    public var initialized: Bool
    public var location: SourceLocation
    /// The number of the tensor's first element among all elements the query declares.
    public var firstElement: Int

    /// The number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// `[2,2]`, as the standard prints shapes.
    public var shapeText: String { "[" + shape.map(String.init).joined(separator: ",") + "]" }

    /// Whether the type is the standard's `real` (any capitalisation, as the standard's own
    /// examples write both `real` and `Real`).
    public var isReal: Bool { elementType.lowercased() == "real" }
}
