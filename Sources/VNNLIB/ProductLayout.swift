/// Where each tensor of a 2.0 query sits in the one product network that computes all its
/// networks side by side: product inputs are the query's input elements, with elements that
/// the query asserts equal (`(== A[0] C[0])` at the top level) merged into one; product
/// outputs are, network by network, its output elements and then its hidden nodes' elements.
///
/// Merging matters for proofs, not only for size: bounds see one box over the product's
/// inputs, and an equivalence `f(x)` against `g(x)` stated over two input copies would
/// otherwise let the copies differ inside the box.
public struct ProductLayout: Sendable, Equatable {
    /// The number of product inputs.
    public var inputCount: Int
    /// For each network, the product input of each element of its (one) input tensor.
    public var inputIndices: [[Int]]
    /// For each network, the product output where its output tensor starts.
    public var outputStart: [Int]
    /// For each network and each of its hidden declarations, the product output where the
    /// hidden tensor starts.
    public var hiddenStart: [[Int]]
    /// The number of product outputs.
    public var outputCount: Int

    /// The values of `tensor` (of network `network`) in an assignment of the product's inputs
    /// and outputs, in row-major order.
    public func values(of tensor: TensorDeclaration, network: Int, in query: Query,
                       inputs: [Double], outputs: [Double]) -> [Double] {
        let declaration = query.networks[network]
        switch tensor.role {
        case .input:
            let offset = tensor.firstElement - declaration.inputs[0].firstElement
            return (0..<tensor.elementCount).map { inputs[inputIndices[network][offset + $0]] }
        case .output:
            let start = outputStart[network]
            return Array(outputs[start..<start + tensor.elementCount])
        case .hidden:
            let k = declaration.hidden.firstIndex { $0.name == tensor.name } ?? 0
            let start = hiddenStart[network][k]
            return Array(outputs[start..<start + tensor.elementCount])
        }
    }
}
